import { startTestApp, type TestApp } from '../support/app';
import { BookTeamSlotDocument } from '../generated/graphql';
import { at, invitee, openClinic, type Clinic } from './clinic';

// An idempotency key of a team booking belongs to the team event type, whichever member gets the
// booking (docs/api.md, Part 1 retries; Part 3, 36): requests with one key racing onto a team
// whose members are all free make one booking, and every request is answered with it. The
// database holds the key per event type (Migration20261207093100); without that, each racer after
// the first saw its member taken and booked the next one.

let t: TestApp;
let clinic: Clinic;
beforeAll(async () => {
  t = await startTestApp();
  clinic = await openClinic(t);
});
afterAll(() => t.close());

test.each(['ROUND_ROBIN', 'COLLECTIVE'] as const)('%s: 8 racing requests with one key make one booking, and all answer it', async (schedulingType) => {
  const slug = schedulingType.toLowerCase().replace('_', '-');
  const members = await Promise.all([1, 2, 3].map((n) => clinic.calendar(`${slug} ${n}`)));
  const teamId = await clinic.team(slug, members.map((id) => [id, 2]));
  const eventTypeId = await clinic.eventType(teamId, schedulingType, 'visit');
  const input = { ownerId: members[0]!, eventTypeId, startsAt: at(10), invitee, idempotencyKey: `key-${slug}` };
  const results = await Promise.all(Array.from({ length: 8 }, () => t.run(BookTeamSlotDocument, { input })));
  expect(results.map((r) => r.errors ?? [])).toEqual(results.map(() => []));
  const ids = new Set(results.map((r) => r.data!.bookSlot.booking.id));
  expect(ids.size).toBe(1);
  // The time of the members the first request did not take is still free.
  const other = await t.ok(BookTeamSlotDocument, { input: { ...input, idempotencyKey: `other-${slug}` } }).catch(() => null);
  expect(other !== null).toBe(schedulingType === 'ROUND_ROBIN');
});
