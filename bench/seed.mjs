// Seeds a Slotbook SQLite file in bulk, with rows exactly as the app writes them (epoch-ms
// datetimes, JSON weekdays, UUID ids, SHA-256 token hashes, one booking_cell row per occupied
// 5-minute cell of every live booking, one manage token per booking). Slots are computed by the
// app's own engine, so every seeded booking starts on a slot the API would have offered.
import { createRequire } from 'node:module';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const sqlite3 = require('sqlite3');
const engine = require('../dist/scheduling/index.js');
const { openDatabase } = require('../dist/common/database.js');

const DAY = 86_400_000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Los_Angeles', 'Europe/London', 'UTC', 'Asia/Kolkata'];
const SLOT_MINUTES = [60, 60, 30, 45];
const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];

/** Deterministic PRNG, so the small and the large database of phase F share their owners exactly. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seededUuid(rng) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rng() * 4)];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

class Db {
  constructor(file) {
    this.db = new sqlite3.Database(file);
  }
  run(sql, params = []) {
    return new Promise((resolve, reject) => this.db.run(sql, params, function (err) { err ? reject(err) : resolve(this); }));
  }
  exec(sql) {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve())));
  }
  get(sql, params = []) {
    return new Promise((resolve, reject) => this.db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row))));
  }
  all(sql, params = []) {
    return new Promise((resolve, reject) => this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
  }
  close() {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
  /** Inserts rows (arrays in column order) with one statement per chunk via json_each. */
  async insertJson(table, columns, rows, chunk = 20_000) {
    const select = columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ');
    for (let i = 0; i < rows.length; i += chunk) {
      await this.run(`insert into ${table} (${columns.join(', ')}) select ${select} from json_each(?)`, [JSON.stringify(rows.slice(i, i + chunk))]);
    }
  }
}

/** Creates the schema the way the app does (its own migrations), then closes the ORM. */
export async function migrate(file) {
  const orm = await openDatabase(`sqlite:${file}`);
  await orm.close(true);
}

/**
 * ≥ 100 realistic owners: weekday 09:00–17:00 in eight zones, slot lengths 30/45/60, a fortnightly
 * Saturday morning for every third owner, cancelled and moved occurrences, one-time windows, and
 * bookings on a fraction of the slots from `pastDays` ago to `futureDays` ahead.
 */
