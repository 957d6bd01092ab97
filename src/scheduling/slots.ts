import type { FreeSlot, FreeSlotQuery, Interval, SlotPolicy } from './types';
import { seatVerdict, sortedGroups } from './seats';
import { mergeIntervals } from './intervals';
import { expandAvailability } from './availability';
import { formatLocalDate, MS_PER_DAY, MS_PER_MINUTE } from './local-date';
import { localDayBetweenMidnights, localDayOf, wallTimeToInstantOnDay } from './time-zone';

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

const minutesMs = (name: string, minutes: number, min: number): number => wholeNumber(name, minutes, min) * MS_PER_MINUTE;

/** A query's length and policies in milliseconds, checked once per call. */
interface SlotRules {
  lengthMs: number;
  stepMs: number;
  beforeMs: number;
  afterMs: number;
  noticeMs: number;
  /** First instant at which no slot may start; Infinity without a horizon. */
  horizonEnd: number;
  /** Null without a cap. */
  maxPerDay: number | null;
  dayCounts: ReadonlyMap<string, number>;
}

const NO_COUNTS: ReadonlyMap<string, number> = new Map();

function slotRules(q: Omit<FreeSlotQuery, 'range'>): SlotRules {
  const lengthMs = minutesMs('slotMinutes', q.slotMinutes, 1);
  const p: SlotPolicy = q.policy ?? {};
  const maxPerDay = p.maxPerDay ?? null;
  if (maxPerDay !== null) {
    wholeNumber('policy.maxPerDay', maxPerDay, 0);
    if (!q.dayCounts) throw new RangeError('policy.maxPerDay needs dayCounts');
  }
  return {
    lengthMs,
    stepMs: p.stepMinutes == null ? lengthMs : minutesMs('policy.stepMinutes', p.stepMinutes, 1),
    beforeMs: minutesMs('policy.bufferBeforeMinutes', p.bufferBeforeMinutes ?? 0, 0),
    afterMs: minutesMs('policy.bufferAfterMinutes', p.bufferAfterMinutes ?? 0, 0),
    noticeMs: minutesMs('policy.minNoticeMinutes', p.minNoticeMinutes ?? 0, 0),
    horizonEnd: p.horizonDays == null ? Infinity : bookingHorizonEnd(q.now, q.timeZone, p.horizonDays),
    maxPerDay,
    dayCounts: q.dayCounts ?? NO_COUNTS,
  };
}

/**
 * 00:00 in `timeZone` of (the local date of `now`) + horizonDays: the first instant at which a
 * slot may no longer start. Whole local days: across a DST change the horizon is an hour more or
 * less than horizonDays times 24 hours after that midnight.
 */
export function bookingHorizonEnd(now: number, timeZone: string, horizonDays: number): number {
  wholeNumber('horizonDays', horizonDays, 0);
  return wallTimeToInstantOnDay(localDayOf(now, timeZone) + horizonDays, 0, timeZone);
}

/**
 * The span a booking occupies: [startsAt - bufferBefore, endsAt + bufferAfter), with the buffers
 * recorded on that booking (zero without an event type). Busy time is made of these.
 */
export function occupiedSpan(booking: Interval, bufferBeforeMinutes: number, bufferAfterMinutes: number): Interval {
  return {
    start: booking.start - minutesMs('bufferBeforeMinutes', bufferBeforeMinutes, 0),
    end: booking.end + minutesMs('bufferAfterMinutes', bufferAfterMinutes, 0),
  };
}

/**
 * docs/api.md, rules 3 and 9: merge the availability overlapping [from, to), offer a candidate of
 * `slotMinutes` every step from each merged interval's own start (even before `from`), keep those
 * that fit their interval, drop those whose span (with the policy's buffers) overlaps busy time,
 * that start before now + notice or at/after the horizon, or whose local date is full; keep starts
 * in [from, to). One sweep over candidates and sorted busy intervals, which stops at `limit`
 * slots: what one call may produce is bounded, whatever the range.
 */
