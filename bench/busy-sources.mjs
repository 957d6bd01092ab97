// `npm run bench:busy-sources` (docs/api.md Part 3, 28-30; issue 23's two figures), on SQLite
// files, or with DATABASE_URL=postgres://… on fresh databases of that server:
// 1. freeSlots over HTTP (dist/main.js, autocannon) for an owner with 10 ICS sources against an
//    identical owner with none, in alternating rounds of one run. The feeds (bench/busy-feed.mjs,
//    300 events each with weekly and daily series, EXDATEs, a VTIMEZONE, no ETag) come from a
//    process of their own (bench/servers/ics-feeds.mjs); CALENDAR_SYNC_SECONDS is short so every
//    source is downloaded, expanded and replaced several times during the measured rounds, and
//    one source hangs (accepts, never answers) for 20 s in the middle of them. Every request asks
//    a range no earlier one asked (from moves by 5 minutes): all are cache misses.
// 2. The sync of a 10,000-event feed on a fresh server: wall seconds from addCalendarSource to
//    OK (the background sync), then a syncCalendarSource of the unchanged feed, the server's peak
//    RSS (VmHWM) and the busy intervals stored.
// Writes bench/results/busy-sources.md (busy-sources-postgresql.md on PostgreSQL).
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDatabases, migrate } from './seed.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const DAY = 86_400_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SYNC_SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 5);
const HANG_MS = 20_000;
/** The round whose start the hang begins with: the middle of the measured window. */
const HANG_ROUND = Math.max(0, Math.floor(ROUNDS / 2) - Math.round(HANG_MS / 2 / (2 * ROUND_SECONDS * 1000)));
// BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there (open it in Chrome's DevTools).
const PROFILE = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const FREE_SLOTS = 'query($ownerId: ID!, $from: DateTime!, $to: DateTime!) { freeSlots(ownerId: $ownerId, from: $from, to: $to) { startsAt endsAt } }';
const SOURCES = 'query($id: ID!) { owner(id: $id) { calendarSources { id status busyIntervals lastError lastSyncedAt } } }';
const loadAtStart = os.loadavg().map((l) => l.toFixed(1)).join(' ');
const log = (msg) => process.stdout.write(`${msg}\n`);
const iso = (ms) => new Date(ms).toISOString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = Date.now();
const day0 = Math.floor(now / DAY) * DAY;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'slotbook-bench-sources-'));
const servers = new Set();

