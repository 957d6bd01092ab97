import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { randomUUID } from 'node:crypto';
import { SlotService } from '../src/modules/slot/slot.service';
import { startTestApp, DEFAULT_NOW, type OperationResult, type ServedTestApp } from './support/app';
import { testDialect } from './support/database';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CompleteBookingDocument,
  CreateEventTypeDocument,
  EventTypeBookingDocument,
  EventTypeFreeSlotsDocument,
  RescheduleBookingDocument,
  UpdateEventTypeDocument,
  type BookSlotInput,
  type EventTypeInput,
  type EventTypePatch,
} from './generated/graphql';

// The write side of docs/api.md Part 2, semantics 9-13: bookSlot and rescheduleBooking with an
// event type, the database's own guards for occupied spans and daily caps, and the invitee's
// notice (TOO_LATE, over HTTP: who asks is decided by the Authorization header). The test clock
// starts on Monday 2030-01-07 08:00Z; tests/event-type-races.test.ts races real processes.

const PARALLEL = 40;

let t: ServedTestApp;
beforeAll(async () => { t = await startTestApp({ listen: true, over: 'http' }); });
afterAll(() => t.close());
afterEach(() => {
  jest.restoreAllMocks();
  t.clock.now = DEFAULT_NOW;
});

const invitee = { name: 'Grace Hopper', email: 'grace@example.com' };

const sql = <Row = Record<string, unknown>>(statement: string, params: unknown[] = []): Promise<Row[]> =>
  t.app.orm.em.fork().getConnection().execute(statement, params);

interface Setup {
  owner: { id: string; token: string };
  eventType: { id: string };
}

/** A new owner (UTC unless told), its one-time windows, and one event type with `policies`. */
async function ownerWithEventType(policies: Partial<EventTypeInput>, windows: Array<[string, string]>, timeZone = 'UTC'): Promise<Setup> {
  const owner = await t.createOwner({ name: 'Policy owner', timeZone, slotMinutes: 60 });
  for (const [startsAt, endsAt] of windows) await t.ok(AddOneTimeWindowDocument, { input: { startsAt, endsAt } }, owner.token);
  const created = await t.ok(CreateEventTypeDocument, { input: { slug: 'session', title: 'Session', ...policies } }, owner.token);
  return { owner, eventType: { id: created.createEventType.id } };
}

const TUESDAY = [['2030-01-08T09:00:00Z', '2030-01-08T17:00:00Z']] as Array<[string, string]>;

function book(s: Setup, startsAt: string, extra: Partial<BookSlotInput> = {}, n = 0) {
  const who = n ? { name: `Invitee ${n}`, email: `invitee${n}@example.com` } : invitee;
  return t.run(BookSlotDocument, { input: { ownerId: s.owner.id, eventTypeId: s.eventType.id, startsAt, invitee: who, ...extra } });
}

async function booked(s: Setup, startsAt: string, extra: Partial<BookSlotInput> = {}) {
  return (await t.ok(BookSlotDocument, { input: { ownerId: s.owner.id, eventTypeId: s.eventType.id, startsAt, invitee, ...extra } })).bookSlot;
}

const codes = (result: OperationResult<unknown>) => (result.errors ?? []).map((e) => e.extensions?.code);

const updateEventType = (s: Setup, input: EventTypePatch) => t.ok(UpdateEventTypeDocument, { id: s.eventType.id, input }, s.owner.token);

/** The booking as its invitee reads it: time, status and event type. */
const readBooking = async (id: string, manageToken: string) => (await t.ok(EventTypeBookingDocument, { id, manageToken })).booking;

/** The starts freeSlots lists for the event type (and duration) on one UTC day. */
async function freeStarts(s: Setup, day: string, duration?: number): Promise<string[]> {
  const data = await t.ok(EventTypeFreeSlotsDocument, { ownerId: s.owner.id, from: `${day}T00:00:00Z`, to: `${day}T23:55:00Z`, eventTypeId: s.eventType.id, duration });
  return data.freeSlots.map((slot) => slot.startsAt);
}

/** What the database recorded of a booking, read with plain SQL. */
async function stored(bookingId: string) {
  const [row] = await sql('select event_type_id, buffer_before_minutes, buffer_after_minutes, local_date, reschedule_count, status from booking where id = ?', [bookingId]);
  const [cells] = await sql<{ n: number | string }>('select count(*) as n from booking_cell where booking_id = ?', [bookingId]);
  return {
    eventTypeId: row!.event_type_id,
    buffers: [Number(row!.buffer_before_minutes), Number(row!.buffer_after_minutes)],
    localDate: row!.local_date,
    rescheduleCount: Number(row!.reschedule_count),
    status: row!.status,
    cells: Number(cells!.n),
  };
}

