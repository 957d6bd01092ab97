/*
 * Property tests: the engine against a deliberately naive oracle that shares no code with it.
 *   - occurrence dates: walk day by day from startsOn with plain day/week/month counters;
 *   - wall time -> instant: scan candidate UTC instants on a 5-minute grid around the target,
 *     reading the wall clock with Intl.formatToParts, earliest match wins; a skipped wall time is
 *     moved forward by the measured gap;
 *   - free slots: mark covered minutes; in each maximal run, walk every minute and keep those a
 *     whole number of steps from the run's start whose slot fits; then test each policy directly
 *     (notice, horizon from the Intl wall clock's date, the cap on the Intl date of the start,
 *     buffers against each booking widened by its own recorded buffers).
 * Deterministic by default (seed 20271, 200 runs). For a deeper search:
 *   FC_RUNS=5000 npx jest tests/scheduling
 *   FC_SEED=123 npx jest tests/scheduling
 */
import fc from 'fast-check';
import {
  freeSlots,
  isBookableStart,
  lastOccurrenceDate,
  occupiedSpan,
  occurrenceDates,
  wallTimeToInstant,
  type Availability,
  type FreeSlotQuery,
  type Interval,
  type OccurrenceException,
  type RecurrenceRule,
  type Weekday,
} from '../../src/scheduling';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20271), numRuns: Number(process.env.FC_RUNS ?? 200) });

