// Dates and times in a chosen IANA zone with the browser's Intl: no zone data is shipped.
import { hourCycle } from './clock';
import { formatter } from './intl';

export { detectedZone } from './zones';

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

export interface Month {
  year: number;
  /** 1-12 */
  month: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(zone, format);
  }
  return format;
}

/** The wall clock of `instant` in `zone`, read as if it were UTC (ms). */
function wallClockMs(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The date of `instant` on the wall clock of `zone`. */
export function localDateOf(instant: string | Date, zone: string): LocalDate {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(wallClockMs(ms, zone)).toISOString().slice(0, 10);
}

/**
 * The instant a wall time of `zone` stands for. Two passes settle the offset; a time in a
 * spring-forward gap lands after the gap.
 */
export function zonedInstant(date: LocalDate, time: string, zone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let guess = wall;
  for (let pass = 0; pass < 2; pass++) guess = wall - (wallClockMs(guess, zone) - guess);
  return new Date(guess);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function monthOf(date: LocalDate): Month {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

export function addMonths(month: Month, count: number): Month {
  const index = month.year * 12 + month.month - 1 + count;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export function firstDayOf(month: Month): LocalDate {
  return `${String(month.year).padStart(4, '0')}-${String(month.month).padStart(2, '0')}-01`;
}

export function daysIn(month: Month): LocalDate[] {
  const first = firstDayOf(month);
  const count = new Date(Date.UTC(month.year, month.month, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

/** [start, end) of a month on the wall clock of `zone`, as instants. */
export function monthRange(month: Month, zone: string): { from: string; to: string } {
  return {
    from: zonedInstant(firstDayOf(month), '00:00', zone).toISOString(),
    to: zonedInstant(firstDayOf(addMonths(month, 1)), '00:00', zone).toISOString(),
  };
}

export function sameMonth(a: Month, b: Month): boolean {
  return a.year === b.year && a.month === b.month;
}

/** The Monday of the week that holds `date`. */
export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, -weekdayOf(date));
}

/** A formatter with the hour cycle chosen on the page (12h or 24h, lib/clock.ts). */
function withClock(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return formatter({ ...options, hourCycle: hourCycle() });
}

const DATE_TIME: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' };

/** Readable forms in the browser's language, on the wall clock of `zone`. */
export const formats = {
  time: (instant: string, zone: string) => withClock({ timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(instant)),
  dateTime: (instant: string, zone: string) => withClock({ timeZone: zone, ...DATE_TIME }).format(new Date(instant)),
  /** Two instants as one phrase: "Tuesday, January 8, 2030, 9:00 AM – 12:00 PM". */
  range: (from: string, to: string, zone: string) =>
    withClock({ timeZone: zone, ...DATE_TIME }).formatRange(new Date(from), new Date(to)),
  /** A LocalDate itself, read in UTC so no zone shifts it. */
  longDate: (date: LocalDate) => formatter({ timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(`${date}T12:00:00Z`)),
  shortDate: (date: LocalDate) => formatter({ timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${date}T12:00:00Z`)),
  monthTitle: (month: Month) => formatter({ timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${firstDayOf(month)}T12:00:00Z`)),
  weekdayShort: (mondayFirstIndex: number) =>
    formatter({ timeZone: 'UTC', weekday: 'short' }).format(new Date(Date.UTC(2024, 0, 1 + mondayFirstIndex))),
  weekdayLong: (mondayFirstIndex: number) =>
    formatter({ timeZone: 'UTC', weekday: 'long' }).format(new Date(Date.UTC(2024, 0, 1 + mondayFirstIndex))),
};

export function minutesBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 60_000);
}