export function freeSlots(q: FreeSlotQuery): FreeSlot[] {
  const { lengthMs, stepMs, beforeMs, afterMs, noticeMs, horizonEnd, maxPerDay, dayCounts } = slotRules(q);
  const from = q.range.start;
  const to = Math.min(q.range.end, horizonEnd);
  // The horizon drops starts only: intervals beyond it still join the merge, as the contract's
  // merged intervals are those of [from, to).
  const available = mergeIntervals(expandAvailability(q.availability, q.timeZone, q.range));
  // Busy time only matters as a set, so merging keeps the sweep pointer monotone.
  const busy = mergeIntervals(q.busy);
  const earliest = Math.max(from, q.now + noticeMs);
  const limit = q.limit ?? Infinity;
  const slots: FreeSlot[] = [];
  if (limit <= 0) return slots;
  const seats = q.seats ? { perSlot: q.seats.perSlot, groups: sortedGroups(q.seats.groups) } : null;
  // Groups are disjoint and candidates' spans ascend: those ending before a span never matter again.
  let g = 0;
  // The local date of the current candidate and the instant it ends; starts only ascend.
  let dayEnd = -Infinity;
  let dayFull = false;
  let b = 0;
  for (const merged of available) {
    let k = Math.max(0, Math.ceil((earliest - merged.start) / stepMs));
    for (;;) {
      const start = merged.start + k * stepMs;
      const end = start + lengthMs;
      if (start >= to || end > merged.end) break;
      const spanStart = start - beforeMs;
      while (b < busy.length && busy[b]!.end <= spanStart) b++;
      const blocker = busy[b];
      if (blocker && blocker.start < end + afterMs) {
        // Skip straight to the first candidate whose span starts at or after the busy interval ends.
        k = Math.max(k + 1, Math.ceil((blocker.end + beforeMs - merged.start) / stepMs));
        continue;
      }
      if (maxPerDay !== null) {
        if (start >= dayEnd) {
          const day = localDayBetweenMidnights(start, q.timeZone);
          dayEnd = wallTimeToInstantOnDay(day + 1, 0, q.timeZone);
          dayFull = (dayCounts.get(formatLocalDate(day)) ?? 0) >= maxPerDay;
        }
        if (dayFull) {
          k = Math.max(k + 1, Math.ceil((dayEnd - merged.start) / stepMs));
          continue;
        }
      }
      if (seats) {
        while (g < seats.groups.length && seats.groups[g]!.span.end <= spanStart) g++;
        const verdict = seatVerdict(seats.groups, seats.perSlot, start, { start: spanStart, end: end + afterMs }, g);
        if (verdict.kind !== 'free') {
          k++;
          continue;
        }
        slots.push({ start, end, seatsLeft: verdict.seatsLeft });
      } else {
        slots.push({ start, end });
      }
      if (slots.length === limit) return slots;
      k++;
    }
  }
  return slots;
}

/** The question isBookableStart answers: a query without its range, a start, and the longest range allowed. */
export type BookableStartQuery = Omit<FreeSlotQuery, 'range'> & { start: number; maxRangeMs: number };

/**
 * Why a start cannot be booked, checked in this order; `taken`: its span overlaps busy time (or
 * another group's seats); `full`: every seat of that start of a group event is taken.
 */
export type UnbookableReason = 'past' | 'notice' | 'horizon' | 'unavailable' | 'dayFull' | 'taken' | 'full';

/**
 * True iff some valid freeSlots query — a range [a, b) with a <= start < b and b - a <= maxRangeMs,
 * with the same policy, busy time and counts — would list a slot starting at `start`.
 */
export function isBookableStart(q: BookableStartQuery): boolean {
  return unbookableReason(q) === null;
}

/**
 * Null when isBookableStart holds, else the first rule (in UnbookableReason's order) that refuses
 * `start`. With the contract's merge rule the slot grid can depend on the range (an earlier `from`
 * can pull in touching intervals and move the cut's origin), and a booking must succeed for every
 * slot a client may have been shown; the policies drop starts whatever the range.
 */
export function unbookableReason(q: BookableStartQuery): UnbookableReason | null {
  const { start, availability, timeZone, maxRangeMs } = q;
  const rules = slotRules(q);
  const slotEnd = start + rules.lengthMs;
  if (start < q.now) return 'past';
  if (start < q.now + rules.noticeMs) return 'notice';
  if (start >= rules.horizonEnd) return 'horizon';
  if (!isOnSomeGrid(availability, timeZone, start, slotEnd, rules.stepMs, maxRangeMs)) return 'unavailable';
  if (rules.maxPerDay !== null) {
    const count = rules.dayCounts.get(formatLocalDate(localDayBetweenMidnights(start, timeZone))) ?? 0;
    if (count >= rules.maxPerDay) return 'dayFull';
  }
  const spanStart = start - rules.beforeMs;
  const spanEnd = slotEnd + rules.afterMs;
  if (q.busy.some((busy) => busy.start < spanEnd && spanStart < busy.end)) return 'taken';
  if (q.seats) {
    const verdict = seatVerdict(sortedGroups(q.seats.groups), q.seats.perSlot, start, { start: spanStart, end: spanEnd });
    if (verdict.kind !== 'free') return verdict.kind;
  }
  return null;
}

/**
 * Whether some range [a, b) with a <= start < b and b - a <= maxRangeMs merges a component that
 * holds [start, slotEnd) and whose start lies a whole number of steps before `start`.
 */
function isOnSomeGrid(
  availability: FreeSlotQuery['availability'],
  timeZone: string,
  start: number,
  slotEnd: number,
  stepMs: number,
  maxRangeMs: number,
): boolean {
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
  const onGrid = (o: number): boolean => (start - o) % stepMs === 0;
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