const MIN = 60_000;
const DAY = 86_400_000;
const ZONES = ['Australia/Lord_Howe', 'America/Santiago', 'Europe/London', 'Pacific/Chatham', 'America/New_York', 'Asia/Kolkata', 'UTC'];
// JS getUTCDay order: Sunday first.
const JS_WEEKDAYS: Weekday[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

// ---------- oracle: calendar ----------
const dateToMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const msToDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Every date the rule produces up to `until`, walking each day from startsOn with counters. */
function oracleDates(rule: RecurrenceRule, until: string): string[] {
  const out: string[] = [];
  const start = new Date(dateToMs(rule.startsOn));
  const last = dateToMs(until);
  let dayIndex = 0;
  let weekIndex = 0;
  let monthIndex = 0;
  let produced = 0;
  for (let d = new Date(start); d.getTime() <= last; d = new Date(d.getTime() + DAY), dayIndex++) {
    if (dayIndex > 0 && d.getUTCDay() === 1) weekIndex++;
    if (dayIndex > 0 && d.getUTCDate() === 1) monthIndex++;
    const date = msToDate(d.getTime());
    if (rule.endsOn !== null && date > rule.endsOn) break;
    if (rule.count !== null && produced >= rule.count) break;
    const weekday = JS_WEEKDAYS[d.getUTCDay()]!;
    let occurs = false;
    if (rule.frequency === 'DAILY') {
      occurs = dayIndex % rule.interval === 0 && (rule.weekdays.length === 0 || rule.weekdays.includes(weekday));
    } else if (rule.frequency === 'WEEKLY') {
      occurs = weekIndex % rule.interval === 0 && rule.weekdays.includes(weekday);
    } else {
      occurs = monthIndex % rule.interval === 0 && d.getUTCDate() === start.getUTCDate();
    }
    if (occurs) {
      out.push(date);
      produced++;
    }
  }
  return out;
}

// ---------- oracle: time zones ----------
const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const wallMemo = new Map<string, number>();
/** The wall clock of `zone` at `instant`, as if it were UTC (ms). */
function wallClock(instant: number, zone: string): number {
  const key = `${zone}|${instant}`;
  const hit = wallMemo.get(key);
  if (hit !== undefined) return hit;
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    partsFormatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
  if (wallMemo.size > 2_000_000) wallMemo.clear();
  wallMemo.set(key, wall);
  return wall;
}

function earliestInstantShowing(wall: number, zone: string): number | null {
  for (let t = wall - 15 * 3_600_000; t <= wall + 15 * 3_600_000; t += 5 * MIN) {
    if (wallClock(t, zone) === wall) return t;
  }
  return null;
}

function oracleInstant(date: string, minutes: number, zone: string): number {
  const wall = dateToMs(date) + minutes * MIN;
  const exact = earliestInstantShowing(wall, zone);
  if (exact !== null) return exact;
  // In a gap: find the jump of the wall clock nearest the target and move forward by its size.
  for (let t = wall - 15 * 3_600_000; t <= wall + 15 * 3_600_000; t += 5 * MIN) {
    const jump = wallClock(t + 5 * MIN, zone) - wallClock(t, zone) - 5 * MIN;
    if (jump > 0 && wallClock(t, zone) < wall && wallClock(t + 5 * MIN, zone) > wall) {
      const moved = earliestInstantShowing(wall + jump, zone);
      if (moved !== null) return moved;
    }
  }
  throw new Error(`oracle could not place ${date} ${minutes} in ${zone}`);
}

// ---------- oracle: free slots ----------
/** An event type's policies in minutes (null: not set), or none at all. */
interface Policy {
  step: number | null;
  notice: number | null;
  before: number | null;
  after: number | null;
  horizonDays: number | null;
  maxPerDay: number | null;
}

/** A live booking and the buffers it recorded when it was made (of any event type). */
interface Booked {
  start: number;
  end: number;
  beforeMin: number;
  afterMin: number;
}

interface Scenario {
  zone: string;
  specs: Array<{ rule: RecurrenceRule; exceptions: OccurrenceException[] }>;
  oneTime: Interval[];
  bookings: Booked[];
  from: number;
  to: number;
  now: number;
  slotMinutes: number;
  policy: Policy | null;
  /** Bookings of the event type per local date of their start. */
  dayCounts: Record<string, number>;
}

const oracleLocalDate = (instant: number, zone: string): string => msToDate(wallClock(instant, zone));

/** 00:00 of (the local date of now) + horizonDays, placed by the oracle's wall-clock scan. */
function oracleHorizon(s: Scenario): number {
  const days = s.policy?.horizonDays ?? null;
  if (days === null) return Infinity;
  return oracleInstant(msToDate(dateToMs(oracleLocalDate(s.now, s.zone)) + days * DAY), 0, s.zone);
}

const occupiedBy = (b: Booked): Interval => ({ start: b.start - b.beforeMin * MIN, end: b.end + b.afterMin * MIN });

function oracleIntervals(s: Scenario): Interval[] {
  const fromDate = msToDate(s.from - 2 * DAY);
  const untilDate = msToDate(s.to + 2 * DAY);
  const out: Interval[] = [...s.oneTime];
  for (const { rule, exceptions } of s.specs) {
    const lastExceptionDate = exceptions.map((e) => e.date).sort().pop() ?? untilDate;
    const produced = new Set(oracleDates(rule, lastExceptionDate > untilDate ? lastExceptionDate : untilDate));
    const byDate = new Map<string, OccurrenceException>();
    for (const e of exceptions) if (produced.has(e.date)) byDate.set(e.date, e);
    for (const e of byDate.values()) {
      if (!e.cancelled && e.startsAt !== null && e.endsAt !== null) out.push({ start: e.startsAt, end: e.endsAt });
    }
    for (const date of produced) {
      if (date < fromDate || date > untilDate) continue;
      const e = byDate.get(date);
      if (e && (e.cancelled || (e.startsAt !== null && e.endsAt !== null))) continue;
      const endDate = rule.endTime === 1440 ? msToDate(dateToMs(date) + DAY) : date;
      out.push({
        start: oracleInstant(date, rule.startTime, s.zone),
        end: oracleInstant(endDate, rule.endTime % 1440, s.zone),
      });
    }
  }
  return out.filter((i) => i.start < i.end && i.start < s.to && i.end > s.from);
}

function oracleSlots(s: Scenario): Interval[] {
  const intervals = oracleIntervals(s);
  if (intervals.length === 0) return [];
  const base = Math.min(...intervals.map((i) => i.start));
  const top = Math.max(...intervals.map((i) => i.end));
  const covered = new Uint8Array((top - base) / MIN);
  for (const i of intervals) covered.fill(1, (i.start - base) / MIN, (i.end - base) / MIN);
  const d = s.slotMinutes;
  const step = s.policy?.step ?? d;
  const notice = s.policy?.notice ?? 0;
  const before = s.policy?.before ?? 0;
  const after = s.policy?.after ?? 0;
  const maxPerDay = s.policy?.maxPerDay ?? null;
  const horizon = oracleHorizon(s);
  const slots: Interval[] = [];
  let m = 0;
  while (m < covered.length) {
    if (!covered[m]) {
      m++;
      continue;
    }
    let runEnd = m;
    while (runEnd < covered.length && covered[runEnd]) runEnd++;
    for (let k = m; k + d <= runEnd; k++) {
      if ((k - m) % step !== 0) continue;
      const slot = { start: base + k * MIN, end: base + (k + d) * MIN };
      if (slot.start < s.from || slot.start >= s.to || slot.start < s.now + notice * MIN || slot.start >= horizon) continue;
      if (maxPerDay !== null && (s.dayCounts[oracleLocalDate(slot.start, s.zone)] ?? 0) >= maxPerDay) continue;
      const span = { start: slot.start - before * MIN, end: slot.end + after * MIN };
      if (s.bookings.map(occupiedBy).some((b) => b.start < span.end && span.start < b.end)) continue;
      slots.push(slot);
    }
    m = runEnd;
  }
  return slots;
}

// ---------- generators ----------
const BASE_DAY = dateToMs('2026-01-01');
const SPAN_DAYS = dateToMs('2030-12-31') / DAY - BASE_DAY / DAY;
const WEEKDAY_NAMES: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const ruleArb: fc.Arbitrary<RecurrenceRule> = fc
  .record({
    frequency: fc.constantFrom<RecurrenceRule['frequency']>('DAILY', 'WEEKLY', 'MONTHLY'),
    interval: fc.integer({ min: 1, max: 4 }),
    weekdays: fc.subarray(WEEKDAY_NAMES),
    startSlot: fc.integer({ min: 0, max: 287 }),
    lengthSlots: fc.integer({ min: 1, max: 288 }),
    startDay: fc.integer({ min: 0, max: SPAN_DAYS }),
    // Month-end days exercise the MONTHLY skip logic.
    monthEnd: fc.boolean(),
    endsAfter: fc.option(fc.integer({ min: 0, max: 400 }), { freq: 1 }),
    count: fc.option(fc.integer({ min: 1, max: 60 }), { freq: 1 }),
  })
  .map((r) => {
    let startsOnMs = BASE_DAY + r.startDay * DAY;
    if (r.frequency === 'MONTHLY' && r.monthEnd) {
      const d = new Date(startsOnMs);
      startsOnMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) - (r.startDay % 3) * DAY; // 29th..31st
    }
    const startTime = r.startSlot * 5;
    return {
      frequency: r.frequency,
      interval: r.interval,
      weekdays:
        r.frequency === 'MONTHLY' ? [] : r.frequency === 'WEEKLY' && r.weekdays.length === 0 ? ['WEDNESDAY'] : r.weekdays,
      startTime,
      endTime: Math.min(1440, startTime + r.lengthSlots * 5),
      startsOn: msToDate(startsOnMs),
      endsOn: r.endsAfter === null ? null : msToDate(startsOnMs + r.endsAfter * DAY),
      count: r.count,
    };
  });

