import { randomUUID } from 'node:crypto';
import { OutboxStore } from '../src/modules/outbox/outbox.store';
import { CALENDAR_WRITES } from '../src/modules/calendar-write/calendar-write.store';
import { startTestApp, type TestApp } from './support/app';
import { testDialect } from './support/database';

// docs/api.md Part 3, 31: a booking's writes into a source go in order, so a write waits while an
// earlier one of its booking is pending. Such waiting rows must not take an owner's share of a
// claim: an owner whose earliest due writes all wait behind failing ones still gets its other,
// claimable writes sent. Driven through the outbox store on calendar_write rows written here.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ calendarSources: 'off', calendarWrites: 'off', webhooks: 'off', emails: 'off' });
});
afterAll(() => t.close());

const NOW = Date.parse('2030-01-07T08:00:00Z');
const at = (offsetMinutes: number) => new Date(NOW + offsetMinutes * 60_000);

async function write(ownerId: string, bookingId: string, step: number, due: Date): Promise<string> {
  const id = randomUUID().replace(/-/g, '');
  const instant = (d: Date) => (testDialect === 'sqlite' ? d.getTime() : d);
  await t.app.orm.em.fork().getConnection().execute(
    `insert into calendar_write (id, owner_id, source_id, booking_id, step, action, sequence, starts_at, ends_at, status, due_at, created_at)
     values (?, ?, 'source-1', ?, ?, 'PUT', 0, ?, ?, 'PENDING', ?, ?)`,
    [id, ownerId, bookingId, step, instant(at(600)), instant(at(660)), instant(due), instant(at(-60))],
  );
  return id;
}

test('writes waiting behind an earlier one do not use up their owner’s share of a claim', async () => {
  const owner = await t.createOwner({ timeZone: 'UTC' });
  // Bookings A and B: step 0 retries later, so their due step 1 waits. Booking C's write is free to go.
  await write(owner.id, 'booking-a', 0, at(30));
  await write(owner.id, 'booking-b', 0, at(30));
  await write(owner.id, 'booking-a', 1, at(-3));
  await write(owner.id, 'booking-b', 1, at(-2));
  const free = await write(owner.id, 'booking-c', 0, at(-1));

  const store = new OutboxStore({ dialect: testDialect, em: () => t.app.orm.em.fork() });
  const claim = await store.claimDue(CALENDAR_WRITES, { now: at(0), leaseUntil: at(1), limit: 10, perPartition: 2 });
  const claimed = claim
    ? await t.app.orm.em.fork().getConnection().execute<Array<{ id: string }>>('select id from calendar_write where claimed_by = ?', [claim])
    : [];
  expect(claimed.map((row) => row.id)).toEqual([free]);
});
