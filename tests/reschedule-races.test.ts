import { freshDatabaseUrl, testDialect } from './support/database';
import { dayAhead, execute, killServers, ok, spawnServer, waitUntilHealthy, type ServerProcess } from './support/server-process';
import { discardSharedDatabase } from './support/shared-database';
import {
  AddOneTimeWindowDocument,
  BookingDocument,
  BookSlotDocument,
  CreateEventTypeDocument,
  CreateOwnerDocument,
  RescheduleBookingDocument,
} from './generated/graphql';

// Issue 21: the owner and the invitee reschedule one booking at once, through two server
// processes sharing one database (a SQLite file, or PostgreSQL with TEST_DATABASE_URL). The owner
// moves it into the invitee's notice period (minCancelNoticeMinutes); the invitee moves it
// elsewhere. A move is conditional on the start its request read (BookingStore.move): whichever
// commits second reads the booking again and decides again, so the invitee never moves a booking
// the owner already moved into the notice period, and no success is silently overwritten.
// The servers read the real clock: the booking lies a year ahead (dayAhead), the owner's target
// two days ahead, inside the 30-day notice period.

const TRIALS = 20;
const NOTICE_MINUTES = 30 * 24 * 60;

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const SOON = new Date(today + 2 * DAY).toISOString().slice(0, 10);
const FAR0 = dayAhead(0);
const FAR1 = dayAhead(1);
const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

let databaseUrl: string;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl({ shared: true });
  [a, b] = await Promise.all([spawnServer('A', databaseUrl), spawnServer('B', databaseUrl)]);
  await Promise.all([waitUntilHealthy(a), waitUntilHealthy(b)]);
});

afterAll(async () => {
  await killServers([a, b]);
  if (databaseUrl) discardSharedDatabase(databaseUrl);
});

test(`${TRIALS} concurrent owner + invitee reschedules of one booking each, across two processes (${testDialect})`, async () => {
  const created = await ok(a, CreateOwnerDocument, { input: { name: 'Racer', timeZone: 'UTC', slotMinutes: 60 } });
  const owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
  for (const day of [SOON, FAR0, FAR1]) {
    await ok(a, AddOneTimeWindowDocument, { input: { startsAt: at(day, 0), endsAt: new Date(Date.parse(at(day, 0)) + DAY).toISOString() } }, owner.token);
  }
  const eventType = (await ok(a, CreateEventTypeDocument, { input: { slug: 'race', title: 'Race', durations: [60], minCancelNoticeMinutes: NOTICE_MINUTES } }, owner.token)).createEventType;

  const trials = await Promise.all(
    Array.from({ length: TRIALS }, async (_, hour) => {
      const booked = await ok(a, BookSlotDocument, { input: { ownerId: owner.id, eventTypeId: eventType.id, startsAt: at(FAR0, hour), invitee: { name: 'Ivy', email: 'ivy@example.com' } } });
      const { booking, manageToken } = booked.bookSlot;
      const [byOwner, byInvitee] = await Promise.all([
        execute(a, RescheduleBookingDocument, { id: booking.id, startsAt: at(SOON, hour) }, owner.token),
        execute(b, RescheduleBookingDocument, { id: booking.id, startsAt: at(FAR1, hour), manageToken }),
      ]);
      const final = (await ok(b, BookingDocument, { id: booking.id }, owner.token)).booking;
      return { hour, byOwner, byInvitee, final };
    }),
  );

  for (const { hour, byOwner, byInvitee, final } of trials) {
    const ownerMove = byOwner.data?.rescheduleBooking ?? null;
    const inviteeMove = byInvitee.data?.rescheduleBooking ?? null;
    const seen = { hour, owner: ownerMove ?? byOwner.errors, invitee: inviteeMove ?? byInvitee.errors, final };
    // The owner may always move it (the slot is free and the owner is past no notice period).
    expect({ ...seen, ownerOk: ownerMove !== null }).toEqual({ ...seen, ownerOk: true });
    // The owner's move is the last one: the invitee either moved first (and the owner's move,
    // deciding on that, came second) or lost with TOO_LATE, having read the owner's move.
    expect({ ...seen, finalStart: final.startsAt }).toEqual({ ...seen, finalStart: at(SOON, hour) });
    if (inviteeMove) expect({ ...seen, inviteeStart: inviteeMove.startsAt }).toEqual({ ...seen, inviteeStart: at(FAR1, hour) });
    else expect({ ...seen, code: byInvitee.errors?.[0]?.extensions?.code }).toEqual({ ...seen, code: 'TOO_LATE' });
  }
}, 120_000);
