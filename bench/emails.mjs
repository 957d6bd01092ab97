// `npm run bench:emails` (docs/api.md Part 3, 27; issue 22's targets), on SQLite files:
// 1. bookSlot throughput with emails sent (SMTP_URL at a local smtp-server) vs without SMTP_URL
//    (recorded NOT_SENT, nothing leaves the machine), alternating rounds, each a fresh server:
//    an email is a row written by the booking's own statement, not a network call in the request.
// 2. An outbox of 10,000 due emails drains to the local SMTP server: emails/s, and the process's
//    RSS before and after. Writes bench/results/emails.md.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const sqlite3 = require('sqlite3');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 6);
const WORKERS = 16;
const DRAIN = Number(process.env.BENCH_EMAIL_DRAIN ?? 10_000);
// BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there (open it in Chrome's DevTools).
const PROFILE = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'slotbook-bench-emails-'));
const log = (msg) => process.stdout.write(`${msg}\n`);

const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

/** The SMTP sink (bench/servers/smtp-sink.mjs) in a process of its own; `state` follows its counts. */
async function smtpServer() {
  const state = { count: 0, connections: 0 };
  const child = fork(path.join(HERE, 'servers', 'smtp-sink.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise((resolve) => child.once('message', (m) => resolve(m.port)));
  child.on('message', (m) => Object.assign(state, m));
  return { url: `smtp://127.0.0.1:${port}`, state, close: () => new Promise((r) => { child.once('exit', r); child.disconnect(); }) };
}

async function gql(url, query, variables, token) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

async function startServer(name, env) {
  const port = await freePort();
  const file = path.join(tmp, `${name}.sqlite`);
  const child = spawn(process.execPath, [...PROFILE, path.join(ROOT, 'dist', 'main.js')], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', RATE_LIMITS: 'off', ...env }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, file, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** bookSlot for SECONDS from WORKERS clients, each booking its own slots of a 5-minute-slot owner; returns bookings/s. */
async function bookingRate(server) {
  const owner = (await gql(server.url, 'mutation($i: CreateOwnerInput!) { createOwner(input: $i) { token owner { id } } }', { i: { name: 'Bench', timeZone: 'UTC', slotMinutes: 5, email: 'owner@example.com' } })).data.createOwner;
  const from = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 86_400_000;
  await gql(server.url, 'mutation($i: OneTimeWindowInput!) { addOneTimeWindow(input: $i) { id } }', { i: { startsAt: new Date(from).toISOString(), endsAt: new Date(from + 200 * 86_400_000).toISOString() } }, owner.token);
  let next = 0;
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (Date.now() < until) {
      const startsAt = new Date(from + next++ * 300_000).toISOString();
      const r = await gql(server.url, 'mutation($i: BookSlotInput!) { bookSlot(input: $i) { booking { id } } }', { i: { ownerId: owner.owner.id, startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } });
      if (r.data?.bookSlot) done++;
    }
  }));
  return done / SECONDS;
}

const smtp = await smtpServer();
const rounds = { off: [], on: [] };
const sentDuring = [];
const ROUNDS = Number(process.env.BENCH_EMAIL_ROUNDS ?? 2);
// A first server and round measured nothing but a cold start (files, JIT): 288/s against 416/s
// in the same run. One round of each mode is run first and dropped.
for (const mode of ['off', 'on']) {
  const server = await startServer(`warm-${mode}`, mode === 'on' ? { SMTP_URL: smtp.url } : {});
  await bookingRate(server);
  await server.stop();
}
for (let round = 1; round <= ROUNDS; round++) {
  for (const mode of ['off', 'on']) {
    const server = await startServer(`${mode}-${round}`, mode === 'on' ? { SMTP_URL: smtp.url } : {});
    const sentBefore = smtp.state.count;
    const rate = await bookingRate(server);
    rounds[mode].push(rate);
    // Emails reaching the SMTP server while bookings ran: they go out meanwhile, not only after.
    if (mode === 'on') sentDuring.push((smtp.state.count - sentBefore) / SECONDS);
    log(`bookSlot, emails ${mode}, round ${round}: ${rate.toFixed(0)}/s${mode === 'on' ? `, ${sentDuring.at(-1).toFixed(0)} emails/s sent meanwhile` : ''}`);
    await server.stop();
  }
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ratio = mean(rounds.on) / mean(rounds.off);

// The drain: 10,000 due emails about one real booking, inserted beside a running server.
const drain = await startServer('drain', { SMTP_URL: smtp.url });
const owner = (await gql(drain.url, 'mutation($i: CreateOwnerInput!) { createOwner(input: $i) { token owner { id } } }', { i: { name: 'Drain', timeZone: 'UTC' } })).data.createOwner;
const from = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 86_400_000;
await gql(drain.url, 'mutation($i: OneTimeWindowInput!) { addOneTimeWindow(input: $i) { id } }', { i: { startsAt: new Date(from).toISOString(), endsAt: new Date(from + 86_400_000).toISOString() } }, owner.token);
await gql(drain.url, 'mutation($i: BookSlotInput!) { bookSlot(input: $i) { booking { id } } }', { i: { ownerId: owner.owner.id, startsAt: new Date(from).toISOString(), invitee: { name: 'Grace', email: 'grace@example.com' } } });
while (smtp.state.count < 1) await new Promise((r) => setTimeout(r, 20));
const rssBefore = rssMb(drain.child.pid);
const sentBefore = smtp.state.count;
const db = new sqlite3.Database(drain.file);
const run = (sql) => new Promise((resolve, reject) => db.run(sql, (err) => (err ? reject(err) : resolve())));
const t0 = Date.now();
await run(`with recursive n(k) as (select 1 union all select k + 1 from n where k < ${DRAIN})
  insert into email (id, owner_id, booking_id, kind, to_address, to_name, time_zone, starts_at, ends_at, sequence, status, attempts, due_at, created_at)
  select lower(hex(randomblob(16))), e.owner_id, e.booking_id, 'BOOKING_CONFIRMED', 'i' || n.k || '@example.com', 'Invitee ' || n.k, 'UTC', e.starts_at, e.ends_at, 0, 'PENDING', 0, ${Date.now()}, ${Date.now()}
  from n, (select * from email limit 1) e`);
db.close();
await fetch(drain.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
while (smtp.state.count < sentBefore + DRAIN) await new Promise((r) => setTimeout(r, 50));
const seconds = (Date.now() - t0) / 1000;
log(`SMTP connections so far: ${smtp.state.connections}`);
const rssAfter = rssMb(drain.child.pid);
await drain.stop();
await smtp.close();
rmSync(tmp, { recursive: true, force: true });

const lines = [
  '# Emails (bench/emails.mjs)',
  '',
  `Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model.trim()}, Node ${process.version}, SQLite files, ${WORKERS} clients, ${SECONDS} s per round, rounds alternating after one dropped warm-up round of each.`,
  '',
  '| measure | value |',
  '|---|---|',
  `| bookSlot/s, emails off (no SMTP_URL: recorded NOT_SENT) | ${rounds.off.map((r) => r.toFixed(0)).join(', ')} |`,
  `| bookSlot/s, emails on (SMTP_URL: a local smtp-server) | ${rounds.on.map((r) => r.toFixed(0)).join(', ')} |`,
  `| on / off | ${ratio.toFixed(2)} (target ≥ 0.9) |`,
  `| emails sent while bookings ran (each booking makes 2) | ${sentDuring.map((r) => r.toFixed(0)).join(', ')} /s |`,
  `| ${DRAIN} due emails drained | ${seconds.toFixed(1)} s, ${(DRAIN / seconds).toFixed(0)} emails/s |`,
  `| RSS before / after the drain | ${rssBefore.toFixed(0)} MB / ${rssAfter.toFixed(0)} MB |`,
];
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(path.join(HERE, 'results', 'emails.md'), `${lines.join('\n')}\n`);
log(lines.join('\n'));
