import { freeSlots, seatVerdict, unbookableReason, type SeatGroup, type SeatVerdict } from '../../src/scheduling';

// The pure engine's seats (src/scheduling/seats.ts), by table: when a candidate start of a group
// event is free as a seat, taken by another group, or full; and freeSlots' seatsLeft.

const H = 3_600_000;
const M = 60_000;
/** A group starting at hour `h`, one hour long, with `taken` seats and optional buffers in minutes. */
const group = (h: number, taken: number, before = 0, after = 0): SeatGroup => ({ start: h * H, span: { start: h * H - before * M, end: (h + 1) * H + after * M }, taken });

describe('seatVerdict', () => {
  const cases: Array<[string, SeatGroup[], number, number, [number, number], SeatVerdict]> = [
    // name, groups (sorted), perSlot, start, span [from, until) in hours, verdict
    ['no group: a new one, every seat left', [], 5, 10 * H, [10, 11], { kind: 'free', seatsLeft: 5 }],
    ['its own group with seats left', [group(10, 2)], 5, 10 * H, [10, 11], { kind: 'free', seatsLeft: 3 }],
    ['its own group one short of full', [group(10, 4)], 5, 10 * H, [10, 11], { kind: 'free', seatsLeft: 1 }],
    ['its own group full', [group(10, 5)], 5, 10 * H, [10, 11], { kind: 'full' }],
    ['its own group past a lowered seatsPerSlot', [group(10, 4)], 3, 10 * H, [10, 11], { kind: 'full' }],
    ['another start overlapping it', [group(10, 1)], 5, 10.5 * H, [10.5, 11.5], { kind: 'taken' }],
    ['another start ending where it starts', [group(9, 1)], 5, 10 * H, [10, 11], { kind: 'free', seatsLeft: 5 }],
    ['another start beginning where it ends', [group(11, 1)], 5, 10 * H, [10, 11], { kind: 'free', seatsLeft: 5 }],
    ['its start, but another length', [group(10, 1)], 5, 10 * H, [10, 10.5], { kind: 'taken' }],
    ['its start, but the group recorded a buffer', [group(10, 1, 0, 15)], 5, 10 * H, [10, 11], { kind: 'taken' }],
    ['its start with the same buffers', [group(10, 1, 15, 15)], 5, 10 * H, [10 - 0.25, 11.25], { kind: 'free', seatsLeft: 4 }],
    ["a neighbour's buffer reaching it", [group(9, 1, 0, 15), group(10, 1)], 5, 10 * H, [10, 11], { kind: 'taken' }],
    ['its own group among others that do not touch it', [group(8, 5), group(10, 2), group(12, 5)], 5, 10 * H, [10, 11], { kind: 'free', seatsLeft: 3 }],
  ];
  test.each(cases)('%s', (_name, groups, perSlot, start, [from, until], expected) => {
    expect(seatVerdict(groups, perSlot, start, { start: from * H, end: until * H })).toEqual(expected);
  });

  test('`from` skips groups already behind the sweep', () => {
    expect(seatVerdict([group(8, 5), group(10, 2)], 5, 10 * H, { start: 10 * H, end: 11 * H }, 1)).toEqual({ kind: 'free', seatsLeft: 3 });
  });
});

describe('freeSlots and unbookableReason with seats', () => {
  const base = {
    availability: { oneTime: [{ start: 9 * H, end: 13 * H }], recurring: [] },
    timeZone: 'UTC',
    slotMinutes: 60,
    now: 0,
    range: { start: 0, end: 24 * H },
  };
  const seats = { perSlot: 3, groups: [group(10, 3), group(12, 1)] };
  const busy = [{ start: 11 * H, end: 11.5 * H }];

  test('lists free starts with seatsLeft, drops full groups and busy time; without seats, no seatsLeft', () => {
    expect(freeSlots({ ...base, busy, seats })).toEqual([
      { start: 9 * H, end: 10 * H, seatsLeft: 3 },
      { start: 12 * H, end: 13 * H, seatsLeft: 2 },
    ]);
    expect(freeSlots({ ...base, busy })).toEqual([
      { start: 9 * H, end: 10 * H },
      { start: 10 * H, end: 11 * H },
      { start: 12 * H, end: 13 * H },
    ]);
  });

  test.each([
    [9, null],
    [10, 'full'],
    [11, 'taken'],
    [12, null],
  ])('unbookableReason at %i:00 is %s', (hour, reason) => {
    expect(unbookableReason({ ...base, busy, seats, start: hour * H, maxRangeMs: 366 * 24 * H })).toBe(reason);
  });
});
