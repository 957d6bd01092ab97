// Phase L's heap measurement (bench/run.mjs runs it as `node --expose-gc bench/live-heap.mjs`):
// one process serves and subscribes, so a full GC before and after tells what the subscriptions
// keep, which RSS (the high-water mark of their first computations) cannot. LIVE_HEAP_COUNTS
// subscriptions of distinct 90-day ranges (4 owners, under SUBSCRIPTION_RANGES_PER_OWNER),
// ten per socket; prints one JSON line: heap MiB at each count. The marginal heap per
// subscription is the slope; the clients' own sockets, in the same process, are included.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';

const require = createRequire(import.meta.url);
const { createApp } = require('../dist/app.js');
const DAY = 86_400_000;
const DAYS = 90;
const OWNERS = 4;
const counts = (process.env.LIVE_HEAP_COUNTS ?? '60,252').split(',').map(Number);
const LIVE = 'subscription($o: ID!, $f: DateTime!, $t: DateTime!) { freeSlotsChanged(ownerId: $o, from: $f, to: $t) { startsAt endsAt } }';

async function heapAt(count) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slotbook-live-heap-'));
  const app = await createApp({ databaseUrl: `sqlite:${path.join(dir, 'heap.sqlite')}`, rateLimits: 'off', subscriptions: { maxSocketsPerAddress: 5000, maxPerAddress: 5000 } });
  const { url } = await app.listen(0, '127.0.0.1');
  const post = async (query, variables, token) =>
    (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) })).json()).data;
  const day0 = Math.floor(Date.now() / DAY) * DAY;
  const owners = [];
  for (let i = 0; i < OWNERS; i++) {
    const { createOwner } = await post('mutation($input: CreateOwnerInput!) { createOwner(input: $input) { token owner { id } } }', { input: { name: 'Heap', timeZone: 'UTC' } });
    const window = { weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: '09:00', endTime: '17:00', startsOn: new Date(day0).toISOString().slice(0, 10) };
    await post('mutation($input: RecurringWindowInput!) { addRecurringWindow(input: $input) { id } }', { input: window }, createOwner.token);
    owners.push(createOwner.owner.id);
  }
  const heap = () => {
    global.gc();
    global.gc();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  const before = heap();
  let first = 0;
  const clients = [];
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) clients.push(createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true }));
    const from = day0 + DAY + Math.floor(i / OWNERS) * 3_600_000;
    let got = false;
    clients.at(-1).subscribe(
      { query: LIVE, variables: { o: owners[i % OWNERS], f: new Date(from).toISOString(), t: new Date(from + DAYS * DAY).toISOString() } },
      {
        next: ({ errors }) => {
          if (errors) throw new Error(JSON.stringify(errors));
          if (!got) first++;
          got = true;
        },
        error: (err) => console.error(err),
        complete: () => undefined,
      },
    );
  }
  while (first < count) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 500));
  const after = heap();
  await Promise.all(clients.map((c) => c.dispose()));
  await new Promise((r) => setTimeout(r, 200));
  await app.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  return after - before;
}

const result = {};
for (const count of counts) result[count] = await heapAt(count);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