const exceptionPickArb = fc.record({
  nth: fc.integer({ min: 0, max: 40 }), // index into the produced dates, or a day offset for a dormant one
  dormant: fc.boolean(),
  cancelled: fc.boolean(),
  moveOffsetSlots: fc.integer({ min: -600, max: 600 }),
  moveLengthSlots: fc.integer({ min: 1, max: 120 }),
});

const scenarioArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    rules: fc.array(fc.record({ rule: ruleArb, picks: fc.array(exceptionPickArb, { maxLength: 3 }) }), { minLength: 1, maxLength: 2 }),
    fromOffsetMin: fc.oneof(fc.integer({ min: -3 * 1440, max: 40 * 1440 }), fc.integer({ min: -10 * 1440, max: 200 * 1440 })),
    lengthMin: fc.oneof(fc.integer({ min: 1, max: 3 * 1440 }), fc.integer({ min: 1, max: 60 * 1440 })),
    oneTime: fc.array(fc.record({ offset: fc.integer({ min: -300, max: 3000 }), length: fc.integer({ min: 1, max: 200 }) }), { maxLength: 2 }),
    bookings: fc.array(
      fc.record({
        offset: fc.integer({ min: -100, max: 3000 }),
        length: fc.integer({ min: 1, max: 60 }),
        // Buffers recorded by the booking's own event type (most bookings have none).
        beforeMin: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 24 }).map((n) => n * 5), weight: 1 }),
        afterMin: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 24 }).map((n) => n * 5), weight: 1 }),
      }),
      { maxLength: 6 },
    ),
    nowPerMille: fc.integer({ min: -1000, max: 600 }), // now relative to the range length
    slotMinutes: fc.oneof(
      { arbitrary: fc.constantFrom(5, 15, 30, 45, 60, 90), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 48 }).map((n) => n * 5), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 288 }).map((n) => n * 5), weight: 1 },
      { arbitrary: fc.constant(1440), weight: 1 },
    ),
    policy: fc.option(
      fc.record({
        step: fc.option(fc.oneof(fc.constantFrom(5, 15, 30, 45), fc.integer({ min: 1, max: 36 }).map((n) => n * 5)), { nil: null }),
        notice: fc.option(fc.oneof(fc.integer({ min: 0, max: 180 }), fc.integer({ min: 0, max: 5 * 1440 })), { nil: null }),
        before: fc.option(fc.integer({ min: 0, max: 24 }).map((n) => n * 5), { nil: null }),
        after: fc.option(fc.integer({ min: 0, max: 24 }).map((n) => n * 5), { nil: null }),
        horizonDays: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
        maxPerDay: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      }),
      { nil: null, freq: 3 },
    ),
    // Counts on dates spread over the range (and a little around it).
    dayCounts: fc.array(fc.record({ atPerMille: fc.integer({ min: -100, max: 1100 }), count: fc.integer({ min: 0, max: 4 }) }), { maxLength: 10 }),
  })
  .map((g): Scenario => {
    const first = g.rules[0]!.rule;
    const from = dateToMs(first.startsOn) + g.fromOffsetMin * MIN;
    const to = from + g.lengthMin * MIN;
    const grid = (offsetSlots: number) => Math.floor(from / (5 * MIN)) * 5 * MIN + offsetSlots * 5 * MIN;
    const specs = g.rules.map(({ rule, picks }) => {
      const produced = oracleDates(rule, msToDate(dateToMs(rule.startsOn) + 5 * 365 * DAY)).slice(0, 41);
      const exceptions: OccurrenceException[] = [];
      for (const p of picks) {
        const date = p.dormant ? msToDate(dateToMs(rule.startsOn) + (p.nth - 5) * DAY) : produced[p.nth];
        if (date === undefined) continue;
        const startsAt = p.cancelled ? null : grid(p.moveOffsetSlots);
        exceptions.push({ date, cancelled: p.cancelled, startsAt, endsAt: startsAt === null ? null : startsAt + p.moveLengthSlots * 5 * MIN });
      }
      return { rule, exceptions };
    });
    return {
      zone: g.zone,
      specs,
      oneTime: g.oneTime.map((w) => ({ start: grid(w.offset), end: grid(w.offset + w.length) })),
      bookings: g.bookings.map((b) => ({ start: grid(b.offset), end: grid(b.offset + b.length), beforeMin: b.beforeMin, afterMin: b.afterMin })),
      from,
      to,
      now: from + Math.round((g.nowPerMille * g.lengthMin) / 1000) * MIN,
      slotMinutes: g.slotMinutes,
      policy: g.policy,
      dayCounts: Object.fromEntries(g.dayCounts.map((c) => [msToDate(from + Math.round((c.atPerMille * g.lengthMin) / 1000) * MIN), c.count])),
    };
  });

