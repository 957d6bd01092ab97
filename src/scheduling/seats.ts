/**
 * Seats of a group event (docs/api.md, Part 3, 38): up to `perSlot` invitees book one start of
 * the event type, each with their own booking. A group is the live seats of one start; its
 * occupied span is the one every seat of it records (the database refuses a seat whose span
 * differs). The group's span is busy time for everything but another seat of that very start.
 */
import type { Interval } from './types';

/** The live seats of one start of the event type asked about. */
export interface SeatGroup {
  start: number;
  /** The occupied span its seats record: [start − bufferBefore, end + bufferAfter). */
  span: Interval;
  /** Live bookings in it, at least 1. */
  taken: number;
}

/** What a group event's slot query knows of its seats. */
export interface SeatQuery {
  /** The event type's seatsPerSlot now. */
  perSlot: number;
  /**
   * Its live groups near the range, in any order, their bookings left out of the query's busy
   * time. The database keeps groups of one event type from overlapping (booking_cell).
   */
  groups: readonly SeatGroup[];
}

/** A candidate start with its span: free with `seatsLeft` seats, taken by other time, or full. */
export type SeatVerdict = { kind: 'free'; seatsLeft: number } | { kind: 'taken' } | { kind: 'full' };

/** The groups ordered by span start, as seatVerdict takes them. */
export function sortedGroups(groups: readonly SeatGroup[]): SeatGroup[] {
  return [...groups].sort((a, b) => a.span.start - b.span.start);
}

/**
 * Whether a seat of `start`, whose span is `span`, can be taken among `groups` (sorted by span
 * start, disjoint): free when no group's span overlaps it (a new group: every seat left), or when
 * the one group overlapping it is this start's with the same span and seats left; `taken` when
 * another group's span (another start, another length or buffers) overlaps it; `full` when this
 * start's group holds `perSlot` seats or more (seatsPerSlot may have been lowered since).
 * `from`: the first group that may overlap (a sweep's position); those before it end before `span`.
 */
export function seatVerdict(groups: readonly SeatGroup[], perSlot: number, start: number, span: Interval, from = 0): SeatVerdict {
  let own: SeatGroup | null = null;
  for (let i = from; i < groups.length; i++) {
    const group = groups[i]!;
    if (group.span.start >= span.end) break;
    if (group.span.end <= span.start) continue;
    if (own || group.start !== start || group.span.start !== span.start || group.span.end !== span.end) return { kind: 'taken' };
    own = group;
  }
  if (!own) return { kind: 'free', seatsLeft: perSlot };
  return own.taken < perSlot ? { kind: 'free', seatsLeft: perSlot - own.taken } : { kind: 'full' };
}
