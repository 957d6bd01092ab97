import {
  lastOccurrenceDate,
  occurrenceDates,
  occursOn,
  scanOccurrenceDays,
  parseLocalDate,
  type RecurrenceRule,
} from '../../src/scheduling';

const rule = (r: Partial<RecurrenceRule>): RecurrenceRule => ({
  frequency: 'WEEKLY',
  interval: 1,
  weekdays: [],
  startTime: 540,
  endTime: 1020,
  startsOn: '2027-03-01', // a Monday
  endsOn: null,
  count: null,
  ...r,
});

describe('occurrenceDates', () => {
  const cases: Array<[string, Partial<RecurrenceRule>, string, string, string[]]> = [
    ['DAILY every day', { frequency: 'DAILY' }, '2027-03-01', '2027-03-05',
      ['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05']],
    ['DAILY every 2nd day', { frequency: 'DAILY', interval: 2 }, '2027-03-01', '2027-03-06',
      ['2027-03-01', '2027-03-03', '2027-03-05']],
    ['DAILY every 2nd day, range starting off-phase', { frequency: 'DAILY', interval: 2 }, '2027-03-02', '2027-03-07',
      ['2027-03-03', '2027-03-05', '2027-03-07']],
    ['DAILY weekday filter', { frequency: 'DAILY', weekdays: ['MONDAY', 'WEDNESDAY', 'FRIDAY'] }, '2027-03-01', '2027-03-07',
      ['2027-03-01', '2027-03-03', '2027-03-05']],
    ['DAILY interval 2 with filter: only Mondays on even day offsets', { frequency: 'DAILY', interval: 2, weekdays: ['MONDAY'] },
      '2027-03-01', '2027-03-31', ['2027-03-01', '2027-03-15', '2027-03-29']],
    ['DAILY interval 7 on a weekday never hit', { frequency: 'DAILY', interval: 7, weekdays: ['TUESDAY'] },
      '2027-03-01', '2027-06-30', []],
    ['WEEKLY several weekdays, interval 2, startsOn mid-week (Thursday)',
      { weekdays: ['SATURDAY', 'TUESDAY', 'THURSDAY'], interval: 2, startsOn: '2027-03-04' }, '2027-03-01', '2027-03-21',
      ['2027-03-04', '2027-03-06', '2027-03-16', '2027-03-18', '2027-03-20']],
    ['WEEKLY interval counted from the Monday-week of startsOn (a Sunday)',
      { weekdays: ['MONDAY'], interval: 2, startsOn: '2027-03-07' }, '2027-03-01', '2027-04-05',
      ['2027-03-15', '2027-03-29']],
    ['WEEKLY range starting in a skipped week', { weekdays: ['WEDNESDAY'], interval: 3 }, '2027-03-05', '2027-04-30',
      ['2027-03-24', '2027-04-14']],
    ['WEEKLY without weekdays defaults to startsOn weekday', { weekdays: [], startsOn: '2027-03-03' }, '2027-03-01', '2027-03-17',
      ['2027-03-03', '2027-03-10', '2027-03-17']],
    ['MONTHLY on the 31st skips short months', { frequency: 'MONTHLY', startsOn: '2027-01-31' }, '2027-01-01', '2027-08-31',
      ['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31', '2027-08-31']],
    ['MONTHLY 31st every 2 months: skipped months still count', { frequency: 'MONTHLY', interval: 2, startsOn: '2027-01-31' },
      '2027-01-01', '2028-01-31', ['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31', '2028-01-31']],
    ['MONTHLY 30th skips February', { frequency: 'MONTHLY', startsOn: '2027-01-30' }, '2027-01-01', '2027-04-30',
      ['2027-01-30', '2027-03-30', '2027-04-30']],
    ['MONTHLY Feb 29 yearly only in leap years', { frequency: 'MONTHLY', interval: 12, startsOn: '2028-02-29' },
      '2028-01-01', '2033-12-31', ['2028-02-29', '2032-02-29']],
    ['MONTHLY Feb 29 monthly: 29th of every month, Feb only in leap years', { frequency: 'MONTHLY', startsOn: '2028-02-29' },
      '2028-12-01', '2029-03-31', ['2028-12-29', '2029-01-29', '2029-03-29']],
    ['endsOn is inclusive', { frequency: 'DAILY', endsOn: '2027-03-03' }, '2027-02-01', '2027-03-31',
      ['2027-03-01', '2027-03-02', '2027-03-03']],
    ['nothing before startsOn', { frequency: 'DAILY', startsOn: '2027-03-30' }, '2027-03-01', '2027-04-01',
      ['2027-03-30', '2027-03-31', '2027-04-01']],
  ];
  test.each(cases)('%s', (_name, r, from, to, expected) => {
    const full = rule(r);
    expect(occurrenceDates(full, lastOccurrenceDate(full), from, to)).toEqual(expected);
    for (const d of expected) expect(occursOn(full, d)).toBe(true);
  });
});

