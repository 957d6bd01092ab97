import { freshDatabaseUrl, testDialect } from './support/database';
import { dayAhead, ok, spawnServer, waitUntilHealthy, type ServerProcess } from './support/server-process';
import { discardSharedDatabase, withDatabase } from './support/shared-database';
import { startWebhookReceiver, verified, type WebhookBody, type WebhookReceiver } from './support/webhook-receiver';
import { startTestApp } from './support/app';
import { pollUntil } from './support/poll';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookMessage } from '../src/modules/webhook/webhook.entity';
import { AddOneTimeWindowDocument, AddWebhookEndpointDocument, BookSlotDocument, CancelBookingDocument, CreateOwnerDocument } from './generated/graphql';

// docs/api.md, Part 2, 15 (at least once): real server processes (dist/main.js) on one
// database of the dialect under test, delivering to a receiver on 127.0.0.1. Servers read the
// real clock, so windows lie a year ahead (dayAhead). Waits have deadlines and measure nothing.

const DAY = dayAhead(10);
/** Servers allow the receiver's loopback address and retry every 0.2 s. */
const WEBHOOK_ENV = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_DELAYS: Array(20).fill('0.2').join(',') };

async function running(name: string, databaseUrl: string): Promise<ServerProcess> {
  const server = await spawnServer(name, databaseUrl, 'silent', WEBHOOK_ENV);
  await waitUntilHealthy(server);
  return server;
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/** An owner with a window of `slots` hour-long slots on DAY and an endpoint at `url`; returns its id, token and the endpoint's secret. */
async function ownerWithEndpoint(server: ServerProcess, url: string, slots: number) {
  const created = await ok(server, CreateOwnerDocument, { input: { name: 'Hooked', timeZone: 'UTC', slotMinutes: 60 } });
  const owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
  const end = new Date(Date.parse(`${DAY}T00:00:00Z`) + slots * 3_600_000).toISOString();
  await ok(server, AddOneTimeWindowDocument, { input: { startsAt: `${DAY}T00:00:00Z`, endsAt: end } }, owner.token);
  const { secret } = (await ok(server, AddWebhookEndpointDocument, { input: { url } }, owner.token)).addWebhookEndpoint;
  return { ...owner, secret };
}

function slotStart(n: number): string {
  return new Date(Date.parse(`${DAY}T00:00:00Z`) + n * 3_600_000).toISOString();
}

async function bookAll(servers: ServerProcess[], ownerId: string, count: number): Promise<string[]> {
  const results = await Promise.all(
    Array.from({ length: count }, (_, n) =>
      ok(servers[n % servers.length]!, BookSlotDocument, { input: { ownerId, startsAt: slotStart(n), invitee: { name: `Invitee ${n}`, email: `i${n}@example.com` } } }),
    ),
  );
  return results.map((r) => r.bookSlot.booking.id);
}

/** booking.created message ids the receiver got, verified, with how often each arrived. */
function createdCounts(receiver: WebhookReceiver, secret: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of receiver.received) {
    const body = verified<WebhookBody>(secret, request);
    if (body.type === 'booking.created') counts.set(body.data.booking.id, (counts.get(body.data.booking.id) ?? 0) + 1);
  }
  return counts;
}

describe(`webhooks across server processes (${testDialect})`, () => {
  let databaseUrl: string;
  let servers: ServerProcess[] = [];
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
  });
  afterEach(async () => {
    await Promise.all(servers.map(stop));
    servers = [];
    await receiver?.close();
    discardSharedDatabase(databaseUrl);
  });

  test('kill -9 right after 20 acknowledged bookings, then a restart: all 20 booking.created are delivered', async () => {
    // Until the kill the receiver refuses everything, so the messages can only reach it from the outbox after the restart.
    let up = false;
    receiver = await startWebhookReceiver(() => (up ? 200 : 503));
    const a = await running('A', databaseUrl);
    servers.push(a);
    const owner = await ownerWithEndpoint(a, receiver.url, 20);
    const bookings = await bookAll([a], owner.id, 20);
    a.child.kill('SIGKILL');
    await a.exited;
    up = true;

    const restarted = await running('A, restarted', databaseUrl);
    servers.push(restarted);
    // A claim the killed process held expires with its lease (the 10 s timeout plus 5 s).
    await receiver.waitFor(() => createdCounts(receiver, owner.secret).size === 20, 45_000);
    expect([...createdCounts(receiver, owner.secret).keys()].sort()).toEqual([...bookings].sort());
    // Every attempt of a message carries its one id; the receiver saw nothing else.
    const idsByBooking = new Map<string, Set<string>>();
    for (const request of receiver.received) {
      const id = verified<WebhookBody>(owner.secret, request).data.booking.id;
      idsByBooking.set(id, (idsByBooking.get(id) ?? new Set()).add(request.id));
    }
    expect([...idsByBooking.values()].every((ids) => ids.size === 1)).toBe(true);
  });

  test('two processes on one database deliver each message exactly once when the receiver always answers 200', async () => {
    receiver = await startWebhookReceiver(() => 200);
    const [a, b] = await Promise.all([running('A', databaseUrl), running('B', databaseUrl)]);
    servers.push(a, b);
    const owner = await ownerWithEndpoint(a, receiver.url, 24);
    const bookings = await bookAll([a, b], owner.id, 24);
    await receiver.waitFor(() => createdCounts(receiver, owner.secret).size === 24, 30_000);
    // Both dispatchers poll every second: two more rounds each would have sent any duplicate.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const counts = createdCounts(receiver, owner.secret);
    expect([...counts.keys()].sort()).toEqual([...bookings].sort());
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(receiver.received).toHaveLength(24);
    await withDatabase(databaseUrl, async (orm) => {
      const deliveries = await orm.em.fork().find(WebhookDelivery, {});
      expect(deliveries).toHaveLength(24);
      expect(deliveries.filter((d) => d.status !== 'DELIVERED' || d.attempts !== 1 || d.claimedBy !== null)).toEqual([]);
    });
  });
});

