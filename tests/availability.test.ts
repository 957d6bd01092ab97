import { startTestApp, type TestApp } from './support/app';
import {
  AddOneTimeWindowDocument,
  AddRecurringWindowDocument,
  BookSlotDocument,
  BookingDocument,
  CancelOccurrenceDocument,
  FreeSlotsDocument,
  MoveOccurrenceDocument,
  OwnerFreeSlotsDocument,
  OwnerWindowsDocument,
  RemoveWindowDocument,
  RestoreOccurrenceDocument,
  UpdateOwnerDocument,
  UpdateRecurringWindowDocument,
  type RecurringWindowInput,
} from './generated/graphql';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

const starts = async (ownerId: string, from: string, to: string) =>
  (await t.ok(FreeSlotsDocument, { ownerId, from, to })).freeSlots.map((s) => s.startsAt);

async function ownerWithRule(rule: Partial<RecurringWindowInput>, owner: { timeZone?: string; slotMinutes?: number } = {}) {
  const o = await t.createOwner(owner);
  const input: RecurringWindowInput = { weekdays: ['MONDAY'], startTime: '09:00', endTime: '12:00', startsOn: '2030-01-01', ...rule };
  const window = (await t.ok(AddRecurringWindowDocument, { input }, o.token)).addRecurringWindow;
  return { ...o, window };
}

describe('windows', () => {
  test('Owner.windows lists both kinds to the owner only', async () => {
    const { id, token, window } = await ownerWithRule({});
    const one = await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-02-01T10:00:00Z', endsAt: '2030-02-01T12:00:00Z' } }, token);
    const listed = (await t.ok(OwnerWindowsDocument, { id }, token)).owner!.windows;
    expect(listed.map((w) => [w.__typename, w.id]).sort()).toEqual(
      [['OneTimeWindow', one.addOneTimeWindow.id], ['RecurringWindow', window.id]].sort(),
    );
    await t.fails(OwnerWindowsDocument, { id }, 'UNAUTHENTICATED');
    const other = await t.createOwner();
    await t.fails(OwnerWindowsDocument, { id }, 'FORBIDDEN', other.token);
  });

  test('recurring input defaults: WEEKLY, interval 1, no end', async () => {
    const { window } = await ownerWithRule({ weekdays: ['FRIDAY', 'MONDAY'], endTime: '24:00' });
    expect(window).toMatchObject({ frequency: 'WEEKLY', interval: 1, weekdays: ['MONDAY', 'FRIDAY'], startTime: '09:00', endTime: '24:00', endsOn: null, count: null, exceptions: [] });
  });

  test.each([
    ['WEEKLY without weekdays', { weekdays: [] }, 'weekdays'],
    ['MONTHLY with weekdays', { frequency: 'MONTHLY' as const, weekdays: ['MONDAY' as const] }, 'weekdays'],
    ['end before start', { startTime: '12:00', endTime: '09:00' }, 'midnight'],
    ['start at 24:00', { startTime: '24:00', endTime: '24:00' }, 'startTime'],
    ['off-grid time', { startTime: '09:03' }, 'startTime'],
    ['malformed time', { startTime: '9am' }, 'LocalTime'],
    ['seconds other than :00', { startTime: '09:00:30' }, 'LocalTime'],
    ['impossible date', { startsOn: '2030-02-30' }, 'LocalDate'],
    ['endsOn before startsOn', { endsOn: '2029-12-31' }, 'endsOn'],
    ['interval 0', { interval: 0 }, 'input.interval: must be at least 1'],
    ['interval above 1000', { interval: 1001 }, 'input.interval: must be at most 1000'],
    ['count 0', { count: 0 }, 'input.count: must be at least 1'],
    ['count above 100000', { count: 100_001 }, 'input.count: must be at most 100000'],
  ])('%s is BAD_USER_INPUT', async (_case, rule, mention) => {
    const o = await t.createOwner();
    const input = { weekdays: ['MONDAY' as const], startTime: '09:00', endTime: '12:00', startsOn: '2030-01-01', ...rule };
    const error = await t.fails(AddRecurringWindowDocument, { input }, 'BAD_USER_INPUT', o.token);
    expect(error.message).toContain(mention);
  });

  test.each([
    ['no offset', '2030-02-01T10:00:00', '2030-02-01T12:00:00Z'],
    ['off the 5-minute grid', '2030-02-01T10:01:00Z', '2030-02-01T12:00:00Z'],
    ['seconds', '2030-02-01T10:00:30Z', '2030-02-01T12:00:00Z'],
    ['end not after start', '2030-02-01T12:00:00Z', '2030-02-01T12:00:00Z'],
  ])('one-time window with %s is BAD_USER_INPUT', async (_case, startsAt, endsAt) => {
    const o = await t.createOwner();
    await t.fails(AddOneTimeWindowDocument, { input: { startsAt, endsAt } }, 'BAD_USER_INPUT', o.token);
  });

  test('removeWindow: owner only, unknown id NOT_FOUND, bookings survive it', async () => {
    const { id, token, window } = await ownerWithRule({});
    const booked = await t.ok(BookSlotDocument, { input: { ownerId: id, startsAt: '2030-01-14T14:00:00Z', invitee: { name: 'A', email: 'a@example.com' } } });
    const other = await t.createOwner();
    await t.fails(RemoveWindowDocument, { id: window.id }, 'FORBIDDEN', other.token);
    await t.fails(RemoveWindowDocument, { id: 'missing' }, 'NOT_FOUND', token);
    expect((await t.ok(RemoveWindowDocument, { id: window.id }, token)).removeWindow).toBe(window.id);
    expect(await starts(id, '2030-01-14T00:00:00Z', '2030-01-15T00:00:00Z')).toEqual([]);
    const still = await t.ok(BookingDocument, { id: booked.bookSlot.booking.id }, token);
    expect(still.booking.status).toBe('CONFIRMED');
  });
});

