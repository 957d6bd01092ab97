// `npm run bench:accounts` (docs/api.md Part 3, 32-33; issue 24's targets), one server on a SQLite file:
// 1. login with a wrong email vs a wrong password, alternating, sequential: median times, which
//    must lie within 10 % of each other (an unknown email still costs one scrypt hash).
// 2. An owner-only read (me with its windows, upcomingBookings) with an access token (and the
//    Slotbook-Calendar header) vs with the calendar's owner token, alternating rounds of
//    WORKERS concurrent clients: requests/s, access ≥ 0.9 × owner token.
// Writes bench/results/accounts.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const LOGINS = Number(process.env.BENCH_LOGINS ?? 40);
const SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 3);
const ROUNDS = 3;
const WORKERS = 8;
const PASSWORD = 'correct horse battery';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'slotbook-bench-accounts-'));
const log = (msg) => process.stdout.write(`${msg}\n`);

const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

async function gql(url, query, variables, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

async function startServer() {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${path.join(tmp, 'accounts.sqlite')}`, LOG_LEVEL: 'silent', RATE_LIMITS: 'off' }, stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
const READ = 'query { me { id windows { id } } upcomingBookings(first: 10) { edges { node { id } } } }';

async function timedLogin(url, email, password) {
  const start = process.hrtime.bigint();
  const body = await gql(url, LOGIN, { e: email, p: password });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (body.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED') throw new Error(`expected UNAUTHENTICATED, got ${JSON.stringify(body)}`);
  return ms;
}

async function readRate(url, headers) {
  let count = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (Date.now() < until) {
      const body = await gql(url, READ, {}, headers);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      count++;
    }
  }));
  return count / SECONDS;
}

const server = await startServer();
try {
  const email = 'bench@example.com';
  const session = (await gql(server.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email, password: PASSWORD, name: 'Bench' } })).data.register;
  const other = (await gql(server.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email: 'other@example.com', password: PASSWORD, name: 'Other' } })).data.register;
  // Two calendars, so the access token must name one with the header (the full path of docs/api.md, Part 3, 33).
  const calendar = (await gql(server.url, 'mutation($i: CreateOwnerInput!) { createOwner(input: $i) { token owner { id } } }', { i: { name: 'Bench', timeZone: 'UTC' } })).data.createOwner;
  await gql(server.url, 'mutation($t: String!) { claimCalendar(ownerToken: $t) { id } }', { t: calendar.token }, { authorization: `Bearer ${session.accessToken}` });
  await gql(server.url, 'mutation { createCalendar(input: { name: "Second", timeZone: "UTC" }) { id } }', {}, { authorization: `Bearer ${session.accessToken}` });
  void other;
  for (let i = 0; i < 5; i++) await gql(server.url, 'mutation($i: OneTimeWindowInput!) { addOneTimeWindow(input: $i) { id } }', { i: { startsAt: `2031-01-0${i + 1}T09:00:00Z`, endsAt: `2031-01-0${i + 1}T12:00:00Z` } }, { authorization: `Bearer ${calendar.token}` });

  // 1. Wrong email vs wrong password, alternating so both see the same machine state.
  for (let i = 0; i < 4; i++) await timedLogin(server.url, `warm${i}@example.com`, PASSWORD);
  const wrongEmail = [];
  const wrongPassword = [];
  for (let i = 0; i < LOGINS; i++) {
    wrongEmail.push(await timedLogin(server.url, `nobody${i}@example.com`, PASSWORD));
    wrongPassword.push(await timedLogin(server.url, email, `wrong password ${i}`));
  }
  const emailMs = median(wrongEmail);
  const passwordMs = median(wrongPassword);
  const loginRatio = emailMs / passwordMs;

  // 2. Owner-only reads, alternating rounds.
  const byAccess = { authorization: `Bearer ${session.accessToken}`, 'slotbook-calendar': calendar.owner.id };
  const byOwnerToken = { authorization: `Bearer ${calendar.token}` };
  await readRate(server.url, byAccess);
  await readRate(server.url, byOwnerToken);
  const access = [];
  const owner = [];
  for (let r = 0; r < ROUNDS; r++) {
    access.push(await readRate(server.url, byAccess));
    owner.push(await readRate(server.url, byOwnerToken));
  }
  const accessRate = median(access);
  const ownerRate = median(owner);
  const readRatio = accessRate / ownerRate;

  const lines = [
    '# Accounts bench (`npm run bench:accounts`)',
    '',
    `login, ${LOGINS} each, sequential, median: wrong email ${emailMs.toFixed(1)} ms, wrong password ${passwordMs.toFixed(1)} ms, ratio ${loginRatio.toFixed(3)} (target 0.9-1.1)`,
    `owner-only read (me + windows + upcomingBookings), ${WORKERS} clients, median of ${ROUNDS} rounds of ${SECONDS} s: access token + header ${accessRate.toFixed(0)}/s, owner token ${ownerRate.toFixed(0)}/s, ratio ${readRatio.toFixed(3)} (target >= 0.9)`,
    '',
  ];
  mkdirSync(path.join(HERE, 'results'), { recursive: true });
  writeFileSync(path.join(HERE, 'results', 'accounts.md'), lines.join('\n'));
  log(lines.join('\n'));
  if (loginRatio < 0.9 || loginRatio > 1.1 || readRatio < 0.9) process.exitCode = 1;
} finally {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
