/**
 * The one statement that reads what occupies an owner's time and when it is available (the
 * calendar the slot engine judges): its SQL per dialect and how its rows become the engine's
 * inputs. CalendarStore.read runs it.
 */
import type { Dialect } from '../../db/dialect';
import type { Availability, Frequency, Interval, RecurringWindowSpec, SeatGroup, Weekday } from '../../scheduling';
import { busyOverlapSql } from '../calendar-source/busy-interval.store';

/** What the slot engine reads of one owner: availability, busy time and, when asked, one event type's booking starts. */
export interface Calendar {
  availability: Availability;
  /**
   * What occupies the owner's time: the occupied spans [startsAt − bufferBefore, endsAt +
   * bufferAfter) of live bookings, buffers as recorded on each, and the busy intervals synced from
   * the owner's other calendars (docs/api.md, Part 3, 29), which the engine treats alike. Unsorted,
   * possibly overlapping.
   */
  busy: Interval[];
  /**
   * The owner-local dates (`YYYY-MM-DD`) the live bookings of `CalendarQuery.startsOf`'s event type
   * in its range count on, one per booking: each booking's `local_date`, in the owner's current zone
   * (updateOwner re-dates them on a zone change) and the same date the database's daily-cap counter (event_type_day) holds it on. Empty when
   * not asked.
   */
  eventTypeDays: string[];
  /**
   * The live groups of `CalendarQuery.seatsOf`'s event type whose span overlaps the busy range: its
   * bookings that hold a seat, by start, left out of `busy` (docs/api.md, Part 3, 38). Empty when
   * not asked.
   */
  seatGroups: SeatGroup[];
}

/** What to read of one owner's calendar. */
export interface CalendarQuery {
  /** Windows overlapping this range. */
  availability: Interval;
  /** Live bookings whose occupied span overlaps this range, and synced busy intervals that do. */
  busy: Interval;
  /** The live bookings of this event type that start in `range` (its daily cap counts them). */
  startsOf?: { eventTypeId: string; range: Interval } | null;
  /** A group event's id: its seats come back as seatGroups instead of busy time. */
  seatsOf?: string | null;
  /** A booking to leave out of busy time and starts: the one being moved. */
  ignoreBookingId?: string;
}


/** Longest booking (a duration or slotMinutes) and longest recorded buffer, in ms: how far from a range a booking that touches it can start. */
export const MAX_BOOKING_MS = 1440 * 60_000;
export const MAX_BUFFER_MS = 1440 * 60_000;

/**
 * Everything the engine needs about one owner in one statement: one-time windows overlapping
 * the availability range, recurring windows, their exceptions, the occupied spans of live
 * bookings and the synced busy intervals (busy-interval.store.ts, its two searches) overlapping
 * the busy range, and (with `withStarts`) the starts of one event type's live bookings. One round
 * trip instead of six and no entity hydration: this runs on every freeSlots miss and every bookSlot. Each branch is an index search
 * (tests/performance/query-plans.test.ts): the busy one searches starts_at in the busy range
 * widened by the longest booking and buffers, then keeps the exact overlaps. Instants come back
 * as epoch ms: SQLite stores them so, PostgreSQL converts its timestamptz (UNION needs one type
 * per column there). The bookings, which can be thousands in a month, come back as one row
 * holding one string (`start,end,start,end,…`, occupied spans computed by the database): the
 * driver builds a JavaScript value per column of every row on the main thread, and eleven
 * columns per booking cost several times what SQLite's own work did.
 */
