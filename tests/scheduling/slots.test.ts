import {
  expandAvailability,
  freeSlots,
  isBookableStart,
  lastOccurrenceDate,
  mergeIntervals,
  type Availability,
  type Interval,
  type OccurrenceException,
  type RecurrenceRule,
} from '../../src/scheduling';

const t = (s: string): number => Date.parse(s.endsWith('Z') ? s : `${s}Z`);
const iv = (a: string, b: string): Interval => ({ start: t(a), end: t(b) });
const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const show = (xs: Interval[]) => xs.map((x) => `${iso(x.start)}/${iso(x.end)}`);
const DAY = 86_400_000;

describe('mergeIntervals', () => {
  const cases: Array<[string, Array<[number, number]>, Array<[number, number]>]> = [
    ['empty', [], []],
    ['disjoint stay apart', [[1, 2], [3, 4]], [[1, 2], [3, 4]]],
    ['overlapping merge', [[1, 5], [3, 8]], [[1, 8]]],
    ['touching merge', [[1, 3], [3, 6]], [[1, 6]]],
    ['containment', [[1, 10], [2, 3], [4, 9]], [[1, 10]]],
    ['unsorted input', [[7, 9], [1, 2], [2, 4], [8, 12], [20, 21]], [[1, 4], [7, 12], [20, 21]]],
    ['empty intervals ignored', [[5, 5], [1, 2]], [[1, 2]]],
  ];
  test.each(cases)('%s', (_n, input, expected) => {
    const intervals = input.map(([start, end]) => ({ start, end }));
    const copy = JSON.stringify(intervals);
    expect(mergeIntervals(intervals).map((i) => [i.start, i.end])).toEqual(expected);
    expect(JSON.stringify(intervals)).toBe(copy); // input untouched
  });
});

const oneTime = (...windows: Interval[]): Availability => ({ oneTime: windows, recurring: [] });
const query = (availability: Availability, from: string, to: string, slotMinutes: number, extra: { busy?: Interval[]; now?: number } = {}) =>
  freeSlots({ availability, timeZone: 'UTC', slotMinutes, busy: extra.busy ?? [], now: extra.now ?? 0, range: iv(from, to) });
const starts = (xs: Interval[]) => xs.map((x) => iso(x.start));

