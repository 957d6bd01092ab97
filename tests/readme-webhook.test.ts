import { spawn } from 'node:child_process';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type ServedTestApp } from './support/app';
import { freePort } from './support/server-process';
import { pollUntil } from './support/poll';
import { AddOneTimeWindowDocument, AddWebhookEndpointDocument, BookSlotDocument } from './generated/graphql';

// The README's webhook receiver ("## Webhooks", its ```js block), run as written with node against
// a server: what it prints for a real delivery, and that it refuses a forged one; then the
// section's query of an endpoint's deliveries, as written, shows that delivery.

const ROOT = path.resolve(__dirname, '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Webhooks'), readme.indexOf('\n## ', readme.indexOf('## Webhooks') + 1));
const receiverSource = /```js\n([\s\S]*?)```/.exec(section)?.[1];
const deliveriesQuery = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!).find((block) => block.includes('deliveries('));

let t: ServedTestApp;
let folder: string;
beforeAll(async () => {
  t = await startTestApp({ listen: true, over: 'http', webhooks: { allowPrivateUrls: true, pollIntervalMs: 50, retryDelaysMs: Array(50).fill(100) } });
  folder = mkdtempSync(path.join(os.tmpdir(), 'slotbook-readme-receiver-'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
});
afterAll(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

test("the README's receiver verifies and prints a real delivery, and refuses a forged one", async () => {
  expect(receiverSource).toBeDefined();
  const file = path.join(folder, 'receiver.mjs');
  writeFileSync(file, receiverSource!);
  const port = await freePort();
  const owner = await t.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
  const { secret } = (await t.ok(AddWebhookEndpointDocument, { input: { url: `http://127.0.0.1:${port}/`, events: ['BOOKING_CREATED'] } }, owner.token)).addWebhookEndpoint;

  const child = spawn(process.execPath, [file], { cwd: folder, env: { ...process.env, PORT: String(port), SLOTBOOK_WEBHOOK_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  try {
    const { bookSlot } = await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T10:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
    await pollUntil(
      () => {
        if (child.exitCode !== null) throw new Error(`the receiver exited (${child.exitCode}): ${output}`);
        return output;
      },
      (printed) => printed.includes('\n'),
      (printed) => `a line from the receiver; it printed ${JSON.stringify(printed)}`,
      { ms: 15_000 },
    );
    expect(output).toBe(`msg_${bookSlot.booking.id}_created booking.created ${bookSlot.booking.id}\n`);

    const forged = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: JSON.stringify({ type: 'booking.created', data: {} }),
    });
    expect(forged.status).toBe(400);

    expect(deliveriesQuery).toBeDefined();
    const { me } = await pollUntil(
      () => t.ok(parse(deliveriesQuery!) as TypedDocumentNode<Record<string, any>, Record<string, never>>, {}, owner.token),
      (data) => data.me.webhookEndpoints[0]?.deliveries.edges[0]?.node.status === 'DELIVERED',
      (data) => `the delivery DELIVERED; the query answered ${JSON.stringify(data)}`,
    );
    expect(me.webhookEndpoints).toHaveLength(1);
    expect(me.webhookEndpoints[0].deliveries.edges).toHaveLength(1);
    expect(me.webhookEndpoints[0].deliveries.edges[0].node).toMatchObject({ event: 'BOOKING_CREATED', status: 'DELIVERED', lastResponseStatus: 204, lastError: null });
  } finally {
    child.kill();
  }
});
