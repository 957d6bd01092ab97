import type { FreeSlotQuery, Interval } from './types';
import { mergeIntervals } from './intervals';
import { expandAvailability } from './availability';
import { MS_PER_DAY, MS_PER_MINUTE } from './local-date';

function slotLengthMs(slotMinutes: number): number {
  if (!Number.isInteger(slotMinutes) || slotMinutes < 1) {
    throw new RangeError(`slotMinutes must be a positive integer, got ${slotMinutes}`);
  }
  return slotMinutes * MS_PER_MINUTE;
}

/**
 * Contract Semantics 3: merge the availability overlapping [from, to), cut each merged interval
 * from its own start (even before `from`) into whole slots, drop slots that overlap busy time or
 * start before `now`, keep starts in [from, to). One sweep over slots and sorted busy intervals,
 * which stops at `limit` slots: what one call may produce is bounded, whatever the range.
 */
export function freeSlots(q: FreeSlotQuery): Interval[] {
  const step = slotLengthMs(q.slotMinutes);
  const { start: from, end: to } = q.range;
  const available = mergeIntervals(expandAvailability(q.availability, q.timeZone, q.range));
  // Busy time only matters as a set, so merging keeps the sweep pointer monotone.
  const busy = mergeIntervals(q.busy);
  const earliest = Math.max(from, q.now);
  const limit = q.limit ?? Infinity;
  const slots: Interval[] = [];
  if (limit <= 0) return slots;
  let b = 0;
  for (const merged of available) {
    let k = Math.max(0, Math.ceil((earliest - merged.start) / step));
    for (;;) {
      const start = merged.start + k * step;
      const end = start + step;
      if (start >= to || end > merged.end) break;
      while (b < busy.length && busy[b]!.end <= start) b++;
      const blocker = busy[b];
      if (blocker && blocker.start < end) {
        // Skip straight to the first grid slot starting at or after the busy interval ends.
        k = Math.max(k + 1, Math.ceil((blocker.end - merged.start) / step));
        continue;
      }
      slots.push({ start, end });
      if (slots.length === limit) return slots;
      k++;
    }
  }
  return slots;
}

/**
 * True iff some valid freeSlots query — a range [a, b) with a <= start < b and b - a <= maxRangeMs —
 * would list a slot starting at `start`. With the contract's merge rule the slot grid can depend
 * on the range (an earlier `from` can pull in touching intervals and move the cut's origin), and
 * a booking must succeed for every slot a client may have been shown.
 */
export function isBookableStart(
  q: Omit<FreeSlotQuery, 'range'> & { start: number; maxRangeMs: number },
): boolean {
  const { start, availability, timeZone, maxRangeMs } = q;
  const step = slotLengthMs(q.slotMinutes);
  const slotEnd = start + step;
  if (start < q.now) return false;
  if (q.busy.some((busy) => busy.start < slotEnd && start < busy.end)) return false;

  // Right side, independent of `a`: the component must reach slotEnd. Find the smallest `b`
  // for which it does, to leave the most room for `a`.
  let origin = Infinity;
  let reach = -Infinity;
  const right = expandAvailability(availability, timeZone, { start, end: slotEnd });
  for (const i of right) {
    if (i.start <= start && i.end > start) {
      origin = Math.min(origin, i.start);
      reach = Math.max(reach, i.end);
    }
  }
  if (origin === Infinity) return false;
  let rangeEnd = start + 1;
  for (const i of right) {
    if (reach >= slotEnd || i.start > reach) break;
    if (i.start <= start) continue;
    reach = Math.max(reach, i.end);
    rangeEnd = i.start + 1;
  }
  if (reach < slotEnd) return false;

  const lowestFrom = rangeEnd - maxRangeMs;
  if (lowestFrom > start) return false;
  const onGrid = (o: number): boolean => (start - o) % step === 0;
  if (onGrid(origin)) return true;

  // Left side: as `a` decreases, intervals ending in (a, start] join in order of end descending
  // while they touch the component; each new origin is a candidate grid. Expand lazily.
  let lo = Math.max(lowestFrom, start - 2 * MS_PER_DAY);
  for (;;) {
    const left = expandAvailability(availability, timeZone, { start: lo, end: start })
      .filter((i) => i.end <= start)
      .sort((x, y) => y.end - x.end);
    let o = origin;
    let chainBroken = false;
    for (const i of left) {
      if (i.end < o) {
        chainBroken = true;
        break;
      }
      if (i.start < o) {
        o = i.start;
        if (onGrid(o)) return true;
      }
    }
    // Unseen intervals end at or before lo; they can only join if the component reaches lo.
    if (chainBroken || o > lo || lo <= lowestFrom) return false;
    lo = Math.max(lowestFrom, start - 2 * (start - lo));
  }
}
