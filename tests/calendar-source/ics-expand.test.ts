/* expandBusy's rules beyond the conformance table (docs/api.md Part 3, 28 and 30), no servers. */
import { CalendarSourceError } from '../../src/modules/calendar-source/calendar-source.errors';
import { expandBusy, MAX_EVENTS_PER_SOURCE, MAX_OCCURRENCES_SCANNED, type ExpandOptions } from '../../src/modules/calendar-source/ics-expand';
import { ianaZoneOfWindowsName } from '../../src/modules/calendar-source/ics-zones';

const NOW = Date.parse('2027-03-01T12:00:00Z');
const options: ExpandOptions = { ownerTimeZone: 'Europe/Berlin', now: NOW };
const calendar = (...events: string[][]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', ...events.flatMap((lines) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n');
const busy = (text: string | string[], extra: Partial<ExpandOptions> = {}): string[][] =>
  expandBusy(text, { ...options, ...extra }).intervals.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]);

describe('expandBusy', () => {
  const cases: Array<[string, string[][], string[][]]> = [
    [
      'RDATE adds occurrences to an RRULE',
      [['UID:r', 'DTSTART:20270302T100000Z', 'DTEND:20270302T110000Z', 'RRULE:FREQ=DAILY;COUNT=1', 'RDATE:20270305T100000Z,20270306T100000Z']],
      [['2027-03-02T10:00:00.000Z', '2027-03-02T11:00:00.000Z'], ['2027-03-05T10:00:00.000Z', '2027-03-05T11:00:00.000Z'], ['2027-03-06T10:00:00.000Z', '2027-03-06T11:00:00.000Z']],
    ],
    [
      // PT1H exact; P1D on the wall clock: Berlin 03-27 12:00 CET to 03-28 12:00 CEST is 23 h.
      'DURATION: hours exact, days on the wall clock',
      [['UID:d1', 'DTSTART;TZID=Europe/Berlin:20270310T090000', 'DURATION:PT1H30M'], ['UID:d2', 'DTSTART;TZID=Europe/Berlin:20270327T120000', 'DURATION:P1D']],
      [['2027-03-10T08:00:00.000Z', '2027-03-10T09:30:00.000Z'], ['2027-03-27T11:00:00.000Z', '2027-03-28T10:00:00.000Z']],
    ],
    [
      'a timed event with no DTEND or DURATION takes no time',
      [['UID:z', 'DTSTART:20270310T090000Z']],
      [],
    ],
    [
      'an override without its series (an invitation to one instance) stands alone',
      [['UID:o', 'RECURRENCE-ID:20270310T090000Z', 'DTSTART:20270310T100000Z', 'DTEND:20270310T110000Z']],
      [['2027-03-10T10:00:00.000Z', '2027-03-10T11:00:00.000Z']],
    ],
    [
      'a cancelled series takes its overrides with it',
      [['UID:c', 'DTSTART:20270308T150000Z', 'DTEND:20270308T160000Z', 'RRULE:FREQ=DAILY;COUNT=3', 'STATUS:CANCELLED'], ['UID:c', 'RECURRENCE-ID:20270309T150000Z', 'DTSTART:20270309T170000Z', 'DTEND:20270309T180000Z']],
      [],
    ],
    [
      'an unknown TZID without a VTIMEZONE is read as floating (the owner zone)',
      [['UID:u', 'DTSTART;TZID=Nowhere Standard Time:20270310T090000', 'DTEND;TZID=Nowhere Standard Time:20270310T100000']],
      [['2027-03-10T08:00:00.000Z', '2027-03-10T09:00:00.000Z']],
    ],
  ];
  test.each(cases)('%s', (_why, events, expected) => {
    expect(busy(calendar(...events))).toEqual(expected);
  });

  test("Slotbook's own UIDs are skipped by default; ignoreUid replaces the rule", () => {
    const text = calendar(['UID:b1@slotbook', 'DTSTART:20270310T090000Z', 'DTEND:20270310T100000Z'], ['UID:other', 'DTSTART:20270310T110000Z', 'DTEND:20270310T120000Z']);
    expect(busy(text)).toEqual([['2027-03-10T11:00:00.000Z', '2027-03-10T12:00:00.000Z']]);
    expect(busy(text, { ignoreUid: (uid) => uid === 'other' })).toEqual([['2027-03-10T09:00:00.000Z', '2027-03-10T10:00:00.000Z']]);
  });

  test('several documents (CalDAV objects) are one source', () => {
    const a = calendar(['UID:a', 'DTSTART:20270310T090000Z', 'DTEND:20270310T100000Z']);
    const b = calendar(['UID:b', 'DTSTART:20270309T090000Z', 'DTEND:20270309T100000Z']);
    expect(expandBusy([a, b], options)).toEqual({
      events: 2,
      intervals: [{ start: Date.parse('2027-03-09T09:00:00Z'), end: Date.parse('2027-03-09T10:00:00Z') }, { start: Date.parse('2027-03-10T09:00:00Z'), end: Date.parse('2027-03-10T10:00:00Z') }],
    });
  });

  test(`more than ${MAX_EVENTS_PER_SOURCE} events is a clear error`, () => {
    const event = ['UID:same', 'DTSTART:20270310T090000Z', 'DTEND:20270310T100000Z'];
    expect(expandBusy(calendar(...Array(3).fill(event)), { ...options, maxEvents: 3 }).events).toBe(3);
    expect(() => expandBusy(calendar(...Array(MAX_EVENTS_PER_SOURCE + 1).fill(event)), options)).toThrow(
      new CalendarSourceError('TOO_MANY_EVENTS', `the calendar has ${MAX_EVENTS_PER_SOURCE + 1} events, more than the ${MAX_EVENTS_PER_SOURCE} allowed`),
    );
  });

  test('a series that repeats too often in the range is stopped, saying why', () => {
    expect(MAX_OCCURRENCES_SCANNED).toBe(200_000);
    const text = calendar(['UID:m', 'DTSTART:19700101T000000Z', 'DTEND:19700101T000001Z', 'RRULE:FREQ=MINUTELY']);
    expect(() => expandBusy(text, { ...options, maxOccurrences: 1000 })).toThrow(
      new CalendarSourceError('TOO_MANY_EVENTS', "the calendar's recurring events repeat more than 1000 times in the synced range"),
    );
  });

  test('open series begun long ago are walked from just before the kept range, with the same occurrences', () => {
    // Daily 10:00Z since 2000: kept from 2027-03-01 (02-28 ends before 12:00Z) to 2028-04-04: 366 + 34 + 1 days.
    const daily = expandBusy(calendar(['UID:d', 'DTSTART:20000101T100000Z', 'DTEND:20000101T110000Z', 'RRULE:FREQ=DAILY']), { ...options, maxOccurrences: 500 }).intervals;
    expect(daily).toHaveLength(401);
    expect([daily[0]!.start, daily[400]!.start].map((t) => new Date(t).toISOString())).toEqual(['2027-03-01T10:00:00.000Z', '2028-04-04T10:00:00.000Z']);
    // Tuesdays and Thursdays 09:00 Berlin from a Monday in 2025: the Monday itself (DTSTART) never
    // reappears; CET and CEST both right.
    const weekly = expandBusy(calendar(['UID:w', 'DTSTART;TZID=Europe/Berlin:20250106T090000', 'DTEND;TZID=Europe/Berlin:20250106T100000', 'RRULE:FREQ=WEEKLY;BYDAY=TU,TH']), options).intervals;
    const starts = weekly.map((i) => new Date(i.start));
    expect(starts.slice(0, 2).map((d) => d.toISOString())).toEqual(['2027-03-02T08:00:00.000Z', '2027-03-04T08:00:00.000Z']);
    expect(starts.at(-1)!.toISOString()).toBe('2028-04-04T07:00:00.000Z');
    expect(new Set(starts.map((d) => d.getUTCDay()))).toEqual(new Set([2, 4]));
    expect(weekly).toHaveLength(115); // 57 weeks of two, plus Tuesday 2028-04-04
  });

  test.each([
    ['an HTML page', '<!doctype html><html></html>', 'the data is not iCalendar (it does not begin with BEGIN:VCALENDAR)'],
    ['a VCARD', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCARD\r\nEND:VCARD', 'the data holds a VCARD where a VCALENDAR is expected'],
    ['a broken line', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nnonsense\r\nEND:VEVENT\r\nEND:VCALENDAR', 'the calendar data is not valid iCalendar: invalid line (no token ";" or ":") "nonsense"'],
  ])('%s is refused as not iCalendar', (_why, text, message) => {
    expect(() => expandBusy(text, options)).toThrow(new CalendarSourceError('MALFORMED', message));
  });
});

test('Windows zone names map as CLDR does today', () => {
  expect(ianaZoneOfWindowsName('W. Europe Standard Time')).toBe('Europe/Berlin');
  expect(ianaZoneOfWindowsName('Eastern Standard Time')).toBe('America/New_York');
  expect(ianaZoneOfWindowsName('Central Asia Standard Time')).toBe('Asia/Bishkek');
  expect(ianaZoneOfWindowsName('Europe/Berlin')).toBeUndefined();
});
