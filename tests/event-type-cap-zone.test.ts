import { startTestApp, type TestApp } from './support/app';
import { AddRecurringWindowDocument, BookSlotDocument, CreateEventTypeDocument, EventTypeFreeSlotsDocument, UpdateOwnerDocument } from './generated/graphql';

// The daily cap counts a booking on the owner-local date of its start, fixed when it was booked
// (booking.local_date): the database's counter holds it there. Free slots must count the same
// way, or after the owner moves to another zone they would offer starts the database refuses
// (README, "Decisions where the contract is silent").

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ over: 'http' }); });
afterAll(() => t.close());

test('after the owner changes zone, every slot a capped event type lists can be booked', async () => {
  const owner = await t.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
  await t.ok(AddRecurringWindowDocument, { input: { frequency: 'DAILY', startTime: '00:00', endTime: '24:00', startsOn: '2030-01-10' } }, owner.token);
  const eventType = (await t.ok(CreateEventTypeDocument, { input: { slug: 'one-a-day', title: 'One a day', durations: [60], maxBookingsPerDay: 1 } }, owner.token)).createEventType;
  const book = (startsAt: string) =>
    t.run(BookSlotDocument, { input: { ownerId: owner.id, startsAt, eventTypeId: eventType.id, invitee: { name: 'Ivy', email: 'ivy@example.com' } } });

  // Booked on UTC's 2030-01-14: the day is full there.
  expect((await book('2030-01-14T22:00:00Z')).errors).toBeUndefined();
  // The same instant is 2030-01-15 12:00 in Kiritimati (UTC+14).
  await t.ok(UpdateOwnerDocument, { input: { timeZone: 'Pacific/Kiritimati' } }, owner.token);

  const range = { from: '2030-01-13T10:00:00Z', to: '2030-01-16T10:00:00Z' };
  const listed = (await t.ok(EventTypeFreeSlotsDocument, { ownerId: owner.id, eventTypeId: eventType.id, ...range })).freeSlots;
  const firstOfEachDay = new Map<string, string>();
  for (const slot of listed) {
    const localDate = new Date(Date.parse(slot.startsAt) + 14 * 3_600_000).toISOString().slice(0, 10);
    if (!firstOfEachDay.has(localDate)) firstOfEachDay.set(localDate, slot.startsAt);
  }
  // The booking keeps the date it was booked on (2030-01-14), which is now full in Kiritimati's
  // calendar too; Kiritimati's 01-15 and 01-16 are open, and each can really be booked.
  expect([...firstOfEachDay.keys()]).toEqual(['2030-01-15', '2030-01-16']);
  for (const startsAt of firstOfEachDay.values()) {
    const result = await book(startsAt);
    expect({ startsAt, errors: result.errors }).toEqual({ startsAt, errors: undefined });
  }
});
