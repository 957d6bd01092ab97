import { startTestApp, type ServedTestApp } from './support/app';
import { pollUntil } from './support/poll';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';
import { Booking, BookingStatus } from '../src/modules/booking/booking.entity';
import { WebhookEndpoint } from '../src/modules/webhook/webhook.entity';
import { MAX_ENDPOINTS_PER_OWNER } from '../src/modules/webhook/webhook.service';
import { Owner } from '../src/modules/owner/owner.entity';
import {
  AddOneTimeWindowDocument,
  AddWebhookEndpointDocument,
  BookSlotDocument,
  RedeliverWebhookDocument,
  RemoveWebhookEndpointDocument,
  UpdateWebhookEndpointDocument,
  WebhookEndpointsDocument,
} from './generated/graphql';

// docs/api.md, Part 2, 14-16: who may manage endpoints, what URLs they may name, the
// delivery list, and the outbox's transaction, over real HTTP on the dialect under test. These
// apps refuse private URLs, as production does (the apps of tests/webhooks.test.ts allow them).
// Endpoints here name a public address, so the main app sends nothing (its dispatcher is off):
// tests only ever talk to 127.0.0.1. The last block's app sends, to addresses it must refuse.

let t: ServedTestApp;
beforeAll(async () => {
  t = await startTestApp({ listen: true, over: 'http', webhooks: 'off' });
});
afterAll(() => t.close());

const PUBLIC_URL = 'https://93.184.215.14/hooks';

async function newOwner() {
  const owner = await t.createOwner({ name: 'Endpoint Owner', timeZone: 'UTC', slotMinutes: 30 });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T17:00:00Z' } }, owner.token);
  return owner;
}

async function book(ownerId: string, startsAt: string) {
  return (await t.ok(BookSlotDocument, { input: { ownerId, startsAt, invitee: { name: 'Grace Hopper', email: 'grace@example.com' } } })).bookSlot.booking.id;
}

/** Outbox rows, read with plain SQL so nothing the ORM caches can hide one. */
async function outbox(): Promise<{ messages: number; deliveries: number }> {
  const conn = t.app.orm.em.fork().getConnection();
  const [m] = await conn.execute<Array<{ n: number | string }>>('select count(*) as n from webhook_message');
  const [d] = await conn.execute<Array<{ n: number | string }>>('select count(*) as n from webhook_delivery');
  return { messages: Number(m!.n), deliveries: Number(d!.n) };
}

