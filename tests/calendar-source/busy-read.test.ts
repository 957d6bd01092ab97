import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { startTestApp, type ServedTestApp } from '../support/app';
import { freshDatabaseUrl } from '../support/database';
import { discardSharedDatabase } from '../support/shared-database';
import { pollUntil } from '../support/poll';
import { liveClient, watch } from '../live/live-client';
import type { Interval } from '../../src/scheduling';
import {
  AddOneTimeWindowDocument, BookSlotDocument, CancelBookingDocument, CompleteBookingDocument, CreateEventTypeDocument, EventTypeFreeSlotsDocument,
  FreeSlotsDocument, OwnerBookingsDocument, OwnerBusyDocument, RescheduleBookingDocument,
} from '../generated/graphql';

// Busy time synced from the owner's other calendars occupies the owner's time like a booking's
// occupied span (docs/api.md, Part 3, 29): free slots (buffers included), bookSlot and
// rescheduleBooking (refused by the database), ETags and live slots, in every process. The
// intervals go in through BusyIntervalStore, as the sync stores them. Two apps on one database
// stand in for two processes.

const DAY = '2030-01-08';
const RANGE = { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:00Z` };
/** `HH:MM` of DAY as epoch ms. */
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00Z`);
const busy = (from: string, to: string): Interval => ({ start: at(from), end: at(to) });
const hours = (starts: readonly string[]) => starts.map((s) => s.slice(11, 16));
const invitee = { name: 'Ada', email: 'ada@example.com' };

let databaseUrl: string;
let a: ServedTestApp;
let b: ServedTestApp;

/** Replaces one source's busy time through app `app`'s store. */
const sync = (app: ServedTestApp, ownerId: string, intervals: Interval[], sourceId = 'source-1') =>
  app.app.contextFor().stores.busyIntervals.replaceSource(ownerId, sourceId, intervals);

/** An owner (UTC, 60-minute slots) free on DAY from 09:00 to 17:00. */
async function ownerWithDay() {
  const owner = await a.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
  await a.ok(AddOneTimeWindowDocument, { input: { startsAt: `${DAY}T09:00:00Z`, endsAt: `${DAY}T17:00:00Z` } }, owner.token);
  return owner;
}

async function freeHours(app: ServedTestApp, ownerId: string): Promise<string[]> {
  return hours((await app.ok(FreeSlotsDocument, { ownerId, ...RANGE })).freeSlots.map((s) => s.startsAt));
}

beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl({ shared: true });
  a = await startTestApp({ databaseUrl, listen: true, subscriptions: { pollIntervalMs: 50 } });
  b = await startTestApp({ databaseUrl, listen: true, subscriptions: { pollIntervalMs: 50 } });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  if (databaseUrl) discardSharedDatabase(databaseUrl);
});

