// `npm run bench`: seeds fresh databases in bulk (temporary SQLite files, or with a postgres://
// DATABASE_URL new databases on that server, dropped at the end unless BENCH_KEEP is set), starts
// Slotbook on them (dist/main.js, as `npm start` runs it) and two reference servers, drives them with
// autocannon, and writes a markdown table to bench/results/latest.md (latest-postgresql.md for
// PostgreSQL). Phases: A freeSlots, T plain Apollo's `{ ok }`, G freeSlots as a persisted GET, K the
// same GETs answered from kept JSON, H the same GETs revalidated (304), P freeSlots of an event type with buffers and a daily cap (run
// alternately with A), B plain Apollo, C bare node:http, D bookSlot, E slot engine alone, F freeSlots with ~1,000 vs ~1,000,000 bookings in the database, M a cache miss for an
// owner with 5,000 bookings in the month vs one with 50 (BENCH_ONLY=M runs M alone), L live updates:
// 1,000 subscribers of one owner's freeSlotsChanged, bookings made through another process
// (BENCH_ONLY=L runs L alone and writes bench/results/live-updates.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { Bench } from 'tinybench';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { DAY, benchDatabases, connect, migrate, seedCellsAndTokens, seedDenseOwners, seedFiller, seedOwners } from './seed.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const engine = require('../dist/scheduling/index.js');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 8);
// BENCH_PHASES=C,G,H,K runs only those of the alternating phases (A P B C T G K H), prints their
// table and ratios, and skips the rest of the run (and the report file).
const SELECTED_PHASES = process.env.BENCH_PHASES ? new Set(process.env.BENCH_PHASES.toUpperCase().split(',').map((p) => p.trim())) : null;
const wanted = (phase) => !SELECTED_PHASES || SELECTED_PHASES.has(phase);
const CONNECTIONS = 32;
const OWNERS = 120;
const FILLER_OWNERS = 880;
const FILLER_DAYS = 36; // 880 owners × 36 days × 32 quarter-hours ≈ 1,014,000 bookings
const started = Date.now();
const loadAtStart = os.loadavg()[0].toFixed(1);
const now = Date.now();
const day0 = Math.floor(now / DAY) * DAY;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'slotbook-bench-'));
const children = new Set();
const REPORT_FILE = { sqlite: 'latest.md', postgresql: 'latest-postgresql.md' };
let databases;

const FREE_SLOTS = 'query FreeSlots($ownerId: ID!, $from: DateTime!, $to: DateTime!) { freeSlots(ownerId: $ownerId, from: $from, to: $to) { startsAt endsAt } }';
const EVENT_TYPE_SLOTS = 'query EventTypeSlots($ownerId: ID!, $from: DateTime!, $to: DateTime!, $eventTypeId: ID) { freeSlots(ownerId: $ownerId, from: $from, to: $to, eventTypeId: $eventTypeId) { startsAt endsAt } }';
const CREATE_EVENT_TYPE = 'mutation CreateEventType($input: EventTypeInput!) { createEventType(input: $input) { id } }';
const BOOK_SLOT = 'mutation BookSlot($input: BookSlotInput!) { bookSlot(input: $input) { manageToken booking { id startsAt endsAt status } } }';
const HEADERS = { 'content-type': 'application/json' };

const log = (msg) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);
const iso = (ms) => new Date(ms).toISOString();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startSlotbook(databaseUrl, extraEnv = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], {
    // RATE_LIMITS=off: the bench's one client address sends far more than any person would.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMITS: 'off', ...extraEnv },
    // The server's own log goes to a file: its lines would drown the bench's progress.
    stdio: ['ignore', openSync(path.join(tmp, 'server.log'), 'a'), openSync(path.join(tmp, 'server.log'), 'a')],
  });
  children.add(child);
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return { child, port, url: `http://127.0.0.1:${port}` };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('slotbook did not become healthy');
}

function startScript(script, arg) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, 'servers', script), arg], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    child.once('error', reject);
    child.stdout.once('data', (chunk) => {
      const { port } = JSON.parse(String(chunk));
      resolve({ child, port, url: `http://127.0.0.1:${port}` });
    });
  });
}

async function stop(server) {
  if (server.child.exitCode !== null) return;
  // autocannon returns when its clock runs out, with requests still queued in the server.
  await new Promise((r) => setTimeout(r, 500));
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
  children.delete(server.child);
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** autocannon with a body per request; `next()` returns the variables (or null to stop). */
function load({ url, seconds = PHASE_SECONDS, query, next, check }) {
  let failures = 0;
  let ok = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/graphql`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: HEADERS,
            setupRequest(req) {
              const variables = next();
              if (!variables) {
                instance.stop();
                return { ...req, body: JSON.stringify({ query, variables: next.last }) };
              }
              return { ...req, body: JSON.stringify({ query, variables }) };
            },
            onResponse(status, body) {
              if (status !== 200 || (check && !check(body))) failures++;
              else ok++;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, failures, ok })),
    );
  });
}

/**
 * autocannon GETs of `paths` (rotating), or of `pathOf(n)` for the n-th request, with
 * `headersOf(path)` added; an answer counts as ok when its status is `status` (200 or 304).
 */
function getLoad({ url, seconds = PHASE_SECONDS, paths, pathOf = (n) => paths[n % paths.length], headersOf = () => ({}), status }) {
  let failures = 0;
  let ok = 0;
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/graphql`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'GET',
            setupRequest(req) {
              const next = pathOf(i++);
              return { ...req, path: next, headers: { ...GET_HEADERS, ...headersOf(next) } };
            },
            onResponse(code) {
              if (code === status) ok++;
              else failures++;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, failures, ok })),
    );
  });
}

/** Apollo's CSRF prevention takes a GET only with a header a browser would preflight. */
const GET_HEADERS = { 'apollo-require-preflight': 'true' };

/** The GET path of FREE_SLOTS as a persisted query (hash only), for `variables`. */
function persistedPath(variables, withQuery = false) {
  const search = new URLSearchParams({
    ...(withQuery ? { query: FREE_SLOTS } : {}),
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(FREE_SLOTS).digest('hex') } }),
  });
  return `/graphql?${search}`;
}

/** Waits, when fewer than `seconds` of the clock's minute are left, for the next minute: validators hold for one minute. */
async function startOfMinuteWindow(seconds) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000 + 2000) await new Promise((r) => setTimeout(r, left + 200));
}

