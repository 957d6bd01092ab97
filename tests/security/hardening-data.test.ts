import { parseDateTime } from '../../src/shared/scalars';
import { MAX_MANAGE_TOKENS } from '../../src/modules/booking/booking.service';
import { startTestApp, type OperationResult, type TestApp } from '../support/app';
import { snapshotDatabase } from './db-snapshot';
import {
  AddOneTimeWindowDocument,
  AddRecurringWindowDocument,
  BookSlotDocument,
  BookingDocument,
  CancelBookingDocument,
  CancelOccurrenceDocument,
  CreateOwnerDocument,
  FreeSlotsDocument,
  MoveOccurrenceDocument,
  OwnerBookingsDocument,
  OwnerFreeSlotsDocument,
  RescheduleBookingDocument,
  UpcomingBookingsDocument,
  UpdateOwnerDocument,
  UpdateRecurringWindowDocument,
  type BookSlotInput,
} from '../generated/graphql';

// Issue 16's data-level bugs, each on whichever database the suite runs on (SQLite by default,
// PostgreSQL with TEST_DATABASE_URL): idempotency keys that handed out other people's bookings,
// DateTime values and cursors PostgreSQL cannot store, and lengths counted differently from
// varchar(n).

let t: TestApp;
// No outbox runner: it settles rows in the background, and these tests compare database snapshots.
beforeAll(async () => { t = await startTestApp({ emails: 'off', webhooks: 'off' }); });
afterAll(() => t.close());

const grace = { name: 'Grace Hopper', email: 'grace@example.com' };

/** An owner in UTC available 09:00-17:00 every day from 2030-01-01 (the test clock is 2030-01-07 08:00Z). */
async function availableOwner() {
  const owner = await t.createOwner({ timeZone: 'UTC' });
  const window = await t.ok(AddRecurringWindowDocument, { input: { frequency: 'DAILY', startTime: '09:00', endTime: '17:00', startsOn: '2030-01-01' } }, owner.token);
  return { ...owner, windowId: window.addRecurringWindow.id };
}

const book = (input: BookSlotInput) => t.run(BookSlotDocument, { input });

/** The codes, messages and fields of an answer's errors: what a client can learn from a refusal. */
const refusal = (result: OperationResult<unknown>) =>
  (result.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field, message: e.message }));

const manageTokenRows = async (bookingId: string) =>
  Number(
    (await t.app.orm.em.fork().getConnection().execute<Array<{ n: number | string }>>('select count(*) as n from booking_manage_token where booking_id = ?', [bookingId]))[0]!.n,
  );

