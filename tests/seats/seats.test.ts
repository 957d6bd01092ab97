import { SlotService } from '../../src/modules/slot/slot.service';
import { startTestApp, type TestApp } from '../support/app';
import { testDialect } from '../support/database';
import {
  AddOneTimeWindowDocument,
  BookSeatDocument,
  BookSlotDocument,
  CancelSeatDocument,
  CreateSeatEventTypeDocument,
  OwnerEmailsDocument,
  OwnerSeatBookingsDocument,
  RescheduleSeatDocument,
  SeatBookingDocument,
  SeatSlotsDocument,
  UpdateSeatEventTypeDocument,
  type EventTypeInput,
} from '../generated/graphql';

// docs/api.md, Part 3, 38 in one process (tests/seats/seat-races.test.ts races real processes):
// a group event's start takes seatsPerSlot invitees, each with their own booking; freeSlots shows
// seatsLeft; the start's time is occupied for the owner's other event types (and Part 1's slots)
// from its first seat until its last seat is cancelled. The test clock starts on Monday
// 2030-01-07 08:00Z; every window is on Tuesday 2030-01-08.

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

const DAY = '2030-01-08';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

interface Setup {
  owner: { id: string; token: string };
  group: string;
  other: string;
}

/** An owner with a 09:00-17:00 window, a group event of `seats` seats (60 minutes) and a plain 60-minute event type. */
async function setup(seats = 3, group: Partial<EventTypeInput> = {}): Promise<Setup> {
  const owner = await t.createOwner({ name: 'Class teacher', timeZone: 'UTC', slotMinutes: 60 });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: at('09:00'), endsAt: at('17:00') } }, owner.token);
  const created = await t.ok(CreateSeatEventTypeDocument, { input: { slug: 'class', title: 'Class', durations: [60], seatsPerSlot: seats, ...group } }, owner.token);
  const other = await t.ok(CreateSeatEventTypeDocument, { input: { slug: 'one-to-one', title: 'One to one', durations: [60] } }, owner.token);
  return { owner, group: created.createEventType.id, other: other.createEventType.id };
}

let invitees = 0;
function bookSeat(s: Setup, startsAt: string, eventTypeId = s.group) {
  invitees++;
  return t.run(BookSeatDocument, { input: { ownerId: s.owner.id, eventTypeId, startsAt, invitee: { name: `Invitee ${invitees}`, email: `invitee${invitees}@example.com` } } });
}

async function seated(s: Setup, startsAt: string, eventTypeId = s.group) {
  const result = await bookSeat(s, startsAt, eventTypeId);
  expect(result.errors).toBeUndefined();
  return result.data!.bookSlot;
}

async function slots(s: Setup, eventTypeId: string | null) {
  const data = await t.ok(SeatSlotsDocument, { ownerId: s.owner.id, from: at('09:00'), to: at('17:00'), eventTypeId });
  return data.freeSlots;
}

const startsOf = (list: Array<{ startsAt: string }>) => list.map((x) => x.startsAt);
const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => result.errors?.map((e) => e.extensions?.code);

