import { addDays, addMonths, daysIn, localDateOf, mondayOf, monthRange, weekdayOf, zonedInstant } from '../../src/web/lib/time';

// The pages' calendar arithmetic (src/web/lib/time.ts): wall clocks of IANA zones through Intl,
// daylight-saving nights included. Plain tables; no browser needed.

test.each([
  // date, time, zone, instant
  ['2030-01-07', '09:00', 'America/New_York', '2030-01-07T14:00:00.000Z'],
  ['2030-07-01', '09:00', 'America/New_York', '2030-07-01T13:00:00.000Z'],
  ['2030-02-06', '01:00', 'Europe/Berlin', '2030-02-06T00:00:00.000Z'],
  ['2030-01-01', '00:00', 'Pacific/Kiritimati', '2029-12-31T10:00:00.000Z'],
  ['2030-01-01', '00:00', 'UTC', '2030-01-01T00:00:00.000Z'],
  // Berlin springs forward on 2030-03-31 at 02:00: 02:30 does not exist and lands after the gap.
  ['2030-03-31', '02:30', 'Europe/Berlin', '2030-03-31T01:30:00.000Z'],
  ['2030-03-31', '00:00', 'Europe/Berlin', '2030-03-30T23:00:00.000Z'],
  ['2030-03-31', '03:00', 'Europe/Berlin', '2030-03-31T01:00:00.000Z'],
  // Los Angeles falls back on 2030-11-03: midnight is still summer time.
  ['2030-11-03', '00:00', 'America/Los_Angeles', '2030-11-03T07:00:00.000Z'],
  ['2030-11-04', '00:00', 'America/Los_Angeles', '2030-11-04T08:00:00.000Z'],
])('zonedInstant(%s %s in %s) is %s', (date, time, zone, instant) => {
  expect(zonedInstant(date, time, zone).toISOString()).toBe(instant);
});

test.each([
  ['2030-02-06T00:00:00Z', 'Europe/Berlin', '2030-02-06'],
  ['2030-02-06T00:00:00Z', 'America/Los_Angeles', '2030-02-05'],
  ['2030-02-06T00:00:00Z', 'Asia/Tokyo', '2030-02-06'],
  ['2030-03-31T00:59:59Z', 'Europe/Berlin', '2030-03-31'],
])('localDateOf(%s, %s) is %s', (instant, zone, date) => {
  expect(localDateOf(instant, zone)).toBe(date);
});

test('a month on the wall clock of a zone, the DST change inside it', () => {
  expect(monthRange({ year: 2030, month: 3 }, 'Europe/Berlin')).toEqual({ from: '2030-02-28T23:00:00.000Z', to: '2030-03-31T22:00:00.000Z' });
  expect(monthRange({ year: 2030, month: 11 }, 'America/Los_Angeles')).toEqual({ from: '2030-11-01T07:00:00.000Z', to: '2030-12-01T08:00:00.000Z' });
});

test('months, days and weeks', () => {
  expect(addMonths({ year: 2030, month: 12 }, 1)).toEqual({ year: 2031, month: 1 });
  expect(addMonths({ year: 2030, month: 1 }, -1)).toEqual({ year: 2029, month: 12 });
  expect(daysIn({ year: 2032, month: 2 })).toHaveLength(29);
  expect(daysIn({ year: 2030, month: 2 })).toEqual(Array.from({ length: 28 }, (_, i) => `2030-02-${String(i + 1).padStart(2, '0')}`));
  expect(weekdayOf('2030-01-07')).toBe(0);
  expect(weekdayOf('2030-01-13')).toBe(6);
  expect(mondayOf('2030-01-13')).toBe('2030-01-07');
  expect(mondayOf('2030-01-07')).toBe('2030-01-07');
  expect(addDays('2030-12-31', 1)).toBe('2031-01-01');
});