describe('who may manage endpoints', () => {
  let owner: { id: string; token: string };
  let other: { id: string; token: string };
  let endpointId: string;

  beforeAll(async () => {
    owner = await newOwner();
    other = await newOwner();
    endpointId = (await t.ok(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL } }, owner.token)).addWebhookEndpoint.endpoint.id;
  });

  test('without a token every operation is UNAUTHENTICATED', async () => {
    await t.fails(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL } }, 'UNAUTHENTICATED');
    await t.fails(UpdateWebhookEndpointDocument, { id: endpointId, input: { active: false } }, 'UNAUTHENTICATED');
    await t.fails(RemoveWebhookEndpointDocument, { id: endpointId }, 'UNAUTHENTICATED');
    await t.fails(RedeliverWebhookDocument, { deliveryId: 'x' }, 'UNAUTHENTICATED');
    await t.fails(WebhookEndpointsDocument, { ownerId: owner.id }, 'UNAUTHENTICATED');
  });

  test("another owner's token is FORBIDDEN on this owner's endpoints and list, and changes nothing", async () => {
    await t.fails(UpdateWebhookEndpointDocument, { id: endpointId, input: { url: 'https://93.184.215.15/evil' } }, 'FORBIDDEN', other.token);
    await t.fails(RemoveWebhookEndpointDocument, { id: endpointId }, 'FORBIDDEN', other.token);
    await t.fails(WebhookEndpointsDocument, { ownerId: owner.id }, 'FORBIDDEN', other.token);
    const [endpoint] = (await t.ok(WebhookEndpointsDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints;
    expect(endpoint).toMatchObject({ id: endpointId, url: PUBLIC_URL, active: true });
    expect((await t.ok(WebhookEndpointsDocument, { ownerId: other.id }, other.token)).owner!.webhookEndpoints).toEqual([]);
  });

  test("another owner's delivery is FORBIDDEN to redeliver; unknown ids are NOT_FOUND", async () => {
    await book(owner.id, '2030-01-08T09:00:00Z');
    const { edges } = (await t.ok(WebhookEndpointsDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints[0]!.deliveries;
    expect(edges).toHaveLength(1);
    await t.fails(RedeliverWebhookDocument, { deliveryId: edges[0]!.node.id }, 'FORBIDDEN', other.token);
    await t.fails(RedeliverWebhookDocument, { deliveryId: 'no-such-delivery' }, 'NOT_FOUND', owner.token);
    await t.fails(UpdateWebhookEndpointDocument, { id: 'no-such-endpoint', input: { active: false } }, 'NOT_FOUND', owner.token);
    await t.fails(RemoveWebhookEndpointDocument, { id: 'no-such-endpoint' }, 'NOT_FOUND', owner.token);
  });

  test('the owner updates and removes an endpoint; removing takes its deliveries with it', async () => {
    const mine = await newOwner();
    const { endpoint } = (await t.ok(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL, events: ['BOOKING_CANCELLED', 'BOOKING_CREATED', 'BOOKING_CREATED'] } }, mine.token)).addWebhookEndpoint;
    expect(endpoint.events).toEqual(['BOOKING_CREATED', 'BOOKING_CANCELLED']);
    const updated = (await t.ok(UpdateWebhookEndpointDocument, { id: endpoint.id, input: { url: 'http://93.184.215.14:8080/v2', events: ['BOOKING_COMPLETED'] } }, mine.token)).updateWebhookEndpoint;
    expect(updated).toMatchObject({ id: endpoint.id, url: 'http://93.184.215.14:8080/v2', events: ['BOOKING_COMPLETED'], active: true });
    await t.ok(UpdateWebhookEndpointDocument, { id: endpoint.id, input: { events: ['BOOKING_CREATED'] } }, mine.token);
    await book(mine.id, '2030-01-08T10:00:00Z');
    const before = await outbox();
    expect((await t.ok(RemoveWebhookEndpointDocument, { id: endpoint.id }, mine.token)).removeWebhookEndpoint).toBe(endpoint.id);
    expect((await t.ok(WebhookEndpointsDocument, { ownerId: mine.id }, mine.token)).owner!.webhookEndpoints).toEqual([]);
    expect((await outbox()).deliveries).toBe(before.deliveries - 1);
  });
});

describe('what an endpoint may be', () => {
  let owner: { id: string; token: string };
  beforeAll(async () => { owner = await newOwner(); });

  test.each([
    'http://127.0.0.1:4000/graphql',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://10.0.0.7/hook',
    'http://192.168.0.1/hook',
    'http://172.20.0.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://0.0.0.0/hook',
    'http://[fe80::1]/hook',
    'http://[fd12:3456::1]/hook',
    'ftp://93.184.215.14/hook',
    'not a url',
  ])('%s is BAD_USER_INPUT naming input.url, on add and on update', async (url) => {
    const added = await t.fails(AddWebhookEndpointDocument, { input: { url } }, 'BAD_USER_INPUT', owner.token);
    expect(added.extensions?.field).toBe('input.url');
    expect(added.message).toMatch(/^input\.url: must be a public http or https URL: /);
    const { endpoint } = (await t.ok(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL } }, owner.token)).addWebhookEndpoint;
    const updated = await t.fails(UpdateWebhookEndpointDocument, { id: endpoint.id, input: { url } }, 'BAD_USER_INPUT', owner.token);
    expect(updated.extensions?.field).toBe('input.url');
    await t.ok(RemoveWebhookEndpointDocument, { id: endpoint.id }, owner.token);
  });

  test('an empty event list is BAD_USER_INPUT naming input.events', async () => {
    const error = await t.fails(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL, events: [] } }, 'BAD_USER_INPUT', owner.token);
    expect(error.extensions?.field).toBe('input.events');
  });

  test(`an owner has at most ${MAX_ENDPOINTS_PER_OWNER} endpoints; nothing is written past that`, async () => {
    const full = await newOwner();
    for (let i = 0; i < MAX_ENDPOINTS_PER_OWNER; i++) await t.ok(AddWebhookEndpointDocument, { input: { url: `${PUBLIC_URL}/${i}` } }, full.token);
    const error = await t.fails(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL } }, 'BAD_USER_INPUT', full.token);
    expect(error.message).toContain(`at most ${MAX_ENDPOINTS_PER_OWNER}`);
    expect((await t.ok(WebhookEndpointsDocument, { ownerId: full.id }, full.token)).owner!.webhookEndpoints).toHaveLength(MAX_ENDPOINTS_PER_OWNER);
  });
});