function calendarSql(dialect: Dialect, withStarts: boolean, withSeats: boolean): string {
  const pg = dialect === 'postgresql';
  const ms = (column: string) => (pg ? `(extract(epoch from ${column}) * 1000)::float8` : column);
  // date_part answers float8; extract answers numeric (PostgreSQL 14 on), whose arithmetic and
  // text cost several times more per row: a week of ten sources' busy time is ~500 rows.
  const epochMs = (column: string) => (pg ? `(date_part('epoch', ${column}) * 1000)::bigint` : column);
  const minus = (column: string, minutes: string) => (pg ? `${column} - ${minutes} * interval '1 minute'` : `${column} - ${minutes} * 60000`);
  const plus = (column: string, minutes: string) => (pg ? `${column} + ${minutes} * interval '1 minute'` : `${column} + ${minutes} * 60000`);
  const spanStart = `${epochMs('starts_at')} - buffer_before_minutes * 60000`;
  const spanEnd = `${epochMs('ends_at')} + buffer_after_minutes * 60000`;
  // Parenthesized: SQLite's || binds tighter than its - and +.
  const text = (expression: string) => (pg ? `(${expression})::text` : `(${expression})`);
  const list = (expression: string) => (pg ? `string_agg((${expression})::text, ',')` : `group_concat(${expression}, ',')`);
  // Busy time synced from other calendars: two more 'busy' rows, each one aggregated list.
  const synced = busyOverlapSql(dialect, `'busy', null, null, null, ${list(`${text(epochMs('starts_at'))} || ',' || ${text(epochMs('ends_at'))}`)}, null, null, null, null, null, null`)
    .map((select) => `\nunion all\n${select}`)
    .join('');
  const starts = withStarts
    ? `
union all
select 'starts', null, null, null, ${list('local_date')}, null, null, null, null, null, null
  from booking where event_type_id = ? and status <> 'CANCELLED' and starts_at >= ? and starts_at < ? and id <> ?`
    : '';
  // A group event's seats: `start,spanStart,spanEnd` per booking, grouped by start in calendarOf.
  const seats = withSeats
    ? `
union all
select 'seats', null, null, null, ${list(`${text(epochMs('starts_at'))} || ',' || ${text(spanStart)} || ',' || ${text(spanEnd)}`)}, null, null, null, null, null, null
  from booking where owner_id = ? and event_type_id = ? and seats_per_slot is not null and status <> 'CANCELLED' and starts_at >= ? and starts_at < ?
    and ${minus('starts_at', 'buffer_before_minutes')} < ? and ${plus('ends_at', 'buffer_after_minutes')} > ? and id <> ?`
    : '';
  return `
select 'one-time' as kind, null as ref, ${ms('starts_at')} as t0, ${ms('ends_at')} as t1, null as s0, null as s1, null as s2, null as s3, null as s4, null as n0, null as n1
  from one_time_window where owner_id = ? and ends_at > ? and starts_at < ?
union all
select 'recurring', id, start_time, end_time, frequency, weekdays, starts_on, ends_on, last_occurs_on, "interval", "count"
  from recurring_window where owner_id = ?
union all
select 'exception', window_id, ${ms('starts_at')}, ${ms('ends_at')}, date, null, null, null, null, case when cancelled then 1 else 0 end, null
  from window_exception where window_id in (select id from recurring_window where owner_id = ?)
union all
select 'busy', null, null, null, ${list(`${text(spanStart)} || ',' || ${text(spanEnd)}`)}, null, null, null, null, null, null
  from booking where owner_id = ? and status <> 'CANCELLED' and starts_at >= ? and starts_at < ?
    and ${minus('starts_at', 'buffer_before_minutes')} < ? and ${plus('ends_at', 'buffer_after_minutes')} > ? and id <> ?
    and (seats_per_slot is null or event_type_id <> ?)
union all
select 'busy', null, null, null, ${list(`${text(spanStart)} || ',' || ${text(spanEnd)}`)}, null, null, null, null, null, null
  from booking where id in (select booking_id from booking_host where owner_id = ?) and owner_id <> ? and status <> 'CANCELLED' and starts_at >= ? and starts_at < ?
    and ${minus('starts_at', 'buffer_before_minutes')} < ? and ${plus('ends_at', 'buffer_after_minutes')} > ? and id <> ?${synced}${starts}${seats}`;
}

const CALENDAR_SQL = new Map<string, string>();

/** The calendar statement of `dialect`, with the daily cap's starts and a group event's seats when asked; built once each. */
export function calendarStatement(dialect: Dialect, withStarts: boolean, withSeats: boolean): string {
  const key = `${dialect}:${withStarts}:${withSeats}`;
  let sql = CALENDAR_SQL.get(key);
  if (sql === undefined) {
    sql = calendarSql(dialect, withStarts, withSeats);
    CALENDAR_SQL.set(key, sql);
  }
  return sql;
}