describe(`seats of a group event (${testDialect})`, () => {
  test('seatsPerSlot is 2..1000 or null, on create and update, BAD_USER_INPUT naming input.seatsPerSlot', async () => {
    const owner = await t.createOwner({ name: 'Rules', timeZone: 'UTC' });
    for (const seatsPerSlot of [1, 0, -3, 1001]) {
      const error = await t.fails(CreateSeatEventTypeDocument, { input: { slug: `bad-${seatsPerSlot + 10}`, title: 'Bad', seatsPerSlot } }, 'BAD_USER_INPUT', owner.token);
      expect(error.extensions?.field).toBe('input.seatsPerSlot');
    }
    const two = await t.ok(CreateSeatEventTypeDocument, { input: { slug: 'two', title: 'Two', seatsPerSlot: 2 } }, owner.token);
    expect(two.createEventType.seatsPerSlot).toBe(2);
    const single = await t.ok(CreateSeatEventTypeDocument, { input: { slug: 'single', title: 'Single' } }, owner.token);
    expect(single.createEventType.seatsPerSlot).toBeNull();
    const id = two.createEventType.id;
    expect((await t.ok(UpdateSeatEventTypeDocument, { id, input: { seatsPerSlot: 1000 } }, owner.token)).updateEventType.seatsPerSlot).toBe(1000);
    const error = await t.fails(UpdateSeatEventTypeDocument, { id, input: { seatsPerSlot: 1 } }, 'BAD_USER_INPUT', owner.token);
    expect(error.extensions?.field).toBe('input.seatsPerSlot');
    expect((await t.ok(UpdateSeatEventTypeDocument, { id, input: { seatsPerSlot: null } }, owner.token)).updateEventType.seatsPerSlot).toBeNull();
  });

  test('freeSlots shows seatsLeft for a group event only; each seat lowers it; a full start is not listed and refused', async () => {
    const s = await setup(3);
    expect((await slots(s, s.group)).slice(0, 2)).toEqual([
      { startsAt: at('09:00'), endsAt: at('10:00'), seatsLeft: 3 },
      { startsAt: at('10:00'), endsAt: at('11:00'), seatsLeft: 3 },
    ]);
    expect((await slots(s, s.other)).every((slot) => slot.seatsLeft === null)).toBe(true);

    const first = await seated(s, at('10:00'));
    expect(first.booking.seatsTaken).toBe(1);
    expect((await slots(s, s.group)).find((x) => x.startsAt === at('10:00'))?.seatsLeft).toBe(2);
    const second = await seated(s, at('10:00'));
    expect(second.booking.seatsTaken).toBe(2);
    expect(second.manageToken).not.toBe(first.manageToken);
    expect(second.booking.id).not.toBe(first.booking.id);
    expect((await slots(s, s.group)).find((x) => x.startsAt === at('10:00'))?.seatsLeft).toBe(1);
    await seated(s, at('10:00'));
    expect(startsOf(await slots(s, s.group))).not.toContain(at('10:00'));
    expect(codeOf(await bookSeat(s, at('10:00')))).toEqual(['SLOT_UNAVAILABLE']);

    // Every seat's booking reads the same count, alone and in a list (one loader per request).
    expect((await t.ok(SeatBookingDocument, { id: first.booking.id, manageToken: first.manageToken })).booking.seatsTaken).toBe(3);
    const listed = await t.ok(OwnerSeatBookingsDocument, { id: s.owner.id }, s.owner.token);
    expect(listed.owner?.bookings.edges.map((e) => e.node.seatsTaken)).toEqual([3, 3, 3]);
  });

  test("the group's time is refused to other event types and Part 1's slots from the first seat until the last cancel; one cancel frees one seat", async () => {
    const s = await setup(3);
    expect(startsOf(await slots(s, s.other))).toContain(at('11:00'));
    const seats = [await seated(s, at('11:00')), await seated(s, at('11:00'))];

    expect(startsOf(await slots(s, s.other))).not.toContain(at('11:00'));
    expect(startsOf(await slots(s, null))).not.toContain(at('11:00'));
    expect(codeOf(await bookSeat(s, at('11:00'), s.other))).toEqual(['SLOT_UNAVAILABLE']);
    expect(codeOf(await t.run(BookSlotDocument, { input: { ownerId: s.owner.id, startsAt: at('11:00'), invitee: { name: 'Plain', email: 'plain@example.com' } } }))).toEqual(['SLOT_UNAVAILABLE']);

    // Cancelling the FIRST seat (whose cells the group's time was written with) keeps the time occupied.
    const cancelled = await t.ok(CancelSeatDocument, { id: seats[0]!.booking.id, manageToken: seats[0]!.manageToken });
    expect(cancelled.cancelBooking.status).toBe('CANCELLED');
    expect((await slots(s, s.group)).find((x) => x.startsAt === at('11:00'))?.seatsLeft).toBe(2);
    expect((await t.ok(SeatBookingDocument, { id: seats[1]!.booking.id, manageToken: seats[1]!.manageToken })).booking.seatsTaken).toBe(1);
    expect(startsOf(await slots(s, s.other))).not.toContain(at('11:00'));
    expect(codeOf(await bookSeat(s, at('11:00'), s.other))).toEqual(['SLOT_UNAVAILABLE']);

    // The last seat's cancel frees the time for everyone.
    await t.ok(CancelSeatDocument, { id: seats[1]!.booking.id, manageToken: seats[1]!.manageToken });
    expect(startsOf(await slots(s, s.other))).toContain(at('11:00'));
    expect((await seated(s, at('11:00'), s.other)).booking.seatsTaken).toBeNull();
    // ...and now the group's start is taken by that booking.
    expect(startsOf(await slots(s, s.group))).not.toContain(at('11:00'));
    expect(codeOf(await bookSeat(s, at('11:00')))).toEqual(['SLOT_UNAVAILABLE']);
  });

  test('another start of the same group event that overlaps a group is refused (30-minute steps)', async () => {
    const s = await setup(4, { slotStepMinutes: 30 });
    await seated(s, at('13:00'));
    const starts = startsOf(await slots(s, s.group));
    expect(starts).toContain(at('13:00'));
    expect(starts).not.toContain(at('12:30'));
    expect(starts).not.toContain(at('13:30'));
    expect(codeOf(await bookSeat(s, at('13:30')))).toEqual(['SLOT_UNAVAILABLE']);
    expect(codeOf(await bookSeat(s, at('12:30')))).toEqual(['SLOT_UNAVAILABLE']);
  });

  test('rescheduling a seat moves that one seat into another start with a seat left', async () => {
    const s = await setup(2);
    const a = await seated(s, at('14:00'));
    const b = await seated(s, at('14:00'));
    const c = await seated(s, at('15:00'));
    // 14:00 is full: c cannot move there.
    expect(codeOf(await t.run(RescheduleSeatDocument, { id: c.booking.id, startsAt: at('14:00'), manageToken: c.manageToken }))).toEqual(['SLOT_UNAVAILABLE']);
    // a (the first seat of 14:00) moves to 15:00, joining c; b keeps 14:00 occupied.
    const moved = await t.ok(RescheduleSeatDocument, { id: a.booking.id, startsAt: at('15:00'), manageToken: a.manageToken });
    expect(moved.rescheduleBooking).toMatchObject({ startsAt: at('15:00'), seatsTaken: 2 });
    expect((await t.ok(SeatBookingDocument, { id: b.booking.id, manageToken: b.manageToken })).booking.seatsTaken).toBe(1);
    const free = await slots(s, s.group);
    expect(free.find((x) => x.startsAt === at('14:00'))?.seatsLeft).toBe(1);
    expect(startsOf(free)).not.toContain(at('15:00'));
    expect(startsOf(await slots(s, s.other))).not.toContain(at('14:00'));
    // c moves to an empty start: 15:00 keeps a's seat, the new start holds c's.
    await t.ok(RescheduleSeatDocument, { id: c.booking.id, startsAt: at('16:00'), manageToken: c.manageToken });
    const after = await slots(s, s.group);
    expect(after.find((x) => x.startsAt === at('15:00'))?.seatsLeft).toBe(1);
    expect(after.find((x) => x.startsAt === at('16:00'))?.seatsLeft).toBe(1);
    expect(startsOf(await slots(s, s.other))).not.toEqual(expect.arrayContaining([at('14:00'), at('15:00'), at('16:00')]));
  });

  test('each seat gets its own confirmation email (and owner notice), as any booking', async () => {
    const owner = await t.createOwner({ name: 'Mailing teacher', timeZone: 'UTC', email: 'teacher@example.com' });
    await t.ok(AddOneTimeWindowDocument, { input: { startsAt: at('09:00'), endsAt: at('17:00') } }, owner.token);
    const group = (await t.ok(CreateSeatEventTypeDocument, { input: { slug: 'class', title: 'Class', durations: [60], seatsPerSlot: 5 } }, owner.token)).createEventType.id;
    const s: Setup = { owner, group, other: group };
    await seated(s, at('09:00'));
    await seated(s, at('09:00'));
    await seated(s, at('09:00'));
    const emails = await t.ok(OwnerEmailsDocument, { ownerId: owner.id, first: 50 }, owner.token);
    const kinds = emails.owner?.emails.edges.map((e) => e.node.kind) ?? [];
    expect(kinds.filter((k) => k === 'BOOKING_CONFIRMED')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'OWNER_NEW_BOOKING')).toHaveLength(3);
  });

  describe('the database alone, with the application check off', () => {
    beforeEach(() => jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null));

    test('12 parallel bookings for 4 seats: exactly 4 succeed', async () => {
      const s = await setup(4);
      const results = await Promise.all(Array.from({ length: 12 }, () => bookSeat(s, at('09:00'))));
      expect(results.filter((r) => !r.errors).length).toBe(4);
      expect(results.filter((r) => r.errors).map(codeOf).flat()).toEqual(Array(8).fill('SLOT_UNAVAILABLE'));
    });

    test("another event type and an overlapping start of the group are refused while any seat stays, the first seat's cancel included", async () => {
      const s = await setup(3, { slotStepMinutes: 30 });
      const first = await seated(s, at('10:00'));
      await seated(s, at('10:00'));
      expect(codeOf(await bookSeat(s, at('10:00'), s.other))).toEqual(['SLOT_UNAVAILABLE']);
      expect(codeOf(await bookSeat(s, at('10:30')))).toEqual(['SLOT_UNAVAILABLE']);
      // A seat of another length (here: another buffer) cannot join the group's span.
      await t.ok(UpdateSeatEventTypeDocument, { id: s.group, input: { bufferAfterMinutes: 15 } }, s.owner.token);
      expect(codeOf(await bookSeat(s, at('10:00')))).toEqual(['SLOT_UNAVAILABLE']);
      await t.ok(UpdateSeatEventTypeDocument, { id: s.group, input: { bufferAfterMinutes: 0 } }, s.owner.token);
      await t.ok(CancelSeatDocument, { id: first.booking.id, manageToken: first.manageToken });
      expect(codeOf(await bookSeat(s, at('10:00'), s.other))).toEqual(['SLOT_UNAVAILABLE']);
      expect(codeOf(await bookSeat(s, at('10:30')))).toEqual(['SLOT_UNAVAILABLE']);
      expect((await seated(s, at('10:00'))).booking.seatsTaken).toBe(2);
    });
  });
});
