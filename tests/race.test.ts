import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { randomUUID } from 'node:crypto';
import { Booking, BookingCell, BookingStatus, ManageToken } from '../src/modules/booking/booking.entity';
import { Owner } from '../src/modules/owner/owner.entity';
import { BookingStore } from '../src/modules/booking/booking.store';
import { cellsOf } from '../src/modules/booking/booking.placement';
import { SlotService } from '../src/modules/slot/slot.service';
import { startTestApp, type TestApp } from './support/app';
import { testDialect } from './support/database';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  BookingDocument,
  CancelBookingDocument,
  CompleteBookingDocument,
  FreeSlotsDocument,
  RescheduleBookingDocument,
  UpdateOwnerDocument,
} from './generated/graphql';

// In-process races through Apollo's executeOperation; tests/multiprocess.test.ts races real processes.

const PARALLEL = 60;

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }); // now = 2030-01-07T08:00Z
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

async function ownerWithWindow(slotMinutes: number, startsAt: string, endsAt: string) {
  const owner = await t.createOwner({ name: 'Racer', timeZone: 'UTC', slotMinutes });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt, endsAt } }, owner.token);
  return owner;
}

function book(ownerId: string, startsAt: string, n = 0) {
  return t.run(BookSlotDocument, { input: { ownerId, startsAt, invitee: { name: `Invitee ${n}`, email: `invitee${n}@example.com` } } });
}

/** Fires `PARALLEL` bookSlot for one start at once and sorts the outcomes by error code. */
async function raceFor(ownerId: string, startsAt: string) {
  const results = await Promise.all(Array.from({ length: PARALLEL }, (_, n) => book(ownerId, startsAt, n)));
  const confirmed = results.filter((r) => !r.errors?.length && r.data?.bookSlot.booking.status === 'CONFIRMED');
  const errorCodes = results.flatMap((r) => (r.errors ?? []).map((e) => String(e.extensions?.code)));
  return { results, confirmed, errorCodes };
}

function liveRows(em: EntityManager, ownerId: string) {
  return Promise.all([
    em.find(Booking, { owner: ownerId, status: { $ne: BookingStatus.CANCELLED } }),
    em.count(BookingCell, { owner: ownerId }),
  ]);
}

const slotStarts = async (ownerId: string, from: string, to: string) =>
  (await t.ok(FreeSlotsDocument, { ownerId, from, to })).freeSlots;

describe(`${PARALLEL} parallel bookSlot on one slot`, () => {
  test('exactly one CONFIRMED, every other SLOT_UNAVAILABLE, one booking and its cells in the database', async () => {
    const owner = await ownerWithWindow(60, '2030-01-08T09:00:00Z', '2030-01-08T12:00:00Z');
    const { results, confirmed, errorCodes } = await raceFor(owner.id, '2030-01-08T10:00:00Z');

    expect(confirmed).toHaveLength(1);
    expect(errorCodes).toHaveLength(PARALLEL - 1);
    expect(errorCodes.every((c) => c === 'SLOT_UNAVAILABLE')).toBe(true);
    expect(results.filter((r) => r.errors?.length && r.data)).toHaveLength(0);

    const [bookings, cells] = await liveRows(t.app.orm.em.fork(), owner.id);
    expect(bookings.map((b) => b.id)).toEqual([confirmed[0]!.data!.bookSlot.booking.id]);
    expect(cells).toBe(60 / 5);
    expect((await slotStarts(owner.id, '2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z')).map((s) => s.startsAt)).toEqual([
      '2030-01-08T09:00:00.000Z',
      '2030-01-08T11:00:00.000Z',
    ]);
  });

  test('with the application check switched off, the database constraint alone still lets exactly one through', async () => {
    // Every request now believes the slot is free, so only the (owner, cell) primary key can refuse.
    const check = jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null);
    const owner = await ownerWithWindow(60, '2030-01-09T09:00:00Z', '2030-01-09T12:00:00Z');
    const versionBefore = (await t.app.orm.em.fork().findOneOrFail(Owner, { id: owner.id })).dataVersion;
    const { confirmed, errorCodes } = await raceFor(owner.id, '2030-01-09T09:00:00Z');

    expect(check).toHaveBeenCalled();
    expect(confirmed).toHaveLength(1);
    expect(errorCodes).toEqual(Array(PARALLEL - 1).fill('SLOT_UNAVAILABLE'));
    const em = t.app.orm.em.fork();
    const [bookings, cells] = await liveRows(em, owner.id);
    // The losers' writes were refused whole: no Booking row, cell, manage token or version bump of theirs is left.
    expect(bookings).toHaveLength(1);
    expect(cells).toBe(12);
    expect(await em.count(ManageToken, { booking: { owner: owner.id } })).toBe(1);
    expect((await em.findOneOrFail(Owner, { id: owner.id })).dataVersion).toBe(versionBefore + 1);
  });
});

