import { startTestApp, type TestApp } from './support/app';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CreateEventTypeDocument,
  EventTypeFreeSlotsDocument,
  UpdateOwnerDocument,
} from './generated/graphql';

// docs/api.md (Part 2, details of 9-13): the daily cap counts each booking on the local date of
// its start in the owner's *current* zone, for freeSlots and for the database alike; a zone
// change re-dates existing bookings in its transaction (booking.local_date and event_type_day,
// Migration20261207021000) and never fails, even when a day then holds more than the cap.

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ over: 'http' }); });
afterAll(() => t.close());

async function cappedOwner(timeZone: string, window: { startsAt: string; endsAt: string }) {
  const owner = await t.createOwner({ timeZone, slotMinutes: 60 });
  await t.ok(AddOneTimeWindowDocument, { input: window }, owner.token);
  const eventType = (await t.ok(CreateEventTypeDocument, { input: { slug: 'one-a-day', title: 'One a day', durations: [60], maxBookingsPerDay: 1 } }, owner.token)).createEventType;
  const book = (startsAt: string) =>
    t.run(BookSlotDocument, { input: { ownerId: owner.id, startsAt, eventTypeId: eventType.id, invitee: { name: 'Ivy', email: 'ivy@example.com' } } });
  const slots = async (from: string, to: string) =>
    (await t.ok(EventTypeFreeSlotsDocument, { ownerId: owner.id, eventTypeId: eventType.id, from, to })).freeSlots.map((s) => s.startsAt);
  /** The database's own counter: live bookings per local date, as event_type_day holds them. */
  const dayCounts = async () => {
    const rows = await t.app.orm.em.fork().getConnection().execute<Array<{ local_date: string; booked: number }>>(
      'select local_date, booked from event_type_day where event_type_id = ? and booked > 0 order by local_date',
      [eventType.id],
    );
    return Object.fromEntries(rows.map((r) => [r.local_date, Number(r.booked)]));
  };
  return { owner, eventType, book, slots, dayCounts };
}

test("issue 21: after Chatham → Dublin the booking counts on its Dublin date, in freeSlots and in the database", async () => {
  const { owner, book, slots, dayCounts } = await cappedOwner('Pacific/Chatham', { startsAt: '2038-06-01T00:00:00Z', endsAt: '2038-06-04T00:00:00Z' });
  // 2038-06-03 08:45 in Chatham (UTC+12:45), 2038-06-02 21:00 in Dublin (UTC+1).
  const booked = await book('2038-06-02T20:00:00Z');
  expect(booked.errors).toBeUndefined();
  expect(await dayCounts()).toEqual({ '2038-06-03': 1 });

  await t.ok(UpdateOwnerDocument, { input: { timeZone: 'Europe/Dublin' } }, owner.token);
  expect(await dayCounts()).toEqual({ '2038-06-02': 1 });

  // Dublin's 06-02 (2038-06-01T23:00Z to 06-02T23:00Z) holds the booking: no slots, no second booking.
  expect(await slots('2038-06-01T23:00:00Z', '2038-06-02T23:00:00Z')).toEqual([]);
  expect((await book('2038-06-02T10:00:00Z')).errors?.[0]?.extensions?.code).toBe('SLOT_UNAVAILABLE');
  // Dublin's 06-03 (06-02T23:00Z to 06-03T23:00Z) is empty: all 24 hours listed, and one books.
  const next = await slots('2038-06-02T23:00:00Z', '2038-06-03T23:00:00Z');
  expect(next).toHaveLength(24);
  expect((await book(next[10]!)).errors).toBeUndefined();
  expect(await dayCounts()).toEqual({ '2038-06-02': 1, '2038-06-03': 1 });
});

test('New York → Sydney across a DST change: a day past its cap keeps its bookings and offers nothing', async () => {
  const { owner, book, slots, dayCounts } = await cappedOwner('America/New_York', { startsAt: '2038-04-02T00:00:00Z', endsAt: '2038-04-06T00:00:00Z' });
  // New York 04-03 12:00 EDT and 04-04 08:00 EDT: two New York days, one booking each.
  const a = await book('2038-04-03T16:00:00Z');
  const b = await book('2038-04-04T12:00:00Z');
  expect([a.errors, b.errors]).toEqual([undefined, undefined]);
  expect(await dayCounts()).toEqual({ '2038-04-03': 1, '2038-04-04': 1 });

  // Sydney leaves daylight time at 03:00 on 04-04: that day lasts 25 hours (04-03T13:00Z to
  // 04-04T14:00Z) and holds both bookings (02:00 AEST and 22:00 AEST), one past the cap. The
  // zone change succeeds anyway; the bookings stay.
  const changed = await t.run(UpdateOwnerDocument, { input: { timeZone: 'Australia/Sydney' } }, owner.token);
  expect(changed.errors).toBeUndefined();
  expect(await dayCounts()).toEqual({ '2038-04-04': 2 });

  const sydneyDay = { from: '2038-04-03T13:00:00Z', to: '2038-04-04T14:00:00Z' };
  expect(await slots(sydneyDay.from, sydneyDay.to)).toEqual([]);
  expect((await book('2038-04-04T01:00:00Z')).errors?.[0]?.extensions?.code).toBe('SLOT_UNAVAILABLE');
  // Sydney's 04-03 (04-02T13:00Z to 04-03T13:00Z, AEDT): New York's 04-03 no longer counts there.
  const before = await slots('2038-04-02T13:00:00Z', '2038-04-03T13:00:00Z');
  expect(before).toHaveLength(24);
  expect((await book(before.at(-1)!)).errors).toBeUndefined();

  // One cancelled: the day still holds the cap's one booking. Both cancelled: it opens again.
  await t.ok(CancelBookingDocument, { id: a.data!.bookSlot.booking.id }, owner.token);
  expect(await slots(sydneyDay.from, sydneyDay.to)).toEqual([]);
  expect((await book('2038-04-04T01:00:00Z')).errors?.[0]?.extensions?.code).toBe('SLOT_UNAVAILABLE');
  await t.ok(CancelBookingDocument, { id: b.data!.bookSlot.booking.id }, owner.token);
  expect(await slots(sydneyDay.from, sydneyDay.to)).toHaveLength(25); // a 25-hour day
  expect((await book('2038-04-04T01:00:00Z')).errors).toBeUndefined();
  expect(await dayCounts()).toEqual({ '2038-04-03': 1, '2038-04-04': 1 });
});
