/**
 * Team slots (docs/api.md, Part 3, 36-37) from the members' own free slots, each list ascending
 * by start (epoch ms, read with `startOf`). Members of one team event type cut slots of the same
 * length, so a start names one slot.
 */

/** Round robin: every start free for at least one member, once (the first member's slot), ascending. */
export function anyMemberFree<T>(lists: ReadonlyArray<readonly T[]>, startOf: (slot: T) => number): T[] {
  const byStart = new Map<number, T>();
  for (const list of lists) {
    for (const slot of list) {
      const start = startOf(slot);
      if (!byStart.has(start)) byStart.set(start, slot);
    }
  }
  return [...byStart.entries()].sort((a, b) => a[0] - b[0]).map(([, slot]) => slot);
}

/** Collective: the starts free for every member, ascending; no members, no slots. */
export function everyMemberFree<T>(lists: ReadonlyArray<readonly T[]>, startOf: (slot: T) => number): T[] {
  const [first, ...rest] = lists;
  if (!first) return [];
  const sets = rest.map((list) => new Set(list.map(startOf)));
  return first.filter((slot) => sets.every((starts) => starts.has(startOf(slot))));
}
