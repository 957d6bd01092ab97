/*
 * Booking policies of an event type (contract Part 2, Semantics 9-10): step, notice, buffers,
 * horizon and daily cap, each alone and combined. Every case also checks that isBookableStart
 * accepts exactly the starts that some allowed freeSlots query lists (see `bookableAgrees`).
 */
import {
  bookingHorizonEnd,
  freeSlots,
  isBookableStart,
  occupiedSpan,
  unbookableReason,
  wallTimeToInstant,
  type FreeSlotQuery,
  type Interval,
  type SlotPolicy,
  type UnbookableReason,
} from '../../src/scheduling';

const MIN = 60_000;
const DAY = 86_400_000;
const t = (s: string): number => Date.parse(s.endsWith('Z') ? s : `${s}Z`);
const iv = (a: string, b: string): Interval => ({ start: t(a), end: t(b) });
const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');
/** A wall time of `zone` as an instant ('2030-03-10 22:00'). */
const wall = (zone: string, dateTime: string): number =>
  wallTimeToInstant(dateTime.slice(0, 10), Number(dateTime.slice(11, 13)) * 60 + Number(dateTime.slice(14, 16)), zone);

interface Case {
  zone?: string;
  windows: Interval[];
  range: Interval;
  slotMinutes: number;
  policy?: SlotPolicy;
  busy?: Interval[];
  now?: string;
  dayCounts?: Record<string, number>;
}

const MAX_RANGE_MS = 2 * DAY;

function queryOf(c: Case): FreeSlotQuery {
  return {
    availability: { oneTime: c.windows, recurring: [] },
    timeZone: c.zone ?? 'UTC',
    slotMinutes: c.slotMinutes,
    busy: c.busy ?? [],
    now: c.now === undefined ? 0 : t(c.now),
    range: c.range,
    policy: c.policy,
    dayCounts: c.dayCounts && new Map(Object.entries(c.dayCounts)),
  };
}

const startsOf = (c: Case): string[] => freeSlots(queryOf(c)).map((s) => iso(s.start));

/**
 * Every 5-minute start around the windows on which isBookableStart disagrees with a brute force:
 * a start is listed by some query [a, a + MAX_RANGE_MS) with a <= start iff it is listed by one
 * whose `a` is the start itself or a window end minus 1 ms (only those change what merges).
 */
function bookableDisagreements(c: Case): string[] {
  const q = queryOf(c);
  const { range: _range, ...rest } = q;
  const ends = c.windows.map((w) => w.end);
  const first = Math.min(...c.windows.map((w) => w.start)) - 60 * MIN;
  const last = Math.max(...ends) + 60 * MIN;
  const wrong: string[] = [];
  for (let start = first; start < last; start += 5 * MIN) {
    const witnesses = [start, ...ends.filter((e) => e <= start && e - 1 > start - MAX_RANGE_MS).map((e) => e - 1)];
    const listed = witnesses.some((a) => freeSlots({ ...q, range: { start: a, end: a + MAX_RANGE_MS } }).some((s) => s.start === start));
    if (isBookableStart({ ...rest, start, maxRangeMs: MAX_RANGE_MS }) !== listed) wrong.push(`${iso(start)} listed=${listed}`);
  }
  return wrong;
}

function expectCase(c: Case, expected: string[]): void {
  expect(startsOf(c)).toEqual(expected);
  for (const s of freeSlots(queryOf(c))) expect(s.end - s.start).toBe(c.slotMinutes * MIN);
  expect(bookableDisagreements(c)).toEqual([]);
}

const day = (d: string) => ({ range: iv(`${d}T00:00`, `${d}T23:55`), windows: [iv(`${d}T09:00`, `${d}T12:00`)] });
const D = '2030-03-04';
const morning = day(D);
/** A booking of another event type, 10:00-10:30, that recorded a 30-minute after-buffer. */
const otherTypesBooking = occupiedSpan(iv(`${D}T10:00`, `${D}T10:30`), 0, 30);