describe('free slots leave out busy time', () => {
  test.each<[string, Interval[], string[]]>([
    ['nothing busy', [], ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']],
    ['an hour, on the slots', [busy('10:00', '11:00')], ['09:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']],
    ['a minute inside a slot takes the slot', [busy('12:29', '12:30')], ['09:00', '10:00', '11:00', '13:00', '14:00', '15:00', '16:00']],
    ['touching slots only: none taken', [busy('08:00', '09:00'), busy('17:00', '18:00')], ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']],
    ['overlapping intervals of two sources', [busy('13:30', '14:30'), busy('14:00', '15:10')], ['09:00', '10:00', '11:00', '12:00', '16:00']],
    ['an all-week holiday begun days before', [{ start: at('00:00') - 5 * 86_400_000, end: at('00:00') + 2 * 86_400_000 }], []],
  ])('%s', async (_name, intervals, expected) => {
    const owner = await ownerWithDay();
    await sync(a, owner.id, intervals.slice(0, 1));
    if (intervals.length > 1) await sync(a, owner.id, intervals.slice(1), 'source-2');
    // Through the other process too, and from its cache on a second read.
    expect(await freeHours(a, owner.id)).toEqual(expected);
    expect(await freeHours(b, owner.id)).toEqual(expected);
    expect(await freeHours(b, owner.id)).toEqual(expected);
  });

  test("an event type's buffers count: a slot whose span with buffers overlaps busy time is not free", async () => {
    const owner = await ownerWithDay();
    const eventType = (await a.ok(CreateEventTypeDocument, { input: { slug: 'buffered', title: 'Buffered', durations: [60], bufferBeforeMinutes: 15, bufferAfterMinutes: 30 } }, owner.token)).createEventType;
    await sync(a, owner.id, [busy('12:00', '12:45')]);
    const slots = await a.ok(EventTypeFreeSlotsDocument, { ownerId: owner.id, ...RANGE, eventTypeId: eventType.id });
    // 11:00 ends at 12:00 but its buffer after runs to 12:30; 13:00's buffer before starts at 12:45, where the busy time ends.
    expect(hours(slots.freeSlots.map((s) => s.startsAt))).toEqual(['09:00', '10:00', '13:00', '14:00', '15:00', '16:00']);
    // Part 1's slots have no buffers: 11:00 stays free.
    expect(await freeHours(a, owner.id)).toEqual(['09:00', '10:00', '11:00', '13:00', '14:00', '15:00', '16:00']);
  });
});

describe('bookSlot and rescheduleBooking refuse busy time, and write nothing', () => {
  test('bookSlot over busy time: SLOT_UNAVAILABLE, no booking; a free slot still books', async () => {
    const owner = await ownerWithDay();
    await sync(b, owner.id, [busy('10:15', '10:20')]);
    const error = await a.fails(BookSlotDocument, { input: { ownerId: owner.id, startsAt: `${DAY}T10:00:00Z`, invitee } }, 'SLOT_UNAVAILABLE');
    expect(error.message).not.toMatch(/busy_interval|booking_outside/);
    expect((await a.ok(OwnerBookingsDocument, { id: owner.id }, owner.token)).owner!.bookings.edges).toEqual([]);
    await a.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: `${DAY}T11:00:00Z`, invitee } });
  });

  test('rescheduleBooking onto busy time: SLOT_UNAVAILABLE, the booking keeps its time', async () => {
    const owner = await ownerWithDay();
    const booked = (await a.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: `${DAY}T09:00:00Z`, invitee } })).bookSlot;
    await sync(b, owner.id, [busy('14:30', '15:00')]);
    await a.fails(RescheduleBookingDocument, { id: booked.booking.id, startsAt: `${DAY}T14:00:00Z`, manageToken: booked.manageToken }, 'SLOT_UNAVAILABLE');
    const [edge] = (await a.ok(OwnerBookingsDocument, { id: owner.id }, owner.token)).owner!.bookings.edges;
    expect(edge!.node.startsAt).toBe(`${DAY}T09:00:00.000Z`);
  });

  test('a booking that a later sync covers keeps its time and can still be completed or cancelled', async () => {
    const owner = await ownerWithDay();
    const first = (await a.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: `${DAY}T09:00:00Z`, invitee } })).bookSlot;
    const second = (await a.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: `${DAY}T10:00:00Z`, invitee } })).bookSlot;
    await sync(b, owner.id, [busy('09:00', '11:00')]);
    await a.ok(CompleteBookingDocument, { id: first.booking.id }, owner.token);
    await a.ok(CancelBookingDocument, { id: second.booking.id, manageToken: second.manageToken });
    const statuses = (await a.ok(OwnerBookingsDocument, { id: owner.id }, owner.token)).owner!.bookings.edges.map((e) => e.node.status);
    expect(statuses).toEqual(['COMPLETED', 'CANCELLED']);
  });

  // The database decides, not the service's read: the store's writes, without any read before them.
  test.each([
    ['a booking over busy time', busy('10:00', '11:00'), 0, 0, busy('10:30', '11:30'), 'taken'],
    ['a booking whose buffer before reaches busy time', busy('10:00', '11:00'), 15, 0, busy('09:50', '09:55'), 'taken'],
    ['a booking whose buffer after reaches busy time', busy('10:00', '11:00'), 0, 30, busy('11:25', '11:26'), 'taken'],
    ['a booking touching busy time', busy('10:00', '11:00'), 15, 15, busy('11:15', '12:00'), 'created'],
    ['a booking beside a holiday that ended before it', busy('10:00', '11:00'), 0, 0, { start: at('10:00') - 9 * 86_400_000, end: at('10:00') }, 'created'],
    ['a booking inside a holiday begun days before', busy('10:00', '11:00'), 0, 0, { start: at('10:00') - 9 * 86_400_000, end: at('10:05') }, 'taken'],
  ])('the database refuses %s', async (_name, span, bufferBeforeMinutes, bufferAfterMinutes, busyTime, outcome) => {
    const owner = await ownerWithDay();
    await sync(b, owner.id, [busyTime]);
    const placement = { startsAt: new Date(span.start), endsAt: new Date(span.end), bufferBeforeMinutes, bufferAfterMinutes, localDate: null };
    const bookings = a.app.contextFor().stores.bookings;
    const inserted = await bookings.insertBooking(
      { ...placement, ownerId: owner.id, eventTypeId: null, inviteeName: 'Ada', inviteeEmail: 'ada@example.com', idempotencyKey: null, createdAt: new Date() },
      randomUUID(),
    );
    expect(inserted.kind).toBe(outcome);
    expect((await a.ok(OwnerBookingsDocument, { id: owner.id }, owner.token)).owner!.bookings.edges).toHaveLength(outcome === 'created' ? 1 : 0);
    // A move onto it, from a free hour: refused alike.
    const away = { start: at('15:00'), end: at('16:00') };
    const booked = (await a.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: new Date(away.start).toISOString(), invitee } })).bookSlot.booking;
    if (outcome === 'taken') expect(await bookings.move(booked.id, owner.id, new Date(away.start), placement)).toBe('taken');
  });
});

