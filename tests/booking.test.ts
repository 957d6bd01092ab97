import { SlotService } from '../src/modules/slot/slot.service';
import { MAX_MANAGE_TOKENS } from '../src/modules/booking/booking.service';
import { startTestApp, type TestApp } from './support/app';
import {
  AddRecurringWindowDocument,
  BookSlotDocument,
  BookingDocument,
  CancelBookingDocument,
  CompleteBookingDocument,
  FreeSlotsDocument,
  OwnerBookingsDocument,
  RescheduleBookingDocument,
  UpcomingBookingsDocument,
  UpdateOwnerDocument,
  type BookSlotInput,
  type UpcomingBookingsQuery,
} from './generated/graphql';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

const invitee = { name: 'Grace Hopper', email: 'grace@example.com' };

/** An owner in UTC available 09:00-17:00 every weekday from 2030-01-01 (the test clock is Monday 2030-01-07 08:00Z). */
async function availableOwner(slotMinutes = 60) {
  const owner = await t.createOwner({ timeZone: 'UTC', slotMinutes });
  await t.ok(AddRecurringWindowDocument, {
    input: { weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: '09:00', endTime: '17:00', startsOn: '2030-01-01' },
  }, owner.token);
  return owner;
}

const book = (ownerId: string, startsAt: string, extra: Partial<BookSlotInput> = {}) =>
  t.run(BookSlotDocument, { input: { ownerId, startsAt, invitee, ...extra } });

async function booked(ownerId: string, startsAt: string, extra: Partial<BookSlotInput> = {}) {
  return (await t.ok(BookSlotDocument, { input: { ownerId, startsAt, invitee, ...extra } })).bookSlot;
}

const slotStarts = async (ownerId: string, day: string) =>
  (await t.ok(FreeSlotsDocument, { ownerId, from: `${day}T00:00:00Z`, to: `${day}T23:59:00Z` })).freeSlots.map((s) => s.startsAt.slice(11, 16));