describe('freeSlots', () => {
  const day = oneTime(iv('2027-03-01T09:00', '2027-03-01T12:00'));
  const cases: Array<[string, Availability, string, string, number, { busy?: Interval[]; now?: number }, string[]]> = [
    ['plain hours', day, '2027-03-01T00:00', '2027-03-02T00:00', 60, {},
      ['2027-03-01T09:00Z', '2027-03-01T10:00Z', '2027-03-01T11:00Z']],
    ['cut from the merged start even when it is before from', oneTime(iv('2027-03-01T08:00', '2027-03-01T12:00')),
      '2027-03-01T09:00', '2027-03-02T00:00', 45, {}, ['2027-03-01T09:30Z', '2027-03-01T10:15Z', '2027-03-01T11:00Z']],
    ['touching windows merge into one grid', oneTime(iv('2027-03-01T09:00', '2027-03-01T12:00'), iv('2027-03-01T08:00', '2027-03-01T09:00')),
      '2027-03-01T08:00', '2027-03-02T00:00', 45, {},
      ['2027-03-01T08:00Z', '2027-03-01T08:45Z', '2027-03-01T09:30Z', '2027-03-01T10:15Z', '2027-03-01T11:00Z']],
    ['a window outside the range does not join the merge', oneTime(iv('2027-03-01T08:00', '2027-03-01T09:00'), iv('2027-03-01T09:00', '2027-03-01T12:00')),
      '2027-03-01T10:07', '2027-03-02T00:00', 45, {}, ['2027-03-01T10:30Z', '2027-03-01T11:15Z']],
    ['partial last slot dropped', oneTime(iv('2027-03-01T09:00', '2027-03-01T10:30')), '2027-03-01T00:00', '2027-03-02T00:00', 60, {},
      ['2027-03-01T09:00Z']],
    ['slot overlapping busy dropped', day, '2027-03-01T00:00', '2027-03-02T00:00', 60,
      { busy: [iv('2027-03-01T10:15', '2027-03-01T10:30')] }, ['2027-03-01T09:00Z', '2027-03-01T11:00Z']],
    ['busy touching a slot does not block it; unsorted busy', day, '2027-03-01T00:00', '2027-03-02T00:00', 30,
      { busy: [iv('2027-03-01T11:00', '2027-03-01T11:30'), iv('2027-03-01T09:30', '2027-03-01T10:00')] },
      ['2027-03-01T09:00Z', '2027-03-01T10:00Z', '2027-03-01T10:30Z', '2027-03-01T11:30Z']],
    ['busy off the grid knocks out two slots', day, '2027-03-01T00:00', '2027-03-02T00:00', 60,
      { busy: [iv('2027-03-01T09:30', '2027-03-01T10:30')] }, ['2027-03-01T11:00Z']],
    ['slots before now dropped', day, '2027-03-01T00:00', '2027-03-02T00:00', 60, { now: t('2027-03-01T10:30') },
      ['2027-03-01T11:00Z']],
    ['slot starting exactly now is kept', day, '2027-03-01T00:00', '2027-03-02T00:00', 60, { now: t('2027-03-01T10:00') },
      ['2027-03-01T10:00Z', '2027-03-01T11:00Z']],
    ['starts must lie in [from, to)', day, '2027-03-01T10:00', '2027-03-01T11:00', 60, {}, ['2027-03-01T10:00Z']],
    ['a slot may run past to', day, '2027-03-01T09:30', '2027-03-01T10:30', 60, {}, ['2027-03-01T10:00Z']],
  ];
  test.each(cases)('%s', (_n, availability, from, to, slotMinutes, extra, expected) => {
    const slots = query(availability, from, to, slotMinutes, extra);
    expect(starts(slots)).toEqual(expected);
    for (const s of slots) expect(s.end - s.start).toBe(slotMinutes * 60_000);
  });

  const twoDays = oneTime(iv('2027-03-01T09:00', '2027-03-01T12:00'), iv('2027-03-02T09:00', '2027-03-02T12:00'));
  const limited: Array<[string, number | undefined, { busy?: Interval[]; now?: number }, string[]]> = [
    ['no limit: every slot', undefined, {}, ['2027-03-01T09:00Z', '2027-03-01T10:00Z', '2027-03-01T11:00Z', '2027-03-02T09:00Z', '2027-03-02T10:00Z', '2027-03-02T11:00Z']],
    ['the earliest slots up to the limit, across merged intervals', 4, {}, ['2027-03-01T09:00Z', '2027-03-01T10:00Z', '2027-03-01T11:00Z', '2027-03-02T09:00Z']],
    ['busy and past slots do not count against the limit', 2,
      { busy: [iv('2027-03-01T10:00', '2027-03-01T11:00')], now: t('2027-03-01T09:30') }, ['2027-03-01T11:00Z', '2027-03-02T09:00Z']],
    ['a limit above the count changes nothing', 100, {}, ['2027-03-01T09:00Z', '2027-03-01T10:00Z', '2027-03-01T11:00Z', '2027-03-02T09:00Z', '2027-03-02T10:00Z', '2027-03-02T11:00Z']],
    ['a limit of 0 yields nothing', 0, {}, []],
  ];
  test.each(limited)('limit: %s', (_n, limit, extra, expected) => {
    const slots = freeSlots({ availability: twoDays, timeZone: 'UTC', slotMinutes: 60, busy: extra.busy ?? [], now: extra.now ?? 0, range: iv('2027-03-01T00:00', '2027-03-03T00:00'), limit });
    expect(starts(slots)).toEqual(expected);
  });

  test.each([[5, 288], [45, 32], [60, 24], [90, 16], [1440, 1]])('a 24h window with %i-minute slots has %i slots', (slotMinutes, n) => {
    const slots = query(oneTime(iv('2027-03-01T00:00', '2027-03-02T00:00')), '2027-03-01T00:00', '2027-03-02T00:00', slotMinutes);
    expect(slots).toHaveLength(n);
    expect(iso(slots[0]!.start)).toBe('2027-03-01T00:00Z');
    expect(slots[n - 1]!.end).toBeLessThanOrEqual(t('2027-03-02T00:00'));
    expect(slots[n - 1]!.end + slotMinutes * 60_000).toBeGreaterThan(t('2027-03-02T00:00'));
  });
});

const weekly = (r: Partial<RecurrenceRule>, exceptions: OccurrenceException[] = []): Availability => {
  const rule: RecurrenceRule = {
    frequency: 'WEEKLY', interval: 1, weekdays: ['MONDAY'], startTime: 540, endTime: 720,
    startsOn: '2027-03-01', endsOn: null, count: null, ...r,
  };
  return { oneTime: [], recurring: [{ rule, lastOccursOn: lastOccurrenceDate(rule), exceptions }] };
};
const cancel = (date: string): OccurrenceException => ({ date, cancelled: true, startsAt: null, endsAt: null });
const move = (date: string, a: string, b: string): OccurrenceException => ({ date, cancelled: false, startsAt: t(a), endsAt: t(b) });