describe('idempotency keys replay only the same request (Semantics 23)', () => {
  test('a guessed key with a past start (the attack) answers as if the key were unused: no booking, no token, nothing written', async () => {
    const victim = await availableOwner();
    const first = await t.ok(BookSlotDocument, { input: { ownerId: victim.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace, idempotencyKey: 'order-1' } });
    const before = await snapshotDatabase(t.app.orm);
    const attacker = { name: 'Mallory', email: 'mallory@example.com' };
    const guessed = await book({ ownerId: victim.id, startsAt: '2020-01-01T09:00:00Z', invitee: attacker, idempotencyKey: 'order-1' });
    const unused = await book({ ownerId: victim.id, startsAt: '2020-01-01T09:00:00Z', invitee: attacker, idempotencyKey: 'order-2' });
    expect(guessed.data).toBeNull();
    expect(refusal(guessed)).toEqual(refusal(unused));
    expect(refusal(guessed)[0]?.code).toBe('SLOT_UNAVAILABLE');
    const said = JSON.stringify(guessed);
    for (const secret of [first.bookSlot.booking.id, grace.name, grace.email, '2030-01-08']) expect(said).not.toContain(secret);
    expect(await snapshotDatabase(t.app.orm)).toEqual(before);
  });

  test.each([
    ['another start', { startsAt: '2030-01-08T10:00:00Z' }],
    ['another invitee name', { invitee: { ...grace, name: 'Grace B. Hopper' } }],
    ['another invitee e-mail', { invitee: { ...grace, email: 'grace.hopper@example.com' } }],
  ])('a bookable request with %s under a used key is BAD_USER_INPUT naming idempotencyKey, writes nothing and reveals nothing', async (_case, change) => {
    const owner = await availableOwner();
    const first = await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace, idempotencyKey: 'k-1' } });
    // Cancelled, so 09:00 is free again: every request below could book if it had a new key.
    await t.ok(CancelBookingDocument, { id: first.bookSlot.booking.id }, owner.token);
    const before = await snapshotDatabase(t.app.orm);
    const result = await book({ ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace, idempotencyKey: 'k-1', ...change });
    expect(result.data).toBeNull();
    expect(refusal(result)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'input.idempotencyKey', message: 'input.idempotencyKey: was already used for a different request to this owner; a new request needs a new key' },
    ]);
    expect(JSON.stringify(result)).not.toContain(first.bookSlot.booking.id);
    expect(await snapshotDatabase(t.app.orm)).toEqual(before);
    // The same request still replays (the booking as it is now: cancelled).
    const replay = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace, idempotencyKey: 'k-1' } })).bookSlot;
    expect(replay.booking).toMatchObject({ id: first.bookSlot.booking.id, status: 'CANCELLED' });
  });

  test.each([
    ['off the 5-minute grid', { startsAt: '2030-01-08T10:02:00Z' }, 'BAD_USER_INPUT'],
    ['in the past', { startsAt: '2030-01-06T10:00:00Z' }, 'SLOT_UNAVAILABLE'],
    ['outside availability', { startsAt: '2030-01-08T20:00:00Z' }, 'SLOT_UNAVAILABLE'],
    ['a slot already booked (by the first request)', { startsAt: '2030-01-08T09:00:00Z', invitee: { name: 'Mallory', email: 'm@example.com' } }, 'SLOT_UNAVAILABLE'],
    ['a slot booked by someone else', { startsAt: '2030-01-08T11:00:00Z' }, 'SLOT_UNAVAILABLE'],
    ['an unknown owner', { ownerId: 'no-such-owner' }, 'NOT_FOUND'],
    ['a blank invitee name', { invitee: { name: ' ', email: grace.email } }, 'BAD_USER_INPUT'],
    ['an invalid e-mail', { invitee: { name: grace.name, email: 'grace' } }, 'BAD_USER_INPUT'],
  ])('a request for %s fails the same whether its key was used or not', async (_case, change, code) => {
    const owner = await availableOwner();
    await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace, idempotencyKey: 'used' } });
    await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T11:00:00Z', invitee: { name: 'Ida', email: 'ida@example.com' } } });
    const before = await snapshotDatabase(t.app.orm);
    const request = { ownerId: owner.id, startsAt: '2030-01-08T10:00:00Z', invitee: grace, ...change };
    const withUsedKey = await book({ ...request, idempotencyKey: 'used' });
    const withNewKey = await book({ ...request, idempotencyKey: 'never-used' });
    expect(refusal(withUsedKey)[0]?.code).toBe(code);
    expect(refusal(withUsedKey)).toEqual(refusal(withNewKey));
    expect(await snapshotDatabase(t.app.orm)).toEqual(before);
  });

  test(`replays keep at most ${MAX_MANAGE_TOKENS} manage tokens per booking; the newest always works`, async () => {
    const owner = await availableOwner();
    const request = { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace, idempotencyKey: '0b5e2c7e-5d8c-4b8e-9a53-1f6f0d7c2b11' };
    const answers = [(await t.ok(BookSlotDocument, { input: request })).bookSlot];
    // The first token and those of the next MAX_MANAGE_TOKENS - 1 replays work side by side.
    for (let i = 1; i < MAX_MANAGE_TOKENS; i++) answers.push((await t.ok(BookSlotDocument, { input: request })).bookSlot);
    const bookingId = answers[0]!.booking.id;
    expect(await manageTokenRows(bookingId)).toBe(MAX_MANAGE_TOKENS);
    for (const a of answers) expect((await t.ok(BookingDocument, { id: bookingId, manageToken: a.manageToken })).booking.id).toBe(bookingId);
    for (let i = 0; i < 3 * MAX_MANAGE_TOKENS; i++) {
      const replay = (await t.ok(BookSlotDocument, { input: request })).bookSlot;
      expect(replay.booking.id).toBe(bookingId);
      expect((await t.ok(BookingDocument, { id: bookingId, manageToken: replay.manageToken })).booking.id).toBe(bookingId);
      expect(await manageTokenRows(bookingId)).toBeLessThanOrEqual(MAX_MANAGE_TOKENS);
    }
  });

  test(`racing replays keep at most ${MAX_MANAGE_TOKENS} manage tokens too`, async () => {
    const owner = await availableOwner();
    const request = { ownerId: owner.id, startsAt: '2030-01-08T12:00:00Z', invitee: grace, idempotencyKey: 'b8d1f1a4-55d4-4a51-8a4c-3c3a0f1e9d20' };
    const first = (await t.ok(BookSlotDocument, { input: request })).bookSlot;
    const replays = await Promise.all(Array.from({ length: 12 }, () => book(request)));
    expect(replays.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(replays.map((r) => r.data?.bookSlot.booking.id))).toEqual(new Set([first.booking.id]));
    expect(await manageTokenRows(first.booking.id)).toBeLessThanOrEqual(MAX_MANAGE_TOKENS);
  });
});

