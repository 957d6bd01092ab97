import type { EntityManager } from '@mikro-orm/knex';
import type { Interval, RecurrenceRule } from '../../scheduling';
import type { StoreDeps } from '../stores';
import type { Owner } from '../owner/owner.entity';
import type { OwnerHead } from '../owner/owner.store';
import type { Slot } from '../slot/slot.type';
import { busyOverlapParams } from '../calendar-source/busy-interval.store';
import { calendarOf, calendarStatement, INSTANT_PARAM, MAX_BOOKING_MS, MAX_BUFFER_MS, type Calendar, type CalendarQuery, type CalendarRow } from './calendar-read';
import { OneTimeWindow, RecurringWindow, WindowException } from './window.entity';

export type { CalendarQuery } from './calendar-read';

/** A recurring window's rule as stored, with the bound derived from it. */
type StoredRule = RecurrenceRule & { lastOccursOn: string | null };

/** What an exception changes of its date's occurrence. */
export type OccurrenceChange = Pick<WindowException, 'cancelled' | 'startsAt' | 'endsAt'>;


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
   * The owner's calendar as committed now, in one statement (one snapshot): what `query` asks
   * for, without `query.ignoreBookingId`. Over the hot read connection.
   */
  async read(ownerId: string, query: CalendarQuery): Promise<Calendar> {
    const dialect = this.deps.dialect;
    const at = INSTANT_PARAM[dialect];
    const ignore = query.ignoreBookingId ?? '';
    const { availability, busy, startsOf, seatsOf } = query;
    const params = [
      ownerId, at(availability.start), at(availability.end),
      ownerId,
      ownerId,
      // An occupied span reaches at most a buffer before its start and a booking plus a buffer after it.
      ownerId, at(busy.start - MAX_BOOKING_MS - MAX_BUFFER_MS), at(busy.end + MAX_BUFFER_MS), at(busy.end), at(busy.start), ignore, seatsOf ?? '',
      // Collective team bookings of other owners that occupy this owner's time too (booking_host, docs/api.md, Part 3, 37).
      ownerId, ownerId, at(busy.start - MAX_BOOKING_MS - MAX_BUFFER_MS), at(busy.end + MAX_BUFFER_MS), at(busy.end), at(busy.start), ignore,
      ...busyOverlapParams(ownerId, busy, at).flat(),
    ];
    if (startsOf) params.push(startsOf.eventTypeId, at(startsOf.range.start), at(startsOf.range.end), ignore);
    if (seatsOf) params.push(ownerId, seatsOf, at(busy.start - MAX_BOOKING_MS - MAX_BUFFER_MS), at(busy.end + MAX_BUFFER_MS), at(busy.end), at(busy.start), ignore);
    const rows = await this.deps.reads.all<CalendarRow>(calendarStatement(dialect, Boolean(startsOf), Boolean(seatsOf)), params);
    return calendarOf(rows);
  }

  /**
   * Free slots computed earlier from exactly this head (data version, zone, slot length), kind of
   * slot (`kindKey`) and range, shared by every request of the app. Database triggers bump the
   * version with every change to bookings, availability and event types, so an entry can only
   * answer while its data is current.
   */
  cachedSlots(owner: OwnerHead, kindKey: string, range: Interval): readonly Slot[] | undefined {
    return this.deps.slotCache.get(owner, kindKey, range);
  }

  /** Keeps a complete, frozen list of `owner`'s free slots of `kindKey` in `range` for later requests. */
  cacheSlots(owner: OwnerHead, kindKey: string, range: Interval, slots: readonly Slot[]): void {
    this.deps.slotCache.set(owner, kindKey, range, slots);
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