describe('every reader follows a sync', () => {
  test("a persisted GET's ETag changes after replaceSource in another process: 200 with the new slots, then 304", async () => {
    const owner = await ownerWithDay();
    const query = new URLSearchParams({ query: print(FreeSlotsDocument), variables: JSON.stringify({ ownerId: owner.id, ...RANGE }) });
    const get = async (etag?: string) => {
      const response = await fetch(`${a.url}?${query}`, { headers: { 'apollo-require-preflight': 'true', ...(etag ? { 'if-none-match': etag } : {}) } });
      return { status: response.status, etag: response.headers.get('etag')!, text: await response.text() };
    };
    const first = await get();
    expect(first.status).toBe(200);
    expect((await get(first.etag)).status).toBe(304);
    // A hears of B's change through its change feed alone (the next poll, or the NOTIFY).
    const clock = a.app.validators.options.changes!;
    const heard = clock.mark()!;
    await sync(b, owner.id, [busy('09:00', '12:00')]);
    await pollUntil(() => clock.mark(), (mark) => mark !== null && mark > heard, () => "A's feed hearing of the sync", { ms: 3_000 });
    const changed = await get(first.etag);
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(first.etag);
    expect(hours((JSON.parse(changed.text) as { data: { freeSlots: Array<{ startsAt: string }> } }).data.freeSlots.map((s) => s.startsAt))).toEqual(['12:00', '13:00', '14:00', '15:00', '16:00']);
    expect((await get(changed.etag)).status).toBe(304);
  });

  test('freeSlotsChanged on one process sends the new list when another replaces or removes a source', async () => {
    const owner = await ownerWithDay();
    const live = liveClient(a.url);
    try {
      const w = watch(live, { ownerId: owner.id, from: `${DAY}T09:00:00Z`, to: `${DAY}T12:00:00Z` });
      expect(hours(await w.nth(1))).toEqual(['09:00', '10:00', '11:00']);
      await sync(b, owner.id, [busy('10:00', '11:00')]);
      expect(hours(await w.nth(2))).toEqual(['09:00', '11:00']);
      await b.app.contextFor().stores.busyIntervals.removeSource(owner.id, 'source-1');
      expect(hours(await w.nth(3))).toEqual(['09:00', '10:00', '11:00']);
    } finally {
      await live.dispose();
    }
  });
});

describe('Owner.busy', () => {
  test.each<[string, Interval[], { from: string; to: string }, Array<[string, string]>]>([
    // 09:00-10:00 only touches the range: left out before the others merge.
    ['the overlapping ones, merged when they overlap or touch, unclipped', [busy('09:00', '10:00'), busy('09:30', '11:00'), busy('11:00', '11:30'), busy('13:00', '14:00')], { from: '10:00', to: '13:00' }, [['09:30', '11:30']]],
    ['touching the range is outside it', [busy('08:00', '09:00'), busy('12:00', '13:00')], { from: '09:00', to: '12:00' }, []],
    ['ascending', [busy('15:00', '16:00'), busy('09:00', '10:00')], { from: '00:00', to: '23:00' }, [['09:00', '10:00'], ['15:00', '16:00']]],
  ])('%s', async (_name, intervals, range, expected) => {
    const owner = await ownerWithDay();
    await sync(b, owner.id, intervals);
    const answer = await a.ok(OwnerBusyDocument, { id: owner.id, from: `${DAY}T${range.from}:00Z`, to: `${DAY}T${range.to}:00Z` }, owner.token);
    expect(answer.owner!.busy.map((i) => [i.startsAt.slice(11, 16), i.endsAt.slice(11, 16)])).toEqual(expected);
  });

  test("the owner's only: FORBIDDEN for another owner, UNAUTHENTICATED without a token", async () => {
    const owner = await ownerWithDay();
    const other = await a.createOwner({ timeZone: 'UTC' });
    await a.fails(OwnerBusyDocument, { id: owner.id, ...RANGE }, 'FORBIDDEN', other.token);
    await a.fails(OwnerBusyDocument, { id: owner.id, ...RANGE }, 'UNAUTHENTICATED');
  });

  test.each([
    ['to before from', { from: '2030-01-08T10:00:00Z', to: '2030-01-08T09:00:00Z' }, /after from/],
    ['to equal to from', { from: '2030-01-08T10:00:00Z', to: '2030-01-08T10:00:00Z' }, /after from/],
    ['longer than 366 days', { from: '2030-01-08T00:00:00Z', to: '2031-01-10T00:00:00Z' }, /366 days/],
  ])('a bad range (%s): BAD_USER_INPUT naming to', async (_name, range, rule) => {
    const owner = await ownerWithDay();
    const error = await a.fails(OwnerBusyDocument, { id: owner.id, ...range }, 'BAD_USER_INPUT', owner.token);
    expect(error.extensions?.field).toBe('to');
    expect(error.message).toMatch(rule);
  });
});