export async function seedOwners(file, { now, owners = 120, pastDays = 180, futureDays = 90, pastBooked = 0.6, futureBooked = 0.35, seed = 42 }) {
  const rng = mulberry32(seed);
  const db = new Db(file);
  await db.exec('pragma journal_mode = WAL; pragma synchronous = OFF;');
  const ownerRows = [];
  const recurringRows = [];
  const exceptionRows = [];
  const oneTimeRows = [];
  const bookingRows = [];
  const seeded = [];
  const day0 = Math.floor(now / DAY) * DAY;
  for (let i = 0; i < owners; i++) {
    const id = seededUuid(rng);
    const token = `sbo_bench_${i}_${seededUuid(rng)}`;
    const timeZone = ZONES[i % ZONES.length];
    const slotMinutes = SLOT_MINUTES[i % SLOT_MINUTES.length];
    const startsOn = engine.localDateOf(day0 - 400 * DAY, timeZone);
    ownerRows.push([id, `Owner ${i}`, timeZone, slotMinutes, sha256(token), 7, day0 - 400 * DAY]);

    const weekly = { frequency: 'WEEKLY', interval: 1, weekdays: WEEKDAYS, startTime: 540, endTime: 1020, startsOn, endsOn: null, count: null };
    const weeklyId = seededUuid(rng);
    const recurring = [{ id: weeklyId, rule: weekly }];
    if (i % 3 === 0) {
      recurring.push({ id: seededUuid(rng), rule: { frequency: 'WEEKLY', interval: 2, weekdays: ['SATURDAY'], startTime: 600, endTime: 780, startsOn, endsOn: null, count: null } });
    }
    for (const { id: wid, rule } of recurring) {
      recurringRows.push([wid, id, rule.frequency, rule.interval, JSON.stringify(rule.weekdays), rule.startTime, rule.endTime, rule.startsOn, rule.endsOn, rule.count, engine.lastOccurrenceDate(rule)]);
    }

    // Exceptions on real occurrence dates of the weekday rule: three cancelled, one moved to the afternoon/evening.
    const exceptions = [];
    const candidates = [];
    for (let d = -pastDays; d < futureDays; d++) {
      const date = engine.localDateOf(day0 + d * DAY + 12 * 3_600_000, timeZone);
      if (engine.occursOn(weekly, date) && !candidates.includes(date)) candidates.push(date);
    }
    const picked = new Set();
    while (picked.size < 4 && picked.size < candidates.length) picked.add(candidates[Math.floor(rng() * candidates.length)]);
    [...picked].forEach((date, k) => {
      if (k < 3) exceptions.push({ date, cancelled: true, startsAt: null, endsAt: null });
      else exceptions.push({ date, cancelled: false, startsAt: engine.wallTimeToInstant(date, 720, timeZone), endsAt: engine.wallTimeToInstant(date, 1200, timeZone) });
    });
    for (const e of exceptions) exceptionRows.push([weeklyId, e.date, e.cancelled ? 1 : 0, e.startsAt, e.endsAt]);

    // One-time windows: a Sunday morning and a weekday evening in the coming weeks.
    const oneTime = [];
    for (const [offset, from, to] of [[5 + (i % 7), 600, 840], [12 + (i % 9), 1080, 1200]]) {
      const date = engine.localDateOf(day0 + offset * DAY + 12 * 3_600_000, timeZone);
      const w = { start: engine.wallTimeToInstant(date, from, timeZone), end: engine.wallTimeToInstant(date, to, timeZone) };
      oneTime.push(w);
      oneTimeRows.push([seededUuid(rng), id, w.start, w.end]);
    }

    const availability = {
      oneTime,
      recurring: recurring.map(({ rule }) => ({ rule, lastOccursOn: engine.lastOccurrenceDate(rule), exceptions: rule === weekly ? exceptions : [] })),
    };
    const range = { start: day0 - pastDays * DAY, end: day0 + futureDays * DAY };
    const slots = engine.freeSlots({ availability, timeZone, slotMinutes, busy: [], now: range.start, range });
    const free = [];
    for (const s of slots) {
      const past = s.end <= now;
      if (rng() < (past ? pastBooked : futureBooked) && s.start >= now - pastDays * DAY) {
        const r = rng();
        const status = past ? (r < 0.85 ? 'COMPLETED' : r < 0.95 ? 'CANCELLED' : 'CONFIRMED') : r < 0.9 ? 'CONFIRMED' : 'CANCELLED';
        const createdAt = Math.min(now, s.start) - Math.floor(rng() * 30 * DAY);
        bookingRows.push([randomUUID(), id, s.start, s.end, status, `Invitee ${bookingRows.length}`, `invitee${bookingRows.length}@example.com`, null, createdAt]);
        if (status === 'CANCELLED' && s.start > now) free.push(s);
      } else if (s.start > now) {
        free.push(s);
      }
    }
    seeded.push({ id, token, timeZone, slotMinutes, free });
  }

  await db.exec('begin');
  await db.insertJson('owner', ['id', 'name', 'time_zone', 'slot_minutes', 'token_hash', 'data_version', 'created_at'], ownerRows);
  await db.insertJson('recurring_window', ['id', 'owner_id', 'frequency', 'interval', 'weekdays', 'start_time', 'end_time', 'starts_on', 'ends_on', 'count', 'last_occurs_on'], recurringRows);
  await db.insertJson('window_exception', ['window_id', 'date', 'cancelled', 'starts_at', 'ends_at'], exceptionRows);
  await db.insertJson('one_time_window', ['id', 'owner_id', 'starts_at', 'ends_at'], oneTimeRows);
  await db.insertJson('booking', ['id', 'owner_id', 'starts_at', 'ends_at', 'status', 'invitee_name', 'invitee_email', 'idempotency_key', 'created_at'], bookingRows);
  await db.exec('commit');
  await db.close();
  return { owners: seeded, bookings: bookingRows.length };
}

