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

export interface FreeSlotQuery {
  availability: Availability;
  timeZone: string;
  slotMinutes: number;
  /** Bookings that are not CANCELLED, in any order. */
  busy: Interval[];
  now: number;
  /** [from, to); the caller guarantees from < to. */
  range: Interval;
  /** Stop after this many slots (the earliest ones); no limit when absent. */
  limit?: number;
}
