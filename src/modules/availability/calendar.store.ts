import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../../db/dialect';
import type { Availability, Frequency, Interval, RecurrenceRule, RecurringWindowSpec, Weekday } from '../../scheduling';
import type { StoreDeps } from '../stores';
import type { Owner } from '../owner/owner.entity';
import type { OwnerHead } from '../owner/owner.store';
import type { Slot } from './slot.type';
import { OneTimeWindow, RecurringWindow, WindowException } from './window.entity';

/** What the slot engine reads of one owner: availability and busy time. */
interface Calendar {
  availability: Availability;
  busy: Interval[];
}

/** A recurring window's rule as stored, with the bound derived from it. */
type StoredRule = RecurrenceRule & { lastOccursOn: string | null };

/** What an exception changes of its date's occurrence. */
export type OccurrenceChange = Pick<WindowException, 'cancelled' | 'startsAt' | 'endsAt'>;

/**
 * Everything the engine needs about one owner in one statement: one-time windows overlapping
 * the availability range, recurring windows, their exceptions, and live bookings overlapping
 * the busy range (a booking lasts at most 1440 minutes). One round trip instead of four and no
 * entity hydration: this runs on every freeSlots miss and every bookSlot. Each branch is an
 * index search (tests/performance/query-plans.test.ts). Instants come back as epoch ms: SQLite
 * stores them so, PostgreSQL converts its timestamptz (UNION needs one type per column there).
 * The bookings, which can be thousands in a month, come back as one row holding one string
 * (`start,end,start,end,…`): the driver builds a JavaScript value per column of every row on
 * the main thread, and eleven columns per booking cost several times what SQLite's own work did.
 */