/** event_type_day's rows of the event type: the database's count of live bookings per owner-local date. */
async function dayCounts(s: Setup): Promise<Record<string, { booked: number; cap: number | null }>> {
  const rows = await sql<{ local_date: string; booked: number | string; cap: number | string | null }>(
    'select local_date, booked, cap from event_type_day where event_type_id = ? order by local_date', [s.eventType.id],
  );
  return Object.fromEntries(rows.map((r) => [r.local_date, { booked: Number(r.booked), cap: r.cap === null ? null : Number(r.cap) }]));
}

async function liveBookingCount(s: Setup): Promise<number> {
  const [row] = await sql<{ n: number | string }>("select count(*) as n from booking where owner_id = ? and status <> 'CANCELLED'", [s.owner.id]);
  return Number(row!.n);
}

/** The app's booking store, for writes past every application check. */
const bookingStore = () => t.app.contextFor(null).stores.bookings;

/** A booking written by the store alone: what the database decides when no rule of the app was asked. */
function storeInsert(s: Setup, startsAt: string, minutes: number, buffers: [number, number], eventTypeId: string | null = null, localDate: string | null = null) {
  const start = new Date(startsAt);
  return bookingStore().insertBooking(
    {
      ownerId: s.owner.id,
      eventTypeId,
      startsAt: start,
      endsAt: new Date(start.getTime() + minutes * 60_000),
      bufferBeforeMinutes: buffers[0],
      bufferAfterMinutes: buffers[1],
      localDate,
      inviteeName: 'Direct',
      inviteeEmail: 'direct@example.com',
      idempotencyKey: null,
      createdAt: DEFAULT_NOW,
    },
    `sbm_direct_${randomUUID()}`,
  );
}

/** Switches the application's availability check off: every start looks free, so only the database can refuse. */
const appCheckOff = () => jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null);

/** POSTs a typed operation to the app's /graphql, with the owner's token as a bearer when given. */
async function overHttp<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, bearer?: string): Promise<OperationResult<TData>> {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as OperationResult<TData>;
}