const toQuery = (s: Scenario): FreeSlotQuery => ({
  availability: {
    oneTime: s.oneTime,
    recurring: s.specs.map(({ rule, exceptions }) => ({ rule, lastOccursOn: lastOccurrenceDate(rule), exceptions })),
  } satisfies Availability,
  timeZone: s.zone,
  slotMinutes: s.slotMinutes,
  busy: s.bookings.map((b) => occupiedSpan(b, b.beforeMin, b.afterMin)),
  now: s.now,
  range: { start: s.from, end: s.to },
  policy:
    s.policy === null
      ? undefined
      : {
          stepMinutes: s.policy.step,
          minNoticeMinutes: s.policy.notice,
          bufferBeforeMinutes: s.policy.before,
          bufferAfterMinutes: s.policy.after,
          horizonDays: s.policy.horizonDays,
          maxPerDay: s.policy.maxPerDay,
        },
  dayCounts: new Map(Object.entries(s.dayCounts)),
});

const HOUR = 60 * MIN;
const DST_ZONES = ['Australia/Lord_Howe', 'America/Santiago', 'Europe/London', 'Pacific/Chatham', 'America/New_York'];

/**
 * One-time windows around a DST change of the zone (some touching, some across midnight), `now`
 * a few days before it, a horizon and day counts that land near it, bookings near the windows'
 * edges with their own buffers, and a policy with every field drawn.
 */
