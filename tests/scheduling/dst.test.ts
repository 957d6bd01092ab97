import {
  expandAvailability,
  freeSlots,
  isValidTimeZone,
  lastOccurrenceDate,
  localDateOf,
  wallTimeToInstant,
  type Availability,
  type RecurrenceRule,
} from '../../src/scheduling';

const iso = (ms: number): string => new Date(ms).toISOString();
const hm = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

describe('wallTimeToInstant (Temporal "compatible")', () => {
  const cases: Array<[string, string, string, string, string]> = [
    // zone, date, wall time, expected instant, why
    ['America/New_York', '2027-03-14', '01:00', '2027-03-14T06:00:00.000Z', 'before the gap'],
    ['America/New_York', '2027-03-14', '02:30', '2027-03-14T07:30:00.000Z', 'in the gap: 03:30 EDT'],
    ['America/New_York', '2027-03-14', '03:00', '2027-03-14T07:00:00.000Z', 'first wall time after the gap'],
    ['America/New_York', '2027-11-07', '01:30', '2027-11-07T05:30:00.000Z', 'repeated: earlier (EDT)'],
    ['America/New_York', '2027-11-07', '02:00', '2027-11-07T07:00:00.000Z', 'after the overlap'],
    ['America/New_York', '2027-07-01', '24:00', '2027-07-02T04:00:00.000Z', '24:00 is the next midnight'],
    ['Europe/Berlin', '2027-03-28', '02:30', '2027-03-28T01:30:00.000Z', 'in the gap: 03:30 CEST'],
    ['Europe/Berlin', '2027-10-31', '02:30', '2027-10-31T00:30:00.000Z', 'repeated: earlier (CEST)'],
    ['Europe/Berlin', '2027-10-31', '03:00', '2027-10-31T02:00:00.000Z', 'after the overlap (CET)'],
    ['Australia/Lord_Howe', '2027-10-03', '02:15', '2027-10-02T15:45:00.000Z', 'in the 30-min gap: 02:45 +11'],
    ['Australia/Lord_Howe', '2027-10-03', '01:59', '2027-10-02T15:29:00.000Z', 'just before the gap (+10:30)'],
    ['Australia/Lord_Howe', '2028-04-02', '01:45', '2028-04-01T14:45:00.000Z', 'repeated: earlier (+11)'],
    ['Australia/Lord_Howe', '2028-04-02', '02:00', '2028-04-01T15:30:00.000Z', 'after the overlap (+10:30)'],
    ['Asia/Kolkata', '2027-03-14', '02:30', '2027-03-13T21:00:00.000Z', '+05:30, no DST'],
    ['Pacific/Chatham', '2027-09-26', '03:00', '2027-09-25T14:15:00.000Z', 'in the gap: 04:00 +13:45'],
    ['Pacific/Chatham', '2027-04-04', '03:00', '2027-04-03T13:15:00.000Z', 'repeated: earlier (+13:45)'],
    ['Pacific/Chatham', '2027-07-01', '09:00', '2027-06-30T20:15:00.000Z', '+12:45 in winter'],
    ['America/Santiago', '2027-09-05', '00:00', '2027-09-05T04:00:00.000Z', 'midnight does not exist: 01:00 -03'],
    ['America/Santiago', '2027-09-04', '24:00', '2027-09-05T04:00:00.000Z', '24:00 into a missing midnight'],
    ['America/Santiago', '2027-04-03', '23:30', '2027-04-04T02:30:00.000Z', 'repeated: earlier (-03)'],
    ['America/Santiago', '2027-04-04', '00:00', '2027-04-04T04:00:00.000Z', 'midnight after the overlap (-04)'],
    ['UTC', '2028-02-29', '12:00', '2028-02-29T12:00:00.000Z', 'UTC'],
  ];
  test.each(cases)('%s %s %s -> %s (%s)', (zone, date, time, expected) => {
    expect(iso(wallTimeToInstant(date, hm(time), zone))).toBe(expected);
  });
});