describe('slot step', () => {
  const cases: Array<[string, Case, string[]]> = [
    ['a 45-minute step over a 60-minute duration', { ...morning, slotMinutes: 60, policy: { stepMinutes: 45 } },
      ['09:00', '09:45', '10:30']],
    ['a 15-minute step over 30 minutes: slots overlap each other', { ...morning, windows: [iv(`${D}T09:00`, `${D}T10:00`)], slotMinutes: 30, policy: { stepMinutes: 15 } },
      ['09:00', '09:15', '09:30']],
    ['a step longer than the duration leaves gaps', { ...morning, slotMinutes: 30, policy: { stepMinutes: 90 } },
      ['09:00', '10:30']],
    ['busy time skips to the next step clear of it', { ...morning, slotMinutes: 60, policy: { stepMinutes: 45 }, busy: [iv(`${D}T10:00`, `${D}T10:15`)] },
      ['09:00', '10:30']],
    ['steps count from the merged interval\'s start, before from', { ...morning, windows: [iv(`${D}T08:00`, `${D}T12:00`)], range: iv(`${D}T09:00`, `${D}T23:55`), slotMinutes: 60, policy: { stepMinutes: 45 } },
      ['09:30', '10:15', '11:00']],
    ['touching windows: one grid across the seam', { ...morning, windows: [iv(`${D}T08:00`, `${D}T09:00`), iv(`${D}T09:00`, `${D}T12:00`)], slotMinutes: 60, policy: { stepMinutes: 45 } },
      ['08:00', '08:45', '09:30', '10:15', '11:00']],
    ['a null step is the duration', { ...morning, slotMinutes: 60, policy: { stepMinutes: null } },
      ['09:00', '10:00', '11:00']],
  ];
  test.each(cases)('%s', (_n, c, expected) => expectCase(c, expected.map((h) => `${D}T${h}Z`)));
});

describe('minimum notice', () => {
  const seam = { ...morning, windows: [iv(`${D}T09:00`, `${D}T10:00`), iv(`${D}T10:00`, `${D}T12:00`)] };
  const cases: Array<[string, Case, string[]]> = [
    ['notice cuts a slot in the middle of a merged interval; the grid stays anchored', { ...seam, slotMinutes: 45, now: `${D}T08:30`, policy: { minNoticeMinutes: 60 } },
      ['09:45', '10:30', '11:15']],
    ['a slot starting exactly at now + notice is kept', { ...morning, slotMinutes: 60, now: `${D}T08:45`, policy: { minNoticeMinutes: 15 } },
      ['09:00', '10:00', '11:00']],
    ['notice is any whole minutes, off the grid', { ...morning, slotMinutes: 60, now: `${D}T08:54`, policy: { minNoticeMinutes: 7 } },
      ['10:00', '11:00']],
    ['notice counts from now, not from the range', { ...morning, range: iv(`${D}T10:00`, `${D}T23:55`), slotMinutes: 60, now: `${D}T07:00`, policy: { minNoticeMinutes: 120 } },
      ['10:00', '11:00']],
    ['no notice: only the past is cut', { ...morning, slotMinutes: 60, now: `${D}T09:01`, policy: { minNoticeMinutes: 0 } },
      ['10:00', '11:00']],
  ];
  test.each(cases)('%s', (_n, c, expected) => expectCase(c, expected.map((h) => `${D}T${h}Z`)));
});