const dstPolicyScenarioArb = fc
  .record({
    zone: fc.constantFrom(...DST_ZONES),
    pick: fc.nat(),
    windows: fc.array(
      fc.record({
        offset: fc.integer({ min: -36 * 12, max: 48 * 12 }),
        length: fc.integer({ min: 1, max: 30 * 12 }),
        touchPrevious: fc.boolean(),
        // Ending at a local midnight puts a seam where horizons and local dates change.
        endsAtMidnight: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    nowMin: fc.integer({ min: -5 * 1440, max: 1440 }),
    fromMin: fc.integer({ min: -3 * 1440, max: 1440 }),
    lengthMin: fc.integer({ min: 1, max: 5 * 1440 }),
    bookings: fc.array(
      fc.record({
        window: fc.nat(),
        atEnd: fc.boolean(),
        offset: fc.integer({ min: -24, max: 24 }),
        length: fc.integer({ min: 1, max: 24 }),
        beforeMin: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
        afterMin: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
      }),
      { maxLength: 4 },
    ),
    slotMinutes: fc.oneof(fc.constantFrom(15, 30, 45, 60, 90), fc.integer({ min: 1, max: 36 }).map((n) => n * 5)),
    policy: fc.record({
      step: fc.option(fc.oneof(fc.constantFrom(5, 15, 30, 45), fc.integer({ min: 1, max: 36 }).map((n) => n * 5)), { nil: null }),
      notice: fc.option(fc.integer({ min: 0, max: 3 * 1440 }), { nil: null }),
      before: fc.option(fc.integer({ min: 0, max: 12 }).map((n) => n * 5), { nil: null }),
      after: fc.option(fc.integer({ min: 0, max: 12 }).map((n) => n * 5), { nil: null }),
      horizonDays: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
      maxPerDay: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    }),
    counts: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 5, maxLength: 5 }), // dates T-2 .. T+2
  })
  .map((g): Scenario => {
    const dates = TRANSITIONS_BY_ZONE.get(g.zone)!;
    const change = dateToMs(dates[g.pick % dates.length]!);
    const oneTime: Interval[] = [];
    for (const w of g.windows) {
      const previous = oneTime[oneTime.length - 1];
      const start = w.touchPrevious && previous ? previous.end : change + w.offset * 5 * MIN;
      const midnight = oracleInstant(msToDate(dateToMs(oracleLocalDate(start, g.zone)) + DAY), 0, g.zone);
      oneTime.push({ start, end: w.endsAtMidnight ? midnight : start + w.length * 5 * MIN });
    }
    const bookings = g.bookings.map((b) => {
      const w = oneTime[b.window % oneTime.length]!;
      const start = (b.atEnd ? w.end : w.start) + b.offset * 5 * MIN;
      return { start, end: start + b.length * 5 * MIN, beforeMin: b.beforeMin, afterMin: b.afterMin };
    });
    const from = change + g.fromMin * MIN;
    return {
      zone: g.zone,
      specs: [],
      oneTime,
      bookings,
      from,
      to: from + g.lengthMin * MIN,
      now: change + g.nowMin * MIN,
      slotMinutes: g.slotMinutes,
      policy: g.policy,
      dayCounts: Object.fromEntries(g.counts.map((count, i) => [msToDate(change + (i - 2) * DAY), count])),
    };
  });

const iso = (xs: Interval[]) => xs.map((x) => `${new Date(x.start).toISOString()}/${new Date(x.end).toISOString()}`);

/** freeSlots equals the oracle, and what it lists obeys every rule on its face. */
function expectMatchesOracle(s: Scenario): Interval[] {
  const q = toQuery(s);
  const slots = freeSlots(q);
  expect(iso(slots)).toEqual(iso(oracleSlots(s)));

  const length = s.slotMinutes * MIN;
  const step = (s.policy?.step ?? s.slotMinutes) * MIN;
  const before = (s.policy?.before ?? 0) * MIN;
  const after = (s.policy?.after ?? 0) * MIN;
  const occupied = s.bookings.map(occupiedBy);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    expect(slot.end - slot.start).toBe(length);
    expect(slot.start >= s.from && slot.start < s.to && slot.start >= s.now + (s.policy?.notice ?? 0) * MIN).toBe(true);
    // Slots of one grid never overlap unless the step is shorter than the slot.
    if (i > 0) expect(slot.start).toBeGreaterThanOrEqual(slots[i - 1]!.start + Math.min(step, length));
    expect(occupied.some((b) => b.start < slot.end + after && slot.start - before < b.end)).toBe(false);
  }
  return slots;
}

