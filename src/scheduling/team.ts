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

/** A member free for a start, as round robin ranks it (docs/api.md, Part 3, 36 and its details). */
export interface RoundRobinCandidate {
  ownerId: string;
  /** 0..4, higher first. */
  priority: number;
  /** 1..100. */
  weight: number;
  /** Its bookings of the event type that are not CANCELLED and start in the current UTC calendar month. */
  bookingsThisMonth: number;
  /** When its latest booking of the event type that is not CANCELLED was made (epoch ms); null: never booked. */
  lastBookedAt: number | null;
}

/**
 * Round robin's order (docs/api.md, Part 3, 36): the highest priority; then the fewest bookings
 * this month divided by weight (compared cross-multiplied, so no rounding); then the least
 * recently booked, a member never booked first; then the lowest id in plain string order.
 */
export function rankRoundRobin<T extends RoundRobinCandidate>(candidates: readonly T[]): T[] {
  return [...candidates].sort(
    (a, b) =>
      b.priority - a.priority ||
      a.bookingsThisMonth * b.weight - b.bookingsThisMonth * a.weight ||
      (a.lastBookedAt ?? -Infinity) - (b.lastBookedAt ?? -Infinity) ||
      (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0),
  );
}

/** The first instant of the UTC calendar month holding `now`, and of the next one. */
export function utcMonthOf(now: number): { start: number; end: number } {
  const d = new Date(now);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}
