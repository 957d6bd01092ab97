// Seeds a Slotbook database in bulk (a temporary SQLite file, or a fresh PostgreSQL database) with
// rows exactly as the app writes them (its instants, JSON weekdays, UUID ids, SHA-256 token hashes,
// one booking_cell row per occupied 5-minute cell of every live booking, one manage token per
// booking). Slots are computed by the app's own engine, so every seeded booking starts on a slot
// the API would have offered.
import { createRequire } from 'node:module';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

const require = createRequire(import.meta.url);
const sqlite3 = require('sqlite3');
const pg = require('pg');
const engine = require('../dist/scheduling/index.js');
const { openAppDatabase } = require('../dist/app.js');
const { parseDatabaseUrl } = require('../dist/config.js');

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

const quote = (name) => `"${name}"`;

/**
 * One connection to a bench database, behind what SQLite and PostgreSQL share: `?` parameters,
 * rows inserted in bulk from JSON, and rows read back in SQLite's encoding (instants as epoch
 * milliseconds, JSON as text, counts as numbers), so seeding and reading are written once. The
 * subclasses hold every difference, down to the few SQL fragments bulk generation needs.
 */
class BenchConnection {
  async first(sql, params = []) {
    return (await this.query(sql, params))[0];
  }
  /** Inserts rows (arrays in column order, values as the SQLite file stores them) with one statement per chunk. */
  async insertRows(table, columns, rows, chunk = 20_000) {
    const sql = await this.bulkInsertSql(table, columns);
    for (let i = 0; i < rows.length; i += chunk) await this.query(sql, [JSON.stringify(rows.slice(i, i + chunk))]);
  }
}