/**
 * Phase F's bulk: `owners` more owners (UTC, 15-minute slots, daily 08:00–16:00) whose calendars
 * are fully booked for `days` days around now — generated inside SQLite, since a million rows
 * would not fit comfortably through JSON.
 */
export async function seedFiller(file, { now, owners, days }) {
  const db = new Db(file);
  await db.exec('pragma journal_mode = WAL; pragma synchronous = OFF; pragma cache_size = -200000;');
  const day0 = Math.floor(now / DAY) * DAY;
  const first = day0 - Math.floor(days / 2) * DAY;
  const startsOn = new Date(first - 30 * DAY).toISOString().slice(0, 10);
  const uuid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
  await db.exec('begin');
  await db.exec(`create temp table filler_owner as with recursive n(k) as (select 0 union all select k + 1 from n where k < ${owners - 1})
    select ${uuid} as id, k from n`);
  await db.run(`insert into owner (id, name, time_zone, slot_minutes, token_hash, data_version, created_at)
    select id, 'Clinic ' || k, 'UTC', 15, lower(hex(randomblob(32))), 3, ? from filler_owner`, [first - 30 * DAY]);
  await db.run(`insert into recurring_window (id, owner_id, frequency, interval, weekdays, start_time, end_time, starts_on, ends_on, count, last_occurs_on)
    select ${uuid}, id, 'DAILY', 1, '[]', 480, 960, ?, null, null, null from filler_owner`, [startsOn]);
  await db.run(`insert into booking (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at)
    with recursive d(k) as (select 0 union all select k + 1 from d where k < ${days - 1}),
                   s(k) as (select 0 union all select k + 1 from s where k < 31)
    select ${uuid}, o.id, ? + d.k * ${DAY} + ${8 * 3_600_000} + s.k * 900000, ? + d.k * ${DAY} + ${8 * 3_600_000} + (s.k + 1) * 900000,
           case when ? + d.k * ${DAY} < ? then 'COMPLETED' else 'CONFIRMED' end,
           'Patient ' || s.k, 'patient' || s.k || '@example.com', null, ? + d.k * ${DAY} - ${7 * DAY}
    from filler_owner o, d, s`, [first, first, first, day0, first]);
  await db.exec('commit');
  await db.close();
}

/** booking_cell and booking_manage_token rows for every booking that has none yet. */
export async function seedCellsAndTokens(file) {
  const db = new Db(file);
  await db.exec('pragma journal_mode = WAL; pragma synchronous = OFF; pragma cache_size = -200000;');
  await db.exec('begin');
  await db.exec(`insert into booking_cell (owner_id, cell, booking_id)
    with recursive n(k) as (select 0 union all select k + 1 from n where k < 287)
    select b.owner_id, b.starts_at / 300000 + n.k, b.id from booking b join n on n.k < (b.ends_at - b.starts_at) / 300000
    where b.status != 'CANCELLED' and not exists (select 1 from booking_cell c where c.booking_id = b.id)`);
  await db.exec(`insert into booking_manage_token (token_hash, booking_id)
    select lower(hex(randomblob(32))), b.id from booking b where not exists (select 1 from booking_manage_token t where t.booking_id = b.id)`);
  await db.exec('commit');
  const counts = await db.get(`select (select count(*) from owner) owners, (select count(*) from booking) bookings, (select count(*) from booking_cell) cells`);
  await db.close();
  return counts;
}

export { Db, DAY, sha256, randomBytes };
