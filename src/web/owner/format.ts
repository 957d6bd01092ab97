import { formats, type LocalDate } from '../lib/time';

// The owner page writes every time and date through src/web/lib/time.ts's formats, so one
// clock style (the browser's) shows everywhere; these only adapt the API's wall-clock values.

/** A LocalTime (`HH:mm`, 24:00 the end of the day) in the page's one time format. */
export function wallTime(time: string): string {
  return formats.time(`1970-01-01T${time === '24:00' ? '00:00' : time}:00Z`, 'UTC');
}

/** A LocalDate as the page writes dates: "Mon, Jan 14, 2030". */
export function shortDate(date: LocalDate): string {
  return `${formats.shortDate(date)}, ${date.slice(0, 4)}`;
}

/** Two instants as "9:00 AM–10:00 AM" on the wall clock of `zone`. */
export function timeRange(from: string, to: string, zone: string): string {
  return `${formats.time(from, zone)}–${formats.time(to, zone)}`;
}

/** A zone as people read it: "America/New York". */
export function zoneName(zone: string): string {
  return zone.replace(/_/g, ' ');
}
