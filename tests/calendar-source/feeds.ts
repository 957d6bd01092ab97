/** iCalendar test data for the calendar source tests, in the weeks after DEFAULT_NOW (2030-01-07). */

const stamp = (ms: number): string => `${new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

/** One VCALENDAR with a one-hour event at each of `starts` (ISO instants). */
export function feedOf(starts: readonly string[]): string {
  const events = starts.flatMap((start, n) => [
    'BEGIN:VEVENT',
    `UID:event-${n}-${start}@tests`,
    'DTSTAMP:20300101T000000Z',
    `DTSTART:${stamp(Date.parse(start))}`,
    `DTEND:${stamp(Date.parse(start) + 3_600_000)}`,
    'END:VEVENT',
  ]);
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Slotbook tests//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

/** A feed of `count` half-hour events, three hours apart from 2030-01-08 on (a large source). */
export function largeFeed(count: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Slotbook tests//EN'];
  const first = Date.parse('2030-01-08T09:00:00Z');
  for (let i = 0; i < count; i++) {
    const start = first + (i % 3000) * 3 * 3_600_000;
    lines.push('BEGIN:VEVENT', `UID:large-${i}@tests`, `DTSTAMP:${stamp(start)}`, `DTSTART:${stamp(start)}`, `DTEND:${stamp(start + 1_800_000)}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}
