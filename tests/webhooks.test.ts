import { startTestApp, type ServedTestApp } from './support/app';
import { pollUntil } from './support/poll';
import { startWebhookReceiver, verified, type WebhookBody, type WebhookReceiver } from './support/webhook-receiver';
import {
  AddOneTimeWindowDocument,
  AddWebhookEndpointDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CompleteBookingDocument,
  CreateEventTypeDocument,
  RedeliverWebhookDocument,
  RescheduleBookingDocument,
  UpdateWebhookEndpointDocument,
  WebhookEndpointsDocument,
  type WebhookEvent,
} from './generated/graphql';

// docs/api.md, Part 2, 14-16, over real HTTP on the dialect under test: every delivery is
// received by a real HTTP server on 127.0.0.1 and verified with the `standardwebhooks` package,
// an implementation nobody here wrote. Retries wait 0.2 s instead of 5 s to 24 h, and the
// dispatcher reads the outbox every 50 ms, so waits are short; each wait has a deadline, none
// measures speed. The test clock (2030-01-07T08:00Z) decides bookings; the dispatcher's retry
// times and the messages' timestamps use the real clock, as in production.

const RETRY_MS = 200;

let t: ServedTestApp;
beforeAll(async () => {
  t = await startTestApp({
    listen: true,
    over: 'http',
    // An endpoint that times out waits as long as a retry (tests/outbox-fairness.test.ts tests the backoff itself).
    webhooks: { allowPrivateUrls: true, retryDelaysMs: [RETRY_MS, RETRY_MS, RETRY_MS], pollIntervalMs: 50, timeoutMs: 2_000, timeoutBackoffMs: RETRY_MS },
  });
});
afterAll(() => t.close());

let receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(respond?: WebhookReceiver['respond']): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(respond);
  receivers.push(r);
  return r;
}

async function newOwner() {
  const owner = await t.createOwner({ name: 'Webhook Owner', timeZone: 'UTC', slotMinutes: 60 });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T17:00:00Z' } }, owner.token);
  return owner;
}

async function book(ownerId: string, startsAt: string, extra: { eventTypeId?: string } = {}) {
  const { bookSlot } = await t.ok(BookSlotDocument, { input: { ownerId, startsAt, invitee: { name: 'Grace Hopper', email: 'grace@example.com' }, ...extra } });
  return { id: bookSlot.booking.id, manageToken: bookSlot.manageToken, createdAt: bookSlot.booking.createdAt };
}

async function addEndpoint(token: string, url: string, events?: WebhookEvent[]) {
  return (await t.ok(AddWebhookEndpointDocument, { input: { url, ...(events ? { events } : {}) } }, token)).addWebhookEndpoint;
}

async function endpointsOf(owner: { id: string; token: string }, first = 20, after?: string) {
  const data = await t.ok(WebhookEndpointsDocument, { ownerId: owner.id, first, after }, owner.token);
  return data.owner!.webhookEndpoints;
}

/** Waits until the delivery list of the owner's only endpoint satisfies `done`. */
async function waitForDeliveries(owner: { id: string; token: string }, done: (d: Awaited<ReturnType<typeof endpointsOf>>[number]['deliveries']['edges']) => boolean) {
  const [endpoint] = await pollUntil(
    () => endpointsOf(owner),
    ([only]) => done(only!.deliveries.edges),
    ([only]) => `the deliveries the test expects; they are ${JSON.stringify(only!.deliveries.edges, null, 2)}`,
  );
  return endpoint!;
}

