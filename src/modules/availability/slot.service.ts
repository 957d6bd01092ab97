import type { Dialect } from '../../db/dialect';
import type { RequestContext } from '../context';
import { badInput } from '../../shared/errors';
import { MAX_RANGE_MS, requireRange } from '../../shared/grid';
import { freeSlots, isBookableStart, type Availability, type Frequency, type Interval, type RecurringWindowSpec, type Weekday } from '../../scheduling';
import type { OwnerHead } from '../owner/owner-heads';
import { FreeSlotCache } from './slot-cache';
import { FormattedInstant, type Slot } from './slot.type';

/** Why a start cannot be booked: the rules' answer, for services to branch on. */
export type Unbookable = 'past' | 'unavailable' | 'taken';

const UNBOOKABLE_MESSAGES: Record<Unbookable, string> = {
  past: 'in the past',
  unavailable: 'outside availability or off the slot grid',
  taken: 'already booked',
};

/** The words a client reads after "… is not a free slot: ". */
export function describeUnbookable(reason: Unbookable): string {
  return UNBOOKABLE_MESSAGES[reason];
}

interface Calendar {
  availability: Availability;
  busy: Interval[];
}

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

/** Free slots one request may return over all its freeSlots fields unless GRAPHQL_MAX_FREE_SLOTS says otherwise. */
export const DEFAULT_MAX_FREE_SLOTS = 10_000;

/** Feeds the pure slot engine from the database: availability, busy time and the app clock. */
export class SlotService {
  constructor(private readonly ctx: RequestContext) {}

  /**
   * Computed slots are cached under the owner's dataVersion as loaded in this request: every
   * booking and availability change bumps it in the transaction that makes the change, so a
   * version read now names exactly the data the entry was computed from, across processes.
   */
  async freeSlots(owner: OwnerHead, from: Date, to: Date): Promise<Slot[]> {
    requireRange(from, to);
    const range = { start: from.getTime(), end: to.getTime() };
    const key = FreeSlotCache.key(owner.id, owner.dataVersion, owner.timeZone, owner.slotMinutes, range.start, range.end);
    let slots = this.ctx.slotCache.get(key);
    if (!slots) {
      const slotMs = owner.slotMinutes * 60_000;
      const { availability, busy } = await this.loadCalendar(owner.id, range, { start: range.start, end: range.end + slotMs });
      // Computed from `from` rather than now, so one entry serves every later request; the past is
      // cut below. One slot past the budget tells that the range holds more than it allows.
      const limit = this.ctx.freeSlotsLeft + 1;
      const computed = freeSlots({ availability, timeZone: owner.timeZone, slotMinutes: owner.slotMinutes, busy, now: range.start, range, limit });
      slots = computed.map((s) => Object.freeze({ startsAt: new FormattedInstant(s.start), endsAt: new FormattedInstant(s.end) }));
      // Only a complete list may answer later requests.
      if (computed.length < limit) this.ctx.slotCache.set(key, slots);
    }
    const upcoming = slots.slice(firstStartAtOrAfter(slots, this.ctx.now().getTime()));
    this.spendFreeSlots(upcoming.length);
    return upcoming;
  }

  /** Counts `count` slots against the request's budget (GRAPHQL_MAX_FREE_SLOTS); refuses the request past it. */
  private spendFreeSlots(count: number): void {
    if (count > this.ctx.freeSlotsLeft) {
      throw badInput('to', 'asks for more free slots than one request may return (GRAPHQL_MAX_FREE_SLOTS); ask for a shorter range');
    }
    this.ctx.freeSlotsLeft -= count;
  }

  /** Why `start` cannot be booked now, or null when some freeSlots query would list it. Never cached: it guards writes. */
  async whyUnbookable(owner: OwnerHead, start: Date, ignoreBookingId?: string): Promise<Unbookable | null> {
    const startMs = start.getTime();
    const now = this.ctx.now().getTime();
    if (startMs < now) return 'past';
    const slotMs = owner.slotMinutes * 60_000;
    const { availability, busy } = await this.loadCalendar(
      owner.id,
      { start: startMs - MAX_RANGE_MS, end: startMs + slotMs },
      { start: startMs, end: startMs + slotMs },
      ignoreBookingId,
    );
    const query = { availability, timeZone: owner.timeZone, slotMinutes: owner.slotMinutes, now, start: startMs, maxRangeMs: MAX_RANGE_MS };
    if (!isBookableStart({ ...query, busy: [] })) return 'unavailable';
    if (!isBookableStart({ ...query, busy })) return 'taken';
    return null;
  }

  private async loadCalendar(ownerId: string, availabilityRange: Interval, busyRange: Interval, ignoreBookingId = ''): Promise<Calendar> {
    const dialect = this.ctx.dialect;
    const at = INSTANT_PARAM[dialect];
    const rows = await this.ctx.reads.all<CalendarRow>(CALENDAR_SQL[dialect], [
      ownerId, at(availabilityRange.start), at(availabilityRange.end),
      ownerId,
      ownerId,
      ownerId, at(busyRange.start - 1440 * 60_000), at(busyRange.end), at(busyRange.start), ignoreBookingId,
    ]);
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
}

/** Index of the first slot starting at or after `now`; starts ascend. */
function firstStartAtOrAfter(slots: readonly Slot[], now: number): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (slots[mid]!.startsAt.getTime() < now) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
