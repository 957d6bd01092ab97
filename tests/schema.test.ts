import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAppSchema } from '../src/schema';

test('schema.graphql is what the code emits (run `npm run schema:emit` after changing the API)', async () => {
  const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
  expect(await printAppSchema()).toBe(committed);
});

test('the schema keeps every operation and argument of the contract', async () => {
  const sdl = await printAppSchema();
  const contract = [
    'owner(id: ID!): Owner',
    'freeSlots(from: DateTime!, ownerId: ID!, to: DateTime!): [Slot!]!',
    'me: Owner!',
    'upcomingBookings(after: String, first: Int = 20): BookingConnection!',
    'booking(id: ID!, manageToken: String): Booking!',
    'createOwner(input: CreateOwnerInput!): CreateOwnerPayload!',
    'updateOwner(input: UpdateOwnerInput!): Owner!',
    'addOneTimeWindow(input: OneTimeWindowInput!): OneTimeWindow!',
    'addRecurringWindow(input: RecurringWindowInput!): RecurringWindow!',
    'updateRecurringWindow(id: ID!, input: RecurringWindowPatch!): RecurringWindow!',
    'removeWindow(id: ID!): ID!',
    'cancelOccurrence(date: LocalDate!, windowId: ID!): RecurringWindow!',
    'moveOccurrence(date: LocalDate!, endsAt: DateTime!, startsAt: DateTime!, windowId: ID!): RecurringWindow!',
    'restoreOccurrence(date: LocalDate!, windowId: ID!): RecurringWindow!',
    'bookSlot(input: BookSlotInput!): BookSlotPayload!',
    'cancelBooking(id: ID!, manageToken: String): Booking!',
    'rescheduleBooking(id: ID!, manageToken: String, startsAt: DateTime!): Booking!',
    'completeBooking(id: ID!): Booking!',
    'rotateOwnerToken: CreateOwnerPayload!',
    'bookings(after: String, first: Int = 20, from: DateTime, status: BookingStatus, to: DateTime): BookingConnection!',
    'freeSlots(from: DateTime!, to: DateTime!): [Slot!]!',
    'windows: [AvailabilityWindow!]!',
  ];
  const flattened = sdl.replace(/"""[\s\S]*?"""/g, '').replace(/"[^"\n]*"\n/g, '');
  for (const line of contract) expect(flattened).toContain(line);
});