/**
 * isBookableStart(start) iff some query [a, a + maxRangeMs) with a <= start lists it. For a fixed
 * set of intervals ending after `a`, a larger `a` (hence a larger `a + maxRange`) can only help,
 * so the only `a` worth trying are `start` and each interval end minus 1 ms.
 */
function expectBookableExactly(s: Scenario, probes: number[], maxRangeMs: number): void {
  const q = toQuery(s);
  const { range: _range, ...rest } = q;
  const allEnds = oracleIntervals({ ...s, from: Math.min(...probes) - maxRangeMs, to: Math.max(...probes) + 1 }).map((i) => i.end);
  for (const start of probes) {
    const ends = allEnds.filter((e) => e <= start && e - 1 > start - maxRangeMs);
    const witnesses = [start, ...ends.map((e) => e - 1)];
    const listed = witnesses.some((a) => freeSlots({ ...q, range: { start: a, end: a + maxRangeMs } }).some((slot) => slot.start === start));
    expect([new Date(start).toISOString(), isBookableStart({ ...rest, start, maxRangeMs })]).toEqual([new Date(start).toISOString(), listed]);
  }
}

// ---------- properties ----------
describe('engine vs oracle', () => {
  test('occurrenceDates and lastOccurrenceDate match a day-by-day walk', () => {
    fc.assert(
      fc.property(ruleArb, fc.integer({ min: -20, max: 400 }), fc.integer({ min: 0, max: 120 }), (rule, fromOffset, length) => {
        const from = msToDate(dateToMs(rule.startsOn) + fromOffset * DAY);
        const to = msToDate(dateToMs(from) + length * DAY);
        const walked = oracleDates(rule, to).filter((d) => d >= from);
        expect(occurrenceDates(rule, lastOccurrenceDate(rule), from, to)).toEqual(walked);
        if (rule.count !== null) {
          const all = oracleDates(rule, msToDate(dateToMs(rule.startsOn) + 40 * 366 * DAY));
          const expected = all.length === rule.count ? all[rule.count - 1]! : rule.endsOn;
          expect(lastOccurrenceDate(rule)).toBe(expected);
        }
      }),
    );
  });

  test('wallTimeToInstant matches a brute-force scan of the wall clock', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.oneof(fc.constantFrom(...TRANSITION_DATES), fc.integer({ min: 0, max: SPAN_DAYS }).map((d) => msToDate(BASE_DAY + d * DAY))),
        fc.integer({ min: 0, max: 288 }),
        (zone, date, slot) => {
          const minutes = slot * 5;
          const [d, m] = minutes === 1440 ? [msToDate(dateToMs(date) + DAY), 0] : [date, minutes];
          expect(new Date(wallTimeToInstant(date, minutes, zone)).toISOString()).toBe(new Date(oracleInstant(d, m, zone)).toISOString());
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 200) * 5 },
    );
  });

  test('freeSlots matches the minute-level oracle, and every slot is bookable', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const q = toQuery(s);
        const slots = expectMatchesOracle(s);
        for (const slot of slots.slice(0, 50)) {
          const { range: _range, ...rest } = q;
          expect(isBookableStart({ ...rest, start: slot.start, maxRangeMs: s.to - s.from })).toBe(true);
        }
      }),
    );
  });

  test('isBookableStart never refuses a start that some allowed query lists', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 1000 }), (s, pick) => {
        const q = toQuery(s);
        const { range: _range, ...rest } = q;
        const maxRangeMs = Math.min(s.to - s.from, 3 * DAY);
        // Probe starts from the slots of queries shifted back and forth around the range.
        for (const shift of [0, 0.25, 0.5, 0.9]) {
          const from = s.from - Math.floor((shift * maxRangeMs) / MIN) * MIN + (pick % 7) * 5 * MIN;
          const listed = freeSlots({ ...q, range: { start: from, end: from + maxRangeMs } });
          for (const slot of listed.slice(0, 20)) {
            expect(isBookableStart({ ...rest, start: slot.start, maxRangeMs })).toBe(true);
          }
        }
      }),
      { numRuns: Math.max(20, Math.floor(Number(process.env.FC_RUNS ?? 200) / 2)) },
    );
  });

  test('isBookableStart is exactly "some query [a, a + maxRange) with a <= start lists it"', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 12 }), (s, picks) => {
        const maxRangeMs = Math.min(s.to - s.from, 2 * DAY);
        const near = oracleIntervals({ ...s, from: s.from - 2 * DAY, to: s.to + DAY });
        if (near.length === 0) return;
        const probes = picks.map((p, i) => {
          const base = near[i % near.length]!.start;
          return base + (p % 400) * 5 * MIN - 10 * 5 * MIN;
        });
        // Starts some query lists, and their neighbours on a 5-minute grid.
        const shown = freeSlots({ ...toQuery(s), range: { start: s.from - maxRangeMs / 2, end: s.from + maxRangeMs / 2 } });
        for (const slot of shown.slice(0, 6)) probes.push(slot.start, slot.start + 5 * MIN, slot.start + 60 * MIN);
        expectBookableExactly(s, probes, maxRangeMs);
      }),
      { numRuns: Math.max(20, Math.floor(Number(process.env.FC_RUNS ?? 200) / 2)) },
    );
  });

  test('policies around DST changes: freeSlots matches the oracle, isBookableStart is exact', () => {
    fc.assert(
      fc.property(dstPolicyScenarioArb, fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 5, maxLength: 20 }), (s, picks) => {
        const slots = expectMatchesOracle(s);
        const top = Math.max(...s.oneTime.map((w) => w.end));
        const bottom = Math.min(...s.oneTime.map((w) => w.start));
        const probes = picks.map((p) => bottom - HOUR + (p % ((top - bottom + 2 * HOUR) / (5 * MIN))) * 5 * MIN);
        for (const slot of slots.slice(0, 5)) probes.push(slot.start, slot.start + 5 * MIN);
        // Starts on the grid that only the policies or bookings may refuse.
        const { policy } = toQuery(s);
        const unhindered = freeSlots({ ...toQuery(s), busy: [], now: 0, policy: { ...policy, minNoticeMinutes: null, horizonDays: null, maxPerDay: null } });
        for (const p of picks.slice(0, 10)) if (unhindered.length > 0) probes.push(unhindered[p % unhindered.length]!.start);
        expectBookableExactly(s, probes, 3 * DAY);
      }),
      { numRuns: Math.max(40, Number(process.env.FC_RUNS ?? 200)) },
    );
  });
});

// Per zone, dates on which its offset changes, found by scanning day-to-day offsets (UTC instants).
const TRANSITIONS_BY_ZONE: Map<string, string[]> = new Map(
  ZONES.map((zone) => {
    const dates = new Set<string>();
    let previous = wallClock(BASE_DAY, zone) - BASE_DAY;
    for (let day = 1; day <= SPAN_DAYS; day++) {
      const t = BASE_DAY + day * DAY;
      const offset = wallClock(t, zone) - t;
      if (offset !== previous) {
        dates.add(msToDate(t - DAY));
        dates.add(msToDate(t));
      }
      previous = offset;
    }
    return [zone, [...dates].sort()];
  }),
);
const TRANSITION_DATES: string[] = [...new Set([...TRANSITIONS_BY_ZONE.values()].flat())].sort();