describe('a rule occurrence on a DST night holds real time', () => {
  const oneDay = (date: string, start: string, end: string): Availability => {
    const rule: RecurrenceRule = {
      frequency: 'DAILY', interval: 1, weekdays: [], startTime: hm(start), endTime: end === '24:00' ? 1440 : hm(end),
      startsOn: date, endsOn: date, count: null,
    };
    return { oneTime: [], recurring: [{ rule, lastOccursOn: lastOccurrenceDate(rule), exceptions: [] }] };
  };
  const cases: Array<[string, string, string, string, number, string, string, string[]]> = [
    // zone, date, start, end, slotMinutes, expected start, expected end, expected slot starts
    ['America/New_York', '2027-03-14', '01:00', '04:00', 60, '2027-03-14T06:00:00.000Z', '2027-03-14T08:00:00.000Z',
      ['2027-03-14T06:00:00.000Z', '2027-03-14T07:00:00.000Z']],
    ['America/New_York', '2027-11-07', '01:00', '04:00', 60, '2027-11-07T05:00:00.000Z', '2027-11-07T09:00:00.000Z',
      ['2027-11-07T05:00:00.000Z', '2027-11-07T06:00:00.000Z', '2027-11-07T07:00:00.000Z', '2027-11-07T08:00:00.000Z']],
    ['America/New_York', '2027-03-14', '02:30', '05:00', 90, '2027-03-14T07:30:00.000Z', '2027-03-14T09:00:00.000Z',
      ['2027-03-14T07:30:00.000Z']],
    ['America/New_York', '2027-11-07', '01:30', '02:00', 30, '2027-11-07T05:30:00.000Z', '2027-11-07T07:00:00.000Z',
      ['2027-11-07T05:30:00.000Z', '2027-11-07T06:00:00.000Z', '2027-11-07T06:30:00.000Z']],
    ['America/New_York', '2027-03-14', '00:00', '24:00', 1440, '2027-03-14T05:00:00.000Z', '2027-03-15T04:00:00.000Z', []],
    ['America/New_York', '2027-11-07', '00:00', '24:00', 1440, '2027-11-07T04:00:00.000Z', '2027-11-08T05:00:00.000Z',
      ['2027-11-07T04:00:00.000Z']],
    ['Europe/Berlin', '2027-03-28', '01:00', '04:00', 60, '2027-03-28T00:00:00.000Z', '2027-03-28T02:00:00.000Z',
      ['2027-03-28T00:00:00.000Z', '2027-03-28T01:00:00.000Z']],
    ['Europe/Berlin', '2027-10-31', '01:00', '04:00', 60, '2027-10-30T23:00:00.000Z', '2027-10-31T03:00:00.000Z',
      ['2027-10-30T23:00:00.000Z', '2027-10-31T00:00:00.000Z', '2027-10-31T01:00:00.000Z', '2027-10-31T02:00:00.000Z']],
    ['Europe/Berlin', '2027-03-28', '02:15', '03:30', 45, '2027-03-28T01:15:00.000Z', '2027-03-28T01:30:00.000Z', []],
    ['Australia/Lord_Howe', '2027-10-03', '01:00', '04:00', 60, '2027-10-02T14:30:00.000Z', '2027-10-02T17:00:00.000Z',
      ['2027-10-02T14:30:00.000Z', '2027-10-02T15:30:00.000Z']],
    ['Australia/Lord_Howe', '2028-04-02', '01:00', '04:00', 60, '2028-04-01T14:00:00.000Z', '2028-04-01T17:30:00.000Z',
      ['2028-04-01T14:00:00.000Z', '2028-04-01T15:00:00.000Z', '2028-04-01T16:00:00.000Z']],
    ['Australia/Lord_Howe', '2028-04-02', '01:45', '02:00', 15, '2028-04-01T14:45:00.000Z', '2028-04-01T15:30:00.000Z',
      ['2028-04-01T14:45:00.000Z', '2028-04-01T15:00:00.000Z', '2028-04-01T15:15:00.000Z']],
    ['Asia/Kolkata', '2027-03-14', '01:00', '04:00', 60, '2027-03-13T19:30:00.000Z', '2027-03-13T22:30:00.000Z',
      ['2027-03-13T19:30:00.000Z', '2027-03-13T20:30:00.000Z', '2027-03-13T21:30:00.000Z']],
    ['Pacific/Chatham', '2027-09-26', '01:00', '04:00', 60, '2027-09-25T12:15:00.000Z', '2027-09-25T14:15:00.000Z',
      ['2027-09-25T12:15:00.000Z', '2027-09-25T13:15:00.000Z']],
    ['Pacific/Chatham', '2027-04-04', '01:00', '04:00', 60, '2027-04-03T11:15:00.000Z', '2027-04-03T15:15:00.000Z',
      ['2027-04-03T11:15:00.000Z', '2027-04-03T12:15:00.000Z', '2027-04-03T13:15:00.000Z', '2027-04-03T14:15:00.000Z']],
    ['America/Santiago', '2027-09-05', '00:00', '03:00', 60, '2027-09-05T04:00:00.000Z', '2027-09-05T06:00:00.000Z',
      ['2027-09-05T04:00:00.000Z', '2027-09-05T05:00:00.000Z']],
    ['America/Santiago', '2027-04-03', '22:00', '24:00', 60, '2027-04-04T01:00:00.000Z', '2027-04-04T04:00:00.000Z',
      ['2027-04-04T01:00:00.000Z', '2027-04-04T02:00:00.000Z', '2027-04-04T03:00:00.000Z']],
  ];
  test.each(cases)('%s %s %s-%s', (zone, date, start, end, slotMinutes, expStart, expEnd, expSlots) => {
    const availability = oneDay(date, start, end);
    const range = { start: Date.parse(`${date}T00:00:00Z`) - 2 * 86_400_000, end: Date.parse(`${date}T00:00:00Z`) + 3 * 86_400_000 };
    const intervals = expandAvailability(availability, zone, range);
    expect(intervals.map((i) => [iso(i.start), iso(i.end)])).toEqual([[expStart, expEnd]]);
    const slots = freeSlots({ availability, timeZone: zone, slotMinutes, busy: [], now: 0, range });
    expect(slots.map((s) => iso(s.start))).toEqual(expSlots);
    for (const s of slots) expect(s.end - s.start).toBe(slotMinutes * 60_000);
  });
});

