import type { Interval } from '../../scheduling';
import type { OwnerHead } from '../owner/owner.store';
import type { Slot } from './slot.type';

/**
 * Process-wide LRU of computed free slots. A key names everything the slots depend on — the
 * owner, the owner's dataVersion *as read from the database in the current request*, zone, slot
 * length, the kind of slot (`kindKey`: the event type and the policies the list was computed
 * with, empty for Part 1's slots) and range — so an entry can only be served while nothing it was computed from has
 * changed, in this process or any other sharing the database: database triggers bump the
 * version with every change to bookings and availability (Migration20261130141500), whoever
 * writes it. Slots are stored before the `now` cut (callers drop the past ones), frozen and
 * shared by every request they answer.
 */
export class FreeSlotCache {
  private readonly entries = new Map<string, readonly Slot[]>();
  private slotCount = 0;

  constructor(
    /** Upper bound on slots held; what that costs in heap is in bench/results/decisions.md. */
    private readonly maxSlots = 30_000,
  ) {}

  get(owner: OwnerHead, kindKey: string, range: Interval): readonly Slot[] | undefined {
    const key = keyOf(owner, kindKey, range);
    const slots = this.entries.get(key);
    if (!slots) return undefined;
    this.entries.delete(key);
    this.entries.set(key, slots); // most recently used goes last
    return slots;
  }

  set(owner: OwnerHead, kindKey: string, range: Interval, slots: readonly Slot[]): void {
    const key = keyOf(owner, kindKey, range);
    const count = slots.length;
    if (count > this.maxSlots) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.slotCount -= previous.length;
    }
    this.entries.set(key, slots);
    this.slotCount += count;
    for (const [oldest, entry] of this.entries) {
      if (this.slotCount <= this.maxSlots) break;
      this.entries.delete(oldest);
      this.slotCount -= entry.length;
    }
  }
}

function keyOf(owner: OwnerHead, kindKey: string, range: Interval): string {
  return `${owner.id}\u0000${owner.dataVersion}\u0000${owner.timeZone}\u0000${owner.slotMinutes}\u0000${kindKey}\u0000${range.start}\u0000${range.end}`;
}
