/*
 * ical.js times -> instants and an event occurrence -> its interval (docs/api.md Part 3, 28).
 * Times with a zone (UTC, a VTIMEZONE, an IANA or Windows name) are converted by that zone;
 * floating times and all-day dates are wall times in the owner's zone, so an all-day event is
 * busy from the local midnight that starts its first day to the one that ends its last (23 or
 * 25 hours on DST nights).
 */
import ICAL from 'ical.js';
import { wallTimeToInstant, type Interval } from '../../scheduling';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const dateOf = (time: ICAL.Time): string => `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;

/** The instant of `time`; dates mean their local midnight in `ownerZone`. */
export function instantOf(time: ICAL.Time, ownerZone: string): number {
  if (time.isDate) return wallTimeToInstant(dateOf(time), 0, ownerZone);
  if (time.zone === ICAL.Timezone.localTimezone) {
    return wallTimeToInstant(dateOf(time), time.hour * 60 + time.minute, ownerZone) + time.second * 1000;
  }
  return time.toUnixTime() * 1000;
}

/** `time` moved by whole days on its own wall clock (ical.js normalises the date). */
function plusDays(time: ICAL.Time, days: number): ICAL.Time {
  const moved = time.clone();
  moved.adjust(days, 0, 0, 0);
  return moved;
}

const dayNumber = (time: ICAL.Time): number => Date.UTC(time.year, time.month - 1, time.day) / 86_400_000;

/**
 * The interval of the occurrence of `event` (a master or an override) starting at `start`.
 * Its length follows RFC 5545 3.8.5.3 and 3.3.6: DTEND minus DTSTART as an exact duration, or
 * DURATION with days and weeks on the wall clock and the rest exact; an all-day event with
 * neither lasts one day, a timed one none (and is not busy).
 */
export function intervalOf(event: ICAL.Component, start: ICAL.Time, ownerZone: string): Interval {
  const dtstart = event.getFirstPropertyValue('dtstart') as ICAL.Time;
  const dtend = event.getFirstPropertyValue('dtend') as ICAL.Time | null;
  const duration = event.getFirstPropertyValue('duration') as ICAL.Duration | null;
  const startInstant = instantOf(start, ownerZone);
  if (start.isDate) {
    let days = 1;
    if (dtend) days = dayNumber(dtend) - dayNumber(dtstart);
    else if (duration) days = duration.isNegative ? 0 : Math.ceil(duration.toSeconds() / 86_400);
    return { start: startInstant, end: instantOf(plusDays(start, days), ownerZone) };
  }
  if (dtend) return { start: startInstant, end: startInstant + (instantOf(dtend, ownerZone) - instantOf(dtstart, ownerZone)) };
  if (duration && !duration.isNegative) {
    const nominalDays = duration.weeks * 7 + duration.days;
    const exactMs = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
    return { start: startInstant, end: instantOf(plusDays(start, nominalDays), ownerZone) + exactMs };
  }
  return { start: startInstant, end: startInstant };
}