describe('each event, delivered and verified', () => {
  test('created, rescheduled, cancelled and completed arrive signed per Standard Webhooks, with the contract body', async () => {
    const owner = await newOwner();
    const r = await receiver();
    const { endpoint, secret } = await addEndpoint(owner.token, r.url);
    expect(endpoint.url).toBe(r.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(endpoint.events).toEqual(['BOOKING_CREATED', 'BOOKING_CANCELLED', 'BOOKING_RESCHEDULED', 'BOOKING_COMPLETED']);
    expect(endpoint.active).toBe(true);

    const { eventTypes } = await createEventType(owner.token);
    const a = await book(owner.id, '2030-01-08T09:00:00Z', { eventTypeId: eventTypes });
    const b = await book(owner.id, '2030-01-08T11:00:00Z');
    await t.ok(RescheduleBookingDocument, { id: a.id, startsAt: '2030-01-08T13:00:00Z', manageToken: a.manageToken });
    await t.ok(CancelBookingDocument, { id: a.id, manageToken: a.manageToken });
    await t.ok(CompleteBookingDocument, { id: b.id }, owner.token);

    await r.waitFor((got) => got.length >= 5);
    const bodies = r.received.map((request) => {
      expect(request.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(request.timestamp) - Date.now() / 1000)).toBeLessThan(60);
      return { id: request.id, body: verified<WebhookBody>(secret, request) };
    });
    const byType = (type: string) => bodies.filter((x) => x.body.type === type);
    expect(bodies.map((x) => x.body.type).sort()).toEqual(['booking.cancelled', 'booking.completed', 'booking.created', 'booking.created', 'booking.rescheduled']);

    const createdA = byType('booking.created').find((x) => x.body.data.booking.id === a.id)!;
    expect(createdA.body.data).toEqual({
      booking: {
        id: a.id,
        ownerId: owner.id,
        eventTypeId: eventTypes,
        startsAt: '2030-01-08T09:00:00.000Z',
        endsAt: '2030-01-08T09:30:00.000Z',
        status: 'CONFIRMED',
        invitee: { name: 'Grace Hopper', email: 'grace@example.com' },
        createdAt: new Date(a.createdAt).toISOString(),
      },
    });
    expect(byType('booking.created').find((x) => x.body.data.booking.id === b.id)!.body.data.booking.eventTypeId).toBeNull();
    const moved = byType('booking.rescheduled')[0]!.body.data;
    expect(moved.booking).toMatchObject({ id: a.id, startsAt: '2030-01-08T13:00:00.000Z', endsAt: '2030-01-08T13:30:00.000Z', status: 'CONFIRMED' });
    expect(moved.previous).toEqual({ startsAt: '2030-01-08T09:00:00.000Z', endsAt: '2030-01-08T09:30:00.000Z' });
    expect(byType('booking.cancelled')[0]!.body.data.booking).toMatchObject({ id: a.id, status: 'CANCELLED', startsAt: '2030-01-08T13:00:00.000Z' });
    expect(byType('booking.completed')[0]!.body.data.booking).toMatchObject({ id: b.id, status: 'COMPLETED' });
    for (const { body } of bodies) expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    // One message id per event, all different.
    expect(new Set(bodies.map((x) => x.id)).size).toBe(5);

    // A tampered body does not verify: the check above is a real one.
    const tampered = { ...r.received[0]!, body: r.received[0]!.body.replace('Grace', 'Mallory') };
    expect(() => verified(secret, tampered)).toThrow();

    const listed = await waitForDeliveries(owner, (edges) => edges.length === 5 && edges.every((e) => e.node.status === 'DELIVERED'));
    for (const { node } of listed.deliveries.edges) {
      expect(node).toMatchObject({ attempts: 1, lastResponseStatus: 200, lastError: null, nextAttemptAt: null });
      expect(node.deliveredAt).not.toBeNull();
    }
    expect(new Set(listed.deliveries.edges.map((e) => e.node.messageId))).toEqual(new Set(bodies.map((x) => x.id)));
  });

  test('an endpoint gets only the events it takes; an inactive one gets nothing, and resumes when made active', async () => {
    const owner = await newOwner();
    const r = await receiver();
    const { endpoint, secret } = await addEndpoint(owner.token, r.url, ['BOOKING_CANCELLED']);
    const a = await book(owner.id, '2030-01-08T09:00:00Z');
    await t.ok(CancelBookingDocument, { id: a.id }, owner.token);
    await r.waitFor((got) => got.length >= 1);
    expect(verified<WebhookBody>(secret, r.received[0]!).type).toBe('booking.cancelled');

    await t.ok(UpdateWebhookEndpointDocument, { id: endpoint.id, input: { active: false, events: ['BOOKING_CREATED'] } }, owner.token);
    await book(owner.id, '2030-01-08T10:00:00Z');
    await t.ok(UpdateWebhookEndpointDocument, { id: endpoint.id, input: { active: true } }, owner.token);
    await book(owner.id, '2030-01-08T11:00:00Z');
    await r.waitFor((got) => got.length >= 2);
    // The booking made while inactive was never written to the outbox.
    const [listed] = await endpointsOf(owner);
    expect(listed!.deliveries.edges.map((e) => e.node.event)).toEqual(['BOOKING_CREATED', 'BOOKING_CANCELLED']);
    expect(listed!.events).toEqual(['BOOKING_CREATED']);
  });

  test('one event has one message id on every endpoint it goes to', async () => {
    const owner = await newOwner();
    const [r1, r2] = [await receiver(), await receiver()];
    const e1 = await addEndpoint(owner.token, r1.url);
    const e2 = await addEndpoint(owner.token, r2.url);
    await book(owner.id, '2030-01-08T09:00:00Z');
    await r1.waitFor((got) => got.length === 1);
    await r2.waitFor((got) => got.length === 1);
    expect(r1.received[0]!.id).toBe(r2.received[0]!.id);
    // Each endpoint's copy is signed with its own secret.
    expect(verified<WebhookBody>(e1.secret, r1.received[0]!).type).toBe('booking.created');
    expect(verified<WebhookBody>(e2.secret, r2.received[0]!).type).toBe('booking.created');
    expect(() => verified(e1.secret, r2.received[0]!)).toThrow();
  });
});

