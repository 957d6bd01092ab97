import { startTestApp, type ServedTestApp } from './support/app';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';
import { pollUntil } from './support/poll';
import { AddOneTimeWindowDocument, AddWebhookEndpointDocument, BookSlotDocument, WebhookEndpointBackoffDocument } from './generated/graphql';

// Issue 21's finding, docs/api.md Part 3, 27 (one outbox, fair to every owner): an owner whose
// endpoints accept and never answer, with many due deliveries, holds at most its share of the
// attempt slots, so another owner's delivery goes out in the next claim cycle, while the first
// owner's attempts still hang. Counted at the receivers, never timed.

let t: ServedTestApp;
let receivers: WebhookReceiver[] = [];
beforeAll(async () => {
  // A hanging attempt times out only after 60 s: every claim of the slow owner stays in flight for the whole test.
  t = await startTestApp({ listen: true, over: 'http', webhooks: { allowPrivateUrls: true, pollIntervalMs: 50, timeoutMs: 60_000, stopGraceMs: 50, concurrency: 8, perOwnerInFlight: 2 } });
});
afterAll(async () => {
  await t.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function ownerWithEndpoints(name: string, urls: string[], slots: number) {
  const owner = await t.createOwner({ name, timeZone: 'UTC', slotMinutes: 60 });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T00:00:00Z', endsAt: '2030-01-09T00:00:00Z' } }, owner.token);
  for (const url of urls) await t.ok(AddWebhookEndpointDocument, { input: { url } }, owner.token);
  for (let n = 0; n < slots; n++) {
    const startsAt = new Date(Date.parse('2030-01-08T00:00:00Z') + n * 3_600_000).toISOString();
    await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } });
  }
  return owner;
}

test("an owner whose endpoints never answer does not delay another owner's delivery", async () => {
  const hanging = await startWebhookReceiver(() => 'hang');
  const answering = await startWebhookReceiver(() => 200);
  receivers.push(hanging, answering);
  // 10 endpoints × 3 bookings: 30 deliveries due before the other owner's, more than the 8 attempt slots.
  await ownerWithEndpoints('Slow', Array.from({ length: 10 }, (_, n) => `${hanging.url}/${n}`), 3);
  await hanging.waitFor((got) => got.length >= 1);
  await ownerWithEndpoints('Prompt', [answering.url], 1);
  await answering.waitFor((got) => got.length === 1);
  // Every attempt of the slow owner still hangs (none timed out): it held at most its share.
  expect(hanging.received.length).toBeLessThanOrEqual(2);
});

describe('an endpoint that times out is backed off', () => {
  // Attempts time out after 300 ms; a timed-out endpoint then waits 2 s (4 s after a second
  // timeout in a row); retries are due 50 ms after a failure. Without the backoff, a hanging
  // endpoint with due deliveries takes an attempt slot every ~350 ms for as long as it hangs.
  let quick: ServedTestApp;
  beforeAll(async () => {
    quick = await startTestApp({
      listen: true,
      over: 'http',
      webhooks: { allowPrivateUrls: true, pollIntervalMs: 50, timeoutMs: 300, timeoutBackoffMs: 2_000, retryDelaysMs: [50, 50, 50, 50, 50], stopGraceMs: 50, concurrency: 8, perOwnerInFlight: 2 },
    });
  });
  afterAll(() => quick.close());

  test('after a timeout its deliveries wait out the backoff; an answer ends it', async () => {
    let answering = false;
    const receiver = await startWebhookReceiver(() => (answering ? 200 : 'hang'));
    receivers.push(receiver);
    const owner = await quick.createOwner({ name: 'Hangs', timeZone: 'UTC', slotMinutes: 60 });
    await quick.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T00:00:00Z', endsAt: '2030-01-09T00:00:00Z' } }, owner.token);
    await quick.ok(AddWebhookEndpointDocument, { input: { url: receiver.url } }, owner.token);
    for (let n = 0; n < 3; n++) {
      const startsAt = new Date(Date.parse('2030-01-08T00:00:00Z') + n * 3_600_000).toISOString();
      await quick.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } });
    }
    // The first claim takes the owner's share (2); both time out, and the endpoint is backed off.
    const backedOff = await pollUntil(
      async () => (await quick.ok(WebhookEndpointBackoffDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints[0]!.backedOffUntil,
      (until) => until !== null,
      () => 'the endpoint backed off after its attempts timed out',
    );
    const attemptsAtBackoff = receiver.received.length;
    expect(attemptsAtBackoff).toBeLessThanOrEqual(3);
    // Well inside the 2 s backoff: no attempt reaches it, though three deliveries are due.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(Date.parse(backedOff!)).toBeGreaterThan(Date.now());
    expect(receiver.received.length).toBe(attemptsAtBackoff);

    // It answers now: once the backoff is over every delivery arrives, and the backoff is gone.
    answering = true;
    await pollUntil(
      async () => (await quick.ok(WebhookEndpointBackoffDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints[0]!.backedOffUntil,
      (until) => until === null,
      (until) => `the backoff ended by an answer; still backed off until ${until}`,
      { ms: 15_000 },
    );
    await receiver.waitFor((got) => new Set(got.slice(attemptsAtBackoff).map((r) => r.headers['webhook-id'])).size === 3, 15_000);
  });
});