function calendarSql(dialect: Dialect): string {
  const ms = (column: string) => (dialect === 'postgresql' ? `(extract(epoch from ${column}) * 1000)::float8` : column);
  const busyList =
    dialect === 'postgresql'
      ? `string_agg((extract(epoch from starts_at) * 1000)::bigint || ',' || (extract(epoch from ends_at) * 1000)::bigint, ',')`
      : `group_concat(starts_at || ',' || ends_at, ',')`;
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
select 'busy', null, null, null, ${busyList}, null, null, null, null, null, null
  from booking where owner_id = ? and status <> 'CANCELLED' and starts_at >= ? and starts_at < ? and ends_at > ? and id <> ?`;
}

const CALENDAR_SQL: Record<Dialect, string> = { sqlite: calendarSql('sqlite'), postgresql: calendarSql('postgresql') };

/** How an instant is bound in that SQL: SQLite compares epoch ms, PostgreSQL a timestamptz. */
const INSTANT_PARAM: Record<Dialect, (ms: number) => number | Date> = { sqlite: (ms) => ms, postgresql: (ms) => new Date(ms) };

interface CalendarRow {
  kind: 'one-time' | 'recurring' | 'exception' | 'busy';
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

function calendarOf(rows: readonly CalendarRow[]): Calendar {
  const oneTime: Interval[] = [];
  const busy: Interval[] = [];
  const recurring = new Map<string, RecurringWindowSpec>();
  const exceptions: CalendarRow[] = [];
  for (const row of rows) {
    if (row.kind === 'one-time') {
      oneTime.push({ start: toMs(row.t0!), end: toMs(row.t1!) });
    } else if (row.kind === 'busy') {
      // One row whatever the count; null when no booking overlaps.
      const instants = row.s0 ? row.s0.split(',') : [];
      for (let i = 0; i + 1 < instants.length; i += 2) busy.push({ start: Number(instants[i]), end: Number(instants[i + 1]) });
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
  return { availability: { oneTime, recurring: [...recurring.values()] }, busy };
}

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/** Availability: windows, exceptions, and the calendar the slot engine reads (windows plus busy time) in one statement. */
export class CalendarStore {
  constructor(private readonly deps: StoreDeps) {}

  private get em(): EntityManager {
    return this.deps.em();
  }

  /**
   * The owner's calendar as committed now: availability overlapping `availabilityRange`, live
   * bookings overlapping `busyRange` except `ignoreBookingId`. Over the hot read connection.
   */
  async read(ownerId: string, availabilityRange: Interval, busyRange: Interval, ignoreBookingId = ''): Promise<Calendar> {
    const dialect = this.deps.dialect;
    const at = INSTANT_PARAM[dialect];
    const rows = await this.deps.reads.all<CalendarRow>(CALENDAR_SQL[dialect], [
      ownerId, at(availabilityRange.start), at(availabilityRange.end),
      ownerId,
      ownerId,
      ownerId, at(busyRange.start - 1440 * 60_000), at(busyRange.end), at(busyRange.start), ignoreBookingId,
    ]);
    return calendarOf(rows);
  }

  /**
   * Free slots computed earlier from exactly this head (data version, zone, slot length) and
   * range, shared by every request of the app. Database triggers bump the version with every
   * change to bookings and availability, so an entry can only answer while its data is current.
   */
  cachedSlots(owner: OwnerHead, range: Interval): readonly Slot[] | undefined {
    return this.deps.slotCache.get(owner, range);
  }

  /** Keeps a complete, frozen list of `owner`'s free slots in `range` for later requests. */
  cacheSlots(owner: OwnerHead, range: Interval, slots: readonly Slot[]): void {
    this.deps.slotCache.set(owner, range, slots);
  }

  /** Each owner's windows, one-time then recurring, each kind in start order. */
  async windowsOfOwners(ownerIds: readonly string[]): Promise<Array<Array<OneTimeWindow | RecurringWindow>>> {
    const [oneTime, recurring] = await Promise.all([
      this.em.find(OneTimeWindow, { owner: { $in: [...ownerIds] } }, { orderBy: { startsAt: 'asc', id: 'asc' } }),
      this.em.find(RecurringWindow, { owner: { $in: [...ownerIds] } }, { orderBy: { startsOn: 'asc', id: 'asc' } }),
    ]);
    const rows: Array<OneTimeWindow | RecurringWindow> = [...oneTime, ...recurring];
    return groupBy(ownerIds, rows, (w) => w.owner.id);
  }

  /** Each window's exceptions by date. */
  async exceptionsOfWindows(windowIds: readonly string[]): Promise<WindowException[][]> {
    const rows = await this.em.find(WindowException, { window: { $in: [...windowIds] } }, { orderBy: { date: 'asc' } });
    return groupBy(windowIds, rows, (e) => e.window.id);
  }

  findOneTimeWindow(id: string): Promise<OneTimeWindow | null> {
    return this.em.findOne(OneTimeWindow, { id });
  }

  findRecurringWindow(id: string): Promise<RecurringWindow | null> {
    return this.em.findOne(RecurringWindow, { id });
  }

  async addOneTimeWindow(owner: Owner, startsAt: Date, endsAt: Date): Promise<OneTimeWindow> {
    const window = this.em.create(OneTimeWindow, { owner, startsAt, endsAt });
    await this.em.flush();
    return window;
  }

  async addRecurringWindow(owner: Owner, rule: StoredRule): Promise<RecurringWindow> {
    const window = this.em.create(RecurringWindow, { owner, ...rule });
    await this.em.flush();
    return window;
  }

  async updateRecurringWindow(window: RecurringWindow, rule: StoredRule): Promise<void> {
    Object.assign(window, rule);
    await this.em.flush();
  }

  /** Removes a window; a recurring window's exceptions go with it. */
  async removeWindow(window: OneTimeWindow | RecurringWindow): Promise<void> {
    this.em.remove(window);
    await this.em.flush();
  }

  /** Records that date's change of the window's occurrence, replacing any earlier one. */
  async setException(window: RecurringWindow, date: string, change: OccurrenceChange): Promise<void> {
    const existing = await this.em.findOne(WindowException, { window, date });
    if (existing) Object.assign(existing, change);
    else this.em.create(WindowException, { window, date, ...change });
    await this.em.flush();
  }

  /** Forgets that date's change of the window's occurrence, if any. */
  async removeException(window: RecurringWindow, date: string): Promise<void> {
    const existing = await this.em.findOne(WindowException, { window, date });
    if (existing) {
      this.em.remove(existing);
      await this.em.flush();
    }
  }
}