async function createEventType(token: string) {
  const { createEventType: eventType } = await t.ok(CreateEventTypeDocument, { input: { slug: `call-${Math.random().toString(36).slice(2, 8)}`, title: 'Call', durations: [30] } }, token);
  return { eventTypes: eventType.id };
}

describe('retries', () => {
  test('a receiver failing twice, then answering 200, sees one message id on three attempts', async () => {
    const owner = await newOwner();
    const r = await receiver((_request, n) => (n < 2 ? 500 : 200));
    const { secret } = await addEndpoint(owner.token, r.url);
    await book(owner.id, '2030-01-08T09:00:00Z');
    await r.waitFor((got) => got.length >= 3);
    const listed = await waitForDeliveries(owner, (edges) => edges[0]?.node.status === 'DELIVERED');
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.id)).size).toBe(1);
    for (const request of r.received) expect(verified<WebhookBody>(secret, request).type).toBe('booking.created');
    expect(listed.deliveries.edges).toHaveLength(1);
    expect(listed.deliveries.edges[0]!.node).toMatchObject({ attempts: 3, status: 'DELIVERED', lastResponseStatus: 200, messageId: r.received[0]!.id });
  });

  test('after 1 + WEBHOOK_RETRY_DELAYS attempts a delivery is FAILED; redeliverWebhook tries once more with the same message id', async () => {
    const owner = await newOwner();
    let status = 503;
    const r = await receiver(() => status);
    await addEndpoint(owner.token, r.url);
    await book(owner.id, '2030-01-08T09:00:00Z');
    const failed = await waitForDeliveries(owner, (edges) => edges[0]?.node.status === 'FAILED');
    const delivery = failed.deliveries.edges[0]!.node;
    expect(delivery).toMatchObject({ attempts: 4, lastResponseStatus: 503, lastError: 'answered HTTP 503', nextAttemptAt: null, deliveredAt: null });
    expect(r.received).toHaveLength(4);

    status = 204;
    const { redeliverWebhook } = await t.ok(RedeliverWebhookDocument, { deliveryId: delivery.id }, owner.token);
    expect(redeliverWebhook).toMatchObject({ id: delivery.id, status: 'PENDING', messageId: delivery.messageId });
    const delivered = await waitForDeliveries(owner, (edges) => edges[0]?.node.status === 'DELIVERED');
    expect(delivered.deliveries.edges[0]!.node).toMatchObject({ attempts: 5, lastResponseStatus: 204, lastError: null });
    expect(r.received.map((x) => x.id)).toEqual(Array(5).fill(delivery.messageId));
  });

  test('410 Gone fails the delivery at once and disables the endpoint', async () => {
    const owner = await newOwner();
    const r = await receiver(() => 410);
    await addEndpoint(owner.token, r.url);
    await book(owner.id, '2030-01-08T09:00:00Z');
    const listed = await waitForDeliveries(owner, (edges) => edges[0]?.node.status === 'FAILED');
    expect(listed.active).toBe(false);
    expect(listed.deliveries.edges[0]!.node).toMatchObject({ attempts: 1, lastResponseStatus: 410 });
    expect(r.received).toHaveLength(1);
    // Disabled: the next booking writes nothing for it.
    await book(owner.id, '2030-01-08T10:00:00Z');
    const [after] = await endpointsOf(owner);
    expect(after!.deliveries.edges).toHaveLength(1);
  });

  test('redirects are not followed: a 3xx is a failed attempt', async () => {
    const owner = await newOwner();
    const target = await receiver();
    const r = await receiver(() => 307);
    await addEndpoint(owner.token, r.url);
    await book(owner.id, '2030-01-08T09:00:00Z');
    const listed = await waitForDeliveries(owner, (edges) => edges[0]?.node.status === 'FAILED');
    expect(listed.deliveries.edges[0]!.node).toMatchObject({ attempts: 4, lastResponseStatus: 307 });
    expect(target.received).toHaveLength(0);
  });

  test('no answer within the timeout is a failed attempt, retried', async () => {
    // timeoutMs is 2 s in this app: the receiver never answers the first attempt.
    const owner = await newOwner();
    const r = await receiver((_request, n) => (n === 0 ? 'hang' : 200));
    await addEndpoint(owner.token, r.url);
    await book(owner.id, '2030-01-08T09:00:00Z');
    const listed = await waitForDeliveries(owner, (edges) => edges[0]?.node.status === 'DELIVERED');
    expect(listed.deliveries.edges[0]!.node).toMatchObject({ attempts: 2, lastResponseStatus: 200 });
    expect(r.received.map((x) => x.id)).toEqual([listed.deliveries.edges[0]!.node.messageId, listed.deliveries.edges[0]!.node.messageId]);
  });
});

describe('the process that made a change', () => {
  test('sends its webhooks at once, not at its next poll of the outbox', async () => {
    // Polls a minute apart: only the wake-up after the booking can send within the 10 s wait.
    const app = await startTestApp({ listen: true, over: 'http', webhooks: { allowPrivateUrls: true, pollIntervalMs: 60_000 } });
    try {
      const owner = await app.createOwner({ name: 'Prompt', timeZone: 'UTC', slotMinutes: 60 });
      await app.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
      const r = await receiver();
      await app.ok(AddWebhookEndpointDocument, { input: { url: r.url } }, owner.token);
      const { bookSlot } = await app.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
      await r.waitFor((got) => got.length === 1);
      await app.ok(CancelBookingDocument, { id: bookSlot.booking.id }, owner.token);
      await r.waitFor((got) => got.length === 2);
      expect(r.received.map((x) => x.id)).toEqual([`msg_${bookSlot.booking.id}_created`, `msg_${bookSlot.booking.id}_cancelled`]);
    } finally {
      await app.close();
    }
  });
});
