/*
 * Slotbook's slot engine: pure functions over local dates, instants (epoch ms, UTC) and
 * half-open intervals. No I/O, no clock, no environment: `now`, the zone, the slot length and
 * every policy are arguments.
 */
export type {
  Weekday,
  Frequency,
  Interval,
  RecurrenceRule,
  OccurrenceException,
  RecurringWindowSpec,
  Availability,
  FreeSlotQuery,
  SlotPolicy,
  FreeSlot,
} from './types';
export { seatVerdict, sortedGroups } from './seats';
export type { SeatGroup, SeatQuery, SeatVerdict } from './seats';
export { occursOn, lastOccurrenceDate, occurrenceDates, scanOccurrenceDays, WEEKDAYS } from './recurrence';
export { wallTimeToInstant, localDateOf, isValidTimeZone } from './time-zone';
export { expandAvailability } from './availability';
export { mergeIntervals, intersect, subtract } from './intervals';
export { freeSlots, isBookableStart, unbookableReason, bookingHorizonEnd, occupiedSpan } from './slots';
export type { BookableStartQuery, UnbookableReason } from './slots';
export { anyMemberFree, everyMemberFree, rankRoundRobin, utcMonthOf } from './team';
export type { RoundRobinCandidate } from './team';
export { cutListValidUntil } from './validity';
export type { CutList } from './validity';
export { parseLocalDate, formatLocalDate, daysInMonth } from './local-date';
