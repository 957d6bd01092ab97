import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app';
import { Booking, BookingStatus } from '../src/modules/booking/booking.entity';
import { OneTimeWindow, WindowException } from '../src/modules/availability/window.entity';
import {
  AddOneTimeWindowDocument,
  AddRecurringWindowDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CancelOccurrenceDocument,
  FreeSlotsDocument,
  MoveOccurrenceDocument,
  RemoveWindowDocument,
  RescheduleBookingDocument,
  RestoreOccurrenceDocument,
  UpdateOwnerDocument,
  UpdateRecurringWindowDocument,
} from './generated/graphql';

// Free slots are cached under the owner's data version, which database triggers bump on every
// change to bookings and availability (no writer bumps it by hand, and nothing expires by
// time). Each step changes one kind of data, through the API or behind its back with plain ORM
// writes, and the very same query — whose answer was cached by the step before — must follow.

let t: TestApp;
let owner: { id: string; token: string };
const RANGE = { from: '2030-01-14T00:00:00Z', to: '2030-01-16T00:00:00Z' };

/** The free starts as hours ("14T09"), asked twice: the second answer comes from the cache. */
async function freeHours(): Promise<string[]> {
  const first = (await t.ok(FreeSlotsDocument, { ownerId: owner.id, ...RANGE })).freeSlots.map((s) => s.startsAt.slice(8, 13));
  const again = (await t.ok(FreeSlotsDocument, { ownerId: owner.id, ...RANGE })).freeSlots.map((s) => s.startsAt.slice(8, 13));
  expect(again).toEqual(first);
  return first;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
});
afterAll(() => t.close());

test('every kind of change shows in the cached free slots at once', async () => {
  expect(await freeHours()).toEqual([]);

  // Availability through the API.
  const oneTime = (await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-14T09:00:00Z', endsAt: '2030-01-14T11:00:00Z' } }, owner.token)).addOneTimeWindow;
  expect(await freeHours()).toEqual(['14T09', '14T10']);
  const rule = (await t.ok(AddRecurringWindowDocument, { input: { frequency: 'DAILY', startTime: '14:00', endTime: '15:00', startsOn: '2030-01-14' } }, owner.token)).addRecurringWindow;
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '15T14']);
  await t.ok(UpdateRecurringWindowDocument, { id: rule.id, input: { endTime: '16:00' } }, owner.token);
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '14T15', '15T14', '15T15']);
  await t.ok(CancelOccurrenceDocument, { windowId: rule.id, date: '2030-01-15' }, owner.token);
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '14T15']);
  await t.ok(MoveOccurrenceDocument, { windowId: rule.id, date: '2030-01-15', startsAt: '2030-01-15T18:00:00Z', endsAt: '2030-01-15T19:00:00Z' }, owner.token);
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '14T15', '15T18']);
  await t.ok(RestoreOccurrenceDocument, { windowId: rule.id, date: '2030-01-15' }, owner.token);
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '14T15', '15T14', '15T15']);

  // Bookings through the API.
  const booked = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-14T09:00:00Z', invitee: { name: 'Ivy', email: 'ivy@example.com' } } })).bookSlot;
  expect(await freeHours()).toEqual(['14T10', '14T14', '14T15', '15T14', '15T15']);
  await t.ok(RescheduleBookingDocument, { id: booked.booking.id, startsAt: '2030-01-14T14:00:00Z', manageToken: booked.manageToken });
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T15', '15T14', '15T15']);
  await t.ok(CancelBookingDocument, { id: booked.booking.id, manageToken: booked.manageToken });
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '14T15', '15T14', '15T15']);

  // The owner's slot length (part of the cache key).
  await t.ok(UpdateOwnerDocument, { input: { slotMinutes: 120 } }, owner.token);
  expect(await freeHours()).toEqual(['14T09', '14T14', '15T14']);
  await t.ok(UpdateOwnerDocument, { input: { slotMinutes: 60 } }, owner.token);

  // Behind the API's back: plain ORM writes that bump nothing themselves.
  const em = t.app.orm.em.fork();
  const sneaky = randomUUID();
  await em.insert(Booking, {
    id: sneaky, owner: owner.id, startsAt: new Date('2030-01-15T14:00:00Z'), endsAt: new Date('2030-01-15T15:00:00Z'),
    status: BookingStatus.CONFIRMED, inviteeName: 'Direct', inviteeEmail: 'direct@example.com', idempotencyKey: null, createdAt: new Date('2030-01-07T08:00:00Z'),
  });
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '14T15', '15T15']);
  await em.nativeUpdate(Booking, { id: sneaky }, { status: BookingStatus.CANCELLED });
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T14', '14T15', '15T14', '15T15']);
  await em.nativeDelete(Booking, { id: sneaky });
  await em.insert(WindowException, { window: rule.id, date: '2030-01-14', cancelled: true, startsAt: null, endsAt: null });
  expect(await freeHours()).toEqual(['14T09', '14T10', '15T14', '15T15']);
  await em.nativeUpdate(WindowException, { window: rule.id, date: '2030-01-14' }, { cancelled: false, startsAt: new Date('2030-01-14T20:00:00Z'), endsAt: new Date('2030-01-14T21:00:00Z') });
  expect(await freeHours()).toEqual(['14T09', '14T10', '14T20', '15T14', '15T15']);
  await em.nativeDelete(OneTimeWindow, { id: oneTime.id });
  expect(await freeHours()).toEqual(['14T20', '15T14', '15T15']);

  // Removing the rule takes its exceptions with it (a cascade the triggers see too).
  await t.ok(RemoveWindowDocument, { id: rule.id }, owner.token);
  expect(await freeHours()).toEqual([]);
});