describe('expandAvailability with exceptions', () => {
  const march = iv('2027-03-01T00:00', '2027-03-22T00:00');
  const cases: Array<[string, Availability, Interval, string[]]> = [
    ['plain Mondays 09-12 UTC', weekly({}), march,
      ['2027-03-01T09:00Z/2027-03-01T12:00Z', '2027-03-08T09:00Z/2027-03-08T12:00Z', '2027-03-15T09:00Z/2027-03-15T12:00Z']],
    ['cancelled occurrence removed', weekly({}, [cancel('2027-03-08')]), march,
      ['2027-03-01T09:00Z/2027-03-01T12:00Z', '2027-03-15T09:00Z/2027-03-15T12:00Z']],
    ['moved occurrence replaced, to another day', weekly({}, [move('2027-03-08', '2027-03-10T14:00', '2027-03-10T16:00')]), march,
      ['2027-03-01T09:00Z/2027-03-01T12:00Z', '2027-03-10T14:00Z/2027-03-10T16:00Z', '2027-03-15T09:00Z/2027-03-15T12:00Z']],
    ['moved from far outside into the range', weekly({ startsOn: '2026-12-28' }, [move('2027-01-04', '2027-03-03T10:00', '2027-03-03T11:00')]),
      iv('2027-03-02T00:00', '2027-03-05T00:00'), ['2027-03-03T10:00Z/2027-03-03T11:00Z']],
    ['moved out of the range: original gone, replacement not shown', weekly({}, [move('2027-03-08', '2027-05-01T10:00', '2027-05-01T11:00')]),
      iv('2027-03-08T00:00', '2027-03-09T00:00'), []],
    ['cancelled wins over stray startsAt', weekly({}, [{ date: '2027-03-08', cancelled: true, startsAt: t('2027-03-08T13:00'), endsAt: t('2027-03-08T14:00') }]),
      iv('2027-03-08T00:00', '2027-03-09T00:00'), []],
    ['dormant: date the rule does not produce (a Tuesday)', weekly({}, [move('2027-03-09', '2027-03-09T10:00', '2027-03-09T11:00'), cancel('2027-03-02')]),
      iv('2027-03-01T00:00', '2027-03-10T00:00'), ['2027-03-01T09:00Z/2027-03-01T12:00Z', '2027-03-08T09:00Z/2027-03-08T12:00Z']],
    ['dormant: date beyond count', weekly({ count: 2 }, [move('2027-03-15', '2027-03-03T10:00', '2027-03-03T11:00')]), march,
      ['2027-03-01T09:00Z/2027-03-01T12:00Z', '2027-03-08T09:00Z/2027-03-08T12:00Z']],
    ['dormant: date beyond endsOn', weekly({ endsOn: '2027-03-10' }, [move('2027-03-15', '2027-03-03T10:00', '2027-03-03T11:00')]), march,
      ['2027-03-01T09:00Z/2027-03-01T12:00Z', '2027-03-08T09:00Z/2027-03-08T12:00Z']],
    ['two exceptions for one date: the last listed wins', weekly({}, [move('2027-03-08', '2027-03-08T13:00', '2027-03-08T14:00'), move('2027-03-08', '2027-03-08T15:00', '2027-03-08T16:00')]),
      iv('2027-03-08T00:00', '2027-03-09T00:00'), ['2027-03-08T15:00Z/2027-03-08T16:00Z']],
    ['an occurrence partly overlapping the range is included whole', weekly({}), iv('2027-03-08T11:00', '2027-03-08T11:30'),
      ['2027-03-08T09:00Z/2027-03-08T12:00Z']],
    ['one-time windows and occurrences together, sorted', { ...weekly({}), oneTime: [iv('2027-03-09T10:00', '2027-03-09T11:00'), iv('2027-02-01T10:00', '2027-02-01T11:00')] },
      iv('2027-03-08T00:00', '2027-03-10T00:00'), ['2027-03-08T09:00Z/2027-03-08T12:00Z', '2027-03-09T10:00Z/2027-03-09T11:00Z']],
  ];
  test.each(cases)('%s', (_n, availability, range, expected) => {
    expect(show(expandAvailability(availability, 'UTC', range))).toEqual(expected);
  });

  test('endTime 24:00 touches the next day and merges with it', () => {
    const late = weekly({ frequency: 'DAILY', weekdays: [], startTime: 22 * 60, endTime: 1440 });
    const early = weekly({ frequency: 'DAILY', weekdays: [], startTime: 0, endTime: 60 });
    const availability = { oneTime: [], recurring: [...late.recurring, ...early.recurring] };
    const range = iv('2027-06-01T20:00', '2027-06-02T04:00');
    const zone = 'Europe/Berlin'; // +02:00 in June
    // 06-01 22:00-24:00 CEST and 06-02 00:00-01:00 CEST, touching at 06-01T22:00Z.
    expect(show(expandAvailability(availability, zone, range))).toEqual([
      '2027-06-01T20:00Z/2027-06-01T22:00Z',
      '2027-06-01T22:00Z/2027-06-01T23:00Z',
    ]);
    const slots = freeSlots({ availability, timeZone: zone, slotMinutes: 90, busy: [], now: 0, range });
    expect(starts(slots)).toEqual(['2027-06-01T20:00Z', '2027-06-01T21:30Z']);
  });
});

