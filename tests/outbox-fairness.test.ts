import { startTestApp, type ServedTestApp } from './support/app';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';
import { AddOneTimeWindowDocument, AddWebhookEndpointDocument, BookSlotDocument } from './generated/graphql';

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