describe('the outbox', () => {
  test('a booking change that rolls back leaves no message; one that commits leaves one per endpoint', async () => {
    const owner = await newOwner();
    await t.ok(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL } }, owner.token);
    await t.ok(AddWebhookEndpointDocument, { input: { url: `${PUBLIC_URL}/2` } }, owner.token);
    const before = await outbox();
    const em = t.app.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        tx.create(Booking, {
          owner: tx.getReference(Owner, owner.id),
          startsAt: new Date('2030-01-08T15:00:00Z'),
          endsAt: new Date('2030-01-08T15:30:00Z'),
          status: BookingStatus.CONFIRMED,
          inviteeName: 'Rolled Back',
          inviteeEmail: 'rb@example.com',
          createdAt: new Date(),
        });
        await tx.flush();
        // The trigger wrote the message and both deliveries inside this transaction…
        const [inside] = await tx.execute<Array<{ n: number | string }>>('select count(*) as n from webhook_delivery');
        expect(Number(inside!.n)).toBe(before.deliveries + 2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // …and the rollback took them away with the booking.
    expect(await outbox()).toEqual(before);
    await book(owner.id, '2030-01-08T09:00:00Z');
    expect(await outbox()).toEqual({ messages: before.messages + 1, deliveries: before.deliveries + 2 });
  });

  test('deliveries are listed newest first, and walking the pages returns each once', async () => {
    const owner = await newOwner();
    await t.ok(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL } }, owner.token);
    const bookings: string[] = [];
    for (let h = 9; h < 14; h++) bookings.push(await book(owner.id, `2030-01-08T${String(h).padStart(2, '0')}:00:00Z`));
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await t.ok(WebhookEndpointsDocument, { ownerId: owner.id, first: 2, after }, owner.token)).owner!.webhookEndpoints[0]!.deliveries;
      seen.push(...page.edges.map((e) => e.node.messageId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(bookings.reverse().map((id) => `msg_${id}_created`));
    const bad = await t.fails(WebhookEndpointsDocument, { ownerId: owner.id, first: 101 }, 'BAD_USER_INPUT', owner.token);
    expect(bad.extensions?.field).toBe('first');
  });
});

describe('every attempt checks the address again', () => {
  let receiver: WebhookReceiver;
  let main: ServedTestApp;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    main = t;
    t = await startTestApp({ listen: true, over: 'http', webhooks: { pollIntervalMs: 50, retryDelaysMs: [] } });
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
    t = main;
  });

  test.each([
    ['an IP literal', (port: string) => `http://127.0.0.1:${port}/hooks`],
    ['a name that resolves to loopback', (port: string) => `http://localhost:${port}/hooks`],
  ])('an endpoint that became private (%s) is refused at the attempt: nothing reaches it', async (_what, urlFor) => {
    const owner = await newOwner();
    const { endpoint } = (await t.ok(AddWebhookEndpointDocument, { input: { url: PUBLIC_URL } }, owner.token)).addWebhookEndpoint;
    // As if its name had been pointed at a private address since (DNS rebinding): only the row changes.
    await t.app.orm.em.fork().nativeUpdate(WebhookEndpoint, { id: endpoint.id }, { url: urlFor(new URL(receiver.url).port) });
    await book(owner.id, '2030-01-08T09:00:00Z');
    const delivery = await pollUntil(
      async () => (await t.ok(WebhookEndpointsDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints[0]!.deliveries.edges[0]?.node,
      (node) => node?.status === 'FAILED',
      (node) => `the delivery to fail; it is ${JSON.stringify(node)}`,
    );
    expect(delivery!.lastError).toMatch(/^refused: .*not a public address/);
    expect(delivery!.lastResponseStatus).toBeNull();
    expect(receiver.received).toHaveLength(0);
  });
});