class SqliteConnection extends BenchConnection {
  /** Temporary files in `dir`, whatever path a sqlite: DATABASE_URL names. */
  static async databases(_serverUrl, dir) {
    return {
      dialect: 'sqlite',
      label: `SQLite ${sqlite3.VERSION} (temporary files)`,
      create: async (name) => `sqlite:${path.join(dir, `${name}.sqlite`)}`,
      dispose: async () => {},
    };
  }
  static async open(url) {
    const connection = new SqliteConnection(new sqlite3.Database(parseDatabaseUrl(url).dbName));
    await connection.query('pragma journal_mode = WAL');
    await connection.query('pragma synchronous = OFF');
    await connection.query('pragma cache_size = -200000');
    return connection;
  }
  constructor(db) {
    super();
    this.db = db;
  }
  query(sql, params = []) {
    return new Promise((resolve, reject) => this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
  }
  close() {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
  async bulkInsertSql(table, columns) {
    const select = columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ');
    return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) select ${select} from json_each(?)`;
  }
  uuid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
  randomHex64 = 'lower(hex(randomblob(32)))';
  /** The app stores an instant as epoch milliseconds. */
  instant(ms) {
    return `(${ms})`;
  }
  ms(column) {
    return column;
  }
  async afterBulkLoad() {}
  /** A from-item `alias` with one column k = 0 … count − 1. */
  integers(alias, count) {
    return `(with recursive r(k) as (select 0 union all select k + 1 from r where k < ${count - 1}) select k from r) as ${alias}`;
  }
  /** Joins each row to `alias`.k = 0 … count − 1, where count (at most `most`) may depend on the row. */
  joinEach(alias, count, most) {
    return `join ${this.integers(alias, most)} on ${alias}.k < ${count}`;
  }
}

class PostgresConnection extends BenchConnection {
  /** Fresh databases bench_<random>_<name> on the server `serverUrl` points at, dropped by dispose() unless `keep`. */
  static async databases(serverUrl, _dir, { keep = false } = {}) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const { server_version: version } = (await admin.query('show server_version')).rows[0];
    const prefix = `bench_${randomBytes(4).toString('hex')}`;
    const created = [];
    const { host } = new URL(serverUrl);
    return {
      dialect: 'postgresql',
      label: `PostgreSQL ${version} at ${host} (fresh databases ${prefix}_*${keep ? ', kept' : ''})`,
      async create(name) {
        const dbName = `${prefix}_${name}`;
        await admin.query(`create database ${quote(dbName)}`);
        created.push(dbName);
        const url = new URL(serverUrl);
        url.pathname = `/${dbName}`;
        return url.href;
      },
      async dispose() {
        if (!keep) for (const dbName of created) await admin.query(`drop database if exists ${quote(dbName)} with (force)`);
        await admin.end();
      },
    };
  }
  static async open(url) {
    const client = new pg.Client({ connectionString: url });
    // Read back as SQLite gives them: the bench then decodes rows one way.
    client.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (text) => pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ)(text).getTime());
    client.setTypeParser(pg.types.builtins.INT8, Number);
    client.setTypeParser(pg.types.builtins.JSONB, String);
    await client.connect();
    return new PostgresConnection(client);
  }
  constructor(client) {
    super();
    this.client = client;
  }
  async query(sql, params = []) {
    let n = 0;
    return (await this.client.query(params.length ? sql.replace(/\?/g, () => `$${++n}`) : sql, params)).rows;
  }
  close() {
    return this.client.end();
  }
  /** Each JSON value is cast to its column's own type; epoch milliseconds become timestamptz. */
  async bulkInsertSql(table, columns) {
    const types = new Map((await this.query(
      `select attname, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = ?::regclass and attnum > 0 and not attisdropped`,
      [table],
    )).map((c) => [c.attname, c.type]));
    const select = columns.map((c, i) => (types.get(c) === 'timestamp with time zone' ? this.instant(`(r ->> ${i})::float8`) : `(r ->> ${i})::${types.get(c)}`));
    return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) select ${select.join(', ')} from json_array_elements(?::json) as rows(r)`;
  }
  uuid = 'gen_random_uuid()::text';
  randomHex64 = `encode(sha256(gen_random_uuid()::text::bytea), 'hex')`;
  instant(ms) {
    return `to_timestamp((${ms}) / 1000.0)`;
  }
  ms(column) {
    return `(extract(epoch from ${column}) * 1000)::bigint`;
  }
  /** Statistics for the planner now: autovacuum would gather them only some time into the first phases. */
  async afterBulkLoad() {
    await this.query('vacuum analyze');
  }
  // bigint: day offsets in milliseconds overflow integer arithmetic.
  integers(alias, count) {
    return `generate_series(0::bigint, ${count - 1}) as ${alias}(k)`;
  }
  // A series per row: joining every row to `most` numbers and filtering would cost a million bookings × 288.
  joinEach(alias, count, _most) {
    return `cross join lateral generate_series(0::bigint, ${count} - 1) as ${alias}(k)`;
  }
}

const CONNECTIONS = { sqlite: SqliteConnection, postgresql: PostgresConnection };

/** Opens a bench database by its DATABASE_URL. */
export function connect(url) {
  return CONNECTIONS[parseDatabaseUrl(url).dialect].open(url);
}

/**
 * Where the bench creates its databases: on the PostgreSQL server of a postgres:// `serverUrl`,
 * else (none, or sqlite:) as temporary SQLite files in `dir`.
 */
export function benchDatabases(serverUrl, dir, options) {
  const dialect = serverUrl && !serverUrl.startsWith('sqlite:') ? parseDatabaseUrl(serverUrl).dialect : 'sqlite';
  return CONNECTIONS[dialect].databases(serverUrl, dir, options);
}

/** Creates the schema the way the app does (its own migrations), then closes the ORM. */
export async function migrate(url) {
  const orm = await openAppDatabase(url);
  await orm.close(true);
}

/**
 * ≥ 100 realistic owners: weekday 09:00–17:00 in eight zones, slot lengths 30/45/60, a fortnightly
 * Saturday morning for every third owner, cancelled and moved occurrences, one-time windows, and
 * bookings on a fraction of the slots from `pastDays` ago to `futureDays` ahead.
 */
export async function seedOwners(url, { now, owners = 120, pastDays = 180, futureDays = 90, pastBooked = 0.6, futureBooked = 0.35, seed = 42 }) {
  const rng = mulberry32(seed);
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

  const db = await connect(url);
  await db.query('begin');
  await db.insertRows('owner', ['id', 'name', 'time_zone', 'slot_minutes', 'token_hash', 'data_version', 'created_at'], ownerRows);
  await db.insertRows('recurring_window', ['id', 'owner_id', 'frequency', 'interval', 'weekdays', 'start_time', 'end_time', 'starts_on', 'ends_on', 'count', 'last_occurs_on'], recurringRows);
  await db.insertRows('window_exception', ['window_id', 'date', 'cancelled', 'starts_at', 'ends_at'], exceptionRows);
  await db.insertRows('one_time_window', ['id', 'owner_id', 'starts_at', 'ends_at'], oneTimeRows);
  await db.insertRows('booking', ['id', 'owner_id', 'starts_at', 'ends_at', 'status', 'invitee_name', 'invitee_email', 'idempotency_key', 'created_at'], bookingRows);
  await db.query('commit');
  await db.close();
  return { owners: seeded, bookings: bookingRows.length };
}

/**
 * Phase F's bulk: `owners` more owners (UTC, 15-minute slots, daily 08:00–16:00) whose calendars
 * are fully booked for `days` days around now — generated inside the database, since a million
 * rows would not fit comfortably through JSON.
 */
export async function seedFiller(url, { now, owners, days }) {
  const db = await connect(url);
  const day0 = Math.floor(now / DAY) * DAY;
  const first = day0 - Math.floor(days / 2) * DAY;
  const startsOn = new Date(first - 30 * DAY).toISOString().slice(0, 10);
  const dayStart = `${first} + d.k * ${DAY}`;
  const quarter = (k) => `${dayStart} + ${8 * 3_600_000} + ${k} * 900000`;
  await db.query('begin');
  await db.query(`create temp table filler_owner as select ${db.uuid} as id, k from ${db.integers('n', owners)}`);
  await db.query(`insert into owner (id, name, time_zone, slot_minutes, token_hash, data_version, created_at)
    select id, 'Clinic ' || k, 'UTC', 15, ${db.randomHex64}, 3, ${db.instant(first - 30 * DAY)} from filler_owner`);
  await db.query(`insert into recurring_window (id, owner_id, frequency, "interval", weekdays, start_time, end_time, starts_on, ends_on, "count", last_occurs_on)
    select ${db.uuid}, id, 'DAILY', 1, '[]', 480, 960, '${startsOn}', null, null, null from filler_owner`);
  await db.query(`insert into booking (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at)
    select ${db.uuid}, o.id, ${db.instant(quarter('s.k'))}, ${db.instant(quarter('(s.k + 1)'))},
           case when ${dayStart} < ${day0} then 'COMPLETED' else 'CONFIRMED' end,
           'Patient ' || s.k, 'patient' || s.k || '@example.com', null, ${db.instant(`${dayStart} - ${7 * DAY}`)}
    from filler_owner o cross join ${db.integers('d', days)} cross join ${db.integers('s', 32)}`);
  await db.query('commit');
  await db.close();
}

/**
 * The bookings' triggers wrote their emails (confirmations, notices, reminders) as due now; the
 * seeded bookings stand for history, whose emails went out long ago. Left due, hundreds of
 * thousands of them would drain through the outbox during the phases and skew every number.
 */
const settleSeededEmails = (db) => db.query(`update email set status = 'SENT', sent_at = due_at where status = 'PENDING'`);

/** booking_cell and booking_manage_token rows for every booking that has none yet; then the counts. */
export async function seedCellsAndTokens(url) {
  const db = await connect(url);
  const cells = `(${db.ms('b.ends_at')} - ${db.ms('b.starts_at')}) / 300000`;
  await db.query('begin');
  await db.query(`insert into booking_cell (owner_id, cell, booking_id)
    select b.owner_id, ${db.ms('b.starts_at')} / 300000 + n.k, b.id from booking b ${db.joinEach('n', cells, 288)}
    where b.status != 'CANCELLED' and not exists (select 1 from booking_cell c where c.booking_id = b.id)`);
  await db.query(`insert into booking_manage_token (token_hash, booking_id)
    select ${db.randomHex64}, b.id from booking b where not exists (select 1 from booking_manage_token t where t.booking_id = b.id)`);
  await settleSeededEmails(db);
  await db.query('commit');
  await db.afterBulkLoad();
  const counts = await db.first(`select (select count(*) from owner) owners, (select count(*) from booking) bookings, (select count(*) from booking_cell) cells`);
  await db.close();
  return counts;
}

export { DAY };

/**
 * Phase M's owners: UTC, hourly slots, available around the clock from `from` on, each with
 * `bookings` 5-minute bookings spread evenly over the 30 days from `from` (generated in the
 * database, like the filler). 5,000 of them leave no hour free, so that owner's answer is short
 * and a miss costs what reading the month and running the engine cost. Returns their ids in the
 * order of `bookingCounts`.
 */
export async function seedDenseOwners(url, { from, bookingCounts }) {
  const db = await connect(url);
  const ids = [];
  const cellsInMonth = 30 * 288;
  await db.query('begin');
  for (const [i, count] of bookingCounts.entries()) {
    const id = randomUUID();
    ids.push(id);
    const startsOn = new Date(from - DAY).toISOString().slice(0, 10);
    await db.insertRows('owner', ['id', 'name', 'time_zone', 'slot_minutes', 'token_hash', 'data_version', 'created_at'], [[id, `Dense ${i}`, 'UTC', 60, sha256(`dense-${id}`), 1, from - 30 * DAY]]);
    await db.insertRows('recurring_window', ['id', 'owner_id', 'frequency', 'interval', 'weekdays', 'start_time', 'end_time', 'starts_on', 'ends_on', 'count', 'last_occurs_on'],
      [[randomUUID(), id, 'DAILY', 1, '[]', 0, 1440, startsOn, null, null, null]]);
    const start = (k) => `${from} + (${k} * ${cellsInMonth} / ${count}) * 300000`;
    await db.query(`insert into booking (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at)
      select ${db.uuid}, '${id}', ${db.instant(start('s.k'))}, ${db.instant(`${start('s.k')} + 300000`)}, 'CONFIRMED',
             'Dense ' || s.k, 'dense' || s.k || '@example.com', null, ${db.instant(from - DAY)}
      from ${db.integers('s', count)}`);
  }
  await settleSeededEmails(db);
  await db.query('commit');
  await db.close();
  return ids;
}
