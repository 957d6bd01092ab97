/*
 * docs/api.md, Part 3, 37 with Part 2, 14-15: a collective booking's events reach every host's
 * webhook endpoints, not only its owner's; a round-robin booking's only its host's. Each member
 * has its own endpoint on a real HTTP receiver on 127.0.0.1, every delivery verified with the
 * `standardwebhooks` package. Run on the SQLite file by default, on PostgreSQL with
 * TEST_DATABASE_URL. The test clock (2030-01-07T08:00Z) decides bookings.
 */
import { startTestApp, type TestApp } from '../support/app';
import { startWebhookReceiver, verified, type WebhookBody, type WebhookReceiver } from '../support/webhook-receiver';
import { AddWebhookEndpointDocument, BookTeamSlotDocument, CancelBookingDocument, CompleteBookingDocument, RescheduleBookingDocument } from '../generated/graphql';
import { at, invitee, openClinic, type Clinic } from './clinic';

let t: TestApp;
let clinic: Clinic;
/** lead (priority 3: a collective booking's owner, and round robin's first choice) and second (priority 1). */
const member = { lead: { id: '', secret: '', receiver: null as unknown as WebhookReceiver }, second: { id: '', secret: '', receiver: null as unknown as WebhookReceiver } };
let collectiveId = '';
let roundRobinId = '';

beforeAll(async () => {
  t = await startTestApp({ webhooks: { allowPrivateUrls: true, retryDelaysMs: [200, 200], pollIntervalMs: 50, timeoutMs: 2_000 } });
  clinic = await openClinic(t);
  for (const key of ['lead', 'second'] as const) {
    const id = await clinic.calendar(key);
    const receiver = await startWebhookReceiver();
    const { secret } = (await t.ok(AddWebhookEndpointDocument, { input: { url: receiver.url } }, clinic.as(id))).addWebhookEndpoint;
    member[key] = { id, secret, receiver };
  }
  const teamId = await clinic.team('clinic-hooks', [[member.lead.id, 3], [member.second.id, 1]]);
  collectiveId = await clinic.eventType(teamId, 'COLLECTIVE', 'together');
  roundRobinId = await clinic.eventType(teamId, 'ROUND_ROBIN', 'either');
});
afterAll(async () => {
  await Promise.all(Object.values(member).map((m) => m.receiver?.close()));
  await t?.close();
});

/** What `m`'s receiver got about booking `id`, each verified with `m`'s secret (a bad signature throws). */
const received = (m: (typeof member)['lead'], id: string) =>
  m.receiver.received.map((request) => ({ id: request.id, body: verified<WebhookBody>(m.secret, request) })).filter((x) => x.body.data.booking.id === id);

/** Waits until both members' receivers got `type` about booking `id`; answers each one's message. */
async function bothGot(id: string, type: string) {
  const has = (m: (typeof member)['lead']) => () => received(m, id).some((x) => x.body.type === type);
  await member.lead.receiver.waitFor(has(member.lead));
  await member.second.receiver.waitFor(has(member.second));
  return [member.lead, member.second].map((m) => received(m, id).find((x) => x.body.type === type)!);
}

test('a collective booking is created, rescheduled and cancelled at every host\'s endpoint: one message, one body', async () => {
  const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: member.second.id, eventTypeId: collectiveId, startsAt: at(10), invitee } });
  const id = bookSlot.booking.id;
  expect(bookSlot.booking.owner.id).toBe(member.lead.id);
  expect(bookSlot.booking.hosts.map((h) => h.id).sort()).toEqual([member.lead.id, member.second.id].sort());

  const [leadCreated, secondCreated] = await bothGot(id, 'booking.created');
  // One event has one message id and one body on every endpoint (Part 2, 15): ownerId is the booking's owner.
  expect(secondCreated!.id).toBe(leadCreated!.id);
  expect(secondCreated!.body).toEqual(leadCreated!.body);
  expect(secondCreated!.body.data).toEqual({
    booking: { id, ownerId: member.lead.id, eventTypeId: collectiveId, startsAt: at(10), endsAt: at(11), status: 'CONFIRMED', invitee, createdAt: expect.any(String) },
  });

  await t.ok(RescheduleBookingDocument, { id, startsAt: at(13), manageToken: bookSlot.manageToken });
  const moved = await bothGot(id, 'booking.rescheduled');
  for (const { body } of moved) {
    expect(body.data.booking).toMatchObject({ startsAt: at(13), endsAt: at(14) });
    expect(body.data.previous).toEqual({ startsAt: at(10), endsAt: at(11) });
  }
  expect(moved[1]!.id).toBe(moved[0]!.id);

  await t.ok(CancelBookingDocument, { id, manageToken: bookSlot.manageToken });
  const cancelled = await bothGot(id, 'booking.cancelled');
  for (const { body } of cancelled) expect(body.data.booking.status).toBe('CANCELLED');
  expect(cancelled[1]!.id).toBe(cancelled[0]!.id);
  // Each endpoint got each event once.
  for (const m of [member.lead, member.second]) expect(received(m, id).map((x) => x.body.type).sort()).toEqual(['booking.cancelled', 'booking.created', 'booking.rescheduled']);
});

test('completing a collective booking reaches every host\'s endpoint', async () => {
  const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: member.lead.id, eventTypeId: collectiveId, startsAt: at(11), invitee } });
  await t.ok(CompleteBookingDocument, { id: bookSlot.booking.id }, clinic.as(member.lead.id));
  const completed = await bothGot(bookSlot.booking.id, 'booking.completed');
  expect(completed[1]!.id).toBe(completed[0]!.id);
  for (const { body } of completed) expect(body.data.booking.status).toBe('COMPLETED');
});

test('a round-robin booking reaches its host\'s endpoint only', async () => {
  const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: member.second.id, eventTypeId: roundRobinId, startsAt: at(15), invitee } });
  const id = bookSlot.booking.id;
  expect(bookSlot.booking.owner.id).toBe(member.lead.id);
  await member.lead.receiver.waitFor(() => received(member.lead, id).length === 1);
  const deliveries = await t.app.orm.em.fork().getConnection().execute<Array<{ owner_id: string }>>(
    'select e.owner_id from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id where d.message_id = ?',
    [`msg_${id}_created`],
    'all',
  );
  expect(deliveries).toEqual([{ owner_id: member.lead.id }]);
  expect(received(member.second, id)).toEqual([]);
});