describe('isBookableStart', () => {
  const touching = oneTime(iv('2027-03-01T08:00', '2027-03-01T09:00'), iv('2027-03-01T09:00', '2027-03-01T12:00'));
  const base = { availability: touching, timeZone: 'UTC', slotMinutes: 45, busy: [] as Interval[], now: 0, maxRangeMs: 366 * DAY };
  const cases: Array<[string, Partial<typeof base>, string, boolean]> = [
    ['on the grid of a query starting at 08:00', {}, '2027-03-01T09:30', true],
    ['on the grid of a query starting after 09:00', {}, '2027-03-01T10:30', true],
    ['on neither grid', {}, '2027-03-01T10:00', false],
    ['would run past the window', {}, '2027-03-01T11:30', false],
    ['last fitting slot', {}, '2027-03-01T11:15', true],
    ['outside availability', {}, '2027-03-01T13:00', false],
    ['in the past', { now: t('2027-03-01T10:31') }, '2027-03-01T10:30', false],
    ['busy overlap', { busy: [iv('2027-03-01T11:00', '2027-03-01T11:05')] }, '2027-03-01T10:30', false],
    ['busy only touching', { busy: [iv('2027-03-01T11:15', '2027-03-01T12:00')] }, '2027-03-01T10:30', true],
    ['range too short to reach back before 09:00', { maxRangeMs: 30 * 60_000 }, '2027-03-01T09:30', false],
    ['range just long enough', { maxRangeMs: 31 * 60_000 }, '2027-03-01T09:30', true],
  ];
  test.each(cases)('%s', (_n, overrides, start, expected) => {
    expect(isBookableStart({ ...base, ...overrides, start: t(start) })).toBe(expected);
  });

  test('a grid origin reached through a chain of touching windows several days back', () => {
    // Continuous availability from Feb 20 00:00 in day-long windows, 23-hour slots. A start at
    // Mar 1 HH:00 is on the grid of the origin k days back iff 24k + HH is divisible by 23,
    // i.e. k = 23 - HH (mod 23): 14:00 needs k = 9 (Feb 20, the very first window).
    const windows: Interval[] = [];
    for (let d = 0; d < 12; d++) windows.push({ start: t('2027-02-20T00:00') + d * DAY, end: t('2027-02-20T00:00') + (d + 1) * DAY });
    const q = { ...base, availability: oneTime(...windows), slotMinutes: 23 * 60 };
    const start = t('2027-03-01T14:00');
    expect(isBookableStart({ ...q, start })).toBe(true);
    // The slot runs to Mar 2 13:00, so the query must also reach into the Mar 2 window.
    const shown = freeSlots({ ...q, range: { start: t('2027-02-20T00:00'), end: t('2027-03-02T00:00') + 1 } });
    expect(shown.map((s) => s.start)).toContain(start);
    expect(isBookableStart({ ...q, start: t('2027-03-01T05:00') })).toBe(false); // k = 18: no such window
    // The query must start before Feb 21 00:00 and end after Mar 2 00:00: at least 9 days + 2 ms.
    expect(isBookableStart({ ...q, start, maxRangeMs: 9 * DAY + 1 })).toBe(false);
    expect(isBookableStart({ ...q, start, maxRangeMs: 9 * DAY + 2 })).toBe(true);
  });
});