describe('bookSlot with an event type', () => {
  test('the booking lasts the chosen duration (default: defaultDuration) and records the event type, its buffers and the owner-local date', async () => {
    // New York: the window 09:00-17:00 local is 14:00-22:00Z in January.
    const s = await ownerWithEventType(
      { durations: [30, 60], bufferBeforeMinutes: 10, bufferAfterMinutes: 15 },
      [['2030-01-08T14:00:00Z', '2030-01-08T22:00:00Z']],
      'America/New_York',
    );
    const short = await booked(s, '2030-01-08T14:00:00Z');
    expect(short.booking).toMatchObject({ startsAt: '2030-01-08T14:00:00.000Z', endsAt: '2030-01-08T14:30:00.000Z', status: 'CONFIRMED' });
    const long = await booked(s, '2030-01-08T16:00:00Z', { duration: 60 });
    expect(long.booking.endsAt).toBe('2030-01-08T17:00:00.000Z');

    // Cells cover the occupied span: 10 + 30 + 15 and 10 + 60 + 15 minutes.
    expect(await stored(short.booking.id)).toEqual({ eventTypeId: s.eventType.id, buffers: [10, 15], localDate: '2030-01-08', rescheduleCount: 0, status: 'CONFIRMED', cells: 11 });
    expect(await stored(long.booking.id)).toEqual({ eventTypeId: s.eventType.id, buffers: [10, 15], localDate: '2030-01-08', rescheduleCount: 0, status: 'CONFIRMED', cells: 17 });
    expect((await readBooking(long.booking.id, long.manageToken)).eventType).toEqual({ id: s.eventType.id });
  });

  // One example per rule of Semantics 9: the refused start is one freeSlots does not list, the accepted one is listed.
  test.each([
    {
      rule: 'minimum notice (now + 120 minutes)',
      policies: { minNoticeMinutes: 120 },
      windows: [['2030-01-07T09:00:00Z', '2030-01-07T17:00:00Z']],
      refused: '2030-01-07T09:00:00Z',
      accepted: '2030-01-07T10:00:00Z',
      words: 'too soon',
    },
    {
      rule: "horizon (before 00:00 of today + 1 day, the owner's zone)",
      policies: { horizonDays: 1 },
      windows: [['2030-01-07T22:00:00Z', '2030-01-08T02:00:00Z']],
      refused: '2030-01-08T00:00:00Z',
      accepted: '2030-01-07T23:00:00Z',
      words: 'too far ahead',
    },
    {
      rule: 'slot step (45 minutes over a 60-minute duration)',
      policies: { slotStepMinutes: 45 },
      windows: TUESDAY,
      refused: '2030-01-08T09:30:00Z',
      accepted: '2030-01-08T09:45:00Z',
      words: 'off the slot grid',
    },
  ])('$rule: a start freeSlots does not list is SLOT_UNAVAILABLE, one it lists is booked', async ({ policies, windows, refused, accepted, words }) => {
    const s = await ownerWithEventType(policies, windows as Array<[string, string]>);
    const listed = [...(await freeStarts(s, refused.slice(0, 10))), ...(await freeStarts(s, accepted.slice(0, 10)))];
    expect(listed).not.toContain(new Date(refused).toISOString());
    expect(listed).toContain(new Date(accepted).toISOString());
    const result = await book(s, refused);
    expect(codes(result)).toEqual(['SLOT_UNAVAILABLE']);
    expect(result.errors![0]!.message).toContain(words);
    expect((await booked(s, accepted)).booking.startsAt).toBe(new Date(accepted).toISOString());
    expect(await liveBookingCount(s)).toBe(1);
  });

  test("a start whose span reaches into another booking's buffer is SLOT_UNAVAILABLE; a before-buffer never trims the window's opening", async () => {
    const s = await ownerWithEventType({ durations: [30], bufferBeforeMinutes: 30, bufferAfterMinutes: 30 }, TUESDAY);
    // 09:00 opens the window: its before-buffer lies outside availability, and the slot is kept.
    await booked(s, '2030-01-08T09:00:00Z'); // occupies 08:30-10:00
    // 10:00's before-buffer (09:30-10:00) overlaps the after-buffer; 10:30's does not.
    expect(await freeStarts(s, '2030-01-08')).not.toContain('2030-01-08T10:00:00.000Z');
    expect(codes(await book(s, '2030-01-08T10:00:00Z'))).toEqual(['SLOT_UNAVAILABLE']);
    expect((await booked(s, '2030-01-08T10:30:00Z')).booking.startsAt).toBe('2030-01-08T10:30:00.000Z');
  });

  test("Part 1's slot (no event type) is refused where it overlaps an event-type booking's buffer (Semantics 10)", async () => {
    const s = await ownerWithEventType({ durations: [30], bufferBeforeMinutes: 60 }, TUESDAY);
    await booked(s, '2030-01-08T11:00:00Z'); // occupies 10:00-11:30
    const plain = (startsAt: string) => t.run(BookSlotDocument, { input: { ownerId: s.owner.id, startsAt, invitee } });
    expect(codes(await plain('2030-01-08T10:00:00Z'))).toEqual(['SLOT_UNAVAILABLE']);
    expect(codes(await plain('2030-01-08T09:00:00Z'))).toEqual([]);
  });

  test('an inactive event type has no slots: SLOT_UNAVAILABLE until it is active again', async () => {
    const s = await ownerWithEventType({}, TUESDAY);
    await updateEventType(s, { active: false });
    expect(codes(await book(s, '2030-01-08T09:00:00Z'))).toEqual(['SLOT_UNAVAILABLE']);
    await updateEventType(s, { active: true });
    expect(codes(await book(s, '2030-01-08T09:00:00Z'))).toEqual([]);
  });

  test('malformed or disallowed arguments are BAD_USER_INPUT naming the field, another owner\'s event type NOT_FOUND; nothing is written', async () => {
    const s = await ownerWithEventType({ durations: [30, 60] }, TUESDAY);
    const other = await ownerWithEventType({}, TUESDAY);
    const start = '2030-01-08T09:00:00Z';
    const plainWithDuration = await t.run(BookSlotDocument, { input: { ownerId: s.owner.id, startsAt: start, invitee, duration: 30 } });
    expect(plainWithDuration.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.duration']]);
    const notADuration = await book(s, start, { duration: 45 });
    expect(notADuration.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.duration']]);
    expect(codes(await book(s, start, { eventTypeId: other.eventType.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await book(s, start, { eventTypeId: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(await liveBookingCount(s)).toBe(0);
  });

  test('an idempotency key replays only the same event type and duration (an omitted duration is the default)', async () => {
    const s = await ownerWithEventType({ durations: [30, 60] }, TUESDAY);
    const first = await booked(s, '2030-01-08T10:00:00Z', { idempotencyKey: 'k1' });
    const again = await booked(s, '2030-01-08T10:00:00Z', { idempotencyKey: 'k1', duration: 30 });
    expect(again.booking.id).toBe(first.booking.id);
    // Another duration at a free start could have booked: the key is refused, naming it.
    const longer = await book(s, '2030-01-08T13:00:00Z', { idempotencyKey: 'k1', duration: 60 });
    expect(longer.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.idempotencyKey']]);
    // Without the event type, at a free start: a different request too.
    const plain = await t.run(BookSlotDocument, { input: { ownerId: s.owner.id, startsAt: '2030-01-08T13:00:00Z', invitee, idempotencyKey: 'k1' } });
    expect(plain.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.idempotencyKey']]);
    // At the taken start it would fail anyway, so it learns nothing of the key.
    expect(codes(await book(s, '2030-01-08T10:00:00Z', { idempotencyKey: 'k1', duration: 60 }))).toEqual(['SLOT_UNAVAILABLE']);
    expect(await liveBookingCount(s)).toBe(1);
  });

  test('changing the event type changes future slots only: a booking keeps its recorded buffers (Semantics 13)', async () => {
    const s = await ownerWithEventType({ durations: [30], bufferAfterMinutes: 30 }, TUESDAY);
    const first = await booked(s, '2030-01-08T10:00:00Z'); // occupies 10:00-11:00
    await updateEventType(s, { bufferAfterMinutes: 0, durations: [30, 60] });
    expect(await stored(first.booking.id)).toMatchObject({ buffers: [0, 30], cells: 12 });
    expect(first.booking.endsAt).toBe('2030-01-08T10:30:00.000Z');
    // 10:30 is free of the new policy's buffers but inside the booking's recorded one.
    expect(await freeStarts(s, '2030-01-08')).not.toContain('2030-01-08T10:30:00.000Z');
    expect(codes(await book(s, '2030-01-08T10:30:00Z'))).toEqual(['SLOT_UNAVAILABLE']);
    const next = await booked(s, '2030-01-08T11:00:00Z');
    expect(await stored(next.booking.id)).toMatchObject({ buffers: [0, 0], cells: 6 });
  });
});

describe('the daily cap', () => {
  test("counts live bookings of the event type per owner-local date, not per UTC date", async () => {
    // New York, January (UTC-5): 17:00 on the 8th to 03:00 on the 9th, local.
    const s = await ownerWithEventType({ maxBookingsPerDay: 2 }, [['2030-01-08T22:00:00Z', '2030-01-09T08:00:00Z']], 'America/New_York');
    await booked(s, '2030-01-08T22:00:00Z'); // 17:00 on the 8th
    await booked(s, '2030-01-09T03:00:00Z'); // 22:00 on the 8th, a UTC date later
    const full = await book(s, '2030-01-09T04:00:00Z'); // 23:00 on the 8th
    expect(codes(full)).toEqual(['SLOT_UNAVAILABLE']);
    expect(full.errors![0]!.message).toContain('most bookings per day');
    await booked(s, '2030-01-09T05:00:00Z'); // 00:00 on the 9th
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 2, cap: 2 }, '2030-01-09': { booked: 1, cap: 2 } });
  });

  test('cancelling releases a seat at once; a completed booking keeps its seat', async () => {
    const s = await ownerWithEventType({ maxBookingsPerDay: 1 }, TUESDAY);
    const first = await booked(s, '2030-01-08T09:00:00Z');
    expect(codes(await book(s, '2030-01-08T11:00:00Z'))).toEqual(['SLOT_UNAVAILABLE']);
    await t.ok(CancelBookingDocument, { id: first.booking.id, manageToken: first.manageToken });
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 0, cap: 1 } });
    const second = await booked(s, '2030-01-08T11:00:00Z');
    await t.ok(CompleteBookingDocument, { id: second.booking.id }, s.owner.token);
    expect(codes(await book(s, '2030-01-08T13:00:00Z'))).toEqual(['SLOT_UNAVAILABLE']);
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 1, cap: 1 } });
  });

  test("the cap is the event type's current maxBookingsPerDay", async () => {
    const s = await ownerWithEventType({ maxBookingsPerDay: 2 }, TUESDAY);
    await booked(s, '2030-01-08T09:00:00Z');
    await booked(s, '2030-01-08T10:00:00Z');
    await updateEventType(s, { maxBookingsPerDay: 3 });
    await booked(s, '2030-01-08T11:00:00Z');
    expect(codes(await book(s, '2030-01-08T12:00:00Z'))).toEqual(['SLOT_UNAVAILABLE']);
    await updateEventType(s, { maxBookingsPerDay: null });
    await booked(s, '2030-01-08T12:00:00Z');
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 4, cap: null } });
  });

  test('the database alone refuses the booking past the cap, with its current value, and keeps nothing of it', async () => {
    const s = await ownerWithEventType({ maxBookingsPerDay: 3 }, TUESDAY);
    await booked(s, '2030-01-08T09:00:00Z');
    await booked(s, '2030-01-08T10:00:00Z');
    await updateEventType(s, { maxBookingsPerDay: 2 });
    const check = appCheckOff();
    const refused = await book(s, '2030-01-08T11:00:00Z');
    expect(check).toHaveBeenCalled();
    expect(codes(refused)).toEqual(['SLOT_UNAVAILABLE']);
    expect(refused.errors![0]!.message).toContain('most bookings per day');
    // Through the store itself, no rule of the app asked.
    expect(await storeInsert(s, '2030-01-08T12:00:00Z', 60, [0, 0], s.eventType.id, '2030-01-08')).toEqual({ kind: 'dayFull' });
    expect(await liveBookingCount(s)).toBe(2);
    const [cells] = await sql<{ n: number | string }>('select count(*) as n from booking_cell where owner_id = ?', [s.owner.id]);
    expect(Number(cells!.n)).toBe(24);
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 2, cap: 3 } });
    // Another day has its own seats.
    expect((await storeInsert(s, '2030-01-09T12:00:00Z', 60, [0, 0], s.eventType.id, '2030-01-09')).kind).toBe('created');
  });

  test("ten racing retries of one request (one idempotency key) for a day's last seat all get the one booking", async () => {
    const s = await ownerWithEventType({ maxBookingsPerDay: 1 }, TUESDAY);
    const results = await Promise.all(Array.from({ length: 10 }, () => book(s, '2030-01-08T10:00:00Z', { idempotencyKey: 'last-seat' })));
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((r) => r.data!.bookSlot.booking.id)).size).toBe(1);
    expect(await liveBookingCount(s)).toBe(1);
  });

  test.each([['with', false], ['without', true]])(
    `${PARALLEL} racing bookSlot for distinct slots of one day, cap 3, %s the application check: exactly 3 bookings`,
    async (_with, switchedOff) => {
      // 15-minute slots, 08:00-20:00: 48 distinct starts, the first 40 asked for at once.
      const s = await ownerWithEventType({ durations: [15], maxBookingsPerDay: 3 }, [['2030-01-08T08:00:00Z', '2030-01-08T20:00:00Z']]);
      if (switchedOff) appCheckOff();
      const starts = Array.from({ length: PARALLEL }, (_, i) => new Date(Date.parse('2030-01-08T08:00:00Z') + i * 15 * 60_000).toISOString());
      const results = await Promise.all(starts.map((startsAt, n) => book(s, startsAt, {}, n + 1)));
      const confirmed = results.filter((r) => !r.errors?.length);
      console.log(`daily cap race in one process (${testDialect}, application check ${switchedOff ? 'off' : 'on'}): ${PARALLEL} requests, cap 3: ${confirmed.length} CONFIRMED`);
      expect(confirmed).toHaveLength(3);
      expect(results.flatMap(codes)).toEqual(Array(PARALLEL - 3).fill('SLOT_UNAVAILABLE'));
      expect(await liveBookingCount(s)).toBe(3);
      expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 3, cap: 3 } });
    },
  );
});