describe('buffers', () => {
  const cases: Array<[string, Case, string[]]> = [
    ['a before-buffer at a window\'s opening keeps the slot', { ...morning, slotMinutes: 60, policy: { bufferBeforeMinutes: 30 } },
      ['09:00', '10:00', '11:00']],
    ['an after-buffer at a window\'s closing keeps the last slot', { ...morning, slotMinutes: 60, policy: { bufferAfterMinutes: 30 } },
      ['09:00', '10:00', '11:00']],
    ['a before-buffer drops the slot right after a booking', { ...morning, slotMinutes: 60, policy: { bufferBeforeMinutes: 15 }, busy: [iv(`${D}T10:00`, `${D}T11:00`)] },
      ['09:00']],
    ['an after-buffer drops the slot right before a booking', { ...morning, slotMinutes: 60, policy: { bufferAfterMinutes: 15 }, busy: [iv(`${D}T10:00`, `${D}T11:00`)] },
      ['11:00']],
    ['a span that only touches busy time is kept', { ...morning, slotMinutes: 30, policy: { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 }, busy: [iv(`${D}T10:00`, `${D}T10:30`)] },
      ['09:00', '11:00', '11:30']],
    ['busy time before the window still meets a before-buffer', { ...morning, slotMinutes: 60, policy: { bufferBeforeMinutes: 20 }, busy: [iv(`${D}T08:30`, `${D}T08:45`)] },
      ['10:00', '11:00']],
    ['a booking of another event type occupies its own recorded after-buffer', { ...morning, slotMinutes: 30, busy: [otherTypesBooking] },
      ['09:00', '09:30', '11:00', '11:30']],
    ['... and our before-buffer must clear that occupied span', { ...morning, slotMinutes: 30, policy: { bufferBeforeMinutes: 10 }, busy: [otherTypesBooking] },
      ['09:00', '09:30', '11:30']],
    ['a booking\'s recorded before-buffer meets our after-buffer', { ...morning, slotMinutes: 30, policy: { bufferAfterMinutes: 10 }, busy: [occupiedSpan(iv(`${D}T11:00`, `${D}T11:30`), 15, 0)] },
      ['09:00', '09:30', '10:00', '11:30']],
    ['buffers with a step: skips past busy time by whole steps', { ...morning, slotMinutes: 30, policy: { stepMinutes: 15, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 }, busy: [iv(`${D}T10:00`, `${D}T10:30`)] },
      ['09:00', '09:15', '10:45', '11:00', '11:15', '11:30']],
  ];
  test.each(cases)('%s', (_n, c, expected) => expectCase(c, expected.map((h) => `${D}T${h}Z`)));

  test('occupiedSpan widens a booking by the buffers it recorded', () => {
    expect(occupiedSpan(iv(`${D}T10:00`, `${D}T10:30`), 15, 30)).toEqual(iv(`${D}T09:45`, `${D}T11:00`));
    expect(occupiedSpan(iv(`${D}T10:00`, `${D}T10:30`), 0, 0)).toEqual(iv(`${D}T10:00`, `${D}T10:30`));
  });
});

describe('horizon', () => {
  const NY = 'America/New_York';
  const BERLIN = 'Europe/Berlin';
  const cases: Array<[string, Case, string[]]> = [
    ['one day: slots before the next local midnight only', {
      windows: [iv('2030-03-04T09:00', '2030-03-04T12:00'), iv('2030-03-05T09:00', '2030-03-05T12:00')], range: iv('2030-03-04T00:00', '2030-03-06T00:00'),
      slotMinutes: 60, now: '2030-03-04T09:30', policy: { horizonDays: 1 } },
    ['2030-03-04T10:00Z', '2030-03-04T11:00Z']],
    ['ends at the owner\'s midnight, not 24 hours after now', {
      zone: NY, windows: [iv('2030-01-10T22:00', '2030-01-11T08:00')], range: iv('2030-01-10T00:00', '2030-01-12T00:00'),
      slotMinutes: 60, now: '2030-01-10T23:00', policy: { horizonDays: 1 } }, // 18:00 EST: the horizon is 00:00 EST = 05:00Z
    ['2030-01-10T23:00Z', '2030-01-11T00:00Z', '2030-01-11T01:00Z', '2030-01-11T02:00Z', '2030-01-11T03:00Z', '2030-01-11T04:00Z']],
    ['across a spring-forward change (New York): 00:00 EDT', {
      zone: NY, windows: [iv('2030-03-11T02:00', '2030-03-11T07:00')], range: iv('2030-03-09T00:00', '2030-03-12T00:00'),
      slotMinutes: 60, now: '2030-03-09T17:00', policy: { horizonDays: 2 } }, // a fixed 48 h from 00:00 EST would end at 05:00Z
    ['2030-03-11T02:00Z', '2030-03-11T03:00Z']],
    ['across a fall-back change (Berlin): 00:00 CET', {
      zone: BERLIN, windows: [iv('2030-10-27T21:00', '2030-10-28T01:00')], range: iv('2030-10-26T00:00', '2030-10-29T00:00'),
      slotMinutes: 60, now: '2030-10-26T10:00', policy: { horizonDays: 2 } }, // a fixed 48 h from 00:00 CEST would end at 22:00Z
    ['2030-10-27T21:00Z', '2030-10-27T22:00Z']],
    ['intervals beyond the horizon still merge: the grid does not move', {
      windows: [iv('2030-03-04T22:00', '2030-03-05T00:00'), iv('2030-03-05T00:00', '2030-03-05T03:00')], range: iv('2030-03-04T00:00', '2030-03-06T00:00'),
      slotMinutes: 45, now: '2030-03-04T12:00', policy: { horizonDays: 1 } },
    ['2030-03-04T22:00Z', '2030-03-04T22:45Z', '2030-03-04T23:30Z']],
  ];
  test.each(cases)('%s', (_n, c, expected) => expectCase(c, expected));

  test.each([
    ['2030-03-09T17:00Z', NY, 2, '2030-03-11T04:00:00.000Z'],
    ['2030-11-02T16:00Z', NY, 2, '2030-11-04T05:00:00.000Z'],
    ['2030-03-30T10:00Z', BERLIN, 1, '2030-03-30T23:00:00.000Z'],
    ['2030-03-30T10:00Z', BERLIN, 2, '2030-03-31T22:00:00.000Z'],
    ['2030-10-26T10:00Z', BERLIN, 2, '2030-10-27T23:00:00.000Z'],
    ['2030-01-11T04:59Z', NY, 1, '2030-01-11T05:00:00.000Z'], // 23:59 local: tomorrow is one minute away
    ['2030-09-06T12:00Z', 'America/Santiago', 2, '2030-09-08T04:00:00.000Z'], // 09-08 00:00 does not exist: 01:00 -03
    ['2030-03-04T10:00Z', 'UTC', 0, '2030-03-04T00:00:00.000Z'],
  ])('bookingHorizonEnd(%s, %s, %i) = %s', (now, zone, days, expected) => {
    expect(new Date(bookingHorizonEnd(t(now), zone, days)).toISOString()).toBe(expected);
  });
});