describe('freeSlots', () => {
  test('weekly rule in the owner zone, slots cut from the window start, past slots dropped', async () => {
    t.clock.now = new Date('2030-01-14T15:30:00Z'); // Monday 10:30 in New York
    try {
      const { id } = await ownerWithRule({ startTime: '09:00', endTime: '12:30' });
      expect(await starts(id, '2030-01-14T00:00:00Z', '2030-01-22T00:00:00Z')).toEqual([
        '2030-01-14T16:00:00.000Z',
        '2030-01-21T14:00:00.000Z',
        '2030-01-21T15:00:00.000Z',
        '2030-01-21T16:00:00.000Z',
      ]);
    } finally {
      t.clock.now = new Date('2030-01-07T08:00:00Z');
    }
  });

  test('touching windows merge before cutting; Owner.freeSlots agrees with Query.freeSlots', async () => {
    const { id, token } = await ownerWithRule({ startTime: '09:00', endTime: '10:30' }, { slotMinutes: 45, timeZone: 'UTC' });
    await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-14T10:30:00Z', endsAt: '2030-01-14T12:00:00Z' } }, token);
    const expected = ['09:00', '09:45', '10:30', '11:15'].map((h) => `2030-01-14T${h}:00.000Z`);
    expect(await starts(id, '2030-01-14T00:00:00Z', '2030-01-15T00:00:00Z')).toEqual(expected);
    const nested = await t.ok(OwnerFreeSlotsDocument, { id, from: '2030-01-14T00:00:00Z', to: '2030-01-15T00:00:00Z' });
    expect(nested.owner!.freeSlots.map((s) => s.startsAt)).toEqual(expected);
    expect(nested.owner!.freeSlots[0]!.endsAt).toBe('2030-01-14T09:45:00.000Z');
  });

  test.each([
    ['spring forward, New York', 'America/New_York', '2030-03-10', '01:00', '04:00', ['06:00', '07:00']],
    ['fall back, New York', 'America/New_York', '2030-11-03', '01:00', '04:00', ['05:00', '06:00', '07:00', '08:00']],
    ['spring forward, Berlin', 'Europe/Berlin', '2030-03-31', '01:00', '04:00', ['00:00', '01:00']],
    ['fall back, Berlin', 'Europe/Berlin', '2030-10-27', '01:00', '04:00', ['23:00', '00:00', '01:00', '02:00']],
    ['no DST, Kolkata', 'Asia/Kolkata', '2030-03-10', '01:00', '04:00', ['19:30', '20:30', '21:30']],
  ])('%s: a 01:00-04:00 window holds real hours', async (_case, timeZone, date, startTime, endTime, hours) => {
    const o = await t.createOwner({ timeZone });
    await t.ok(AddRecurringWindowDocument, { input: { frequency: 'DAILY', startTime, endTime, startsOn: date, count: 1 } }, o.token);
    const from = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString();
    const to = new Date(Date.parse(`${date}T00:00:00Z`) + 2 * 86_400_000).toISOString();
    const got = (await starts(o.id, from, to)).map((s) => s.slice(11, 16));
    expect(got).toEqual(hours);
  });

  test('changing the owner zone moves availability, not bookings', async () => {
    const { id, token } = await ownerWithRule({}, { timeZone: 'America/New_York' });
    const booked = await t.ok(BookSlotDocument, { input: { ownerId: id, startsAt: '2030-01-14T14:00:00Z', invitee: { name: 'A', email: 'a@example.com' } } });
    await t.ok(UpdateOwnerDocument, { input: { timeZone: 'Europe/London' } }, token);
    expect(await starts(id, '2030-01-14T00:00:00Z', '2030-01-15T00:00:00Z')).toEqual(['2030-01-14T09:00:00.000Z', '2030-01-14T10:00:00.000Z', '2030-01-14T11:00:00.000Z']);
    const still = await t.ok(BookingDocument, { id: booked.bookSlot.booking.id }, token);
    expect(still.booking).toMatchObject({ startsAt: '2030-01-14T14:00:00.000Z', status: 'CONFIRMED' });
  });

  test.each([
    ['from not before to', '2030-01-02T00:00:00Z', '2030-01-01T00:00:00Z', 'to'],
    ['range over 366 days', '2030-01-01T00:00:00Z', '2031-01-03T00:00:00Z', '366'],
    ['malformed instant', '2030-01-01', '2030-01-02T00:00:00Z', 'DateTime'],
  ])('%s is BAD_USER_INPUT', async (_case, from, to, mention) => {
    const o = await t.createOwner();
    const error = await t.fails(FreeSlotsDocument, { ownerId: o.id, from, to }, 'BAD_USER_INPUT');
    expect(error.message).toContain(mention);
  });

  test('unknown owner is NOT_FOUND', async () => {
    await t.fails(FreeSlotsDocument, { ownerId: 'nobody', from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' }, 'NOT_FOUND');
  });
});

describe('a start that is not a free slot', () => {
  // The reason is a typed value inside the server (Unbookable); clients read these words.
  test.each([
    ['in the past', '2030-01-07T07:00:00Z', 'in the past'],
    ['outside availability', '2030-01-14T13:00:00Z', 'outside availability or off the slot grid'],
    ['already booked', '2030-01-14T10:00:00Z', 'already booked'],
  ])('%s: SLOT_UNAVAILABLE says why', async (_case, startsAt, why) => {
    const { id } = await ownerWithRule({ weekdays: ['MONDAY'], startTime: '09:00', endTime: '12:00', startsOn: '2030-01-01' }, { timeZone: 'UTC' });
    const invitee = { name: 'A', email: 'a@example.com' };
    await t.ok(BookSlotDocument, { input: { ownerId: id, startsAt: '2030-01-14T10:00:00Z', invitee } });
    const error = await t.fails(BookSlotDocument, { input: { ownerId: id, startsAt, invitee } }, 'SLOT_UNAVAILABLE');
    expect(error.message).toBe(`${new Date(startsAt).toISOString()} is not a free slot: ${why}`);
  });
});

describe('occurrences', () => {
  const day = ['2030-01-14T00:00:00Z', '2030-01-15T00:00:00Z'] as const;

  test('cancel, move to another day, restore; updates keep exceptions', async () => {
    const { id, token, window } = await ownerWithRule({ startTime: '09:00', endTime: '11:00' }, { timeZone: 'UTC' });
    const cancelled = await t.ok(CancelOccurrenceDocument, { windowId: window.id, date: '2030-01-14' }, token);
    expect(cancelled.cancelOccurrence.exceptions).toEqual([{ date: '2030-01-14', cancelled: true, startsAt: null, endsAt: null }]);
    expect(await starts(id, ...day)).toEqual([]);

    await t.ok(MoveOccurrenceDocument, { windowId: window.id, date: '2030-01-14', startsAt: '2030-01-16T13:00:00Z', endsAt: '2030-01-16T14:00:00Z' }, token);
    expect(await starts(id, ...day)).toEqual([]);
    expect(await starts(id, '2030-01-16T00:00:00Z', '2030-01-17T00:00:00Z')).toEqual(['2030-01-16T13:00:00.000Z']);

    const updated = await t.ok(UpdateRecurringWindowDocument, { id: window.id, input: { endTime: '10:00' } }, token);
    expect(updated.updateRecurringWindow).toMatchObject({ startTime: '09:00', endTime: '10:00' });
    expect(updated.updateRecurringWindow.exceptions).toHaveLength(1);
    expect(await starts(id, '2030-01-21T00:00:00Z', '2030-01-22T00:00:00Z')).toEqual(['2030-01-21T09:00:00.000Z']);

    await t.ok(RestoreOccurrenceDocument, { windowId: window.id, date: '2030-01-14' }, token);
    expect(await starts(id, ...day)).toEqual(['2030-01-14T09:00:00.000Z']);
    expect(await starts(id, '2030-01-16T00:00:00Z', '2030-01-17T00:00:00Z')).toEqual([]);
  });

  test('a date the rule does not produce is BAD_USER_INPUT; other owners are FORBIDDEN', async () => {
    const { token, window } = await ownerWithRule({ endsOn: '2030-01-31' });
    const tuesday = await t.fails(CancelOccurrenceDocument, { windowId: window.id, date: '2030-01-15' }, 'BAD_USER_INPUT', token);
    expect(tuesday.message).toContain('2030-01-15');
    await t.fails(CancelOccurrenceDocument, { windowId: window.id, date: '2030-02-04' }, 'BAD_USER_INPUT', token);
    const other = await t.createOwner();
    await t.fails(CancelOccurrenceDocument, { windowId: window.id, date: '2030-01-14' }, 'FORBIDDEN', other.token);
    await t.fails(CancelOccurrenceDocument, { windowId: 'missing', date: '2030-01-14' }, 'NOT_FOUND', token);
  });

  test('DAILY with interval and MONTHLY on the 31st', async () => {
    const daily = await ownerWithRule({ frequency: 'DAILY', interval: 2, weekdays: [], startTime: '09:00', endTime: '10:00', startsOn: '2030-01-01' }, { timeZone: 'UTC' });
    expect((await starts(daily.id, '2030-01-07T00:00:00Z', '2030-01-12T00:00:00Z')).map((s) => s.slice(0, 10))).toEqual(['2030-01-07', '2030-01-09', '2030-01-11']);
    const monthly = await ownerWithRule({ frequency: 'MONTHLY', weekdays: [], startTime: '09:00', endTime: '10:00', startsOn: '2030-01-31' }, { timeZone: 'UTC' });
    expect((await starts(monthly.id, '2030-01-07T00:00:00Z', '2030-06-01T00:00:00Z')).map((s) => s.slice(0, 10))).toEqual(['2030-01-31', '2030-03-31', '2030-05-31']);
  });
});

test('a count that reaches past year 9999 behaves as no end', async () => {
  const { id, token, window } = await ownerWithRule({ frequency: 'DAILY', interval: 1000, weekdays: [], count: 100000, startsOn: '2030-01-14' }, { timeZone: 'UTC' });
  expect(window.count).toBe(100000);
  expect(await starts(id, '2030-01-14T00:00:00Z', '2030-01-15T00:00:00Z')).toEqual(['2030-01-14T09:00:00.000Z', '2030-01-14T10:00:00.000Z', '2030-01-14T11:00:00.000Z']);
  await t.ok(CancelOccurrenceDocument, { windowId: window.id, date: '2032-10-10' }, token);
});