describe('occupied spans, kept by the database', () => {
  test("a booking inside another's buffers is refused by the database alone (through the store, no rule of the app asked)", async () => {
    const s = await ownerWithEventType({ durations: [30], bufferAfterMinutes: 15 }, TUESDAY);
    await booked(s, '2030-01-08T10:00:00Z'); // occupies 10:00-10:45
    expect(await storeInsert(s, '2030-01-08T10:30:00Z', 15, [0, 0])).toEqual({ kind: 'taken' });
    // Its own before-buffer reaching back into the after-buffer is refused too.
    expect(await storeInsert(s, '2030-01-08T10:55:00Z', 30, [15, 0], s.eventType.id, '2030-01-08')).toEqual({ kind: 'taken' });
    // Control: touching is not overlapping.
    expect((await storeInsert(s, '2030-01-08T11:00:00Z', 30, [15, 0], s.eventType.id, '2030-01-08')).kind).toBe('created');
    expect(await liveBookingCount(s)).toBe(2);
  });

  (testDialect === 'postgresql' ? test : test.skip)('PostgreSQL: booking_no_overlap alone refuses a booking row inside another booking\'s buffer (no cells written)', async () => {
    const s = await ownerWithEventType({ durations: [30], bufferBeforeMinutes: 20 }, TUESDAY);
    await booked(s, '2030-01-08T10:00:00Z'); // occupies 09:40-10:30
    const insertRow = (startsAt: string, endsAt: string) =>
      sql(
        "insert into booking (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, created_at) values (?, ?, ?, ?, 'CONFIRMED', 'Raw', 'raw@example.com', ?)",
        [randomUUID(), s.owner.id, new Date(startsAt), new Date(endsAt), DEFAULT_NOW],
      ).then(
        () => 'inserted',
        // A plain statement's error comes from the driver as is: SQLSTATE 23P01 is an exclusion violation.
        (err: { code?: string; message?: string }) => (err.code === '23P01' && /booking_no_overlap/.test(err.message ?? '') ? 'booking_no_overlap' : String(err)),
      );
    expect(await insertRow('2030-01-08T09:30:00Z', '2030-01-08T09:45:00Z')).toBe('booking_no_overlap');
    expect(await insertRow('2030-01-08T09:20:00Z', '2030-01-08T09:40:00Z')).toBe('inserted');
  });

  (testDialect === 'sqlite' ? test : test.skip)('SQLite: the one-statement booking refuses cells that are not those of its occupied span', async () => {
    const s = await ownerWithEventType({}, TUESDAY);
    const start = Date.parse('2030-01-08T10:00:00Z');
    const end = start + 60 * 60_000;
    // Buffers of 15 minutes recorded, but only the booked time's cells brought.
    const cells = Array.from({ length: 12 }, (_, i) => start / 300_000 + i);
    const write = sql(
      `insert into booking_request (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at, event_type_id, buffer_before_minutes, buffer_after_minutes, local_date, token_hash, cells)
       values (?, ?, ?, ?, 'CONFIRMED', 'Raw', 'raw@example.com', null, ?, null, 15, 15, null, ?, ?)`,
      [randomUUID(), s.owner.id, start, end, DEFAULT_NOW.getTime(), randomUUID(), JSON.stringify(cells)],
    );
    await expect(write).rejects.toThrow(/cells must cover the occupied span/);
    expect(await liveBookingCount(s)).toBe(0);
  });

  test.each([['with', false], ['without', true]])(
    `${PARALLEL} racing bookSlot for two starts inside each other's buffers, %s the application check: exactly one booking`,
    async (_with, switchedOff) => {
      // 30 minutes with a 30-minute after-buffer on a 15-minute step: 10:00 occupies 10:00-11:00, 10:45 occupies 10:45-11:45.
      const s = await ownerWithEventType({ durations: [30], slotStepMinutes: 15, bufferAfterMinutes: 30 }, TUESDAY);
      expect(await freeStarts(s, '2030-01-08')).toEqual(expect.arrayContaining(['2030-01-08T10:00:00.000Z', '2030-01-08T10:45:00.000Z']));
      if (switchedOff) appCheckOff();
      const results = await Promise.all(Array.from({ length: PARALLEL }, (_, n) => book(s, n % 2 ? '2030-01-08T10:45:00Z' : '2030-01-08T10:00:00Z', {}, n + 1)));
      const confirmed = results.filter((r) => !r.errors?.length);
      console.log(`buffer race in one process (${testDialect}, application check ${switchedOff ? 'off' : 'on'}): ${PARALLEL} requests for 10:00 and 10:45: ${confirmed.length} CONFIRMED`);
      expect(confirmed).toHaveLength(1);
      expect(results.flatMap(codes)).toEqual(Array(PARALLEL - 1).fill('SLOT_UNAVAILABLE'));
      expect(await liveBookingCount(s)).toBe(1);
    },
  );
});

