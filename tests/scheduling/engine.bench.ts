/*
 * Timing benchmark (not part of the test run, no assertions on time):
 *   npx jest --testMatch '**' tests/scheduling/engine.bench.ts
 */
import { freeSlots, isBookableStart, lastOccurrenceDate, type FreeSlotQuery, type RecurrenceRule } from '../../src/scheduling';

const DAY = 86_400_000;
const workdays = (startsOn: string): RecurrenceRule => ({
  frequency: 'WEEKLY', interval: 1, weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
  startTime: 9 * 60, endTime: 17 * 60, startsOn, endsOn: null, count: null,
});
const from = Date.parse('2028-03-01T00:00:00Z');

function query(days: number, startsOn: string, zone: string): FreeSlotQuery {
  const rule = workdays(startsOn);
  const busy = Array.from({ length: 300 }, (_, i) => {
    const start = from + ((i * 7919) % (days * 48)) * 30 * 60_000;
    return { start, end: start + 30 * 60_000 };
  });
  return {
    availability: { oneTime: [], recurring: [{ rule, lastOccursOn: lastOccurrenceDate(rule), exceptions: [] }] },
    timeZone: zone, slotMinutes: 30, busy, now: from, range: { start: from, end: from + days * DAY },
  };
}

function time(label: string, fn: () => unknown, runs = 200): void {
  const t0 = performance.now();
  const first = fn();
  const cold = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const warm = (performance.now() - t1) / runs;
  console.log(`${label}: cold ${cold.toFixed(3)} ms, warm ${warm.toFixed(4)} ms/call (${Array.isArray(first) ? first.length : first})`);
}

test('benchmark', () => {
  for (const zone of ['America/New_York', 'Australia/Lord_Howe']) {
    time(`${zone} 30 days, rule since 2028-02-21`, () => freeSlots(query(30, '2028-02-21', zone)));
    time(`${zone} 30 days, rule since 2017-01-02`, () => freeSlots(query(30, '2017-01-02', zone)));
    time(`${zone} 366 days`, () => freeSlots(query(366, '2017-01-02', zone)), 50);
    const q = query(30, '2017-01-02', zone);
    const { range: _r, ...rest } = q;
    time(`${zone} isBookableStart`, () => isBookableStart({ ...rest, start: from + 2 * DAY + 15 * 3_600_000, maxRangeMs: 366 * DAY }), 1000);
  }
  const big: RecurrenceRule = { ...workdays('2027-01-04'), frequency: 'MONTHLY', weekdays: [], startsOn: '2027-01-31', count: 100_000 };
  time('lastOccurrenceDate MONTHLY 31st count 100000', () => lastOccurrenceDate(big), 20);
});