/** Each owner's persisted GET path and the ETag it answers with now (H's If-None-Match). */
async function validatorsOf(url, paths) {
  const tags = new Map();
  for (const p of paths) {
    const res = await fetch(`${url}${p}`, { headers: GET_HEADERS });
    await res.arrayBuffer();
    if (res.status !== 200 || !res.headers.get('etag')) throw new Error(`GET ${p.slice(0, 60)}… answered ${res.status} without an ETag`);
    tags.set(p, res.headers.get('etag'));
  }
  return tags;
}

const summary = ({ result, failures, ok }) => ({
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  total: result.requests.total,
  seconds: result.duration,
  failures: failures + result.errors + result.timeouts,
  ok,
});

function ownerRotation(owners, rangeOf) {
  let i = 0;
  return () => {
    const owner = owners[i++ % owners.length];
    return { ownerId: owner.id, ...rangeOf(i) };
  };
}

const month = () => ({ from: iso(day0 + DAY), to: iso(day0 + 31 * DAY) });

/** One GraphQL request, answered without errors; its data. */
async function graphql(url, query, variables, token) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: token ? { ...HEADERS, authorization: `Bearer ${token}` } : HEADERS,
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors[0])}`);
  return body.data;
}

/**
 * Phase P's event type: two durations, buffers of 5 and 10 minutes, 2 hours' notice, 60 days
 * ahead, 3 a day. No step shorter than the duration: its answer then holds about as many slots as
 * A's, and P compares the cost of policies, not of a longer list.
 */
const benchEventType = (slotMinutes) => ({
  slug: 'consult',
  title: 'Consultation',
  durations: [slotMinutes, 2 * slotMinutes],
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
  minNoticeMinutes: 120,
  horizonDays: 60,
  maxBookingsPerDay: 3,
});

/**
 * Gives every owner phase P's event type and books `perOwner` of its slots through the API (rows
 * exactly as the app writes them: recorded buffers, cells of the occupied span, day counts),
 * spread over the month A and P ask for, so buffers and full days shape P's answers. Returns each
 * owner's event type id and the occupied spans booked, which phase D's pool must avoid.
 */
async function seedEventTypeBookings(url, owners, perOwner) {
  const eventTypes = new Map();
  const occupied = [];
  const seedOwner = async (owner) => {
    const input = benchEventType(owner.slotMinutes);
    const { id } = (await graphql(url, CREATE_EVENT_TYPE, { input }, owner.token)).createEventType;
    eventTypes.set(owner.id, id);
    const slots = (await graphql(url, EVENT_TYPE_SLOTS, { ownerId: owner.id, eventTypeId: id, ...month() })).freeSlots;
    const every = Math.max(1, Math.floor(slots.length / perOwner));
    for (let k = 0; k < slots.length && k / every < perOwner; k += every) {
      const startsAt = slots[k].startsAt;
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify({ query: BOOK_SLOT, variables: { input: { ownerId: owner.id, eventTypeId: id, startsAt, invitee: { name: 'Policy Invitee', email: 'policy@example.com' } } } }),
      });
      const body = await res.json();
      // A start next to one booked just before may sit in its buffers, or on a day now full.
      if (body.errors) continue;
      const start = Date.parse(startsAt);
      occupied.push({ ownerId: owner.id, start: start - input.bufferBeforeMinutes * 60_000, end: start + owner.slotMinutes * 60_000 + input.bufferAfterMinutes * 60_000 });
    }
  };
  for (let i = 0; i < owners.length; i += 8) await Promise.all(owners.slice(i, i + 8).map(seedOwner));
  return { eventTypes, occupied };
}
/** A different 30-day range almost every request: the cache cannot help, the database and engine work each time. */
const scattered = (i) => {
  const start = day0 + DAY + ((i * 7919) % 90) * DAY;
  return { from: iso(start), to: iso(start + 30 * DAY) };
};

/**
 * M: what a cache miss costs as an owner's month fills up. One connection, so latency is service
 * time; every request asks a range no earlier request asked (from moves by 5 minutes), so each is
 * a miss that reads the month's bookings and runs the engine. Owners: hourly slots around the
 * clock, one with 5,000 bookings in the month (no hour left free), one with 50.
 */
async function cacheMissPhase() {
  const url = await databases.create('dense');
  await migrate(url);
  const from = day0 + DAY;
  const [dense, sparse] = await seedDenseOwners(url, { from, bookingCounts: [5000, 50] });
  const server = await startSlotbook(url);
  const M = {};
  for (const [name, ownerId] of [['5,000 bookings', dense], ['50 bookings', sparse], ['5,000 bookings ', dense], ['50 bookings ', sparse]]) {
    let i = 0;
    const next = () => {
      const start = from + (i++ % 2000) * 300_000;
      return { ownerId, from: iso(start), to: iso(start + 29 * DAY) };
    };
    await load({ url: server.url, seconds: 1, query: FREE_SLOTS, next });
    const { result, failures } = await new Promise((resolve, reject) => {
      let failed = 0;
      const instance = autocannon(
        {
          url: `${server.url}/graphql`,
          connections: 1,
          duration: PHASE_SECONDS / 2,
          requests: [{ method: 'POST', headers: HEADERS, setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: FREE_SLOTS, variables: next() }) }), onResponse: (status, body) => { if (status !== 200 || !body.startsWith('{"data":{"freeSlots":[')) failed++; } }],
        },
        (err, r) => (err ? reject(err) : resolve({ result: r, failures: failed })),
      );
      void instance;
    });
    const key = name.trim();
    const r = { p50: result.latency.p50, mean: result.latency.average, rps: result.requests.average, failures: failures + result.errors };
    M[key] = M[key] ? { p50: Math.min(M[key].p50, r.p50), mean: Math.min(M[key].mean, r.mean), rps: Math.max(M[key].rps, r.rps), failures: M[key].failures + r.failures } : r;
    log(`M ${key}: mean ${r.mean.toFixed(2)} ms, p50 ${r.p50} ms, ${r.rps.toFixed(0)} req/s, failures ${r.failures}`);
  }
  await stop(server);
  return M;
}

const LIVE_SUBSCRIBERS = 1000;
const LIVE_CHANGES = 10;
/** L's second part: owners × distinct ranges each (under SUBSCRIPTION_RANGES_PER_OWNER's 64), 90 days long. */
const LIVE_DISTINCT_OWNERS = 4;
const LIVE_DISTINCT_RANGES = 50;
const LIVE_DISTINCT_DAYS = 90;
/** The bench's thousand sockets all come from 127.0.0.1: the per-address caps are lifted for S. */
const LIVE_ENV = { SUBSCRIPTION_SOCKETS_PER_ADDRESS: '5000', SUBSCRIPTIONS_PER_ADDRESS: '5000' };
const FREE_SLOTS_CHANGED = 'subscription Live($ownerId: ID!, $from: DateTime!, $to: DateTime!) { freeSlotsChanged(ownerId: $ownerId, from: $from, to: $to) { startsAt endsAt } }';

/**
 * L: live updates. Two Slotbook processes on one fresh database: S serves LIVE_SUBSCRIBERS
 * graphql-ws clients (one socket each, as many browser tabs would), all subscribed to one
 * owner's next 30 days (weekdays 09:00-17:00, hourly slots, as A's owners); W takes bookings.
 * Each change (a booking, then its cancellation, alternately) is sent to W; the time from sending
 * it until each subscriber has received the new list is one sample. S's RSS is read before the
 * sockets open and once every subscriber has its first list: the difference per subscriber is
 * what one costs (socket, graphql-ws and ws state, the subscription; S's slot list is shared).
 * The clients run in this process and parse every list: their CPU shares the machine's cores.
 */
async function liveUpdatesPhase() {
  const url = await databases.create('live');
  await migrate(url);
  const subscriberServer = await startSlotbook(url, LIVE_ENV);
  const writer = await startSlotbook(url);
  const { ownerId } = await liveOwner(writer);
  const range = month();
  const initial = (await graphql(writer.url, FREE_SLOTS, { ownerId, ...range })).freeSlots;
  log(`L: owner with ${initial.length} free slots in the next 30 days; opening ${LIVE_SUBSCRIBERS} subscriptions on one process`);
  await new Promise((r) => setTimeout(r, 500));
  const rssBefore = rssMiB(subscriberServer.child.pid);

  const wsUrl = `ws://127.0.0.1:${subscriberServer.port}/graphql`;
  /** Per subscriber: how many lists it got, and when the last one came. */
  const received = Array.from({ length: LIVE_SUBSCRIBERS }, () => ({ lists: 0, at: 0, size: -1 }));
  const clients = [];
  for (let i = 0; i < LIVE_SUBSCRIBERS; i++) {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    client.subscribe(
      { query: FREE_SLOTS_CHANGED, variables: { ownerId, ...range } },
      {
        next: ({ data, errors }) => {
          if (errors) throw new Error(`L: subscription failed: ${JSON.stringify(errors)}`);
          const r = received[i];
          r.lists++;
          r.at = performance.now();
          r.size = data.freeSlotsChanged.length;
        },
        error: (err) => console.error('L: subscription error', err),
        complete: () => undefined,
      },
    );
    // Opened in batches, as a crowd of pages would, without a thundering herd of handshakes.
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  const waitForAll = async (lists, what) => {
    const deadline = Date.now() + 30_000;
    while (received.some((r) => r.lists < lists)) {
      if (Date.now() > deadline) throw new Error(`L: ${received.filter((r) => r.lists < lists).length} subscribers never got ${what}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  await waitForAll(1, 'the first list');
  await new Promise((r) => setTimeout(r, 1000));
  const rssAfter = rssMiB(subscriberServer.child.pid);
  log(`L: ${LIVE_SUBSCRIBERS} subscribed; S's RSS ${rssBefore.toFixed(1)} → ${rssAfter.toFixed(1)} MiB`);

  const samples = [];
  const lastArrivals = [];
  const target = initial[Math.floor(initial.length / 2)].startsAt;
  let booking = null;
  for (let change = 0; change < LIVE_CHANGES; change++) {
    const before = performance.now();
    if (change % 2 === 0) {
      booking = (await graphql(writer.url, BOOK_SLOT, { input: { ownerId, startsAt: target, invitee: { name: 'Live', email: 'live@example.com' } } })).bookSlot;
    } else {
      await graphql(writer.url, 'mutation($id: ID!, $manageToken: String) { cancelBooking(id: $id, manageToken: $manageToken) { status } }', { id: booking.booking.id, manageToken: booking.manageToken });
    }
    await waitForAll(change + 2, `list ${change + 2}`);
    const expected = change % 2 === 0 ? initial.length - 1 : initial.length;
    if (received.some((r) => r.size !== expected)) throw new Error(`L: a subscriber's list has the wrong size after change ${change + 1}`);
    const latencies = received.map((r) => r.at - before);
    samples.push(...latencies);
    lastArrivals.push(Math.max(...latencies));
    log(`L change ${change + 1}: every subscriber had the new list after ${Math.max(...latencies).toFixed(0)} ms (p50 ${percentile(latencies, 50).toFixed(0)} ms)`);
    await new Promise((r) => setTimeout(r, 300));
  }
  await Promise.all(clients.map((c) => c.dispose()));
  const distinct = await distinctRangesPart(subscriberServer, writer);
  await stop(subscriberServer);
  await stop(writer);
  distinct.heap = await liveHeap();
  return {
    distinct,
    subscribers: LIVE_SUBSCRIBERS,
    changes: LIVE_CHANGES,
    slots: initial.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    allP50: percentile(lastArrivals, 50),
    allMax: Math.max(...lastArrivals),
    rssBefore,
    rssAfter,
    perSubscriberKiB: ((rssAfter - rssBefore) * 1024) / LIVE_SUBSCRIBERS,
  };
}

/** An owner with weekdays 09:00-17:00 from today, as A's owners. */
async function liveOwner(writer) {
  const { createOwner } = await graphql(writer.url, 'mutation($input: CreateOwnerInput!) { createOwner(input: $input) { token owner { id } } }', { input: { name: 'Live', timeZone: 'UTC' } });
  await graphql(
    writer.url,
    'mutation($input: RecurringWindowInput!) { addRecurringWindow(input: $input) { id } }',
    { input: { weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: '09:00', endTime: '17:00', startsOn: iso(day0).slice(0, 10) } },
    createOwner.token,
  );
  return { ownerId: createOwner.owner.id, token: createOwner.token };
}

/**
 * L, second part: subscriptions that share nothing. LIVE_DISTINCT_OWNERS owners, each followed
 * over LIVE_DISTINCT_RANGES distinct 90-day ranges (each starting an hour after the last), ten
 * subscriptions per socket: S's RSS before and once every one has its first list gives the memory
 * of a subscription whose list no other shares; then one booking of one owner, and the time until
 * all of that owner's subscriptions have their new list (one computation per range).
 */
async function distinctRangesPart(subscriberServer, writer) {
  const owners = [];
  for (let i = 0; i < LIVE_DISTINCT_OWNERS; i++) owners.push(await liveOwner(writer));
  await new Promise((r) => setTimeout(r, 1000));
  const rssBefore = rssMiB(subscriberServer.child.pid);
  const wsUrl = `ws://127.0.0.1:${subscriberServer.port}/graphql`;
  const total = LIVE_DISTINCT_OWNERS * LIVE_DISTINCT_RANGES;
  const received = Array.from({ length: total }, () => ({ lists: 0, at: 0, ownerId: '', first: null }));
  const clients = [];
  for (let i = 0; i < total; i++) {
    if (i % 10 === 0) clients.push(createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true }));
    const { ownerId } = owners[i % LIVE_DISTINCT_OWNERS];
    const from = day0 + DAY + Math.floor(i / LIVE_DISTINCT_OWNERS) * 3_600_000;
    received[i].ownerId = ownerId;
    clients.at(-1).subscribe(
      { query: FREE_SLOTS_CHANGED, variables: { ownerId, from: iso(from), to: iso(from + LIVE_DISTINCT_DAYS * DAY) } },
      {
        next: ({ data, errors }) => {
          if (errors) throw new Error(`L distinct: subscription failed: ${JSON.stringify(errors)}`);
          received[i].lists++;
          received[i].at = performance.now();
          received[i].first ??= data.freeSlotsChanged[0]?.startsAt;
        },
        error: (err) => console.error('L distinct: subscription error', err),
        complete: () => undefined,
      },
    );
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
  const waitFor = async (holds, what) => {
    const deadline = Date.now() + 120_000;
    while (!holds()) {
      if (Date.now() > deadline) throw new Error(`L distinct: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const subscribing = performance.now();
  await waitFor(() => received.every((r) => r.lists >= 1), 'every first list');
  const subscribeSeconds = (performance.now() - subscribing) / 1000;
  await new Promise((r) => setTimeout(r, 1500));
  const rssAfter = rssMiB(subscriberServer.child.pid);
  log(`L distinct: ${total} subscriptions of ${LIVE_DISTINCT_OWNERS * LIVE_DISTINCT_RANGES} distinct ${LIVE_DISTINCT_DAYS}-day ranges in ${subscribeSeconds.toFixed(1)} s; S's RSS ${rssBefore.toFixed(1)} → ${rssAfter.toFixed(1)} MiB`);
  const { ownerId } = owners[0];
  const mine = received.filter((r) => r.ownerId === ownerId);
  const before = performance.now();
  const startsAt = mine.map((r) => r.first).sort().at(-1);
  await graphql(writer.url, BOOK_SLOT, { input: { ownerId, startsAt, invitee: { name: 'Live', email: 'live@example.com' } } });
  await waitFor(() => mine.every((r) => r.lists >= 2), "every one of the owner's subscriptions to get the change");
  const changeMs = Math.max(...mine.map((r) => r.at)) - before;
  log(`L distinct: one booking reached all ${mine.length} ranges of its owner in ${changeMs.toFixed(0)} ms`);
  await Promise.all(clients.map((c) => c.dispose()));
  return { total, rssBefore, rssAfter, perSubscriberKiB: ((rssAfter - rssBefore) * 1024) / total, subscribeSeconds, changeMs, ranges: mine.length };
}

/** bench/live-heap.mjs in a process of its own with --expose-gc: heap growth in MiB at two counts of distinct-range subscriptions. */
async function liveHeap() {
  const child = spawn(process.execPath, ['--expose-gc', path.join(HERE, 'live-heap.mjs')], { env: { ...process.env, LIVE_HEAP_COUNTS: '60,252' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`L heap: live-heap.mjs exited with ${code}`);
  const byCount = JSON.parse(out.trim().split('\n').at(-1));
  const [low, high] = Object.keys(byCount).map(Number).sort((a, b) => a - b);
  const marginalKiB = ((byCount[high] - byCount[low]) * 1024) / (high - low);
  log(`L heap: ${low} subscriptions ${byCount[low].toFixed(1)} MiB, ${high} ${byCount[high].toFixed(1)} MiB: ${marginalKiB.toFixed(1)} KiB per subscription`);
  return { low, high, lowMiB: byCount[low], highMiB: byCount[high], marginalKiB };
}

function percentile(values, p) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** L's rows, for the full report and for live-updates.md. */
function liveRows(L) {
  return [
    `| L | freeSlotsChanged: ${L.subscribers} subscribers of one owner on one process (${L.slots} slots, 30 days), a booking or cancellation sent to another process; time from sending it until a subscriber has the new list, ${L.changes} changes | – | ${L.p50.toFixed(0)} | ${L.p99.toFixed(0)} | 0 |`,
  ];
}

function liveSummary(L) {
  return [
    `- Until **every** subscriber had the new list: median ${L.allP50.toFixed(0)} ms, worst ${L.allMax.toFixed(0)} ms over ${L.changes} changes (the contract: within 2 s).`,
    `- Memory: the subscribers' process went from ${L.rssBefore.toFixed(1)} to ${L.rssAfter.toFixed(1)} MiB RSS with ${L.subscribers} subscriptions open, about **${L.perSubscriberKiB.toFixed(1)} KiB per subscriber** (socket, ws and graphql-ws state, the subscription; the list is shared).`,
    `- Distinct ranges: ${L.distinct.total} subscriptions of ${L.distinct.total} distinct ${LIVE_DISTINCT_DAYS}-day ranges (${LIVE_DISTINCT_OWNERS} owners × ${LIVE_DISTINCT_RANGES}, ten per socket) took S from ${L.distinct.rssBefore.toFixed(1)} to ${L.distinct.rssAfter.toFixed(1)} MiB RSS, about **${L.distinct.perSubscriberKiB.toFixed(1)} KiB per subscription** whose list no other shares (all first lists in ${L.distinct.subscribeSeconds.toFixed(1)} s); one booking reached all ${L.distinct.ranges} ranges of its owner in ${L.distinct.changeMs.toFixed(0)} ms (${L.distinct.ranges} computations: at most SUBSCRIPTION_RANGES_PER_OWNER, 64, per change).`,
    `- Heap of distinct-range subscriptions (\`node --expose-gc bench/live-heap.mjs\`: server and clients in one process, full GC before and after, SQLite): ${L.distinct.heap.low} subscriptions kept ${L.distinct.heap.lowMiB.toFixed(1)} MiB, ${L.distinct.heap.high} kept ${L.distinct.heap.highMiB.toFixed(1)} MiB: **${L.distinct.heap.marginalKiB.toFixed(1)} KiB per further subscription**; the rest is the slot cache, capped at 30,000 slots whatever the count. RSS above also counts the peak of computing 200 first lists at once, which the process keeps but does not use.`,
  ];
}

/** BENCH_ONLY=L: L alone, its section of bench/results/live-updates.md (one per database). */
async function liveOnly() {
  const L = await liveUpdatesPhase();
  const heading = `## ${databases.dialect === 'postgresql' ? 'PostgreSQL' : 'SQLite file'}`;
  const section = [
    heading,
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model.trim()} (load average at start ${loadAtStart}, at end ${os.loadavg()[0].toFixed(1)}), Node ${process.version}; \`BENCH_ONLY=L npm run bench\`${databases.dialect === 'postgresql' ? ' with DATABASE_URL=postgres://…' : ''}.`,
    '',
    '| phase | what | req/s | p50 ms | p99 ms | failures |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...liveRows(L),
    '',
    ...liveSummary(L),
    '',
  ].join('\n');
  const file = path.join(HERE, 'results', 'live-updates.md');
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Live updates (phase L)\n\nThe fan-out of freeSlotsChanged (README, Live updates), one section per database, each from its own run.\n\n';
  }
  const at = text.indexOf(heading);
  const end = at < 0 ? -1 : text.indexOf('\n## ', at + heading.length);
  text = at < 0 ? `${text}${section}\n` : `${text.slice(0, at)}${section}${end < 0 ? '' : `\n${text.slice(end + 1)}`}`;
  writeFileSync(file, text);
  process.stdout.write(`\n${section}\n`);
  log('wrote bench/results/live-updates.md');
}

async function main() {
  databases = await benchDatabases(process.env.DATABASE_URL, tmp, { keep: !!process.env.BENCH_KEEP });
  log(`temporary files in ${tmp}; databases: ${databases.label}`);
  if (process.env.BENCH_ONLY === 'M') {
    await cacheMissPhase();
    return;
  }
  if (process.env.BENCH_ONLY === 'L') {
    await liveOnly();
    return;
  }
  // ---- seed the main database
  const mainUrl = await databases.create('main');
  await migrate(mainUrl);
  const seeded = await seedOwners(mainUrl, { now, owners: OWNERS });
  const mainCounts = await seedCellsAndTokens(mainUrl);
  log(`seeded ${mainCounts.owners} owners, ${mainCounts.bookings} bookings, ${mainCounts.cells} booking cells`);

  // ---- A, B, C
  const app = await startSlotbook(mainUrl);
  const owners = seeded.owners;
  const probe = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ query: FREE_SLOTS, variables: { ownerId: owners[0].id, ...month() } }),
  });
  const probeBody = Buffer.from(await probe.arrayBuffer());
  const probeSlots = JSON.parse(String(probeBody)).data.freeSlots.length;
  writeFileSync(path.join(tmp, 'response.json'), probeBody);
  log(`reference response: ${probeSlots} slots, ${probeBody.length} bytes`);
  const isSlotList = (body) => body.startsWith('{"data":{"freeSlots":[');

  // ---- P's event types and their bookings, before D's pool is drawn from what stays free.
  const policyBookings = await seedEventTypeBookings(app.url, owners, 12);
  const policyProbeSlots = (await graphql(app.url, EVENT_TYPE_SLOTS, { ownerId: owners[0].id, eventTypeId: policyBookings.eventTypes.get(owners[0].id), ...month() })).freeSlots.length;
  log(`P: an event type per owner, ${policyBookings.occupied.length} bookings of it with buffers; reference answer ${policyProbeSlots} slots`);
  const eventTypeRotation = (rangeOf) => {
    const next = ownerRotation(owners, rangeOf);
    return () => {
      const variables = next();
      return { ...variables, eventTypeId: policyBookings.eventTypes.get(variables.ownerId) };
    };
  };
  const inOccupiedSpan = (ownerId, start, end) => policyBookings.occupied.some((o) => o.ownerId === ownerId && o.start < end && start < o.end);

  // Free slots for D, shuffled; the warm-up books the first few.
  const pool = [];
  for (const owner of owners) {
    for (const s of owner.free) if (s.start > now + DAY && !inOccupiedSpan(owner.id, s.start, s.end)) pool.push({ ownerId: owner.id, startsAt: iso(s.start) });
  }
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  let taken = 0;
  const nextBooking = () => {
    const slot = pool[taken++];
    if (!slot) return null;
    const variables = { input: { ...slot, invitee: { name: 'Bench Invitee', email: `bench${taken}@example.com` } } };
    nextBooking.last = variables;
    return variables;
  };
  // Every path the load takes runs during the warm-up (lazily loaded modules, compiled operations,
  // prepared statements, the ORM's first use), so RSS after load compares steady states: growth
  // beyond that would be a leak or an unbounded cache.
  log('warm-up (3 s freeSlots, 1 s bookSlot)');
  await load({ url: app.url, seconds: 3, query: FREE_SLOTS, next: ownerRotation(owners, month) });
  await load({ url: app.url, seconds: 1, query: EVENT_TYPE_SLOTS, next: eventTypeRotation(month) });
  await load({ url: app.url, seconds: 1, query: BOOK_SLOT, next: nextBooking });
  const rssWarm = rssMiB(app.child.pid);

  const apollo = await startScript('apollo-baseline.mjs', path.join(tmp, 'response.json'));
  const bare = await startScript('bare-http.mjs', path.join(tmp, 'response.json'));
  await load({ url: apollo.url, seconds: 2, query: FREE_SLOTS, next: ownerRotation(owners, month) });
  await load({ url: bare.url, seconds: 2, query: FREE_SLOTS, next: ownerRotation(owners, month) });
  // G and H: the month of each owner as a persisted GET; registered once with its query.
  const getPaths = owners.map((o) => persistedPath({ ownerId: o.id, ...month() }));
  // G: every request a URL this process has no validator for (an unused variable makes it new),
  // so each runs Apollo's pipeline; the owners' months stay in the free-slot cache.
  let fresh = 0;
  const freshPath = (n) => persistedPath({ ownerId: owners[n % owners.length].id, ...month(), unused: `${Date.now()}-${fresh++}` });
  const registered = await fetch(`${app.url}${persistedPath({ ownerId: owners[0].id, ...month() }, true)}`, { headers: GET_HEADERS });
  if (registered.status !== 200) throw new Error(`registering the persisted query answered ${registered.status}`);
  await getLoad({ url: app.url, seconds: 1, paths: getPaths, status: 200 });
  const rounds = { A: [], P: [], B: [], C: [], T: [], G: [], K: [], H: [] };
  const phases = [
    ['A', app, FREE_SLOTS, () => ownerRotation(owners, month)],
    ['P', app, EVENT_TYPE_SLOTS, () => eventTypeRotation(month)],
    ['B', apollo, FREE_SLOTS, () => ownerRotation(owners, month)],
    ['C', bare, FREE_SLOTS, () => ownerRotation(owners, month)],
  ];
  const record = (phase, round, r) => {
    rounds[phase].push(r);
    log(`${phase} round ${round}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, failures ${r.failures}`);
  };
  for (let round = 1; round <= 2; round++) {
    for (const [phase, server, query, next] of phases) {
      if (wanted(phase)) record(phase, round, summary(await load({ url: server.url, query, next: next(), check: isSlotList })));
    }
    if (wanted('T')) record('T', round, summary(await load({ url: apollo.url, query: '{ ok }', next: () => ({}), check: (body) => body.startsWith('{"data":{"ok":true}') })));
    if (wanted('G')) record('G', round, summary(await getLoad({ url: app.url, pathOf: freshPath, status: 200 })));
    if (!wanted('K') && !wanted('H')) continue;
    await startOfMinuteWindow(2 * PHASE_SECONDS);
    const tags = await validatorsOf(app.url, getPaths);
    if (wanted('K')) record('K', round, summary(await getLoad({ url: app.url, paths: getPaths, status: 200 })));
    if (wanted('H')) record('H', round, summary(await getLoad({ url: app.url, paths: getPaths, headersOf: (p) => ({ 'if-none-match': tags.get(p) }), status: 304 })));
  }
  if (SELECTED_PHASES) {
    await stop(apollo);
    await stop(bare);
    await stop(app);
    const rps = (phase) => rounds[phase].reduce((sum, r) => sum + r.rps, 0) / rounds[phase].length;
    const ratio = (x, y) => (rounds[x]?.length && rounds[y]?.length ? [`| ${x}/${y} | ${(rps(x) / rps(y)).toFixed(2)} |`] : []);
    const table = [
      `BENCH_PHASES=${[...SELECTED_PHASES].join(',')} on ${databases.label}, ${PHASE_SECONDS} s per phase, two rounds each`,
      '',
      '| phase | req/s | p50 ms | p99 ms | failures |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...Object.entries(rounds).filter(([, rs]) => rs.length).map(([phase, rs]) => `| ${phase} | ${(rs.reduce((s, r) => s + r.rps, 0) / rs.length).toFixed(0)} | ${Math.max(...rs.map((r) => r.p50))} | ${Math.max(...rs.map((r) => r.p99))} | ${rs.reduce((s, r) => s + r.failures, 0)} |`),
      '',
      '| ratio | measured |',
      '| --- | ---: |',
      ...ratio('H', 'C'),
      ...ratio('K', 'C'),
      ...ratio('G', 'T'),
      ...ratio('A', 'B'),
    ];
    process.stdout.write(`\n${table.join('\n')}\n`);
    return;
  }
  await stop(apollo);
  await stop(bare);
  const combine = (rs) => ({
    rps: rs.reduce((s, r) => s + r.rps, 0) / rs.length,
    p50: Math.max(...rs.map((r) => r.p50)),
    p99: Math.max(...rs.map((r) => r.p99)),
    failures: rs.reduce((s, r) => s + r.failures, 0),
  });
  const A = combine(rounds.A);
  const P = combine(rounds.P);
  const B = combine(rounds.B);
  const C = combine(rounds.C);
  const T = combine(rounds.T);
  const G = combine(rounds.G);
  const H = combine(rounds.H);
  const K = combine(rounds.K);

  const A2 = summary(await load({ url: app.url, query: FREE_SLOTS, next: ownerRotation(owners, scattered), check: isSlotList }));
  log(`A' scattered ranges: ${A2.rps.toFixed(0)} req/s, p50 ${A2.p50} ms, p99 ${A2.p99} ms, failures ${A2.failures}`);

  // ---- D: bookSlot on distinct free slots (the pool was drawn before the warm-up, which took a few)
  const D = summary(await load({ url: app.url, query: BOOK_SLOT, next: nextBooking, check: (body) => body.startsWith('{"data":{"bookSlot":{') }));
  D.bookingsPerSecond = D.ok / D.seconds;
  log(`D bookSlot: ${D.ok} booked in ${D.seconds} s = ${D.bookingsPerSecond.toFixed(0)}/s, failures ${D.failures}, pool ${pool.length}`);

  // A again after the writes: the cache must follow every booking.
  const A3 = summary(await load({ url: app.url, seconds: 4, query: FREE_SLOTS, next: ownerRotation(owners, month), check: isSlotList }));
  log(`A after D: ${A3.rps.toFixed(0)} req/s, p50 ${A3.p50} ms, p99 ${A3.p99} ms, failures ${A3.failures}`);
  const rssAfter = rssMiB(app.child.pid);
  await stop(app);

  // ---- E: the engine alone, for the busiest owner
  const db = await connect(mainUrl);
  const busiest = await db.first(`select o.id, o.time_zone, o.slot_minutes from owner o join booking b on b.owner_id = o.id
    where b.status != 'CANCELLED' group by o.id order by count(*) desc limit 1`);
  const oneTime = await db.query('select starts_at, ends_at from one_time_window where owner_id = ?', [busiest.id]);
  const recurring = await db.query('select * from recurring_window where owner_id = ?', [busiest.id]);
  const exceptions = await db.query('select * from window_exception where window_id in (select id from recurring_window where owner_id = ?)', [busiest.id]);
  const busy = (await db.query(`select starts_at, ends_at from booking where owner_id = ? and status != 'CANCELLED'`, [busiest.id])).map((b) => ({ start: b.starts_at, end: b.ends_at }));
  await db.close();
  const availability = {
    oneTime: oneTime.map((w) => ({ start: w.starts_at, end: w.ends_at })),
    recurring: recurring.map((w) => ({
      rule: { frequency: w.frequency, interval: w.interval, weekdays: JSON.parse(w.weekdays), startTime: w.start_time, endTime: w.end_time, startsOn: w.starts_on, endsOn: w.ends_on, count: w.count },
      lastOccursOn: w.last_occurs_on,
      exceptions: exceptions.filter((e) => e.window_id === w.id).map((e) => ({ date: e.date, cancelled: !!e.cancelled, startsAt: e.starts_at, endsAt: e.ends_at })),
    })),
  };
  const engineQuery = (days) => ({ availability, timeZone: busiest.time_zone, slotMinutes: busiest.slot_minutes, busy, now, range: { start: day0 - 90 * DAY, end: day0 - 90 * DAY + days * DAY } });
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  const monthQ = engineQuery(30);
  const yearQ = engineQuery(365);
  bench.add('one month', () => engine.freeSlots(monthQ));
  bench.add('one year', () => engine.freeSlots(yearQ));
  // Issue 3: expansion cost must depend on the range only, not on how long ago a rule started.
  const rangeStart = day0 - 90 * DAY;
  const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
  const weekdayRuleSince = (startsOn) => ({
    oneTime: [],
    recurring: [{ rule: { frequency: 'WEEKLY', interval: 1, weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: 540, endTime: 1020, startsOn, endsOn: null, count: null }, lastOccursOn: null, exceptions: [] }],
  });
  const sinceQuery = (startsOn) => ({ availability: weekdayRuleSince(startsOn), timeZone: busiest.time_zone, slotMinutes: 60, busy: [], now: rangeStart, range: { start: rangeStart, end: rangeStart + 30 * DAY } });
  const oldRuleQ = sinceQuery(isoDay(rangeStart - 3653 * DAY));
  const newRuleQ = sinceQuery(isoDay(rangeStart - 7 * DAY));
  bench.add('one month, weekday rule started 10 years before', () => engine.freeSlots(oldRuleQ));
  bench.add('one month, weekday rule started 1 week before', () => engine.freeSlots(newRuleQ));
  await bench.run();
  const E = bench.tasks.map((t) => ({ name: t.name, hz: t.result.throughput?.mean ?? t.result.hz, mean: t.result.latency?.mean ?? t.result.mean, p99: t.result.latency?.p99 ?? t.result.p99 }));
  const meanOf = (prefix) => E.find((e) => e.name.startsWith(prefix)).mean;
  const ruleAgeRatio = meanOf('one month, weekday rule started 10 years') / meanOf('one month, weekday rule started 1 week');
  E.forEach((e) => log(`E ${e.name}: ${e.hz.toFixed(0)} ops/s, mean ${e.mean.toFixed(3)} ms (${busy.length} busy intervals)`));

  // ---- F: the same owners with ~1,000 and with ~1,000,000 bookings in the database
  const small = await databases.create('small');
  const large = await databases.create('large');
  const fOptions = { now, owners: OWNERS, pastBooked: 0, futureBooked: 0.021, seed: 7 };
  await migrate(small);
  const fOwners = (await seedOwners(small, fOptions)).owners;
  const smallCounts = await seedCellsAndTokens(small);
  await migrate(large);
  await seedOwners(large, fOptions);
  await seedFiller(large, { now, owners: FILLER_OWNERS, days: FILLER_DAYS });
  const largeCounts = await seedCellsAndTokens(large);
  log(`F: small ${smallCounts.bookings} bookings; large ${largeCounts.bookings} bookings, ${largeCounts.cells} cells`);
  const F = {};
  for (const [name, file] of [['small', small], ['large', large], ['small2', small], ['large2', large]]) {
    const server = await startSlotbook(file);
    await load({ url: server.url, seconds: 2, query: FREE_SLOTS, next: ownerRotation(fOwners, scattered) });
    const r = summary(await load({ url: server.url, seconds: PHASE_SECONDS / 2, query: FREE_SLOTS, next: ownerRotation(fOwners, scattered), check: isSlotList }));
    await stop(server);
    const key = name.replace('2', '');
    F[key] = F[key] ? combine([F[key], r]) : r;
    log(`F ${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, failures ${r.failures}`);
  }

  const M = await cacheMissPhase();
  const L = await liveUpdatesPhase();

  // ---- report
  const ratioAB = A.rps / B.rps;
  const ratioPA = P.rps / A.rps;
  const ratioAC = A.rps / C.rps;
  const ratioF = F.large.p50 / F.small.p50;
  const ratioF99 = F.large.p99 / F.small.p99;
  const rssRatio = rssAfter / rssWarm;
  const mark = (ok) => (ok ? 'met' : '**missed**');
  const f0 = (n) => n.toFixed(0);
  const f1 = (n) => n.toFixed(1);
  const f2 = (n) => n.toFixed(2);
  const lines = [
    `# Slotbook benchmark: ${databases.label}`,
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model.trim()} (load average at start ${loadAtStart}, at end ${os.loadavg()[0].toFixed(1)}: other work on the machine skews absolute numbers; the ratios compare phases run alternately), Node ${process.version}, ${CONNECTIONS} connections, ${PHASE_SECONDS} s per phase (A, P, B, C: two alternating rounds each; req/s averaged, p50/p99 the worse round).`,
    `Main database: ${mainCounts.owners} owners, ${mainCounts.bookings} bookings, ${mainCounts.cells} booking cells. freeSlots ranges are 30 days; the reference response holds ${probeSlots} slots (${probeBody.length} bytes).`,
    '',
    '| phase | what | req/s | p50 ms | p99 ms | failures |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    `| A | Slotbook freeSlots, next 30 days, owners rotating | ${f0(A.rps)} | ${A.p50} | ${A.p99} | ${A.failures} |`,
    `| P | Slotbook freeSlots of an event type (2 durations, 5 + 10 minutes of buffers, 2 h notice, 60-day horizon, 3 a day; ${policyBookings.occupied.length} bookings of it; ${policyProbeSlots} slots in the reference answer), next 30 days, owners rotating | ${f0(P.rps)} | ${P.p50} | ${P.p99} | ${P.failures} |`,
    `| B | plain Apollo Server, precomputed list of the same size | ${f0(B.rps)} | ${B.p50} | ${B.p99} | ${B.failures} |`,
    `| C | bare node:http, identical bytes | ${f0(C.rps)} | ${C.p50} | ${C.p99} | ${C.failures} |`,
    `| T | plain Apollo Server, the trivial \`{ ok }\` (the floor of Apollo's pipeline) | ${f0(T.rps)} | ${T.p50} | ${T.p99} | ${T.failures} |`,
    `| G | Slotbook freeSlots as a persisted GET (hash only), owners rotating, each URL new to the validators (Apollo's pipeline runs): 200 with an ETag | ${f0(G.rps)} | ${G.p50} | ${G.p99} | ${G.failures} |`,
    `| K | the same GETs repeated without If-None-Match: 200 from the kept JSON | ${f0(K.rps)} | ${K.p50} | ${K.p99} | ${K.failures} |`,
    `| H | the same GETs with each one's ETag in If-None-Match: 304 | ${f0(H.rps)} | ${H.p50} | ${H.p99} | ${H.failures} |`,
    `| A′ | Slotbook freeSlots, a different 30-day range per request (cache misses) | ${f0(A2.rps)} | ${A2.p50} | ${A2.p99} | ${A2.failures} |`,
    `| A″ | Slotbook freeSlots after D's writes | ${f0(A3.rps)} | ${A3.p50} | ${A3.p99} | ${A3.failures} |`,
    `| D | bookSlot, distinct free slots | ${f0(D.bookingsPerSecond)} bookings/s | ${D.p50} | ${D.p99} | ${D.failures} |`,
    ...E.map((e) => `| E | engine alone, ${e.name}, busiest owner (${busy.length} bookings) | ${f0(e.hz)} ops/s | mean ${f2(e.mean)} | ${e.p99 !== undefined ? f2(e.p99) : '–'} | – |`),
    `| F | freeSlots, ${smallCounts.bookings} bookings in the database | ${f0(F.small.rps)} | ${F.small.p50} | ${F.small.p99} | ${F.small.failures} |`,
    `| F | freeSlots, ${largeCounts.bookings} bookings in the database | ${f0(F.large.rps)} | ${F.large.p50} | ${F.large.p99} | ${F.large.failures} |`,
    ...Object.entries(M).map(([name, m]) => `| M | freeSlots cache miss, one connection, owner with ${name} in the month (mean ${f2(m.mean)} ms) | ${f0(m.rps)} | ${m.p50} | – | ${m.failures} |`),
    ...liveRows(L),
    '',
    ...liveSummary(L),
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| A/B ≥ 0.8 | ${f2(ratioAB)} | ${mark(ratioAB >= 0.8)} |`,
    `| P/A ≥ 0.8 (event type policies cost little beside Part 1) | ${f2(ratioPA)} | ${mark(ratioPA >= 0.8)} |`,
    `| A/C ≥ 0.5 (stretch) | ${f2(ratioAC)} | ${mark(ratioAC >= 0.5)} |`,
    `| H/C ≥ 0.5 (304s against bare node:http sending the list) | ${f2(H.rps / C.rps)} | ${mark(H.rps / C.rps >= 0.5)} |`,
    `| G/T ≥ 0.6 (a persisted GET against Apollo's trivial query) | ${f2(G.rps / T.rps)} | ${mark(G.rps / T.rps >= 0.6)} |`,
    `| G/B (for the profile: plain Apollo sending the same 129-slot list, the part of T's gap that is the list itself) | ${f2(G.rps / B.rps)} | – |`,
    `| K/C (kept JSON against bare node:http sending the same bytes) | ${f2(K.rps / C.rps)} | – |`,
    `| p99 of A ≤ 50 ms | ${A.p99} ms | ${mark(A.p99 <= 50)} |`,
    `| p99 of A ≤ 20 ms when C ≥ 25,000 req/s (issue 17) | ${A.p99} ms, C ${f0(C.rps)} req/s | ${C.rps >= 25_000 ? mark(A.p99 <= 20) : `not judged: C below 25,000 req/s (${mark(A.p99 <= 20)} anyway)`} |`,
    `| A/B ≥ 1.0 (issue 17) | ${f2(ratioAB)} | ${mark(ratioAB >= 1)} |`,
    `| D ≥ 500 bookings/s, 0 failures | ${f0(D.bookingsPerSecond)}/s, ${D.failures} failures | ${mark(D.bookingsPerSecond >= 500 && D.failures === 0)} |`,
    `| F latency ratio (p50 large/small) ≤ 1.2 | ${f2(ratioF)} (p99: ${f2(ratioF99)}) | ${mark(ratioF <= 1.2)} |`,
    `| rule age: 10-year-old rule / week-old rule, engine time for one month (issue 3: ≈ 1) | ${f2(ruleAgeRatio)} | ${mark(ruleAgeRatio <= 1.2)} |`,
    `| RSS after load ≤ 1.5× after warm-up (3 s freeSlots, 1 s bookSlot) | ${f1(rssWarm)} → ${f1(rssAfter)} MiB (${f2(rssRatio)}×) | ${mark(rssRatio <= 1.5)} |`,
    '',
    `Whole run: ${f0((Date.now() - started) / 1000)} s. Reproduce with \`npm run bench\` (BENCH_PHASE_SECONDS shortens or lengthens phases).`,
    '',
  ];
  const report = lines.join('\n');
  mkdirSync(path.join(HERE, 'results'), { recursive: true });
  const reportFile = REPORT_FILE[databases.dialect];
  writeFileSync(path.join(HERE, 'results', reportFile), report);
  process.stdout.write(`\n${report}\n`);
  log(`wrote bench/results/${reportFile}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    if (databases) await databases.dispose().catch((err) => console.error('could not drop the bench databases:', err));
    if (!process.env.BENCH_KEEP) rmSync(tmp, { recursive: true, force: true });
  });
