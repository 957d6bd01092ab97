import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAppSchema } from '../src/schema';

test('schema.graphql is what the code emits (run `npm run schema:emit` after changing the API)', async () => {
  const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
  expect(await printAppSchema()).toBe(committed);
});

test('the schema keeps every operation and argument of the contract, arguments in the contract\'s order', async () => {
  const sdl = await printAppSchema();
  const contract = [
    'owner(id: ID!): Owner',
    'freeSlots(ownerId: ID!, from: DateTime!, to: DateTime!): [Slot!]!',
    'me: Owner!',
    'upcomingBookings(first: Int = 20, after: String): BookingConnection!',
    'booking(id: ID!, manageToken: String): Booking!',
    'createOwner(input: CreateOwnerInput!): CreateOwnerPayload!',
    'updateOwner(input: UpdateOwnerInput!): Owner!',
    'addOneTimeWindow(input: OneTimeWindowInput!): OneTimeWindow!',
    'addRecurringWindow(input: RecurringWindowInput!): RecurringWindow!',
    'updateRecurringWindow(id: ID!, input: RecurringWindowPatch!): RecurringWindow!',
    'removeWindow(id: ID!): ID!',
    'cancelOccurrence(windowId: ID!, date: LocalDate!): RecurringWindow!',
    'moveOccurrence(windowId: ID!, date: LocalDate!, startsAt: DateTime!, endsAt: DateTime!): RecurringWindow!',
    'restoreOccurrence(windowId: ID!, date: LocalDate!): RecurringWindow!',
    'bookSlot(input: BookSlotInput!): BookSlotPayload!',
    'cancelBooking(id: ID!, manageToken: String): Booking!',
    'rescheduleBooking(id: ID!, startsAt: DateTime!, manageToken: String): Booking!',
    'completeBooking(id: ID!): Booking!',
    'rotateOwnerToken: CreateOwnerPayload!',
    'bookings(status: BookingStatus, from: DateTime, to: DateTime, first: Int = 20, after: String): BookingConnection!',
    'freeSlots(from: DateTime!, to: DateTime!): [Slot!]!',
    'windows: [AvailabilityWindow!]!',
  ];
  const flattened = sdl.replace(/"""[\s\S]*?"""/g, '').replace(/"[^"\n]*"\n/g, '');
  for (const line of contract) expect(flattened).toContain(line);
});
