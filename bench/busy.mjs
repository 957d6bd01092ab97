// `npm run bench:busy` (docs/api.md Part 3, 29; issue 23): what busy time synced from other
// calendars costs a freeSlots cache miss, next to the same number of bookings. Three owners as
// phase M of run.mjs seeds them (UTC, hourly slots around the clock): one with 8,000 5-minute
// bookings in the month, one with 50 bookings and 8,000 5-minute busy intervals at the same
// instants (stored through BusyIntervalStore, as the sync stores them), one with 50 bookings.
// 8,000, not 10,000: a 30-day month holds 8,640 5-minute cells, and live bookings never overlap
// (PostgreSQL's booking_no_overlap refuses the seed past that).
// In process (createApp from dist/, Apollo's executeOperation, one request at a time): every
// request asks a range no earlier one asked (from moves by 5 minutes), so each is a miss that
// reads the month and runs the engine. DATABASE_URL=postgres://… runs it on PostgreSQL.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DAY, benchDatabases, migrate, seedDenseOwners } from './seed.mjs';

const require = createRequire(import.meta.url);
const { createApp } = require('../dist/app.js');

const COUNT = 8_000;
const REQUESTS = Number(process.env.BENCH_BUSY_REQUESTS ?? 300);
const FREE_SLOTS = 'query($ownerId: ID!, $from: DateTime!, $to: DateTime!) { freeSlots(ownerId: $ownerId, from: $from, to: $to) { startsAt endsAt } }';
const log = (msg) => process.stdout.write(`${msg}\n`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'slotbook-bench-busy-'));
const databases = await benchDatabases(process.env.DATABASE_URL, tmp, {});
const url = await databases.create('busy');
await migrate(url);
const from = Math.ceil(Date.now() / DAY) * DAY + DAY;
const [withBookings, withBusy, baseline] = await seedDenseOwners(url, { from, bookingCounts: [COUNT, 50, 50] });

const app = await createApp({ databaseUrl: url, webhooks: 'off', emails: 'off' });
try {
  // The same instants seedDenseOwners gives the bookings: 5 minutes each, spread evenly over the 30 days.
  const cells = 30 * 288;
  const busy = Array.from({ length: COUNT }, (_, k) => {
    const start = from + Math.floor((k * cells) / COUNT) * 300_000;
    return { start, end: start + 300_000 };
  });
  const stored = Date.now();
  await app.contextFor().stores.busyIntervals.replaceSource(withBusy, 'bench-source', busy);
  log(`replaceSource of ${COUNT} intervals: ${Date.now() - stored} ms`);

  /** Mean ms of REQUESTS cache misses for `ownerId`, one at a time. */
  async function missMs(ownerId) {
    let i = 0;
    const next = () => {
      const start = from + (i++ % 2000) * 300_000;
      return { ownerId, from: new Date(start).toISOString(), to: new Date(start + 29 * DAY).toISOString() };
    };
    for (let w = 0; w < 20; w++) await ask(next());
    const started = process.hrtime.bigint();
    for (let r = 0; r < REQUESTS; r++) await ask(next());
    return Number(process.hrtime.bigint() - started) / 1e6 / REQUESTS;
  }

  async function ask(variables) {
    const response = await app.server.executeOperation({ query: FREE_SLOTS, variables }, { contextValue: app.contextFor(null) });
    if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error(`freeSlots failed: ${JSON.stringify(response.body)}`);
  }

  const best = {};
  for (let round = 1; round <= 2; round++) {
    for (const [name, ownerId] of [['8,000 bookings', withBookings], ['8,000 busy intervals', withBusy], ['50 bookings', baseline]]) {
      const ms = await missMs(ownerId);
      best[name] = Math.min(best[name] ?? Infinity, ms);
      log(`round ${round}, ${name}: ${ms.toFixed(2)} ms per miss`);
    }
  }
  log(`\nbest of 2 rounds (${databases.label}): ${Object.entries(best).map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`).join(', ')}`);
  log(`ratio busy intervals / bookings: ${(best['8,000 busy intervals'] / best['8,000 bookings']).toFixed(2)}`);
} finally {
  await app.close();
  await databases.dispose();
  rmSync(tmp, { recursive: true, force: true });
}
