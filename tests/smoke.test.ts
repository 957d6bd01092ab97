import { startTestApp, type TestApp } from './support/app';
import { AddRecurringWindowDocument, BookSlotDocument, FreeSlotsDocument, MeDocument } from './generated/graphql';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

test('owner publishes a weekly window, an invitee books a slot, the same slot is refused the second time', async () => {
  const owner = await t.createOwner();
  const me = await t.ok(MeDocument, {}, owner.token);
  expect(me.me.id).toBe(owner.id);
  await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['MONDAY', 'TUESDAY'], startTime: '09:00', endTime: '12:00', startsOn: '2030-01-01' } }, owner.token);
  const slots = await t.ok(FreeSlotsDocument, { ownerId: owner.id, from: '2030-01-07T00:00:00Z', to: '2030-01-08T00:00:00Z' });
  expect(slots.freeSlots.map((s) => s.startsAt)).toEqual(['2030-01-07T14:00:00.000Z', '2030-01-07T15:00:00.000Z', '2030-01-07T16:00:00.000Z']);
  const input = { ownerId: owner.id, startsAt: '2030-01-07T15:00:00Z', invitee: { name: 'Grace', email: 'grace@example.com' } };
  const booked = await t.ok(BookSlotDocument, { input });
  expect(booked.bookSlot.booking.status).toBe('CONFIRMED');
  await t.fails(BookSlotDocument, { input }, 'SLOT_UNAVAILABLE');
  const after = await t.ok(FreeSlotsDocument, { ownerId: owner.id, from: '2030-01-07T00:00:00Z', to: '2030-01-08T00:00:00Z' });
  expect(after.freeSlots.map((s) => s.startsAt)).toEqual(['2030-01-07T14:00:00.000Z', '2030-01-07T16:00:00.000Z']);
});