describe('daily cap', () => {
  /** Windows from the day before `date` 22:00 to the day after 02:00, local: slots on three local dates. */
  const aroundDate = (zone: string, date: string, dayCounts: Record<string, number>): Case => {
    const before = new Date(t(`${date}T00:00`) - DAY).toISOString().slice(0, 10);
    const after = new Date(t(`${date}T00:00`) + DAY).toISOString().slice(0, 10);
    return {
      zone, windows: [{ start: wall(zone, `${before} 22:00`), end: wall(zone, `${after} 02:00`) }],
      range: iv(`${before}T00:00`, `${after}T23:00`), slotMinutes: 60, policy: { maxPerDay: 2 }, dayCounts,
    };
  };
  // The full date's slots are gone; the two hours each side, on the neighbouring dates, stay.
  const fullDay: Array<[string, string, string[]]> = [
    ['America/New_York', '2030-03-10', ['2030-03-10T03:00Z', '2030-03-10T04:00Z', '2030-03-11T04:00Z', '2030-03-11T05:00Z']],
    ['America/New_York', '2030-11-03', ['2030-11-03T02:00Z', '2030-11-03T03:00Z', '2030-11-04T05:00Z', '2030-11-04T06:00Z']],
    ['Europe/Berlin', '2030-03-31', ['2030-03-30T21:00Z', '2030-03-30T22:00Z', '2030-03-31T22:00Z', '2030-03-31T23:00Z']],
    ['Europe/Berlin', '2030-10-27', ['2030-10-26T20:00Z', '2030-10-26T21:00Z', '2030-10-27T23:00Z', '2030-10-28T00:00Z']],
  ];
  test.each(fullDay)('a full %s %s (DST change) drops exactly that local date', (zone, date, expected) => {
    expectCase(aroundDate(zone, date, { [date]: 2 }), expected);
  });

  // Only the DST date has room: 23 or 25 hourly slots, from its local 00:00 to its last hour.
  const openDay: Array<[string, string, number, string, string]> = [
    ['America/New_York', '2030-03-10', 23, '2030-03-10T05:00Z', '2030-03-11T03:00Z'],
    ['America/New_York', '2030-11-03', 25, '2030-11-03T04:00Z', '2030-11-04T04:00Z'],
    ['Europe/Berlin', '2030-03-31', 23, '2030-03-30T23:00Z', '2030-03-31T21:00Z'],
    ['Europe/Berlin', '2030-10-27', 25, '2030-10-26T22:00Z', '2030-10-27T22:00Z'],
  ];
  test.each(openDay)('with its neighbours full, %s %s keeps its %i hours', (zone, date, count, first, last) => {
    const before = new Date(t(`${date}T00:00`) - DAY).toISOString().slice(0, 10);
    const after = new Date(t(`${date}T00:00`) + DAY).toISOString().slice(0, 10);
    const c = aroundDate(zone, date, { [before]: 2, [date]: 1, [after]: 5 });
    const starts = startsOf(c);
    expect([starts.length, starts[0], starts[starts.length - 1]]).toEqual([count, first, last]);
    expect(bookableDisagreements(c)).toEqual([]);
  });

  const night = { windows: [iv('2030-03-04T22:00', '2030-03-05T03:00')], range: iv('2030-03-04T00:00', '2030-03-06T00:00'), slotMinutes: 90 };
  const cases: Array<[string, Case, string[]]> = [
    ['a slot counts on the date it starts, though it runs past midnight', { ...night, policy: { maxPerDay: 3 }, dayCounts: { '2030-03-05': 3 } },
      ['2030-03-04T22:00Z', '2030-03-04T23:30Z']],
    ['... so a full start date drops it', { ...night, policy: { maxPerDay: 3 }, dayCounts: { '2030-03-04': 3 } },
      ['2030-03-05T01:00Z']],
    ['a date below the cap keeps every slot', { ...night, policy: { maxPerDay: 3 }, dayCounts: { '2030-03-04': 2, '2030-03-05': 2 } },
      ['2030-03-04T22:00Z', '2030-03-04T23:30Z', '2030-03-05T01:00Z']],
    ['counts above the cap (the cap was lowered) count as full', { ...night, policy: { maxPerDay: 1 }, dayCounts: { '2030-03-04': 4 } },
      ['2030-03-05T01:00Z']],
    ['a null cap ignores the counts', { ...night, policy: { maxPerDay: null }, dayCounts: { '2030-03-04': 4 } },
      ['2030-03-04T22:00Z', '2030-03-04T23:30Z', '2030-03-05T01:00Z']],
    ['local dates of the owner\'s zone, not UTC (New York)', { ...night, zone: 'America/New_York', policy: { maxPerDay: 1 }, dayCounts: { '2030-03-04': 1 } },
      []], // every start lies on 03-04 in New York (17:00-20:00 EST)
  ];
  test.each(cases)('%s', (_n, c, expected) => expectCase(c, expected));
});

