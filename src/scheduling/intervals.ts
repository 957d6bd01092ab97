import type { Interval } from './types';

export const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

/** Sorted union of the intervals: overlapping AND touching ones are merged. Input is not mutated. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last.end) {
      if (end > last.end) last.end = end;
    } else {
      out.push({ start, end });
    }
  }
  return out;
}

/*
 * intersect and subtract take any lists (unsorted, overlapping, empty intervals) and normalise
 * them with mergeIntervals first, so callers need not know whether a list is already merged;
 * sorting an already sorted array is linear. Both then walk the two lists once, two pointers.
 */

/** The instants in both `a` and `b`, as a merged sorted list (touching results merged too). */
export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const left = mergeIntervals(a);
  const right = mergeIntervals(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const x = left[i]!;
    const y = right[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    // The one that ends first cannot meet anything further on the other list.
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** The instants of `from` not in any of `remove`, as a merged sorted list. */
export function subtract(from: Interval[], remove: Interval[]): Interval[] {
  const kept = mergeIntervals(from);
  const cuts = mergeIntervals(remove);
  const out: Interval[] = [];
  let j = 0;
  for (const interval of kept) {
    let start = interval.start;
    // Cuts ending at or before this interval's start cannot touch it or any later one.
    while (j < cuts.length && cuts[j]!.end <= start) j++;
    let k = j;
    while (k < cuts.length && cuts[k]!.start < interval.end) {
      const cut = cuts[k]!;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
      k++;
    }
    if (start < interval.end) out.push({ start, end: interval.end });
  }
  return out;
}