describe('localDateOf', () => {
  test.each([
    ['2027-03-14T04:59:00Z', 'America/New_York', '2027-03-13'],
    ['2027-03-14T05:00:00Z', 'America/New_York', '2027-03-14'],
    ['2027-06-30T11:14:00Z', 'Pacific/Chatham', '2027-06-30'],
    ['2027-06-30T11:15:00Z', 'Pacific/Chatham', '2027-07-01'],
    ['2027-09-05T03:59:00Z', 'America/Santiago', '2027-09-04'],
    ['2027-09-05T04:00:00Z', 'America/Santiago', '2027-09-05'],
    ['2027-12-31T18:29:00Z', 'Asia/Kolkata', '2027-12-31'],
    ['2027-12-31T18:30:00Z', 'Asia/Kolkata', '2028-01-01'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(localDateOf(Date.parse(instant), zone)).toBe(expected);
  });
});

describe('isValidTimeZone', () => {
  test.each([
    ['America/New_York', true], ['Europe/Berlin', true], ['Australia/Lord_Howe', true], ['Asia/Kolkata', true],
    ['America/Argentina/Buenos_Aires', true], ['UTC', true], ['Etc/UTC', true], ['Etc/GMT+3', true],
    ['UTC+3', false], ['+03:00', false], ['', false], ['Foo/Bar', false], ['America/New York', false], ['Z', false],
    ['../etc/passwd', false],
  ])('%j -> %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});