describe('rescheduleBooking with an event type', () => {
  test('keeps the event type and the duration, counts the reschedule and records the new local date', async () => {
    const s = await ownerWithEventType({ durations: [30, 60] }, [...TUESDAY, ['2030-01-09T09:00:00Z', '2030-01-09T17:00:00Z']]);
    const { booking, manageToken } = await booked(s, '2030-01-08T10:00:00Z', { duration: 60 });
    const moved = await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-09T13:00:00Z', manageToken });
    expect(moved.rescheduleBooking).toMatchObject({ startsAt: '2030-01-09T13:00:00.000Z', endsAt: '2030-01-09T14:00:00.000Z' });
    expect((await readBooking(booking.id, manageToken)).eventType).toEqual({ id: s.eventType.id });
    expect(await stored(booking.id)).toMatchObject({ eventTypeId: s.eventType.id, localDate: '2030-01-09', rescheduleCount: 1, cells: 12 });
  });

  test('obeys the current policies; on SLOT_UNAVAILABLE the booking is unchanged', async () => {
    const s = await ownerWithEventType({ durations: [30] }, [['2030-01-07T09:00:00Z', '2030-01-07T17:00:00Z'], ...TUESDAY]);
    const { booking, manageToken } = await booked(s, '2030-01-08T12:00:00Z');
    await booked(s, '2030-01-08T15:00:00Z'); // occupies 15:00-15:30
    // Starts every 45 minutes from 09:00 (09:00, 09:45, 10:30, 11:15, …, 15:00, 15:45, 16:30); none before 11:00 on the 7th; none on the 8th.
    await updateEventType(s, { minNoticeMinutes: 180, horizonDays: 1, bufferBeforeMinutes: 30, slotStepMinutes: 45 });
    const refusals: Array<[rule: string, startsAt: string]> = [
      ['notice', '2030-01-07T10:30:00Z'],
      ['horizon', '2030-01-08T09:00:00Z'],
      ['step', '2030-01-07T11:30:00Z'],
    ];
    for (const [rule, startsAt] of refusals) {
      const result = await t.run(RescheduleBookingDocument, { id: booking.id, startsAt, manageToken });
      expect({ rule, codes: codes(result) }).toEqual({ rule, codes: ['SLOT_UNAVAILABLE'] });
    }
    await updateEventType(s, { horizonDays: null });
    // 15:45's before-buffer (15:15-15:45) overlaps the 15:00 booking.
    const buffered = await t.run(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T15:45:00Z', manageToken });
    expect({ rule: 'buffer', codes: codes(buffered) }).toEqual({ rule: 'buffer', codes: ['SLOT_UNAVAILABLE'] });
    expect(await stored(booking.id)).toMatchObject({ rescheduleCount: 0, localDate: '2030-01-08', buffers: [0, 0], cells: 6 });
    expect((await readBooking(booking.id, manageToken)).startsAt).toBe('2030-01-08T12:00:00.000Z');
    // Control: a start every current rule allows.
    await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T16:30:00Z', manageToken });
    expect(await stored(booking.id)).toMatchObject({ rescheduleCount: 1, buffers: [30, 0], cells: 12 });
  });

  test('the booking does not count against its own day nor overlap itself', async () => {
    const s = await ownerWithEventType({ durations: [30], slotStepMinutes: 15, bufferAfterMinutes: 30, maxBookingsPerDay: 1 }, TUESDAY);
    const { booking, manageToken } = await booked(s, '2030-01-08T10:00:00Z'); // occupies 10:00-11:00, the day's one seat
    const moved = await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T10:15:00Z', manageToken });
    expect(moved.rescheduleBooking.startsAt).toBe('2030-01-08T10:15:00.000Z');
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 1, cap: 1 } });
  });

  test('the moved booking records the current buffers; its cells cover them', async () => {
    const s = await ownerWithEventType({ durations: [30] }, TUESDAY);
    const { booking, manageToken } = await booked(s, '2030-01-08T10:00:00Z');
    await updateEventType(s, { bufferBeforeMinutes: 10, bufferAfterMinutes: 30 });
    await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-08T12:00:00Z', manageToken });
    expect(await stored(booking.id)).toMatchObject({ buffers: [10, 30], cells: 14 });
    // 12:30's span starts at 12:20, inside the moved booking's after-buffer (until 13:00): the database says so too.
    expect(await storeInsert(s, '2030-01-08T12:30:00Z', 30, [0, 0])).toEqual({ kind: 'taken' });
  });

  test("moves its seat to the new day atomically: the old day frees, the new one fills, a full day refuses it (app or database)", async () => {
    const s = await ownerWithEventType({ maxBookingsPerDay: 1 }, [...TUESDAY, ['2030-01-09T09:00:00Z', '2030-01-09T17:00:00Z'], ['2030-01-10T09:00:00Z', '2030-01-10T17:00:00Z']]);
    const { booking, manageToken } = await booked(s, '2030-01-08T10:00:00Z');
    await booked(s, '2030-01-10T10:00:00Z');
    await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-09T10:00:00Z', manageToken });
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 0, cap: 1 }, '2030-01-09': { booked: 1, cap: 1 }, '2030-01-10': { booked: 1, cap: 1 } });
    expect(codes(await book(s, '2030-01-09T12:00:00Z'))).toEqual(['SLOT_UNAVAILABLE']);

    // Onto the full 10th: refused by the rules, and with the application check off by the database.
    expect(codes(await t.run(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-10T13:00:00Z', manageToken }))).toEqual(['SLOT_UNAVAILABLE']);
    appCheckOff();
    const refused = await t.run(RescheduleBookingDocument, { id: booking.id, startsAt: '2030-01-10T13:00:00Z', manageToken });
    expect(codes(refused)).toEqual(['SLOT_UNAVAILABLE']);
    expect(refused.errors![0]!.message).toContain('most bookings per day');
    jest.restoreAllMocks();
    expect(await stored(booking.id)).toMatchObject({ localDate: '2030-01-09', rescheduleCount: 1, cells: 12 });
    expect(await dayCounts(s)).toEqual({ '2030-01-08': { booked: 0, cap: 1 }, '2030-01-09': { booked: 1, cap: 1 }, '2030-01-10': { booked: 1, cap: 1 } });
    expect((await booked(s, '2030-01-08T12:00:00Z')).booking.startsAt).toBe('2030-01-08T12:00:00.000Z');
  });
});

