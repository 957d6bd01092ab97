import { startTestApp, type TestApp } from '../support/app';
import { BookTeamSlotDocument, BookingDocument } from '../generated/graphql';
import { at, openClinic } from './clinic';

// A round-robin booking is written in the write connection's transaction, whose statements carry
// their values inline on PostgreSQL (write-connection.ts, platform.formatQuery) and as bound
// parameters on SQLite: text the invitee typed (quotes, backslashes, SQL, other scripts) and the
// idempotency key come back exactly as given, and a retry with that key finds the booking.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('an invitee name, email and key with quotes, backslashes and SQL come back as given', async () => {
  const clinic = await openClinic(t);
  const members = await Promise.all(['One', 'Two'].map((name) => clinic.calendar(name)));
  const eventTypeId = await clinic.eventType(await clinic.team('text', members.map((id) => [id, 2])), 'ROUND_ROBIN', 'visit');
  const invitee = { name: "O'Brien \\ \"Zoë\" 田中 '); drop table booking; --", email: "o'brien+x@example.com" };
  const idempotencyKey = "key'\\--";
  const input = { ownerId: members[0]!, eventTypeId, startsAt: at(10), invitee, idempotencyKey };
  const { bookSlot } = await t.ok(BookTeamSlotDocument, { input });
  const { booking } = await t.ok(BookingDocument, { id: bookSlot.booking.id, manageToken: bookSlot.manageToken });
  expect(booking!.invitee).toEqual(invitee);
  // The key was stored as given: the same request again is a retry of this booking.
  expect((await t.ok(BookTeamSlotDocument, { input })).bookSlot.booking.id).toBe(bookSlot.booking.id);
});
