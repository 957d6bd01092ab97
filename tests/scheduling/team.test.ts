import { anyMemberFree, everyMemberFree, rankRoundRobin, utcMonthOf, type RoundRobinCandidate } from '../../src/scheduling';

// docs/api.md, Part 3, 36-37: team slots by hand, and round robin's order by hand.

const H = 3_600_000;
const at = (...hours: number[]) => hours.map((h) => ({ start: h * H, end: h * H + H }));
const startOf = (s: { start: number }) => s.start;
const hoursOf = (slots: Array<{ start: number }>) => slots.map((s) => s.start / H);

test.each([
  ['no members', [], [], []],
  ['one member', [at(9, 10)], [9, 10], [9, 10]],
  ['disjoint', [at(9, 10), at(14)], [9, 10, 14], []],
  ['overlapping', [at(9, 10, 11), at(10, 11, 12), at(11, 15)], [9, 10, 11, 12, 15], [11]],
  ['one member with nothing', [at(9, 10), []], [9, 10], []],
  ['identical', [at(8, 9), at(8, 9)], [8, 9], [8, 9]],
])('%s: union (round robin) and intersection (collective)', (_, lists, union, intersection) => {
  expect(hoursOf(anyMemberFree(lists, startOf))).toEqual(union);
  expect(hoursOf(everyMemberFree(lists, startOf))).toEqual(intersection);
});

const c = (ownerId: string, priority: number, weight: number, bookingsThisMonth: number, lastBookedAt: number | null): RoundRobinCandidate => ({
  ownerId,
  priority,
  weight,
  bookingsThisMonth,
  lastBookedAt,
});

test.each([
  // [case, candidates, expected order]
  ['priority first, whatever the counts', [c('a', 2, 1, 0, null), c('b', 3, 1, 50, 5)], ['b', 'a']],
  ['then the fewest bookings this month', [c('a', 2, 1, 3, 1), c('b', 2, 1, 2, 9)], ['b', 'a']],
  ['bookings divided by weight: 4/2 < 3/1', [c('a', 2, 1, 3, 1), c('b', 2, 2, 4, 9)], ['b', 'a']],
  ['equal shares (2/1 = 6/3): the least recently booked', [c('a', 2, 1, 2, 20), c('b', 2, 3, 6, 10)], ['b', 'a']],
  ['never booked comes first among equals', [c('a', 2, 1, 0, 5), c('b', 2, 1, 0, null)], ['b', 'a']],
  ['all equal: the lowest id, plain string order', [c('b', 2, 1, 0, null), c('B', 2, 1, 0, null), c('a', 2, 1, 0, null)], ['B', 'a', 'b']],
  [
    'a full table',
    [c('m1', 1, 1, 0, null), c('m2', 4, 1, 9, 3), c('m3', 4, 3, 9, 2), c('m4', 4, 3, 9, 1), c('m5', 4, 1, 2, 8)],
    ['m5', 'm4', 'm3', 'm2', 'm1'],
  ],
])('round robin order: %s', (_, candidates, expected) => {
  expect(rankRoundRobin(candidates).map((x) => x.ownerId)).toEqual(expected);
});

test.each([
  ['2030-01-07T08:00:00Z', '2030-01-01T00:00:00Z', '2030-02-01T00:00:00Z'],
  ['2030-12-31T23:59:59Z', '2030-12-01T00:00:00Z', '2031-01-01T00:00:00Z'],
  ['2032-02-29T12:00:00Z', '2032-02-01T00:00:00Z', '2032-03-01T00:00:00Z'],
])('the UTC month of %s', (now, start, end) => {
  expect(utcMonthOf(Date.parse(now))).toEqual({ start: Date.parse(start), end: Date.parse(end) });
});

test('1,000 round-robin bookings with weights 1:2:3, every member always free, land within ±1 of the weighted shares', () => {
  const members = [
    { ownerId: 'w1', priority: 2, weight: 1, bookingsThisMonth: 0, lastBookedAt: null as number | null },
    { ownerId: 'w2', priority: 2, weight: 2, bookingsThisMonth: 0, lastBookedAt: null as number | null },
    { ownerId: 'w3', priority: 2, weight: 3, bookingsThisMonth: 0, lastBookedAt: null as number | null },
  ];
  for (let i = 0; i < 1000; i++) {
    const [chosen] = rankRoundRobin(members);
    chosen!.bookingsThisMonth++;
    chosen!.lastBookedAt = i;
  }
  const table = members.map((m) => ({ member: m.ownerId, weight: m.weight, bookings: m.bookingsThisMonth, share: (1000 * m.weight) / 6 }));
  console.log(table.map((r) => `${r.member} weight ${r.weight}: ${r.bookings} bookings (share ${r.share.toFixed(1)})`).join('\n'));
  for (const row of table) expect(Math.abs(row.bookings - row.share)).toBeLessThanOrEqual(1);
});