describe('shutdown', () => {
  test('an attempt still in flight when the app closes releases its claim uncounted; the next process delivers it', async () => {
    let hang = true;
    const receiver = await startWebhookReceiver(() => (hang ? 'hang' : 200));
    const databaseUrl = await freshDatabaseUrl({ shared: true });
    try {
      const first = await startTestApp({ databaseUrl, over: 'http', webhooks: { allowPrivateUrls: true, pollIntervalMs: 50, stopGraceMs: 100 } });
      const owner = await first.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
      await first.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
      const { secret } = (await first.ok(AddWebhookEndpointDocument, { input: { url: receiver.url } }, owner.token)).addWebhookEndpoint;
      await first.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
      await receiver.waitFor((got) => got.length === 1);
      await first.close();

      await withDatabase(databaseUrl, async (orm) => {
        const [delivery] = await orm.em.fork().find(WebhookDelivery, {});
        expect(delivery).toMatchObject({ status: 'PENDING', attempts: 0, claimedBy: null, claimedUntil: null });
      });

      hang = false;
      const second = await startTestApp({ databaseUrl, webhooks: { allowPrivateUrls: true, pollIntervalMs: 50 } });
      try {
        await receiver.waitFor((got) => got.length === 2);
        expect(receiver.received[1]!.id).toBe(receiver.received[0]!.id);
        expect(verified<WebhookBody>(secret, receiver.received[1]!).type).toBe('booking.created');
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      discardSharedDatabase(databaseUrl);
    }
  });
});

describe('retention', () => {
  test('settled messages older than 30 days are removed when a process starts (and hourly); pending ones stay', async () => {
    const receiver = await startWebhookReceiver((request) => (request.body.includes('"booking.cancelled"') ? 503 : 200));
    const databaseUrl = await freshDatabaseUrl({ shared: true });
    try {
      const first = await startTestApp({ databaseUrl, over: 'http', listen: true, webhooks: { allowPrivateUrls: true, pollIntervalMs: 50, retryDelaysMs: Array(100).fill(60_000) } });
      const owner = await first.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
      await first.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
      await first.ok(AddWebhookEndpointDocument, { input: { url: receiver.url } }, owner.token);
      const { bookSlot } = await first.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
      await first.ok(CancelBookingDocument, { id: bookSlot.booking.id }, owner.token);
      // created is delivered; cancelled failed once and waits a minute for its retry: still PENDING.
      await receiver.waitFor((got) => got.length === 2);
      await first.close();
      await withDatabase(databaseUrl, async (orm) => {
        const em = orm.em.fork();
        const delivered = await em.findOneOrFail(WebhookDelivery, { status: WebhookDeliveryStatus.DELIVERED }, { populate: ['message'] });
        expect(delivered.message.id).toBe(`msg_${bookSlot.booking.id}_created`);
        // Both messages made 31 days ago.
        await em.nativeUpdate(WebhookMessage, {}, { occurredAt: new Date(Date.now() - 31 * 24 * 3600_000) });
      });

      const second = await startTestApp({ databaseUrl, webhooks: { allowPrivateUrls: true, pollIntervalMs: 50, retryDelaysMs: Array(100).fill(60_000) } });
      try {
        const ids = await pollUntil(
          () => withDatabase(databaseUrl, async (orm) => (await orm.em.fork().find(WebhookMessage, {})).map((m) => m.id)),
          (left) => left.length === 1,
          (left) => `the old settled message to go; messages: ${left.join(', ')}`,
          { everyMs: 100 },
        );
        expect(ids).toEqual([`msg_${bookSlot.booking.id}_cancelled`]);
        await withDatabase(databaseUrl, async (orm) => {
          expect((await orm.em.fork().find(WebhookDelivery, {})).map((d) => d.status)).toEqual(['PENDING']);
        });
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      discardSharedDatabase(databaseUrl);
    }
  });
});
