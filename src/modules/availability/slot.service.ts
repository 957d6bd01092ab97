import type { RequestContext } from '../../common/context';
import { MAX_RANGE_MS, requireRange } from '../../common/grid';
import { freeSlots, isBookableStart, type Availability, type Interval } from '../../scheduling';
import { Booking, BookingStatus } from '../booking/booking.entity';
import type { Owner } from '../owner/owner.entity';
import { ruleOf } from './availability.service';
import { OneTimeWindow, RecurringWindow } from './window.entity';
import type { Slot } from './slot.type';

export type Unbookable = 'in the past' | 'outside availability or off the slot grid' | 'already booked';

/** Feeds the pure slot engine from the database: availability, busy time and the app clock. */
export class SlotService {
  constructor(private readonly ctx: RequestContext) {}

  async freeSlots(owner: Owner, from: Date, to: Date): Promise<Slot[]> {
    requireRange(from, to);
    const range = { start: from.getTime(), end: to.getTime() };
    const slotMs = owner.slotMinutes * 60_000;
    const [availability, busy] = await Promise.all([
      this.loadAvailability(owner, range),
      this.loadBusy(owner, { start: range.start, end: range.end + slotMs }),
    ]);
    const slots = freeSlots({ availability, timeZone: owner.timeZone, slotMinutes: owner.slotMinutes, busy, now: this.ctx.now().getTime(), range });
    return slots.map((s) => ({ startsAt: new Date(s.start), endsAt: new Date(s.end) }));
  }

  /** Why `start` cannot be booked now, or null when some freeSlots query would list it. */
  async whyUnbookable(owner: Owner, start: Date, ignoreBookingId?: string): Promise<Unbookable | null> {
    const startMs = start.getTime();
    const now = this.ctx.now().getTime();
    if (startMs < now) return 'in the past';
    const slotMs = owner.slotMinutes * 60_000;
    const [availability, busy] = await Promise.all([
      this.loadAvailability(owner, { start: startMs - MAX_RANGE_MS, end: startMs + slotMs }),
      this.loadBusy(owner, { start: startMs, end: startMs + slotMs }, ignoreBookingId),
    ]);
    const query = { availability, timeZone: owner.timeZone, slotMinutes: owner.slotMinutes, now, start: startMs, maxRangeMs: MAX_RANGE_MS };
    if (!isBookableStart({ ...query, busy: [] })) return 'outside availability or off the slot grid';
    if (!isBookableStart({ ...query, busy })) return 'already booked';
    return null;
  }

  private async loadAvailability(owner: Owner, range: Interval): Promise<Availability> {
    const em = this.ctx.em;
    const [oneTime, recurring] = await Promise.all([
      em.find(
        OneTimeWindow,
        { owner: owner.id, endsAt: { $gt: new Date(range.start) }, startsAt: { $lt: new Date(range.end) } },
        { fields: ['startsAt', 'endsAt'] },
      ),
      em.find(RecurringWindow, { owner: owner.id }, { populate: ['exceptions'] }),
    ]);
    return {
      oneTime: oneTime.map((w) => ({ start: w.startsAt.getTime(), end: w.endsAt.getTime() })),
      recurring: recurring.map((w) => ({
        rule: ruleOf(w),
        lastOccursOn: w.lastOccursOn,
        exceptions: w.exceptions.getItems().map((e) => ({
          date: e.date,
          cancelled: e.cancelled,
          startsAt: e.startsAt?.getTime() ?? null,
          endsAt: e.endsAt?.getTime() ?? null,
        })),
      })),
    };
  }

  /** Bookings that are not cancelled and overlap `range`; a booking lasts at most 1440 minutes. */
  private async loadBusy(owner: Owner, range: Interval, ignoreBookingId?: string): Promise<Interval[]> {
    const rows = await this.ctx.em.find(
      Booking,
      {
        owner: owner.id,
        status: { $ne: BookingStatus.CANCELLED },
        startsAt: { $gte: new Date(range.start - 1440 * 60_000), $lt: new Date(range.end) },
        endsAt: { $gt: new Date(range.start) },
        ...(ignoreBookingId ? { id: { $ne: ignoreBookingId } } : {}),
      },
      { fields: ['startsAt', 'endsAt'] },
    );
    return rows.map((b) => ({ start: b.startsAt.getTime(), end: b.endsAt.getTime() }));
  }
}