describe('invitee notice: TOO_LATE (over HTTP)', () => {
  /** A booking at 10:00 on the 8th of an event type that lets invitees cancel or reschedule until 2 hours before it. */
  async function bookingWithNotice(minCancelNoticeMinutes = 120) {
    const s = await ownerWithEventType({ durations: [30], minCancelNoticeMinutes }, TUESDAY);
    const { booking, manageToken } = await booked(s, '2030-01-08T10:00:00Z');
    return { s, id: booking.id, manageToken };
  }

  const snapshot = async (s: Setup, id: string) => ({ booking: await stored(id), days: await dayCounts(s) });

  test('an invitee is refused after startsAt − minCancelNoticeMinutes, decided before availability; nothing changes', async () => {
    const { s, id, manageToken } = await bookingWithNotice();
    const before = await snapshot(s, id);
    t.clock.now = new Date('2030-01-08T08:01:00Z');
    const cancel = await overHttp(CancelBookingDocument, { id, manageToken });
    expect(codes(cancel)).toEqual(['TOO_LATE']);
    expect(cancel.data).toBeNull();
    expect(codes(await overHttp(RescheduleBookingDocument, { id, startsAt: '2030-01-08T13:00:00Z', manageToken }))).toEqual(['TOO_LATE']);
    // Outside availability: still TOO_LATE, not SLOT_UNAVAILABLE.
    expect(codes(await overHttp(RescheduleBookingDocument, { id, startsAt: '2030-01-08T20:00:00Z', manageToken }))).toEqual(['TOO_LATE']);
    expect(await snapshot(s, id)).toEqual(before);
  });

  test('at the deadline itself the invitee may still reschedule and cancel', async () => {
    const { id, manageToken } = await bookingWithNotice();
    t.clock.now = new Date('2030-01-08T08:00:00Z');
    expect(codes(await overHttp(RescheduleBookingDocument, { id, startsAt: '2030-01-08T11:00:00Z', manageToken }))).toEqual([]);
    // Rescheduled to 11:00: its deadline is now 09:00.
    t.clock.now = new Date('2030-01-08T09:00:00Z');
    expect((await overHttp(CancelBookingDocument, { id, manageToken })).data?.cancelBooking.status).toBe('CANCELLED');
  });

  test("the owner's token is never refused, whatever manage token the request also carries; another owner's token does not help", async () => {
    const { s, id, manageToken } = await bookingWithNotice();
    const stranger = await t.createOwner({ name: 'Stranger' });
    t.clock.now = new Date('2030-01-08T09:30:00Z');
    expect(codes(await overHttp(RescheduleBookingDocument, { id, startsAt: '2030-01-08T13:00:00Z', manageToken }, stranger.token))).toEqual(['TOO_LATE']);
    const moved = await overHttp(RescheduleBookingDocument, { id, startsAt: '2030-01-08T13:00:00Z', manageToken }, s.owner.token);
    expect(codes(moved)).toEqual([]);
    expect(moved.data?.rescheduleBooking.startsAt).toBe('2030-01-08T13:00:00.000Z');
    t.clock.now = new Date('2030-01-08T12:59:00Z');
    const cancelled = await overHttp(CancelBookingDocument, { id }, s.owner.token);
    expect(cancelled.data?.cancelBooking.status).toBe('CANCELLED');
  });

  test("the notice is the event type's current minCancelNoticeMinutes; a booking without an event type has none", async () => {
    const { s, id, manageToken } = await bookingWithNotice(0);
    // Until 27 hours before 10:00 on the 8th: 07:00 on the 7th, an hour before now.
    await updateEventType(s, { minCancelNoticeMinutes: 27 * 60 });
    expect(codes(await overHttp(CancelBookingDocument, { id, manageToken }))).toEqual(['TOO_LATE']);
    await updateEventType(s, { minCancelNoticeMinutes: 60, active: false });
    expect((await overHttp(CancelBookingDocument, { id, manageToken })).data?.cancelBooking.status).toBe('CANCELLED');

    const plain = await t.ok(BookSlotDocument, { input: { ownerId: s.owner.id, startsAt: '2030-01-08T13:00:00Z', invitee } });
    t.clock.now = new Date('2030-01-08T12:59:00Z');
    const cancelled = await overHttp(CancelBookingDocument, { id: plain.bookSlot.booking.id, manageToken: plain.bookSlot.manageToken });
    expect(cancelled.data?.cancelBooking.status).toBe('CANCELLED');
  });
});