describe('lengths are counted as the database counts them (code points)', () => {
  // validator.js's isLength skips U+FE0F, so this passed a 200-character rule while PostgreSQL's
  // varchar(200) holds 400 characters of it: a 500 on PostgreSQL, stored whole on SQLite.
  const selectors201 = 'a\uFE0F'.repeat(100) + 'b';
  const selectors200 = 'a\uFE0F'.repeat(100);
  const emoji200 = '😀'.repeat(200); // 400 UTF-16 units, 200 characters

  test.each([
    ['invitee name', { invitee: { name: selectors201, email: grace.email } }, 'input.invitee.name'],
    ['idempotency key', { idempotencyKey: selectors201 }, 'input.idempotencyKey'],
    ['invitee e-mail', { invitee: { name: grace.name, email: `${'\uFE0F'.repeat(300)}a@example.com` } }, 'input.invitee.email'],
  ])('a 201-character %s is BAD_USER_INPUT naming the field', async (_case, change, field) => {
    const owner = await availableOwner();
    const result = await book({ ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace, ...change });
    expect(refusal(result)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
  });

  test('200 characters of invitee name and idempotency key are stored whole, and the key replays', async () => {
    const owner = await availableOwner();
    const input = { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: { name: emoji200, email: grace.email }, idempotencyKey: selectors200 };
    const first = (await t.ok(BookSlotDocument, { input })).bookSlot;
    expect(first.booking.invitee.name).toBe(emoji200);
    expect((await t.ok(BookSlotDocument, { input })).bookSlot.booking.id).toBe(first.booking.id);
  });

  test('owner names: 201 characters are refused, 200 stored whole, on create and update', async () => {
    const tooLong = await t.run(CreateOwnerDocument, { input: { name: selectors201, timeZone: 'UTC' } });
    expect(refusal(tooLong)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.name' })]);
    const created = await t.ok(CreateOwnerDocument, { input: { name: emoji200, timeZone: 'UTC' } });
    expect(created.createOwner.owner.name).toBe(emoji200);
    const token = created.createOwner.token;
    expect(refusal(await t.run(UpdateOwnerDocument, { input: { name: selectors201 } }, token))).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.name' })]);
    expect(refusal(await t.run(UpdateOwnerDocument, { input: { name: '\u3000' } }, token))).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.name' })]);
    expect((await t.ok(UpdateOwnerDocument, { input: { name: selectors200 } }, token)).updateOwner.name).toBe(selectors200);
  });
});

describe('DateTime, LocalDate and cursors stay in years PostgreSQL stores', () => {
  test.each([
    ['1970-01-01T00:00:00Z', true],
    ['1969-12-31T23:00:00-01:00', true], // 1970-01-01T00:00Z once the offset is applied
    ['1969-12-31T23:59:59.999Z', false],
    ['1970-01-01T00:00:00+00:01', false],
    ['0000-01-01T00:00Z', false],
    ['9999-12-30T23:59:59.999Z', true],
    ['9999-12-31T00:00:00Z', false],
    ['9999-12-30T23:00:00-01:00', false],
    ['9999-12-31T23:55-23:55', false],
  ])('parseDateTime(%s) accepted: %s', (value, accepted) => {
    if (accepted) expect(parseDateTime(value)).toBeInstanceOf(Date);
    else expect(() => parseDateTime(value)).toThrow('DateTime must lie from 1970-01-01T00:00:00Z up to (not including) 9999-12-31T00:00:00Z');
  });

  const outOfRange = ['0000-01-01T00:00Z', '9999-12-31T23:55-23:55', '1969-12-31T23:55:00Z', '9999-12-31T00:00:00Z'];

  test.each(outOfRange)('%s is BAD_USER_INPUT in every argument that takes a DateTime', async (value) => {
    const owner = await availableOwner();
    const booked = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: grace } })).bookSlot;
    const before = await snapshotDatabase(t.app.orm);
    const answers: Array<[string, Promise<OperationResult<unknown>>]> = [
      ['freeSlots.from', t.run(FreeSlotsDocument, { ownerId: owner.id, from: value, to: '2030-01-01T00:00:00Z' })],
      ['freeSlots.to', t.run(FreeSlotsDocument, { ownerId: owner.id, from: '9999-12-30T00:00:00Z', to: value })],
      ['Owner.freeSlots', t.run(OwnerFreeSlotsDocument, { id: owner.id, from: value, to: '2030-01-01T00:00:00Z' })],
      ['bookSlot', t.run(BookSlotDocument, { input: { ownerId: owner.id, startsAt: value, invitee: grace } })],
      ['addOneTimeWindow.startsAt', t.run(AddOneTimeWindowDocument, { input: { startsAt: value, endsAt: '2030-01-01T00:00:00Z' } }, owner.token)],
      ['addOneTimeWindow.endsAt', t.run(AddOneTimeWindowDocument, { input: { startsAt: '9999-12-30T00:00:00Z', endsAt: value } }, owner.token)],
      ['moveOccurrence.startsAt', t.run(MoveOccurrenceDocument, { windowId: owner.windowId, date: '2030-01-09', startsAt: value, endsAt: '2030-01-09T12:00:00Z' }, owner.token)],
      ['moveOccurrence.endsAt', t.run(MoveOccurrenceDocument, { windowId: owner.windowId, date: '2030-01-09', startsAt: '2030-01-09T12:00:00Z', endsAt: value }, owner.token)],
      ['Owner.bookings.from', t.run(OwnerBookingsDocument, { id: owner.id, from: value }, owner.token)],
      ['Owner.bookings.to', t.run(OwnerBookingsDocument, { id: owner.id, to: value }, owner.token)],
      ['rescheduleBooking', t.run(RescheduleBookingDocument, { id: booked.booking.id, startsAt: value, manageToken: booked.manageToken })],
    ];
    for (const [where, answer] of answers) {
      const codes = (await answer).errors?.map((e) => e.extensions?.code);
      expect([where, codes]).toEqual([where, ['BAD_USER_INPUT']]);
    }
    expect(await snapshotDatabase(t.app.orm)).toEqual(before);
  });

  test('the last accepted day works end to end: a 1440-minute slot on 9999-12-30 is listed, booked and stored', async () => {
    const owner = await t.createOwner({ timeZone: 'UTC', slotMinutes: 1440 });
    await t.ok(AddRecurringWindowDocument, { input: { frequency: 'DAILY', startTime: '00:00', endTime: '24:00', startsOn: '9999-12-01', endsOn: '9999-12-31' } }, owner.token);
    const slots = (await t.ok(FreeSlotsDocument, { ownerId: owner.id, from: '9999-12-29T00:00:00Z', to: '9999-12-30T23:55:00Z' })).freeSlots;
    expect(slots.map((s) => s.startsAt)).toEqual(['9999-12-29T00:00:00.000Z', '9999-12-30T00:00:00.000Z']);
    const { booking } = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '9999-12-30T00:00:00Z', invitee: grace } })).bookSlot;
    expect(booking.endsAt).toBe('9999-12-31T00:00:00.000Z');
    const page = await t.ok(OwnerBookingsDocument, { id: owner.id, from: '9999-12-30T00:00:00Z', to: '9999-12-30T23:55:00Z' }, owner.token);
    expect(page.owner!.bookings.edges.map((e) => e.node.endsAt)).toEqual(['9999-12-31T00:00:00.000Z']);
    const earliest = await t.ok(OwnerBookingsDocument, { id: owner.id, from: '1970-01-01T00:00:00Z', to: '1970-12-31T00:00:00Z' }, owner.token);
    expect(earliest.owner!.bookings.edges).toEqual([]);
  });

  test.each(['0000-01-01', '1969-12-31', '10000-01-01'])('LocalDate %s is BAD_USER_INPUT as startsOn, endsOn and an occurrence date', async (date) => {
    const owner = await availableOwner();
    const window = { frequency: 'DAILY' as const, startTime: '09:00', endTime: '10:00' };
    const answers: Array<[string, Promise<OperationResult<unknown>>]> = [
      ['startsOn', t.run(AddRecurringWindowDocument, { input: { ...window, startsOn: date } }, owner.token)],
      ['endsOn', t.run(AddRecurringWindowDocument, { input: { ...window, startsOn: '2030-01-01', endsOn: date } }, owner.token)],
      ['patch.startsOn', t.run(UpdateRecurringWindowDocument, { id: owner.windowId, input: { startsOn: date } }, owner.token)],
      ['cancelOccurrence.date', t.run(CancelOccurrenceDocument, { windowId: owner.windowId, date }, owner.token)],
    ];
    for (const [where, answer] of answers) {
      const codes = (await answer).errors?.map((e) => e.extensions?.code);
      expect([where, codes]).toEqual([where, ['BAD_USER_INPUT']]);
    }
  });

  test('LocalDate accepts the first and last days of years 1970 to 9999', async () => {
    const owner = await t.createOwner({ timeZone: 'Pacific/Kiritimati' });
    const added = await t.ok(AddRecurringWindowDocument, { input: { frequency: 'DAILY', startTime: '09:00', endTime: '10:00', startsOn: '1970-01-01', endsOn: '9999-12-31' } }, owner.token);
    expect(added.addRecurringWindow).toMatchObject({ startsOn: '1970-01-01', endsOn: '9999-12-31' });
  });

  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  test.each([
    ['8.64e15 ms', cursor([8.64e15, '01a22cbb-416d-73c2-a8a0-86dab2a524d1'])],
    ['-8.64e15 ms', cursor([-8.64e15, '01a22cbb-416d-73c2-a8a0-86dab2a524d1'])],
    ['year 0000', cursor([Date.parse('0000-01-01T00:00:00Z'), '01a22cbb-416d-73c2-a8a0-86dab2a524d1'])],
    ['year 10000', cursor([Date.UTC(10000, 0, 1), '01a22cbb-416d-73c2-a8a0-86dab2a524d1'])],
    ['a NUL in the id', cursor([Date.UTC(2030, 0, 8), 'a\u0000b'])],
    ['an id that is no booking id', cursor([Date.UTC(2030, 0, 8), "' or 1=1 --"])],
  ])('a cursor with %s is BAD_USER_INPUT naming after', async (_case, after) => {
    const owner = await availableOwner();
    const lists: Array<Promise<OperationResult<unknown>>> = [
      t.run(OwnerBookingsDocument, { id: owner.id, after }, owner.token),
      t.run(UpcomingBookingsDocument, { after }, owner.token),
    ];
    for (const answer of lists) expect(refusal(await answer)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })]);
  });
});