const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const procStatus = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** The feed server (bench/servers/ics-feeds.mjs) in its own process. */
async function feedServer() {
  const child = fork(path.join(HERE, 'servers', 'ics-feeds.mjs'), [String(now)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port, bytes } = await new Promise((resolve) => child.once('message', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    bytes,
    hang: (ms) => child.send({ hang: ms }),
    stats: () => new Promise((resolve) => { child.once('message', (m) => resolve(m.stats)); child.send({ stats: true }); }),
    close: () => new Promise((r) => { child.once('exit', r); child.disconnect(); }),
  };
}

async function startServer(databaseUrl, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [...PROFILE, path.join(ROOT, 'dist', 'main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMITS: 'off', CALENDAR_ALLOW_PRIVATE_URLS: 'true', SECRET_KEY: 'bench-secret-key', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server = { child, url: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => { servers.delete(server); child.once('exit', r); child.kill('SIGTERM'); }) };
  servers.add(server);
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${server.url}/health`)).ok) return server; } catch { /* starting */ }
    await sleep(100);
  }
  throw new Error('slotbook did not become healthy');
}

async function gql(server, query, variables, token) {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors[0])}`);
  return body.data;
}

/** An owner in Europe/Berlin, hourly slots on weekdays 09:00-17:00 (as the feeds' person works). */
async function createOwner(server, name) {
  const { createOwner } = await gql(server, 'mutation($i: CreateOwnerInput!) { createOwner(input: $i) { token owner { id } } }', { i: { name, timeZone: 'Europe/Berlin', slotMinutes: 60 } });
  await gql(server, 'mutation($i: RecurringWindowInput!) { addRecurringWindow(input: $i) { id } }', { i: { weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: '09:00', endTime: '17:00', startsOn: iso(day0 - DAY).slice(0, 10) } }, createOwner.token);
  return { id: createOwner.owner.id, token: createOwner.token };
}

const addSource = (server, owner, url) => gql(server, 'mutation($i: CalendarSourceInput!) { addCalendarSource(input: $i) { id } }', { i: { kind: 'ICS', url } }, owner.token);
const sourcesOf = async (server, owner) => (await gql(server, SOURCES, { id: owner.id }, owner.token)).owner.calendarSources;

async function untilSynced(server, owner, count, everyMs = 100) {
  for (;;) {
    const sources = await sourcesOf(server, owner);
    if (sources.length === count && sources.every((s) => s.status !== 'SYNCING')) return sources;
    await sleep(everyMs);
  }
}

/** The p-th percentile (nearest rank) of ascending `sorted`, in ms to 0.1. */
const percentile = (sorted, p) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 10) / 10;

/** freeSlots of `owner` for ROUND_SECONDS from CONNECTIONS clients; every latency kept. */
function round(server, ownerId, ranges) {
  const latencies = [];
  let failures = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: `${server.url}/graphql`,
      connections: CONNECTIONS,
      duration: ROUND_SECONDS,
      requests: [{
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: FREE_SLOTS, variables: { ownerId, ...ranges() } }) }),
        onResponse: (status, body) => { if (status !== 200 || !body.startsWith('{"data":{"freeSlots":[')) failures++; },
      }],
    }, (err, result) => (err ? reject(err) : resolve({ latencies, failures: failures + result.errors + result.timeouts, seconds: result.duration })));
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

/** Distinct week-long ranges, from moving by 5 minutes: no answer is in the cache. */
function rangesFrom(start) {
  let i = 0;
  return () => {
    const from = start + (i++ % 25_000) * 300_000;
    return { from: iso(from), to: iso(from + 7 * DAY) };
  };
}

async function readsPart(databaseUrl, feeds) {
  const server = await startServer(databaseUrl, { CALENDAR_SYNC_SECONDS: String(SYNC_SECONDS) });
  const withSources = await createOwner(server, 'With sources');
  const without = await createOwner(server, 'Without sources');
  for (let n = 0; n < 10; n++) await addSource(server, withSources, `${feeds.url}/feed-${n}.ics`);
  const first = await untilSynced(server, withSources, 10);
  const busy = first.reduce((sum, s) => sum + s.busyIntervals, 0);
  log(`10 sources synced: ${first.map((s) => s.status).join(' ')}, ${busy} busy intervals stored`);
  const owners = { sources: { id: withSources.id, ranges: rangesFrom(day0 + DAY) }, none: { id: without.id, ranges: rangesFrom(day0 + DAY) } };
  // Warm-up: JIT and connection pools, the same for both.
  for (const o of Object.values(owners)) await round(server, o.id, rangesFrom(day0 + 200 * DAY));
  const before = await feeds.stats();
  const all = { sources: [], none: [] };
  const rounds = [];
  const measuredFrom = Date.now();
  let hangStartedAt = null;
  for (let r = 0; r < ROUNDS; r++) {
    if (r === HANG_ROUND) {
      feeds.hang(HANG_MS);
      hangStartedAt = Date.now();
    }
    // ABBA order: drift in the machine's load falls on both alike.
    const order = r % 2 === 0 ? ['sources', 'none'] : ['none', 'sources'];
    for (const name of order) {
      const startedAt = Date.now();
      const { latencies, failures, seconds } = await round(server, owners[name].id, owners[name].ranges);
      const sorted = [...latencies].sort((a, b) => a - b);
      const hanging = hangStartedAt !== null && startedAt < hangStartedAt + HANG_MS;
      rounds.push({ round: r + 1, name, rps: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), failures, hanging });
      all[name].push(...latencies);
      log(`round ${r + 1} ${name.padEnd(7)} ${(latencies.length / seconds).toFixed(0).padStart(5)} req/s  p50 ${percentile(sorted, 50)} ms  p99 ${percentile(sorted, 99)} ms  failures ${failures}${hanging ? '  (feed-0 hanging)' : ''}`);
    }
  }
  const measuredSeconds = (Date.now() - measuredFrom) / 1000;
  const after = await feeds.stats();
  const sources = await sourcesOf(server, withSources);
  await server.stop();
  const summary = (name) => {
    const sorted = [...all[name]].sort((a, b) => a - b);
    const seconds = rounds.filter((r) => r.name === name).length * ROUND_SECONDS;
    return { rps: sorted.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), requests: sorted.length, failures: rounds.filter((r) => r.name === name).reduce((s, r) => s + r.failures, 0) };
  };
  const syncs = Object.fromEntries(Object.keys(after).filter((p) => p.startsWith('/feed-')).map((p) => [p, after[p].requests - before[p].requests]));
  return { rounds, sources: summary('sources'), none: summary('none'), busy, syncs, hung: after['/feed-0.ics'].hung, measuredSeconds, after: sources };
}

