import type { SeatQuery } from './seats';

/** ISO weekday names; weeks start on Monday (RFC 5545 WKST=MO). */
export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY';

/** Half-open interval [start, end) of epoch milliseconds (UTC). */
export interface Interval {
  start: number;
  end: number;
}

export interface RecurrenceRule {
  frequency: Frequency;
  interval: number;
  weekdays: Weekday[];
  /** Minutes since local midnight, 0 <= startTime < endTime <= 1440 (1440 = 24:00). */
  startTime: number;
  endTime: number;
  /** Local dates 'YYYY-MM-DD'. */
  startsOn: string;
  endsOn: string | null;
  count: number | null;
}

/** Cancelled, or moved to [startsAt, endsAt) when both are set and it is not cancelled. */
export interface OccurrenceException {
  date: string;
  cancelled: boolean;
  startsAt: number | null;
  endsAt: number | null;
}

export interface RecurringWindowSpec {
  rule: RecurrenceRule;
  /** lastOccurrenceDate(rule), computed once when the rule is written. */
  lastOccursOn: string | null;
  exceptions: OccurrenceException[];
}

export interface Availability {
  oneTime: Interval[];
  recurring: RecurringWindowSpec[];
}

/**
 * The booking policies of an event type (docs/api.md, Part 2, 9), in minutes. Every field
 * is optional and its absence is Part 1's behaviour, so a query without a policy (or with `{}`)
 * gets exactly Part 1's slots. The slot length itself stays `FreeSlotQuery.slotMinutes`: the
 * event type's chosen duration d.
 */
export interface SlotPolicy {
  /** Minutes between candidate starts, counted from each merged interval's start; default d. */
  stepMinutes?: number | null;
  /** No slot starts before now + this many minutes; default 0. Any whole number of minutes. */
  minNoticeMinutes?: number | null;
  /**
   * A candidate's span is [start - bufferBeforeMinutes, start + d + bufferAfterMinutes); it is
   * dropped when the span overlaps `busy`. Buffers never trim windows: only busy time tests them.
   */
  bufferBeforeMinutes?: number | null;
  bufferAfterMinutes?: number | null;
  /**
   * Slots start before 00:00, in the query's zone, of (the local date of `now`) + horizonDays
   * (bookingHorizonEnd). Null or absent: no horizon.
   */
  horizonDays?: number | null;
  /**
   * A candidate is dropped when its start's local date (in the query's zone) already holds this
   * many bookings according to `FreeSlotQuery.dayCounts`, which must then be given. Null or
   * absent: no cap.
   */
  maxPerDay?: number | null;
}

export interface FreeSlotQuery {
  availability: Availability;
  timeZone: string;
  /** Length of every slot in minutes: Part 1's owner.slotMinutes, or the event type's duration d. */
  slotMinutes: number;
  /**
   * Busy time, in any order: the OCCUPIED span of each booking that is not CANCELLED,
   * [startsAt - its bufferBefore, endsAt + its bufferAfter) with the buffers recorded on that
   * booking (occupiedSpan), whatever event type it was made with. Spans overlapping
   * [range.start - bufferBefore, range.end + d + bufferAfter) are all that matter.
   */
  busy: Interval[];
  now: number;
  /** [from, to); the caller guarantees from < to. */
  range: Interval;
  /** Stop after this many slots (the earliest ones); no limit when absent. */
  limit?: number;
  /** Booking policies; absent: Part 1. */
  policy?: SlotPolicy;
  /**
   * With `policy.maxPerDay`: the bookings of this event type that are not CANCELLED, counted per
   * local date of their start ('YYYY-MM-DD' in the query's zone, as localDateOf gives it); a
   * date not in the map holds none. To move a booking, leave it out of the counts and of `busy`.
   */
  dayCounts?: ReadonlyMap<string, number>;
  /**
   * A group event's seats (seats.ts): a candidate overlapping a group is free only as another
   * seat of that group's own start, and each slot says its seats left. Absent: one invitee per slot.
   */
  seats?: SeatQuery;
}

/** A free slot; `seatsLeft` only with `FreeSlotQuery.seats`. */
export interface FreeSlot extends Interval {
  seatsLeft?: number;
}
