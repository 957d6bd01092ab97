import type { RequestContext } from '../context';
import { badInput } from '../../shared/errors';
import { MAX_RANGE_MS, requireRange } from '../../shared/grid';
import { freeSlots, isBookableStart } from '../../scheduling';
import { OwnerService } from '../owner/owner.service';
import type { OwnerHead } from '../owner/owner.store';
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

/** Free slots one request may return over all its freeSlots fields unless GRAPHQL_MAX_FREE_SLOTS says otherwise. */
export const DEFAULT_MAX_FREE_SLOTS = 10_000;

/** Feeds the pure slot engine from the database: availability, busy time and the app clock. */
export class SlotService {
  constructor(private readonly ctx: RequestContext) {}

  /** Free slots of the owner with that id; NOT_FOUND (naming ownerId) when there is none. */
  async freeSlotsOfOwner(ownerId: string, from: Date, to: Date): Promise<Slot[]> {
    const owner = await new OwnerService(this.ctx).getOwnerHead(ownerId);
    return this.freeSlots(owner, from, to);
  }

  /**
   * Computed slots are cached under the owner's dataVersion as loaded in this request: every
   * booking and availability change bumps it in the transaction that makes the change, so a
   * version read now names exactly the data the entry was computed from, across processes.
   */
  async freeSlots(owner: OwnerHead, from: Date, to: Date): Promise<Slot[]> {
    requireRange(from, to);
    const range = { start: from.getTime(), end: to.getTime() };
    const calendar = this.ctx.stores.calendar;
    let slots = calendar.cachedSlots(owner, range);
    if (!slots) {
      const slotMs = owner.slotMinutes * 60_000;
      const { availability, busy } = await calendar.read(owner.id, range, { start: range.start, end: range.end + slotMs });
      // Computed from `from` rather than now, so one entry serves every later request; the past is
      // cut below. One slot past the budget tells that the range holds more than it allows.
      const limit = this.ctx.freeSlotsLeft + 1;
      const computed = freeSlots({ availability, timeZone: owner.timeZone, slotMinutes: owner.slotMinutes, busy, now: range.start, range, limit });
      slots = computed.map((s) => Object.freeze({ startsAt: new FormattedInstant(s.start), endsAt: new FormattedInstant(s.end) }));
      // Only a complete list may answer later requests.
      if (computed.length < limit) calendar.cacheSlots(owner, range, slots);
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
    const { availability, busy } = await this.ctx.stores.calendar.read(
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