describe('occursOn', () => {
  const cases: Array<[Partial<RecurrenceRule>, string, boolean]> = [
    [{ frequency: 'DAILY', interval: 3 }, '2027-03-04', true],
    [{ frequency: 'DAILY', interval: 3 }, '2027-03-05', false],
    [{ frequency: 'DAILY', interval: 3 }, '2027-02-26', false], // before startsOn, though in phase
    [{ weekdays: ['FRIDAY'], interval: 2 }, '2027-03-05', true],
    [{ weekdays: ['FRIDAY'], interval: 2 }, '2027-03-12', false],
    [{ weekdays: ['FRIDAY'], interval: 2, endsOn: '2027-03-18' }, '2027-03-19', false],
    [{ frequency: 'MONTHLY', startsOn: '2027-01-31' }, '2027-02-28', false],
    [{ frequency: 'MONTHLY', startsOn: '2017-01-31' }, '2037-12-31', true],
    [{ frequency: 'DAILY', count: 1 }, '2027-03-09', true], // count is ignored by occursOn
  ];
  test.each(cases)('%j on %s -> %s', (r, date, expected) => {
    expect(occursOn(rule(r), date)).toBe(expected);
  });
});

const addDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('lastOccurrenceDate', () => {
  const cases: Array<[string, Partial<RecurrenceRule>, string | null]> = [
    ['unbounded', { frequency: 'DAILY' }, null],
    ['endsOn only', { frequency: 'DAILY', endsOn: '2027-05-01' }, '2027-05-01'],
    ['count 1 is startsOn', { frequency: 'DAILY', count: 1 }, '2027-03-01'],
    ['DAILY interval 3, count 4', { frequency: 'DAILY', interval: 3, count: 4 }, '2027-03-10'],
    ['DAILY weekend filter, count 3', { frequency: 'DAILY', weekdays: ['SATURDAY', 'SUNDAY'], count: 3 }, '2027-03-13'],
    ['WEEKLY MWF from a Wednesday, count 5', { weekdays: ['MONDAY', 'WEDNESDAY', 'FRIDAY'], startsOn: '2027-03-03', count: 5 },
      '2027-03-12'],
    ['WEEKLY interval 2 from a Sunday, count 2', { weekdays: ['MONDAY', 'SUNDAY'], interval: 2, startsOn: '2027-03-07', count: 2 },
      '2027-03-15'],
    ['MONTHLY 31st, count 3', { frequency: 'MONTHLY', startsOn: '2027-01-31', count: 3 }, '2027-05-31'],
    ['MONTHLY Feb 29 yearly, count 2', { frequency: 'MONTHLY', interval: 12, startsOn: '2028-02-29', count: 2 }, '2032-02-29'],
    ['endsOn earlier than the count-th', { frequency: 'DAILY', count: 10, endsOn: '2027-03-04' }, '2027-03-04'],
    ['count-th earlier than endsOn', { frequency: 'DAILY', count: 2, endsOn: '2027-03-04' }, '2027-03-02'],
    ['never occurs, no endsOn', { frequency: 'DAILY', interval: 7, weekdays: ['TUESDAY'], count: 3 }, null],
    ['DAILY count 100000', { frequency: 'DAILY', startsOn: '2027-01-01', count: 100_000 }, addDays('2027-01-01', 99_999)],
  ];
  test.each(cases)('%s', (_name, r, expected) => {
    expect(lastOccurrenceDate(rule(r))).toBe(expected);
  });

  test.each([
    [{ frequency: 'WEEKLY', weekdays: ['TUESDAY', 'SATURDAY'], interval: 3, startsOn: '2027-03-06' }],
    [{ frequency: 'DAILY', weekdays: ['MONDAY', 'THURSDAY'], interval: 4, startsOn: '2027-03-02' }],
    [{ frequency: 'MONTHLY', interval: 1, startsOn: '2027-01-31' }],
    [{ frequency: 'MONTHLY', interval: 5, startsOn: '2027-08-30' }],
  ] as Array<[Partial<RecurrenceRule>]>)('count-th occurrence matches a day-by-day walk for %j', (r) => {
    // Walk every day with occursOn, counting, and compare for several counts.
    const full = rule(r);
    let date = full.startsOn;
    let seen = 0;
    const walked: Record<number, string> = {};
    while (seen < 60) {
      if (occursOn(full, date)) walked[++seen] = date;
      date = addDays(date, 1);
    }
    for (const count of [1, 2, 3, 7, 20, 59, 60]) {
      expect(lastOccurrenceDate({ ...full, count })).toBe(walked[count]);
    }
  });

  test.each([
    ['2027-01-31', 1, 100_000], ['2028-02-29', 1, 100_000], ['2028-02-29', 12, 20_000], ['2027-03-30', 7, 100_000], ['2027-05-31', 5, 100_000],
  ] as Array<[string, number, number]>)('MONTHLY from %s every %i months: counts up to %i match a month-by-month walk', (startsOn, interval, maxCount) => {
    const r = rule({ frequency: 'MONTHLY', interval, startsOn });
    const [y0, m0, d0] = startsOn.split('-').map(Number) as [number, number, number];
    const wanted = new Set([1, 2, 1000, 2900, 5000, maxCount]);
    const found = new Map<number, string>();
    for (let k = 0, n = 0; found.size < wanted.size; k++) {
      const first = new Date(Date.UTC(y0, m0 - 1 + k * interval, 1));
      const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
      if (d0 > lastDay) continue;
      if (wanted.has(++n)) {
        const year = first.getUTCFullYear();
        const mm = String(first.getUTCMonth() + 1).padStart(2, '0');
        found.set(n, `${String(year).padStart(4, '0')}-${mm}-${String(d0).padStart(2, '0')}`);
      }
    }
    for (const [count, date] of found) expect(lastOccurrenceDate({ ...r, count })).toBe(date);
  });

  test('count bounds occurrenceDates through lastOccursOn', () => {
    const r = rule({ weekdays: ['MONDAY', 'WEDNESDAY', 'FRIDAY'], startsOn: '2027-03-03', count: 5 });
    expect(occurrenceDates(r, lastOccurrenceDate(r), '2027-01-01', '2027-12-31')).toEqual([
      '2027-03-03', '2027-03-05', '2027-03-08', '2027-03-10', '2027-03-12',
    ]);
  });

  test('count up to 100000 for every frequency completes and is consistent with occursOn', () => {
    for (const r of [
      rule({ weekdays: ['MONDAY', 'FRIDAY'], count: 100_000 }),
      rule({ frequency: 'MONTHLY', startsOn: '2027-01-31', count: 100_000 }),
      rule({ frequency: 'DAILY', weekdays: ['SUNDAY'], count: 100_000 }),
    ]) {
      const last = lastOccurrenceDate(r)!;
      expect(occursOn(r, last)).toBe(true);
    }
  });
});