describe('bookings on different grids never overlap', () => {
  const day = { from: '2030-01-10T00:00:00Z', to: '2030-01-11T00:00:00Z' };
  let owner: { id: string; token: string };
  let first: { id: string; manageToken: string };

  /** A booking written straight through the ORM, past bookSlot and its availability check. */
  async function insertBooking(em: EntityManager, startsAt: Date, minutes: number, status = BookingStatus.CONFIRMED): Promise<void> {
    const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
    const id = randomUUID();
    await em.transactional(async (tx) => {
      await tx.insert(Booking, {
        id, owner: owner.id, startsAt, endsAt, status,
        inviteeName: 'Direct', inviteeEmail: 'direct@example.com', idempotencyKey: null, createdAt: new Date('2030-01-07T08:00:00Z'),
      });
      await tx.insertMany(BookingCell, cellsOf(startsAt, endsAt).map((cell) => ({ owner: owner.id, cell, booking: id })));
    });
  }

  beforeAll(async () => {
    owner = await ownerWithWindow(90, '2030-01-10T09:00:00Z', '2030-01-10T13:00:00Z');
    expect((await slotStarts(owner.id, day.from, day.to)).map((s) => s.startsAt)).toEqual(['2030-01-10T09:00:00.000Z', '2030-01-10T10:30:00.000Z']);
    const booked = await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-10T09:00:00Z', invitee: { name: 'Long', email: 'long@example.com' } } });
    expect(booked.bookSlot.booking.endsAt).toBe('2030-01-10T10:30:00.000Z');
    first = { id: booked.bookSlot.booking.id, manageToken: booked.bookSlot.manageToken };
    const updated = await t.ok(UpdateOwnerDocument, { input: { slotMinutes: 60 } }, owner.token);
    expect(updated.updateOwner.slotMinutes).toBe(60);
  });

  test('after slotMinutes 90 → 60, freeSlots lists no slot that overlaps the 09:00–10:30 booking', async () => {
    const slots = await slotStarts(owner.id, day.from, day.to);
    const bookedFrom = Date.parse('2030-01-10T09:00:00Z');
    const bookedTo = Date.parse('2030-01-10T10:30:00Z');
    for (const s of slots) {
      const overlaps = Date.parse(s.startsAt) < bookedTo && Date.parse(s.endsAt) > bookedFrom;
      expect({ slot: s, overlaps }).toEqual({ slot: s, overlaps: false });
    }
    // On the 60-minute grid 10:00 would be a slot start, but it overlaps the booking until 10:30.
    expect(slots.map((s) => s.startsAt)).toEqual(['2030-01-10T11:00:00.000Z', '2030-01-10T12:00:00.000Z']);
    await t.fails(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-10T10:00:00Z', invitee: { name: 'X', email: 'x@example.com' } } }, 'SLOT_UNAVAILABLE');
  });

  /** Which database guard refused the write: the cells' primary key, or PostgreSQL's booking_no_overlap exclusion constraint. */
  async function refusal(write: Promise<void>): Promise<string> {
    const err: unknown = await write.then(() => null, (e: unknown) => e);
    if (err instanceof UniqueConstraintViolationException) return 'booking_cell primary key';
    if (err instanceof DriverException && err.code === '23P01' && /booking_no_overlap/.test(err.message)) return 'booking_no_overlap';
    return `not refused as taken: ${String(err)}`;
  }

  test('an overlapping insert through the ORM, past every application check, is refused by a database constraint', async () => {
    const em = t.app.orm.em.fork();
    const before = await liveRows(em, owner.id);
    // PostgreSQL checks its exclusion constraint on the booking row, before the cells are written.
    const guard = testDialect === 'postgresql' ? 'booking_no_overlap' : 'booking_cell primary key';

    expect(await refusal(insertBooking(em, new Date('2030-01-10T10:00:00Z'), 60))).toBe(guard);
    // Touching is not overlapping: only the cell 10:25–10:30 is shared with a 10:25 start.
    expect(await refusal(insertBooking(em, new Date('2030-01-10T10:25:00Z'), 5))).toBe(guard);
    // A row the exclusion constraint does not cover (cancelled) still cannot take the cells: each guard holds alone.
    expect(await refusal(insertBooking(em, new Date('2030-01-10T10:00:00Z'), 60, BookingStatus.CANCELLED))).toBe('booking_cell primary key');

    const after = await liveRows(t.app.orm.em.fork(), owner.id);
    expect(after[0].map((b) => b.id)).toEqual(before[0].map((b) => b.id)); // rolled back, Booking row included
    expect(after[1]).toBe(before[1]);

    // Control: the same write right after the booking's end goes through, so the refusal above was the overlap.
    await insertBooking(em, new Date('2030-01-10T10:30:00Z'), 30);
    expect((await liveRows(t.app.orm.em.fork(), owner.id))[1]).toBe(before[1] + 6);
  });

  test('bookSlot with the application check switched off still answers SLOT_UNAVAILABLE, not INTERNAL_SERVER_ERROR', async () => {
    jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null);
    const result = await book(owner.id, '2030-01-10T10:00:00Z');
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['SLOT_UNAVAILABLE']);
  });

  test('cancelling the 90-minute booking frees its cells: 10:00 on the new grid becomes bookable', async () => {
    // 10:30–11:00 is held by the control insert above, so 10:00–11:00 still overlaps something.
    await t.fails(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-10T09:00:00Z', invitee: { name: 'X', email: 'x@example.com' } } }, 'SLOT_UNAVAILABLE');
    await t.ok(CancelBookingDocument, { id: first.id, manageToken: first.manageToken });
    const slots = await slotStarts(owner.id, day.from, day.to);
    expect(slots.map((s) => s.startsAt)).toEqual(['2030-01-10T09:00:00.000Z', '2030-01-10T11:00:00.000Z', '2030-01-10T12:00:00.000Z']);
    const booked = await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-10T09:00:00Z', invitee: { name: 'Short', email: 'short@example.com' } } });
    expect(booked.bookSlot.booking.endsAt).toBe('2030-01-10T10:00:00.000Z');
  });
});

