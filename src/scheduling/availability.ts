import type { Availability, Interval, OccurrenceException, RecurringWindowSpec } from './types';
import { overlaps } from './intervals';
import { occurrenceDays } from './recurrence';
import { parseLocalDate } from './local-date';
import { localDayOf, wallTimeToInstantOnDay } from './time-zone';

/** The interval a rule's occurrence on local day `day` covers, in the owner's current zone. */
export function occurrenceInterval(day: number, startTime: number, endTime: number, timeZone: string): Interval {
  return {
    start: wallTimeToInstantOnDay(day, startTime, timeZone),
    end: wallTimeToInstantOnDay(day, endTime, timeZone),
  };
}

function ruleProducesDay(spec: RecurringWindowSpec, day: number): boolean {
  return occurrenceDays(spec.rule, spec.lastOccursOn, day, day).length === 1;
}

function isMove(e: OccurrenceException): e is OccurrenceException & { startsAt: number; endsAt: number } {
  return !e.cancelled && e.startsAt !== null && e.endsAt !== null;
}

function expandRecurring(spec: RecurringWindowSpec, timeZone: string, range: Interval, out: Interval[]): void {
  const { rule } = spec;
  // Exceptions whose date the rule no longer produces lie dormant; the rest override their date.
  const overrides = new Map<number, OccurrenceException>();
  for (const e of spec.exceptions) {
    if (!e.cancelled && !isMove(e)) continue;
    const day = parseLocalDate(e.date);
    if (ruleProducesDay(spec, day)) overrides.set(day, e); // one per date: the last listed wins
  }
  // A moved occurrence may land far from its own date: judge it by its own interval.
  for (const e of overrides.values()) {
    if (isMove(e) && e.endsAt > e.startsAt) {
      const moved = { start: e.startsAt, end: e.endsAt };
      if (overlaps(moved, range)) out.push(moved);
    }
  }
  // Any occurrence overlapping the range has its date within a day of the range's local dates.
  const fromDay = localDayOf(range.start, timeZone) - 1;
  const toDay = localDayOf(range.end - 1, timeZone) + 1;
  for (const day of occurrenceDays(rule, spec.lastOccursOn, fromDay, toDay)) {
    if (overrides.has(day)) continue;
    const occurrence = occurrenceInterval(day, rule.startTime, rule.endTime, timeZone);
    if (occurrence.end > occurrence.start && overlaps(occurrence, range)) out.push(occurrence);
  }
}

/**
 * Every availability interval (one-time windows, rule occurrences, moved occurrences) that
 * overlaps `range`, exceptions applied, sorted by start. Not merged.
 */
export function expandAvailability(availability: Availability, timeZone: string, range: Interval): Interval[] {
  const out: Interval[] = [];
  for (const w of availability.oneTime) {
    if (w.end > w.start && overlaps(w, range)) out.push({ start: w.start, end: w.end });
  }
  for (const spec of availability.recurring) expandRecurring(spec, timeZone, range, out);
  return out.sort((a, b) => a.start - b.start);
}