async function syncPart(databaseUrl, feeds) {
  const server = await startServer(databaseUrl, { CALENDAR_SYNC_SECONDS: '3600' });
  const owner = await createOwner(server, 'Big calendar');
  await sleep(500);
  const pid = server.child.pid;
  const base = { rss: procStatus(pid, 'VmRSS'), hwm: procStatus(pid, 'VmHWM') };
  let peak = base.rss;
  const sampler = setInterval(() => { peak = Math.max(peak, procStatus(pid, 'VmRSS')); }, 10);
  const t0 = performance.now();
  const { addCalendarSource } = await addSource(server, owner, `${feeds.url}/big.ics`);
  const [first] = await untilSynced(server, owner, 1, 20);
  const firstSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const again = (await gql(server, 'mutation($id: ID!) { syncCalendarSource(id: $id) { status busyIntervals lastError } }', { id: addCalendarSource.id }, owner.token)).syncCalendarSource;
  const againSeconds = (performance.now() - t1) / 1000;
  clearInterval(sampler);
  const result = { first, again, firstSeconds, againSeconds, base, peak, hwm: procStatus(pid, 'VmHWM'), rssAfter: procStatus(pid, 'VmRSS') };
  await server.stop();
  return result;
}

let databases;
let feeds;
try {
  databases = await benchDatabases(process.env.DATABASE_URL, tmp, {});
  feeds = await feedServer();
  log(`feeds: ${Object.entries(feeds.bytes).map(([p, b]) => `${p} ${(b / 1024).toFixed(0)} KB`).join(', ')}`);
  const readsUrl = await databases.create('sources');
  await migrate(readsUrl);
  const reads = await readsPart(readsUrl, feeds);
  const syncUrl = await databases.create('bigsync');
  await migrate(syncUrl);
  const sync = await syncPart(syncUrl, feeds);
  const loadAtEnd = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const rpsRatio = reads.sources.rps / reads.none.rps;
  const p99Ratio = reads.sources.p99 / reads.none.p99;
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  const lines = [
    `# Busy time from 10 calendar sources (bench/busy-sources.mjs, ${databases.label})`,
    '',
    `Run ${iso(Date.now())} on ${os.cpus().length}× ${os.cpus()[0]?.model.trim()}, Node ${process.version}. Load average (1, 5, 15 min) ${loadAtStart} at the start, ${loadAtEnd} at the end: the cores are shared with other work, so the machine is loaded.`,
    '',
    '## 1. freeSlots with 10 sources (one hanging 20 s) vs none',
    '',
    `${ROUNDS} rounds of ${ROUND_SECONDS} s per owner, alternating (ABBA), ${CONNECTIONS} autocannon connections, every request a cache miss (a week from a start 5 minutes later than the last). Owners in Europe/Berlin, hourly slots on weekdays 09:00-17:00. The 10 feeds (${(feeds.bytes['/feed-0.ics'] / 1024).toFixed(0)}-${(Math.max(...Object.entries(feeds.bytes).filter(([p]) => p.startsWith('/feed-')).map(([, b]) => b)) / 1024).toFixed(0)} KB, 300 events each) held ${reads.busy} busy intervals after their first sync; CALENDAR_SYNC_SECONDS=${SYNC_SECONDS}, no ETag, so during the ${reads.measuredSeconds.toFixed(0)} s measured the feeds were downloaded ${Object.values(reads.syncs).reduce((a, b) => a + b, 0)} times (${Object.values(reads.syncs).join(', ')}), each a full expansion and replacement. /feed-0.ics hung (accepted, never answered) for ${HANG_MS / 1000} s from the start of round ${HANG_ROUND + 1}; ${reads.hung} requests hung in all.`,
    '',
    '| round | owner | req/s | p50 ms | p99 ms | failures |',
    '|---|---|---|---|---|---|',
    ...reads.rounds.map((r) => `| ${r.round}${r.hanging ? ' (feed-0 hanging)' : ''} | ${r.name === 'sources' ? '10 sources' : 'none'} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.failures} |`),
    '',
    '| over all rounds | 10 sources | none | ratio | target |',
    '|---|---|---|---|---|',
    `| req/s | ${reads.sources.rps.toFixed(0)} | ${reads.none.rps.toFixed(0)} | ${rpsRatio.toFixed(2)} | ≥ 0.9: ${verdict(rpsRatio >= 0.9)} |`,
    `| p99 ms | ${reads.sources.p99} | ${reads.none.p99} | ${p99Ratio.toFixed(2)} | ≤ 1.2: ${verdict(p99Ratio <= 1.2)} |`,
    `| p50 ms | ${reads.sources.p50} | ${reads.none.p50} | ${(reads.sources.p50 / reads.none.p50).toFixed(2)} | |`,
    `| requests (failures) | ${reads.sources.requests} (${reads.sources.failures}) | ${reads.none.requests} (${reads.none.failures}) | | |`,
    '',
    `Sources after the run: ${reads.after.map((s) => `${s.status}${s.lastError ? ` (${s.lastError})` : ''}`).join(', ')}.`,
    '',
    '## 2. Sync of a 10,000-event feed',
    '',
    `/big.ics: ${(feeds.bytes['/big.ics'] / 1024 / 1024).toFixed(1)} MB, 10,000 VEVENTs in Europe/Berlin (VTIMEZONE): 75% single events over two years back and one ahead, 15% weekly series (half open, half with UNTIL, two EXDATEs each), 5% daily series of 5-20, 5% cancelled or transparent. A fresh server (CALENDAR_SYNC_SECONDS=3600).`,
    '',
    '| measure | value |',
    '|---|---|',
    `| addCalendarSource → status ${sync.first.status} (background sync, polled every 20 ms) | ${sync.firstSeconds.toFixed(2)} s |`,
    `| syncCalendarSource again (download, expand; the same set: nothing written) | ${sync.againSeconds.toFixed(2)} s, ${sync.again.status} |`,
    `| busy intervals stored | ${sync.first.busyIntervals} (${sync.again.busyIntervals} after the second) |`,
    `| server RSS before / peak (sampled every 10 ms) / after | ${sync.base.rss.toFixed(0)} / ${sync.peak.toFixed(0)} / ${sync.rssAfter.toFixed(0)} MiB |`,
    `| server VmHWM before / after (peak RSS of the process's life) | ${sync.base.hwm.toFixed(0)} / ${sync.hwm.toFixed(0)} MiB |`,
  ];
  mkdirSync(path.join(HERE, 'results'), { recursive: true });
  const file = databases.dialect === 'postgresql' ? 'busy-sources-postgresql.md' : 'busy-sources.md';
  writeFileSync(path.join(HERE, 'results', file), `${lines.join('\n')}\n`);
  log(`\n${lines.join('\n')}`);
} finally {
  for (const server of [...servers]) await server.stop();
  await feeds?.close();
  await databases?.dispose();
  rmSync(tmp, { recursive: true, force: true });
}
