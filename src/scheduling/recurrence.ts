/*
 * RFC 5545 recurrence (WKST=MO) for DAILY / WEEKLY / MONTHLY rules over local dates.
 * Every function jumps straight to the first candidate at or after the requested start (day,
 * week or month index counted from startsOn), so cost depends on the requested range only,
 * never on how long ago the rule started.
 */
import type { RecurrenceRule, Weekday } from './types';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatLocalDate,
  isoWeekdayIndex,
  mondayOnOrBefore,
  parseLocalDate,
} from './local-date';

export const WEEKDAYS: readonly Weekday[] = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
];

function weekdayIndices(weekdays: readonly Weekday[]): number[] {
  const seen = new Set<number>();
  for (const w of weekdays) {
    const i = WEEKDAYS.indexOf(w);
    if (i < 0) throw new RangeError(`Unknown weekday: ${String(w)}`);
    seen.add(i);
  }
  return [...seen].sort((a, b) => a - b);
}

function checkedInterval(rule: RecurrenceRule): number {
  if (!Number.isInteger(rule.interval) || rule.interval < 1) {
    throw new RangeError(`Recurrence interval must be a positive integer, got ${rule.interval}`);
  }
  return rule.interval;
}

/** Weekdays a WEEKLY rule occurs on; RFC 5545 defaults an empty BYDAY to startsOn's weekday. */
function weeklyDays(rule: RecurrenceRule, startDay: number): number[] {
  return rule.weekdays.length > 0 ? weekdayIndices(rule.weekdays) : [isoWeekdayIndex(startDay)];
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/**
 * Calls `emit` for each day number in [fromDay, toDay] the rule produces (ignoring count), in
 * ascending order, and returns how many candidates it examined. The step count is exported for
 * tests that check cost does not depend on startsOn.
 */
export function scanOccurrenceDays(
  rule: RecurrenceRule,
  fromDay: number,
  toDay: number,
  emit: (day: number) => void,
): number {
  const interval = checkedInterval(rule);
  const startDay = parseLocalDate(rule.startsOn);
  const lo = Math.max(startDay, fromDay);
  const hi = rule.endsOn === null ? toDay : Math.min(toDay, parseLocalDate(rule.endsOn));
  if (lo > hi) return 0;
  let steps = 0;

  switch (rule.frequency) {
    case 'DAILY': {
      const mask = rule.weekdays.length > 0 ? weekdayMask(weekdayIndices(rule.weekdays)) : 0x7f;
      for (let d = startDay + ceilDiv(lo - startDay, interval) * interval; d <= hi; d += interval) {
        steps++;
        if (mask & (1 << isoWeekdayIndex(d))) emit(d);
      }
      return steps;
    }
    case 'WEEKLY': {
      const days = weeklyDays(rule, startDay);
      const firstMonday = mondayOnOrBefore(startDay);
      const weekIndex = (mondayOnOrBefore(lo) - firstMonday) / 7;
      const stride = interval * 7;
      for (let monday = firstMonday + ceilDiv(weekIndex, interval) * stride; monday <= hi; monday += stride) {
        for (const wd of days) {
          steps++;
          const d = monday + wd;
          if (d > hi) break;
          if (d >= lo) emit(d);
        }
      }
      return steps;
    }
    case 'MONTHLY': {
      const start = civilFromDays(startDay);
      const startMonth = start.year * 12 + (start.month - 1);
      const lowCivil = civilFromDays(lo);
      const lowMonth = lowCivil.year * 12 + (lowCivil.month - 1);
      for (let m = startMonth + Math.max(0, ceilDiv(lowMonth - startMonth, interval)) * interval; ; m += interval) {
        steps++;
        const year = Math.floor(m / 12);
        const month = (m % 12) + 1;
        if (daysFromCivil(year, month, 1) > hi) break;
        // Months lacking startsOn's day (31st, Feb 29/30) still count toward the stepping.
        if (start.day > daysInMonth(year, month)) continue;
        const d = daysFromCivil(year, month, start.day);
        if (d > hi) break;
        if (d >= lo) emit(d);
      }
      return steps;
    }
    default:
      throw new RangeError(`Unknown frequency: ${String(rule.frequency)}`);
  }
}

function weekdayMask(indices: number[]): number {
  let mask = 0;
  for (const i of indices) mask |= 1 << i;
  return mask;
}

/** Whether the rule produces `date` (startsOn/endsOn/interval/weekdays; count is ignored). */
export function occursOn(rule: RecurrenceRule, date: string): boolean {
  const d = parseLocalDate(date);
  let found = false;
  scanOccurrenceDays(rule, d, d, () => (found = true));
  return found;
}

/**
 * Day number of the `count`-th occurrence, or null if the rule never produces that many
 * (endsOn is not considered here). Arithmetic: jumps whole periods of the pattern.
 */
function countThOccurrenceDay(rule: RecurrenceRule, count: number): number | null {
  const interval = checkedInterval(rule);
  const startDay = parseLocalDate(rule.startsOn);
  const n = count - 1; // zero-based index of the wanted occurrence
  switch (rule.frequency) {
    case 'DAILY': {
      // The pattern repeats every lcm(interval, 7) days; list one period's hits, then jump.
      const mask = rule.weekdays.length > 0 ? weekdayMask(weekdayIndices(rule.weekdays)) : 0x7f;
      const period = (interval * 7) / gcd(interval, 7);
      const offsets: number[] = [];
      for (let off = 0; off < period; off += interval) {
        if (mask & (1 << isoWeekdayIndex(startDay + off))) offsets.push(off);
      }
      if (offsets.length === 0) return null;
      return startDay + Math.floor(n / offsets.length) * period + offsets[n % offsets.length]!;
    }
    case 'WEEKLY': {
      const days = weeklyDays(rule, startDay);
      const firstMonday = mondayOnOrBefore(startDay);
      const firstWeek = days.filter((wd) => firstMonday + wd >= startDay);
      if (n < firstWeek.length) return firstMonday + firstWeek[n]!;
      const rest = n - firstWeek.length;
      const week = 1 + Math.floor(rest / days.length);
      return firstMonday + week * interval * 7 + days[rest % days.length]!;
    }
    case 'MONTHLY': {
      const start = civilFromDays(startDay);
      const startMonth = start.year * 12 + (start.month - 1);
      const hits = (m: number): boolean => start.day <= daysInMonth(Math.floor(m / 12), (m % 12) + 1);
      // Whether a month has the day repeats every 400 years (4800 months), so the hits along the
      // stepped months repeat every 4800 / gcd(interval, 4800) steps: walk one period at most, then jump.
      const periodSteps = 4800 / gcd(interval, 4800);
      let perPeriod = 0;
      for (let k = 0; k < periodSteps; k++) {
        const m = startMonth + k * interval;
        if (hits(m) && perPeriod++ === n) return daysFromCivil(Math.floor(m / 12), (m % 12) + 1, start.day);
      }
      if (perPeriod === 0) return null;
      let remaining = n % perPeriod;
      for (let m = startMonth + Math.floor(n / perPeriod) * periodSteps * interval; ; m += interval) {
        if (hits(m) && remaining-- === 0) return daysFromCivil(Math.floor(m / 12), (m % 12) + 1, start.day);
      }
    }
    default:
      throw new RangeError(`Unknown frequency: ${String(rule.frequency)}`);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The last date the rule can occur: the count-th occurrence or endsOn, whichever is earlier;
 * null when neither bounds it. Computed once when a rule is written and passed to expansion.
 */
export function lastOccurrenceDate(rule: RecurrenceRule): string | null {
  const endDay = rule.endsOn === null ? null : parseLocalDate(rule.endsOn);
  if (rule.count === null) return rule.endsOn;
  if (!Number.isInteger(rule.count) || rule.count < 1) {
    throw new RangeError(`Recurrence count must be a positive integer, got ${rule.count}`);
  }
  const countDay = countThOccurrenceDay(rule, rule.count);
  if (countDay === null) return rule.endsOn;
  return formatLocalDate(endDay === null ? countDay : Math.min(countDay, endDay));
}

/** Day-number variant of occurrenceDates, used by expansion. */
export function occurrenceDays(
  rule: RecurrenceRule,
  lastOccursOn: string | null,
  fromDay: number,
  toDay: number,
): number[] {
  const hi = lastOccursOn === null ? toDay : Math.min(toDay, parseLocalDate(lastOccursOn));
  const out: number[] = [];
  scanOccurrenceDays(rule, fromDay, hi, (d) => out.push(d));
  return out;
}

/** Dates in [fromDate, toDate] (inclusive, ascending) the rule produces, bounded by lastOccursOn. */
export function occurrenceDates(
  rule: RecurrenceRule,
  lastOccursOn: string | null,
  fromDate: string,
  toDate: string,
): string[] {
  return occurrenceDays(rule, lastOccursOn, parseLocalDate(fromDate), parseLocalDate(toDate)).map(formatLocalDate);
}