describe('bookSlot', () => {
  test('books a free slot for slotMinutes and returns a manage token; the time is no longer free', async () => {
    const owner = await availableOwner(45);
    const { booking, manageToken } = await booked(owner.id, '2030-01-08T09:45:00+00:00');
    expect(booking).toMatchObject({ startsAt: '2030-01-08T09:45:00.000Z', endsAt: '2030-01-08T10:30:00.000Z', status: 'CONFIRMED', invitee, owner: { id: owner.id } });
    expect(booking.createdAt).toBe(t.clock.now.toISOString());
    expect(manageToken).toMatch(/^sbm_/);
    expect(await slotStarts(owner.id, '2030-01-08')).not.toContain('09:45');
  });

  test.each([
    ['taken', '2030-01-08T10:00:00Z', 'SLOT_UNAVAILABLE'],
    ['outside availability', '2030-01-08T18:00:00Z', 'SLOT_UNAVAILABLE'],
    ['not a slot start', '2030-01-08T09:30:00Z', 'SLOT_UNAVAILABLE'],
    ['in the past', '2030-01-07T07:00:00Z', 'SLOT_UNAVAILABLE'],
    ['started before now', '2030-01-07T07:55:00Z', 'SLOT_UNAVAILABLE'],
    ['off the 5-minute grid', '2030-01-08T11:02:00Z', 'BAD_USER_INPUT'],
    ['without an offset', '2030-01-08T11:00:00', 'BAD_USER_INPUT'],
  ])('%s is %s', async (_case, startsAt, code) => {
    const owner = await availableOwner();
    await booked(owner.id, '2030-01-08T10:00:00Z');
    const result = await book(owner.id, startsAt);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
  });

  test.each([
    ['empty name', { name: '', email: 'a@example.com' }, 'name'],
    ['name of only spaces', { name: '   ', email: 'a@example.com' }, 'name'],
    ['name of only ideographic spaces (U+3000)', { name: '\u3000\u3000', email: 'a@example.com' }, 'name'],
    ['name over 200 characters', { name: 'x'.repeat(201), email: 'a@example.com' }, 'name'],
    ['invalid email', { name: 'A', email: 'not-an-email' }, 'email'],
    ['email of only spaces', { name: 'A', email: '     ' }, 'email'],
    ['email too long', { name: 'A', email: `${'a'.repeat(320)}@example.com` }, 'email'],
  ])('invitee with %s is BAD_USER_INPUT naming the field', async (_case, badInvitee, field) => {
    const owner = await availableOwner();
    const error = await t.fails(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T10:00:00Z', invitee: badInvitee } }, 'BAD_USER_INPUT');
    expect(error.message).toContain(`input.invitee.${field}`);
    expect(error.extensions?.field).toBe(`input.invitee.${field}`);
    expect(await slotStarts(owner.id, '2030-01-08')).toContain('10:00');
  });

  test('the invitee is stored trimmed, white space inside kept', async () => {
    const owner = await availableOwner();
    const { booking } = await booked(owner.id, '2030-01-08T11:00:00Z', { invitee: { name: '\u3000 Ada  Lovelace \t', email: ' ada@example.com\n' } });
    expect(booking.invitee).toEqual({ name: 'Ada  Lovelace', email: 'ada@example.com' });
  });

  test('booking ids are UUIDs that sort in the order the bookings were taken (time-ordered, so the id indexes grow at one end)', async () => {
    const owner = await availableOwner();
    const ids: string[] = [];
    for (const hour of ['09', '10', '11', '12', '13', '14', '15', '16']) ids.push((await booked(owner.id, `2030-01-09T${hour}:00:00Z`)).booking.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('unknown owner is NOT_FOUND', async () => {
    expect((await book('nobody', '2030-01-08T10:00:00Z')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('an idempotency key returns the first booking again, even for ten racing retries', async () => {
    const owner = await availableOwner();
    const first = await booked(owner.id, '2030-01-09T09:00:00Z', { idempotencyKey: 'order-42' });
    const again = await booked(owner.id, '2030-01-09T09:00:00Z', { idempotencyKey: 'order-42' });
    expect(again.booking.id).toBe(first.booking.id);
    const retries = await Promise.all(Array.from({ length: 10 }, () => book(owner.id, '2030-01-09T11:00:00Z', { idempotencyKey: 'order-43' })));
    const ids = new Set(retries.map((r) => r.data?.bookSlot.booking.id));
    expect(retries.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(ids.size).toBe(1);
    // Ten answers, at most MAX_MANAGE_TOKENS tokens kept: the ones kept work for that one booking.
    let working = 0;
    for (const r of retries) {
      const seen = await t.run(BookingDocument, { id: r.data!.bookSlot.booking.id, manageToken: r.data!.bookSlot.manageToken });
      if (seen.data) {
        expect(seen.data.booking.startsAt).toBe('2030-01-09T11:00:00.000Z');
        working++;
      } else {
        expect(seen.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
    }
    expect(working).toBeGreaterThanOrEqual(1);
    expect(working).toBeLessThanOrEqual(MAX_MANAGE_TOKENS);
    const page = await t.ok(OwnerBookingsDocument, { id: owner.id, first: 100 }, owner.token);
    expect(page.owner!.bookings.edges).toHaveLength(2);
  });

  test('a replay compares the invitee as stored (trimmed), so a retry with the same untrimmed input replays', async () => {
    const owner = await availableOwner();
    const padded = { name: ' Grace Hopper\u3000', email: ' grace@example.com ' };
    const first = await booked(owner.id, '2030-01-09T13:00:00Z', { idempotencyKey: 'order-45', invitee: padded });
    expect(first.booking.invitee).toEqual(invitee);
    const again = await booked(owner.id, '2030-01-09T13:00:00Z', { idempotencyKey: 'order-45', invitee });
    expect(again.booking.id).toBe(first.booking.id);
  });

  test('a retry whose original commits between its replay check and its availability check gets the original, not SLOT_UNAVAILABLE', async () => {
    const owner = await availableOwner();
    const real = SlotService.prototype.whyUnbookable;
    let original: Awaited<ReturnType<typeof book>> | undefined;
    // The retry has looked for its key and found nothing; the original request commits now, just
    // before the retry reads availability (and so finds the slot taken by that very booking).
    jest.spyOn(SlotService.prototype, 'whyUnbookable').mockImplementationOnce(async function (this: SlotService, ...args) {
      original = await book(owner.id, '2030-01-09T10:00:00Z', { idempotencyKey: 'order-44' });
      return real.apply(this, args);
    });
    const retry = await book(owner.id, '2030-01-09T10:00:00Z', { idempotencyKey: 'order-44' });
    expect(original?.errors).toBeUndefined();
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.bookSlot.booking.id).toBe(original?.data?.bookSlot.booking.id);
    expect(retry.data?.bookSlot.manageToken).not.toBe(original?.data?.bookSlot.manageToken);
  });

  test('after the slot length changes, no slot on the new grid overlaps a booking on the old one', async () => {
    const owner = await availableOwner(90);
    await booked(owner.id, '2030-01-10T09:00:00Z'); // 09:00-10:30
    await t.ok(UpdateOwnerDocument, { input: { slotMinutes: 60 } }, owner.token);
    expect(await slotStarts(owner.id, '2030-01-10')).toEqual(['11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    expect((await book(owner.id, '2030-01-10T10:00:00Z')).errors?.[0]?.extensions?.code).toBe('SLOT_UNAVAILABLE');
  });
});

describe('reading, cancelling, rescheduling, completing', () => {
  test('booking(id) is visible to its owner and its manage token only', async () => {
    const owner = await availableOwner();
    const { booking, manageToken } = await booked(owner.id, '2030-01-08T13:00:00Z');
    expect((await t.ok(BookingDocument, { id: booking.id, manageToken })).booking.id).toBe(booking.id);
    expect((await t.ok(BookingDocument, { id: booking.id }, owner.token)).booking.id).toBe(booking.id);
    const other = await availableOwner();
    const otherBooking = await booked(other.id, '2030-01-08T13:00:00Z');
    await t.fails(BookingDocument, { id: booking.id }, 'NOT_FOUND');
    await t.fails(BookingDocument, { id: booking.id }, 'NOT_FOUND', other.token);
    await t.fails(BookingDocument, { id: booking.id, manageToken: otherBooking.manageToken }, 'NOT_FOUND');
    await t.fails(BookingDocument, { id: 'missing', manageToken }, 'NOT_FOUND');
  });

  test('cancel frees the time at once; a cancelled booking cannot be cancelled again', async () => {
    const owner = await availableOwner();
    const { booking, manageToken } = await booked(owner.id, '2030-01-08T14:00:00Z');
    await t.fails(CancelBookingDocument, { id: booking.id }, 'NOT_FOUND');
    const cancelled = await t.ok(CancelBookingDocument, { id: booking.id, manageToken });
    expect(cancelled.cancelBooking.status).toBe('CANCELLED');
    expect(await slotStarts(owner.id, '2030-01-08')).toContain('14:00');
    await t.fails(CancelBookingDocument, { id: booking.id }, 'BAD_USER_INPUT', owner.token);
    const rebooked = await booked(owner.id, '2030-01-08T14:00:00Z');
    expect(rebooked.booking.id).not.toBe(booking.id);
  });

  test('reschedule moves atomically; to a taken slot it fails and changes nothing', async () => {
    const owner = await availableOwner();
    const { booking, manageToken } = await booked(owner.id, '2030-01-08T09:00:00Z');
    await booked(owner.id, '2030-01-08T11:00:00Z');
    const refused = await t.run(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T11:00:00Z', manageToken });
    expect(refused.errors?.[0]?.extensions?.code).toBe('SLOT_UNAVAILABLE');
    expect((await t.ok(BookingDocument, { id: booking.id, manageToken })).booking.startsAt).toBe('2030-01-08T09:00:00.000Z');
    expect(await slotStarts(owner.id, '2030-01-08')).not.toContain('09:00');

    const moved = await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T10:00:00Z' }, owner.token);
    expect(moved.rescheduleBooking).toMatchObject({ id: booking.id, startsAt: '2030-01-08T10:00:00.000Z', endsAt: '2030-01-08T11:00:00.000Z', status: 'CONFIRMED' });
    expect(await slotStarts(owner.id, '2030-01-08')).toEqual(['09:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    await t.fails(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T12:00:00Z' }, 'NOT_FOUND');
  });

  test('reschedule may overlap the booking’s own old time', async () => {
    const owner = await availableOwner(30);
    const { booking, manageToken } = await booked(owner.id, '2030-01-08T09:00:00Z');
    await t.ok(UpdateOwnerDocument, { input: { slotMinutes: 60 } }, owner.token);
    const moved = await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T09:00:00Z', manageToken });
    expect(moved.rescheduleBooking.endsAt).toBe('2030-01-08T10:00:00.000Z');
  });

  test('complete is owner-only and final', async () => {
    const owner = await availableOwner();
    const { booking, manageToken } = await booked(owner.id, '2030-01-08T15:00:00Z');
    await t.fails(CompleteBookingDocument, { id: booking.id }, 'UNAUTHENTICATED');
    const other = await t.createOwner();
    await t.fails(CompleteBookingDocument, { id: booking.id }, 'NOT_FOUND', other.token);
    expect((await t.ok(CompleteBookingDocument, { id: booking.id }, owner.token)).completeBooking.status).toBe('COMPLETED');
    await t.fails(CancelBookingDocument, { id: booking.id, manageToken }, 'BAD_USER_INPUT');
    await t.fails(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T16:00:00Z', manageToken }, 'BAD_USER_INPUT');
    await t.fails(CompleteBookingDocument, { id: booking.id }, 'BAD_USER_INPUT', owner.token);
    expect(await slotStarts(owner.id, '2030-01-08')).not.toContain('15:00');
  });
});

describe('lists', () => {
  test('upcomingBookings walks every CONFIRMED, not yet ended booking once, ascending', async () => {
    const owner = await availableOwner();
    const startsAt = ['2030-01-07T09:00:00Z', '2030-01-07T10:00:00Z', '2030-01-08T09:00:00Z', '2030-01-08T16:00:00Z', '2030-01-09T12:00:00Z', '2030-01-10T09:00:00Z', '2030-01-11T13:00:00Z'];
    const made = [];
    for (const s of startsAt) made.push((await booked(owner.id, s)).booking);
    await t.ok(CancelBookingDocument, { id: made[2]!.id }, owner.token);
    await t.ok(CompleteBookingDocument, { id: made[3]!.id }, owner.token);
    t.clock.now = new Date('2030-01-07T09:30:00Z'); // the 09:00 booking has not ended yet
    try {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const data: UpcomingBookingsQuery = await t.ok(UpcomingBookingsDocument, { first: 2, after }, owner.token);
        seen.push(...data.upcomingBookings.edges.map((e) => e.node.startsAt));
        if (!data.upcomingBookings.pageInfo.hasNextPage) break;
        after = data.upcomingBookings.pageInfo.endCursor ?? null;
      }
      expect(seen).toEqual(['2030-01-07T09:00:00.000Z', '2030-01-07T10:00:00.000Z', '2030-01-09T12:00:00.000Z', '2030-01-10T09:00:00.000Z', '2030-01-11T13:00:00.000Z']);
      t.clock.now = new Date('2030-01-07T10:00:00Z');
      const later = await t.ok(UpcomingBookingsDocument, {}, owner.token);
      expect(later.upcomingBookings.edges[0]!.node.startsAt).toBe('2030-01-07T10:00:00.000Z');
    } finally {
      t.clock.now = new Date('2030-01-07T08:00:00Z');
    }
  });

  test.each([[0], [101], [-1]])('first = %d is BAD_USER_INPUT', async (first) => {
    const owner = await t.createOwner();
    const error = await t.fails(UpcomingBookingsDocument, { first }, 'BAD_USER_INPUT', owner.token);
    expect(error.message).toContain('first');
  });

  test('a forged cursor is BAD_USER_INPUT; lists are owner-only', async () => {
    const owner = await t.createOwner();
    await t.fails(UpcomingBookingsDocument, { after: 'garbage' }, 'BAD_USER_INPUT', owner.token);
    await t.fails(UpcomingBookingsDocument, {}, 'UNAUTHENTICATED');
    const other = await t.createOwner();
    await t.fails(OwnerBookingsDocument, { id: owner.id }, 'FORBIDDEN', other.token);
  });

  test('Owner.bookings filters by status and start range', async () => {
    const owner = await availableOwner();
    const a = (await booked(owner.id, '2030-01-08T09:00:00Z')).booking;
    const b = (await booked(owner.id, '2030-01-09T09:00:00Z')).booking;
    const c = (await booked(owner.id, '2030-01-10T09:00:00Z')).booking;
    await t.ok(CancelBookingDocument, { id: b.id }, owner.token);
    const ids = async (vars: Record<string, unknown>) =>
      (await t.ok(OwnerBookingsDocument, { id: owner.id, ...vars }, owner.token)).owner!.bookings.edges.map((e) => e.node.id);
    expect(await ids({})).toEqual([a.id, b.id, c.id]);
    expect(await ids({ status: 'CANCELLED' })).toEqual([b.id]);
    expect(await ids({ status: 'CONFIRMED', from: '2030-01-09T00:00:00Z' })).toEqual([c.id]);
    expect(await ids({ from: '2030-01-08T00:00:00Z', to: '2030-01-10T00:00:00Z' })).toEqual([a.id, b.id]);
  });
});
