// Generated ICS feeds for bench/busy-sources.mjs (served by bench/servers/ics-feeds.mjs): what a
// person's calendar looks like after some years of use, deterministic for a seed.
import ical, { ICalEventRepeatingFreq } from 'ical-generator';
import { mulberry32 } from './seed.mjs';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const WEEKDAYS = ['mo', 'tu', 'we', 'th', 'fr'];

// The zone's own definition travels with the feed, as Google's and Outlook's feeds carry theirs.
const BERLIN = [
  'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
  'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/**
 * A person's calendar of `count` events in Europe/Berlin, as it looks after some years of use:
 * 75% single events from two years ago to one year ahead (so most lie in the past, read and
 * dropped), 5% of them all-day; 15% weekly series on one or two weekdays, half of them open,
 * half ended by an UNTIL, each with two EXDATEs; 5% daily series of 5-20 occurrences; 5%
 * cancelled or transparent singles (read, never busy).
 */
export function busyFeed({ name, count, seed, now }) {
  const rng = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const day0 = Math.floor(now / DAY) * DAY;
  // A wall time on a day between `fromDays` and `toDays` from today, on the quarter hour, 07:00-19:45.
  const wallTime = (fromDays, toDays) => day0 + Math.floor(fromDays + rng() * (toDays - fromDays)) * DAY + (7 * 60 + Math.floor(rng() * 52) * 15) * 60_000;
  const minutes = () => pick([15, 30, 30, 45, 60, 60, 60, 90, 120]) * 60_000;
  const cal = ical({ prodId: '//Slotbook bench//busy-sources//EN', name, timezone: { name: 'Europe/Berlin', generator: () => BERLIN } });
  for (let i = 0; i < count; i++) {
    const id = `${name}-${i}@bench.example`;
    const kind = rng();
    if (kind < 0.75) {
      const start = wallTime(-730, 365);
      if (rng() < 0.05) cal.createEvent({ id, start: new Date(Math.floor(start / DAY) * DAY), allDay: true, summary: `Away ${i}` });
      else cal.createEvent({ id, start: new Date(start), end: new Date(start + minutes()), timezone: 'Europe/Berlin', summary: `Meeting ${i}` });
    } else if (kind < 0.9) {
      const start = wallTime(-730, 0);
      const byDay = rng() < 0.7 ? [pick(WEEKDAYS)] : [pick(WEEKDAYS.slice(0, 2)), pick(WEEKDAYS.slice(2))];
      const until = rng() < 0.5 ? new Date(start + (4 + Math.floor(rng() * 48)) * WEEK) : undefined;
      const exclude = [1, 2].map(() => new Date(start + (1 + Math.floor(rng() * 40)) * WEEK));
      cal.createEvent({ id, start: new Date(start), end: new Date(start + minutes()), timezone: 'Europe/Berlin', summary: `Weekly ${i}`, repeating: { freq: ICalEventRepeatingFreq.WEEKLY, byDay, until, exclude } });
    } else if (kind < 0.95) {
      const start = wallTime(-60, 120);
      cal.createEvent({ id, start: new Date(start), end: new Date(start + minutes()), timezone: 'Europe/Berlin', summary: `Daily ${i}`, repeating: { freq: ICalEventRepeatingFreq.DAILY, count: 5 + Math.floor(rng() * 16) } });
    } else {
      const start = wallTime(-30, 90);
      const free = rng() < 0.5 ? { transparency: 'TRANSPARENT' } : { status: 'CANCELLED' };
      cal.createEvent({ id, start: new Date(start), end: new Date(start + minutes()), timezone: 'Europe/Berlin', summary: `Not busy ${i}`, ...free });
    }
  }
  return `${cal.toString()}\r\n`;
}