describe('expansion cost does not depend on how long ago the rule started', () => {
  const fromDay = parseLocalDate('2027-06-01');
  const toDay = parseLocalDate('2027-07-31');
  test.each([
    ['DAILY', { frequency: 'DAILY' }, '2017-01-02', '2027-05-24'],
    ['DAILY interval 3 + filter', { frequency: 'DAILY', interval: 3, weekdays: ['MONDAY', 'TUESDAY'] }, '2017-01-02', '2027-05-24'],
    ['WEEKLY interval 2', { weekdays: ['MONDAY', 'FRIDAY'], interval: 2 }, '2017-01-02', '2027-05-24'],
    ['MONTHLY', { frequency: 'MONTHLY' }, '2017-01-15', '2027-05-15'],
  ] as Array<[string, Partial<RecurrenceRule>, string, string]>)('%s', (_name, r, old, recent) => {
    const count = (startsOn: string) => {
      const days: number[] = [];
      const steps = scanOccurrenceDays(rule({ ...r, startsOn }), fromDay, toDay, (d) => days.push(d));
      return { steps, produced: days.length };
    };
    const a = count(old);
    const b = count(recent);
    expect(a.steps).toBe(b.steps);
    // The scan examines at most one candidate per day (per weekday for WEEKLY) of the range.
    expect(a.steps).toBeLessThanOrEqual(toDay - fromDay + 7);
  });
});