describe('changes that lose a race after every application check are refused whole', () => {
  const day = { from: '2030-01-11T00:00:00Z', to: '2030-01-12T00:00:00Z' };

  async function bookedAt(ownerId: string, startsAt: string) {
    return (await t.ok(BookSlotDocument, { input: { ownerId, startsAt, invitee: { name: 'Mover', email: 'mover@example.com' } } })).bookSlot;
  }

  test('a reschedule onto a taken time that the calendar let through is SLOT_UNAVAILABLE; the booking keeps its time', async () => {
    const owner = await ownerWithWindow(60, '2030-01-11T09:00:00Z', '2030-01-11T12:00:00Z');
    const { booking, manageToken } = await bookedAt(owner.id, '2030-01-11T09:00:00Z');
    await bookedAt(owner.id, '2030-01-11T10:00:00Z');
    // The calendar says free, as it would had the 10:00 booking committed just after it read.
    jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null);
    await t.fails(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-11T10:00:00Z', manageToken }, 'SLOT_UNAVAILABLE');
    jest.restoreAllMocks();
    expect((await t.ok(BookingDocument, { id: booking.id, manageToken })).booking.startsAt).toBe('2030-01-11T09:00:00.000Z');
    // Its cells came back with the rollback: 09:00 is still taken.
    expect((await slotStarts(owner.id, day.from, day.to)).map((s) => s.startsAt)).toEqual(['2030-01-11T11:00:00.000Z']);
  });

  test.each([
    ['completed', 'complete', (id: string, _manageToken: string, token: string) => t.run(CompleteBookingDocument, { id }, token)],
    ['rescheduled', 'move', (id: string, manageToken: string) => t.run(RescheduleBookingDocument, { id, startsAt: '2030-01-11T11:00:00Z', manageToken })],
    ['cancelled', 'cancel', (id: string, manageToken: string) => t.run(CancelBookingDocument, { id, manageToken })],
  ] as const)('a booking cancelled after it was read cannot be %s: BAD_USER_INPUT, and it stays cancelled with its time free', async (verb, write, change) => {
    const owner = await ownerWithWindow(60, '2030-01-11T09:00:00Z', '2030-01-11T12:00:00Z');
    const { booking, manageToken } = await bookedAt(owner.id, '2030-01-11T09:00:00Z');
    // The change has read the booking as CONFIRMED; a cancel commits before its write.
    const real = BookingStore.prototype[write] as (...args: unknown[]) => Promise<unknown>;
    jest.spyOn(BookingStore.prototype, write).mockImplementationOnce(async function (this: BookingStore, ...args: unknown[]) {
      await t.ok(CancelBookingDocument, { id: booking.id, manageToken });
      return real.apply(this, args);
    } as never);
    const result = await change(booking.id, manageToken, owner.token);
    jest.restoreAllMocks();
    expect(result.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', `id: only a CONFIRMED booking can be ${verb}`]]);
    const seen = (await t.ok(BookingDocument, { id: booking.id, manageToken })).booking;
    expect(seen).toMatchObject({ status: 'CANCELLED', startsAt: '2030-01-11T09:00:00.000Z' });
    expect((await slotStarts(owner.id, day.from, day.to)).map((s) => s.startsAt)).toEqual([
      '2030-01-11T09:00:00.000Z', '2030-01-11T10:00:00.000Z', '2030-01-11T11:00:00.000Z',
    ]);
  });
});