describe('policies combined', () => {
  const NY = 'America/New_York';
  // 09:00-17:00 EST on Mon 03-04 .. Wed 03-06 (14:00Z-22:00Z); now 03-04 09:00 EST.
  const week = {
    zone: NY,
    windows: ['2030-03-04', '2030-03-05', '2030-03-06'].map((d) => iv(`${d}T14:00`, `${d}T22:00`)),
    range: iv('2030-03-04T00:00', '2030-03-07T00:00'),
    now: '2030-03-04T14:00',
  };
  // A booking of another type 12:00-12:30 EST with its own 15-minute after-buffer.
  const busy = [occupiedSpan(iv('2030-03-04T17:00', '2030-03-04T17:30'), 0, 15)];
  const policy: SlotPolicy = { stepMinutes: 30, minNoticeMinutes: 90, bufferBeforeMinutes: 15, bufferAfterMinutes: 15, horizonDays: 2, maxPerDay: 3 };
  const cases: Array<[string, Case, string[]]> = [
    ['step, notice, buffers, horizon and cap together', { ...week, slotMinutes: 60, policy, busy, dayCounts: { '2030-03-05': 3 } },
      // notice: from 15:30Z; buffers: spans of 16:00-17:30 overlap the booking's; 03-05 full; 03-06 past the horizon.
      ['15:30', '18:00', '18:30', '19:00', '19:30', '20:00', '20:30', '21:00'].map((h) => `2030-03-04T${h}Z`)],
    ['the same with room on 03-05', { ...week, slotMinutes: 60, policy, busy, dayCounts: { '2030-03-05': 2 } },
      [...['15:30', '18:00', '18:30', '19:00', '19:30', '20:00', '20:30', '21:00'].map((h) => `2030-03-04T${h}Z`),
        ...['14:00', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00', '17:30', '18:00', '18:30', '19:00', '19:30', '20:00', '20:30', '21:00'].map((h) => `2030-03-05T${h}Z`)]],
  ];
  test.each(cases)('%s', (_n, c, expected) => expectCase(c, expected));

  test('limit counts kept slots only, policies applied', () => {
    const q = queryOf({ ...week, slotMinutes: 60, policy, busy, dayCounts: { '2030-03-05': 2 } });
    expect(freeSlots({ ...q, limit: 3 }).map((s) => iso(s.start))).toEqual(['2030-03-04T15:30Z', '2030-03-04T18:00Z', '2030-03-04T18:30Z']);
  });
});

describe('a query without policies is Part 1', () => {
  const busy = [iv(`${D}T10:15`, `${D}T10:30`)];
  test.each<[string, SlotPolicy | undefined]>([
    ['no policy', undefined],
    ['an empty policy', {}],
    ['every field null', { stepMinutes: null, minNoticeMinutes: null, bufferBeforeMinutes: null, bufferAfterMinutes: null, horizonDays: null, maxPerDay: null }],
    ['zeros, and a step equal to the duration', { stepMinutes: 60, minNoticeMinutes: 0, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }],
  ])('%s', (_n, policy) => {
    expectCase({ ...morning, slotMinutes: 60, busy, now: `${D}T08:00`, policy }, [`${D}T09:00Z`, `${D}T11:00Z`]);
  });
});

describe('unbookableReason', () => {
  const NY = 'America/New_York';
  const base: Case = {
    zone: NY, windows: [iv('2030-03-04T14:00', '2030-03-04T22:00'), iv('2030-03-05T14:00', '2030-03-05T22:00')],
    range: iv('2030-03-04T00:00', '2030-03-06T00:00'), slotMinutes: 60, now: '2030-03-04T13:00',
    policy: { stepMinutes: 45, minNoticeMinutes: 150, bufferBeforeMinutes: 15, horizonDays: 1, maxPerDay: 2 },
    busy: [iv('2030-03-04T19:45', '2030-03-04T20:00')], dayCounts: { '2030-03-04': 1 },
  };
  // The 45-minute grid from 14:00Z: 14:00, 14:45, 15:30, 16:15, ... 20:45, 21:30.
  const cases: Array<[string, Partial<Case>, string, UnbookableReason | null]> = [
    ['a free start exactly at now + notice', {}, '2030-03-04T15:30', null],
    ['before now', {}, '2030-03-04T12:00', 'past'],
    ['inside the notice', {}, '2030-03-04T14:45', 'notice'],
    ['at the horizon (00:00 EST of 03-05)', {}, '2030-03-05T05:00', 'horizon'],
    ['beyond the horizon, though free', {}, '2030-03-05T14:00', 'horizon'],
    ['off the step grid', {}, '2030-03-04T16:00', 'unavailable'],
    ['running past the window', {}, '2030-03-04T21:30', 'unavailable'],
    ['a full local date', { dayCounts: { '2030-03-04': 2 } }, '2030-03-04T15:30', 'dayFull'],
    ['the before-buffer alone meets busy time', {}, '2030-03-04T20:00', 'taken'],
    ['the slot itself meets busy time', {}, '2030-03-04T19:15', 'taken'],
    ['the before-buffer touching busy time', { busy: [iv('2030-03-04T15:00', '2030-03-04T15:15')] }, '2030-03-04T15:30', null],
    ['the end touching busy time', { busy: [iv('2030-03-04T16:30', '2030-03-04T17:00')] }, '2030-03-04T15:30', null],
  ];
  test.each(cases)('%s', (_n, overrides, start, expected) => {
    const { range: _range, ...rest } = queryOf({ ...base, ...overrides });
    const q = { ...rest, start: t(start), maxRangeMs: 366 * DAY };
    expect(unbookableReason(q)).toBe(expected);
    expect(isBookableStart(q)).toBe(expected === null);
  });
});

describe('bad policies are refused', () => {
  const q = queryOf({ ...morning, slotMinutes: 60 });
  test.each<[string, Partial<FreeSlotQuery>]>([
    ['a zero step', { policy: { stepMinutes: 0 } }],
    ['a fractional step', { policy: { stepMinutes: 7.5 } }],
    ['a negative notice', { policy: { minNoticeMinutes: -1 } }],
    ['a negative buffer', { policy: { bufferAfterMinutes: -5 } }],
    ['a negative horizon', { policy: { horizonDays: -1 } }],
    ['a cap without counts', { policy: { maxPerDay: 2 } }],
  ])('%s', (_n, overrides) => {
    expect(() => freeSlots({ ...q, ...overrides })).toThrow(RangeError);
    const { range: _range, ...rest } = { ...q, ...overrides };
    expect(() => isBookableStart({ ...rest, start: t(`${D}T09:00`), maxRangeMs: DAY })).toThrow(RangeError);
  });
});
