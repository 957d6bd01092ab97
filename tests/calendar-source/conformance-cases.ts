/*
 * Tricky calendar data for the conformance table, each case with its busy intervals worked out
 * by hand (the comments show the arithmetic). `now` is fixed: the expander and the CalDAV
 * time-range query both take it as an argument, so nothing here rots with the calendar.
 * Each inner array of `events` is one UID: one CalDAV object, all of them one feed.
 */
export const NOW = Date.parse('2027-03-01T12:00:00Z'); // kept range [2027-02-28T12:00Z, 2028-04-04T12:00Z)

export interface ConformanceCase {
  name: string;
  ownerTimeZone: string;
  vtimezones?: string[];
  events: string[][];
  /** [start, end) in UTC, sorted; or the error the owner is told. */
  expected: Array<[string, string]> | { error: RegExp };
}

const CUSTOM_EASTERN = `BEGIN:VTIMEZONE
TZID:Custom/Eastern
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
TZNAME:EDT
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
TZNAME:EST
END:STANDARD
END:VTIMEZONE`;

const event = (uid: string, ...lines: string[]): string => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20270101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
const z = (day: string, time: string): string => `${day}T${time}:00.000Z`;

export const CASES: ConformanceCase[] = [
  {
    // A zone only the data defines (Intl has no "Custom/Eastern"): US rules, DST from 2027-03-14.
    // Thursdays 09:00-10:00: 03-04 EST (-5) 14:00Z, 03-11 EST 14:00Z, 03-18 EDT (-4) 13:00Z.
    name: 'weekly RRULE across a DST change, with its VTIMEZONE',
    ownerTimeZone: 'Europe/London',
    vtimezones: [CUSTOM_EASTERN],
    events: [[event('weekly-dst', 'DTSTART;TZID=Custom/Eastern:20270304T090000', 'DTEND;TZID=Custom/Eastern:20270304T100000', 'RRULE:FREQ=WEEKLY;COUNT=3')]],
    expected: [[z('2027-03-04', '14:00'), z('2027-03-04', '15:00')], [z('2027-03-11', '14:00'), z('2027-03-11', '15:00')], [z('2027-03-18', '13:00'), z('2027-03-18', '14:00')]],
  },
  {
    // Daily 02..05 at 10:00Z, the 3rd excluded.
    name: 'EXDATE',
    ownerTimeZone: 'UTC',
    events: [[event('exdate', 'DTSTART:20270302T100000Z', 'DTEND:20270302T110000Z', 'RRULE:FREQ=DAILY;COUNT=4', 'EXDATE:20270303T100000Z')]],
    expected: [[z('2027-03-02', '10:00'), z('2027-03-02', '11:00')], [z('2027-03-04', '10:00'), z('2027-03-04', '11:00')], [z('2027-03-05', '10:00'), z('2027-03-05', '11:00')]],
  },
  {
    // Mondays 03-08, 03-15, 03-22 at 15:00Z; the 15th moved to Tuesday 09:00-09:30, the 22nd cancelled.
    name: 'a moved and a cancelled overridden instance (RECURRENCE-ID)',
    ownerTimeZone: 'UTC',
    events: [
      [
        event('overridden', 'DTSTART:20270308T150000Z', 'DTEND:20270308T160000Z', 'RRULE:FREQ=WEEKLY;COUNT=3'),
        event('overridden', 'RECURRENCE-ID:20270315T150000Z', 'DTSTART:20270316T090000Z', 'DTEND:20270316T093000Z'),
        event('overridden', 'RECURRENCE-ID:20270322T150000Z', 'DTSTART:20270322T150000Z', 'DTEND:20270322T160000Z', 'STATUS:CANCELLED'),
      ],
    ],
    expected: [[z('2027-03-08', '15:00'), z('2027-03-08', '16:00')], [z('2027-03-16', '09:00'), z('2027-03-16', '09:30')]],
  },
  {
    // Only the opaque, confirmed, foreign event is busy; Slotbook's own written-back event is not.
    name: 'TRANSP:TRANSPARENT, STATUS:CANCELLED and our own UID are not busy',
    ownerTimeZone: 'UTC',
    events: [
      [event('free', 'DTSTART:20270310T090000Z', 'DTEND:20270310T100000Z', 'TRANSP:TRANSPARENT')],
      [event('cancelled', 'DTSTART:20270310T110000Z', 'DTEND:20270310T120000Z', 'STATUS:CANCELLED')],
      [event('busy', 'DTSTART:20270310T130000Z', 'DTEND:20270310T140000Z', 'TRANSP:OPAQUE')],
      [event('b0a1c2@slotbook', 'DTSTART:20270310T150000Z', 'DTEND:20270310T160000Z')],
    ],
    expected: [[z('2027-03-10', '13:00'), z('2027-03-10', '14:00')]],
  },
  {
    // New York: 03-14 is the DST night (00:00 EST = 05:00Z to 00:00 EDT next day = 04:00Z: 23 h);
    // 03-20..21 (two days) from 04:00Z to 04:00Z.
    name: 'all-day events for an owner in America/New_York (DST night)',
    ownerTimeZone: 'America/New_York',
    events: [
      [event('dst-day', 'DTSTART;VALUE=DATE:20270314', 'DTEND;VALUE=DATE:20270315')],
      [event('two-days', 'DTSTART;VALUE=DATE:20270320', 'DTEND;VALUE=DATE:20270322')],
    ],
    expected: [[z('2027-03-14', '05:00'), z('2027-03-15', '04:00')], [z('2027-03-20', '04:00'), z('2027-03-22', '04:00')]],
  },
  {
    // Tokyo (+9): 2027-03-10 is 03-09T15:00Z to 03-10T15:00Z; no DTEND means one day.
    name: 'an all-day event for an owner in Asia/Tokyo',
    ownerTimeZone: 'Asia/Tokyo',
    events: [[event('tokyo-day', 'DTSTART;VALUE=DATE:20270310')]],
    expected: [[z('2027-03-09', '15:00'), z('2027-03-10', '15:00')]],
  },
  {
    // Paris wall clock 09:00: 03-25 CET (+1) 08:00Z; 04-01 CEST (+2, from 03-28) 07:00Z.
    name: 'floating times in the owner zone',
    ownerTimeZone: 'Europe/Paris',
    events: [[event('floating', 'DTSTART:20270325T090000', 'DTEND:20270325T100000', 'RRULE:FREQ=WEEKLY;COUNT=2')]],
    expected: [[z('2027-03-25', '08:00'), z('2027-03-25', '09:00')], [z('2027-04-01', '07:00'), z('2027-04-01', '08:00')]],
  },
  {
    // Sydney 09:00: 03-29 AEDT (+11) 03-28T22:00Z; 04-05 AEST (+10, from 04-04) 04-04T23:00Z.
    name: 'TZID with an IANA name and no VTIMEZONE',
    ownerTimeZone: 'UTC',
    events: [[event('sydney', 'DTSTART;TZID=Australia/Sydney:20270329T090000', 'DTEND;TZID=Australia/Sydney:20270329T100000', 'RRULE:FREQ=WEEKLY;COUNT=2')]],
    expected: [[z('2027-03-28', '22:00'), z('2027-03-28', '23:00')], [z('2027-04-04', '23:00'), z('2027-04-05', '00:00')]],
  },
  {
    // CLDR: W. Europe Standard Time -> Europe/Berlin (+1): 08:00Z; Central Asia Standard Time ->
    // Asia/Bishkek (+6, not Almaty, which moved to +5 in 2024): 03:00Z.
    name: 'Windows zone names (CLDR)',
    ownerTimeZone: 'UTC',
    events: [
      [event('windows-berlin', 'DTSTART;TZID=W. Europe Standard Time:20270310T090000', 'DTEND;TZID=W. Europe Standard Time:20270310T100000')],
      [event('windows-bishkek', 'DTSTART;TZID=Central Asia Standard Time:20270311T090000', 'DTEND;TZID=Central Asia Standard Time:20270311T100000')],
    ],
    expected: [[z('2027-03-10', '08:00'), z('2027-03-10', '09:00')], [z('2027-03-11', '03:00'), z('2027-03-11', '04:00')]],
  },
  {
    // Kept: overlapping [02-28T12:00Z, 2028-04-04T12:00Z), unclipped. The yearly series from 2020
    // has one occurrence inside (2027-06-01; 2028-06-01 is past the end).
    name: 'events outside the kept range',
    ownerTimeZone: 'UTC',
    events: [
      [event('ended-before', 'DTSTART:20270227T100000Z', 'DTEND:20270227T110000Z')],
      [event('spans-start', 'DTSTART:20270228T110000Z', 'DTEND:20270228T130000Z')],
      [event('near-end', 'DTSTART:20280404T110000Z', 'DTEND:20280404T120000Z')],
      [event('starts-at-end', 'DTSTART:20280404T120000Z', 'DTEND:20280404T130000Z')],
      [event('yearly-since-2020', 'DTSTART:20200601T100000Z', 'DTEND:20200601T110000Z', 'RRULE:FREQ=YEARLY')],
    ],
    expected: [[z('2027-02-28', '11:00'), z('2027-02-28', '13:00')], [z('2027-06-01', '10:00'), z('2027-06-01', '11:00')], [z('2028-04-04', '11:00'), z('2028-04-04', '12:00')]],
  },
  {
    name: 'a malformed feed',
    ownerTimeZone: 'UTC',
    events: [[event('malformed', 'DTSTART:not-a-date', 'DTEND:20270310T100000Z')]],
    expected: { error: /^the calendar data is not valid iCalendar: invalid date-time value$/ },
  },
];

/** One VCALENDAR holding every event of the case (the ICS feed). */
export const feedOf = (c: ConformanceCase): string => calendar(c.vtimezones ?? [], c.events.flat());

/** One VCALENDAR per UID, each with the case's VTIMEZONEs (the CalDAV objects). */
export const objectsOf = (c: ConformanceCase): Array<{ uid: string; ics: string }> =>
  c.events.map((group) => ({ uid: /UID:(.*)/.exec(group[0]!)![1]!, ics: calendar(c.vtimezones ?? [], group) }));

const calendar = (vtimezones: string[], events: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Slotbook tests//conformance//EN', ...vtimezones, ...events, 'END:VCALENDAR', ''].join('\r\n').replace(/\r?\n/g, '\r\n');