/** How an instant is bound in that SQL: SQLite compares epoch ms, PostgreSQL a timestamptz. */
/**
 * The reads widen the asked range by up to two days (the longest booking and buffers), which
 * near DateTime's upper bound reaches year 10000: node-pg writes such a Date as `+010000-…`,
 * which PostgreSQL refuses. No stored instant lies past 9999-12-31, so clamping loses nothing.
 */
const LAST_PG_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const INSTANT_PARAM: Record<Dialect, (ms: number) => number | Date> = { sqlite: (ms) => ms, postgresql: (ms) => new Date(Math.min(ms, LAST_PG_INSTANT_MS)) };

export interface CalendarRow {
  kind: 'one-time' | 'recurring' | 'exception' | 'busy' | 'starts' | 'seats';
  ref: string | null;
  t0: number | string | null;
  t1: number | string | null;
  s0: string | null;
  s1: string | Weekday[] | null;
  s2: string | null;
  s3: string | null;
  s4: string | null;
  n0: number | boolean | null;
  n1: number | null;
}

/** Datetimes are stored as epoch ms; tolerate a driver that hands back strings or Dates. */
function toMs(value: number | string | Date): number {
  return typeof value === 'number' ? value : new Date(value).getTime();
}

/** The numbers of an aggregated list; null when no row was aggregated. */
function numbersOf(list: string | number | null): number[] {
  return list === null || list === '' ? [] : String(list).split(',').map(Number);
}

export function calendarOf(rows: readonly CalendarRow[]): Calendar {
  const oneTime: Interval[] = [];
  const busy: Interval[] = [];
  let eventTypeDays: string[] = [];
  let seatGroups: SeatGroup[] = [];
  const recurring = new Map<string, RecurringWindowSpec>();
  const exceptions: CalendarRow[] = [];
  for (const row of rows) {
    if (row.kind === 'one-time') {
      oneTime.push({ start: toMs(row.t0!), end: toMs(row.t1!) });
    } else if (row.kind === 'busy') {
      // One row whatever the count.
      const instants = numbersOf(row.s0);
      for (let i = 0; i + 1 < instants.length; i += 2) busy.push({ start: instants[i]!, end: instants[i + 1]! });
    } else if (row.kind === 'seats') {
      seatGroups = seatGroupsOf(numbersOf(row.s0));
    } else if (row.kind === 'starts') {
      eventTypeDays = row.s0 ? row.s0.split(',') : [];
    } else if (row.kind === 'recurring') {
      recurring.set(row.ref!, {
        rule: {
          frequency: row.s0 as Frequency,
          interval: Number(row.n0),
          weekdays: typeof row.s1 === 'string' ? (JSON.parse(row.s1) as Weekday[]) : row.s1!,
          startTime: Number(row.t0),
          endTime: Number(row.t1),
          startsOn: row.s2!,
          endsOn: row.s3,
          count: row.n1 === null ? null : Number(row.n1),
        },
        lastOccursOn: row.s4,
        exceptions: [],
      });
    } else {
      exceptions.push(row);
    }
  }
  for (const e of exceptions) {
    recurring.get(e.ref!)?.exceptions.push({
      date: e.s0!,
      cancelled: Boolean(e.n0),
      startsAt: e.t0 === null ? null : toMs(e.t0),
      endsAt: e.t1 === null ? null : toMs(e.t1),
    });
  }
  return { availability: { oneTime, recurring: [...recurring.values()] }, busy, eventTypeDays, seatGroups };
}

/** Seats (`start, spanStart, spanEnd` each) grouped by start: one group per start, its seats counted. */
function seatGroupsOf(numbers: readonly number[]): SeatGroup[] {
  const byStart = new Map<number, SeatGroup>();
  for (let i = 0; i + 2 < numbers.length; i += 3) {
    const start = numbers[i]!;
    const group = byStart.get(start);
    if (group) group.taken++;
    else byStart.set(start, { start, span: { start: numbers[i + 1]!, end: numbers[i + 2]! }, taken: 1 });
  }
  return [...byStart.values()];
}