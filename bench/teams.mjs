// `npm run bench:teams` (docs/api.md Part 3, 36-37; issue 25): what a team's slots and a
// round-robin booking cost next to single calendars. In process (createApp from dist/, Apollo's
// executeOperation, one request at a time). Members: UTC calendars, hourly slots, a recurring
// window Monday to Friday 09-17. Every slot request asks a month from an instant no earlier one
// asked (from moves by 5 minutes), so each is a cache miss. DATABASE_URL=postgres://… runs it
// on PostgreSQL.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DAY, benchDatabases, migrate } from './seed.mjs';

const require = createRequire(import.meta.url);
const { createApp } = require('../dist/app.js');

const SIZES = [10, 50];
const REQUESTS = Number(process.env.BENCH_TEAMS_REQUESTS ?? 40);
const BOOKINGS = Number(process.env.BENCH_TEAMS_BOOKINGS ?? 150);
const log = (msg) => process.stdout.write(`${msg}\n`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'slotbook-bench-teams-'));
const databases = await benchDatabases(process.env.DATABASE_URL, tmp, {});
const url = await databases.create('teams');
await migrate(url);
const app = await createApp({ databaseUrl: url, webhooks: 'off', emails: 'off' });

async function run(query, variables, token = null, calendar = undefined) {
  const response = await app.server.executeOperation({ query, variables }, { contextValue: app.contextFor(token, undefined, calendar) });
  const result = response.body.kind === 'single' ? response.body.singleResult : null;
  if (!result || result.errors) throw new Error(`failed: ${JSON.stringify(result?.errors ?? response.body)}`);
  return result.data;
}

const from = Math.ceil(Date.now() / DAY) * DAY + DAY;
const iso = (ms) => new Date(ms).toISOString();

try {
  const { register } = await run('mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email: 'bench@example.com', password: 'correct horse battery', name: 'Bench' } });
  const account = register.accessToken;
  const results = [];
  for (const size of SIZES) {
    const members = [];
    for (let i = 0; i < size; i++) {
      const { createCalendar } = await run('mutation($i: CreateOwnerInput!) { createCalendar(input: $i) { id } }', { i: { name: `M${size}-${i}`, timeZone: 'UTC', slotMinutes: 60 } }, account);
      members.push(createCalendar.id);
      await run('mutation($i: RecurringWindowInput!) { addRecurringWindow(input: $i) { id } }', { i: { weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: '09:00', endTime: '17:00', startsOn: iso(from).slice(0, 10) } }, account, createCalendar.id);
    }
    const { createTeam } = await run('mutation($i: TeamInput!) { createTeam(input: $i) { id } }', { i: { name: `Team ${size}`, slug: `team-${size}` } }, account);
    for (const calendarId of members) await run('mutation($t: ID!, $c: ID!) { addTeamMember(teamId: $t, calendarId: $c) { weight } }', { t: createTeam.id, c: calendarId }, account);
    await run('mutation($t: ID!, $i: EventTypeInput!) { createTeamEventType(teamId: $t, schedulingType: ROUND_ROBIN, input: $i) { id } }', { t: createTeam.id, i: { slug: "rr", title: "RR" } }, account);

    let k = 0;
    const range = () => {
      const start = from + (k++ % 2000) * 300_000;
      return { from: iso(start), to: iso(start + 30 * DAY) };
    };
    const TEAM = 'query($from: DateTime!, $to: DateTime!, $s: String!) { teamFreeSlots(teamSlug: $s, eventTypeSlug: "rr", from: $from, to: $to) { startsAt } }';
    const SINGLE = 'query($id: ID!, $from: DateTime!, $to: DateTime!) { freeSlots(ownerId: $id, from: $from, to: $to) { startsAt } }';
    const best = { team: Infinity, singles: Infinity };
    for (let round = 0; round < 2; round++) {
      let started = process.hrtime.bigint();
      for (let r = 0; r < REQUESTS; r++) await run(TEAM, { ...range(), s: `team-${size}` });
      best.team = Math.min(best.team, Number(process.hrtime.bigint() - started) / 1e6 / REQUESTS);
      started = process.hrtime.bigint();
      for (let r = 0; r < REQUESTS; r++) {
        const asked = range();
        for (const id of members) await run(SINGLE, { id, ...asked });
      }
      best.singles = Math.min(best.singles, Number(process.hrtime.bigint() - started) / 1e6 / REQUESTS);
    }
    results.push({ size, ...best });
    log(`${size} members: teamFreeSlots month ${best.team.toFixed(2)} ms; ${size} single-owner freeSlots ${best.singles.toFixed(2)} ms; ratio ${(best.team / best.singles).toFixed(2)}`);
  }

  // Round-robin bookSlot throughput (the 10-member team) vs one calendar's own bookSlot.
  const { team } = await run('query { team(slug: "team-10") { eventTypes { id owner { id } } } }', {});
  const rr = team.eventTypes[0];
  const single = (await run('mutation($i: CreateOwnerInput!) { createCalendar(input: $i) { id } }', { i: { name: 'Single', timeZone: 'UTC', slotMinutes: 60 } }, account)).createCalendar.id;
  await run('mutation($i: OneTimeWindowInput!) { addOneTimeWindow(input: $i) { id } }', { i: { startsAt: iso(from + 60 * DAY), endsAt: iso(from + 60 * DAY + BOOKINGS * 3_600_000) } }, account, single);
  const BOOK = 'mutation($i: BookSlotInput!) { bookSlot(input: $i) { booking { id } } }';
  const weekday = (n) => {
    // The n-th 09-17 hour on weekdays from `from`.
    let day = 0;
    let left = n;
    for (;;) {
      const d = new Date(from + day * DAY).getUTCDay();
      if (d !== 0 && d !== 6) {
        if (left < 8 * 10) return from + day * DAY + (9 + (left % 8)) * 3_600_000;
        left -= 8 * 10;
      }
      day++;
    }
  };
  let started = process.hrtime.bigint();
  for (let n = 0; n < BOOKINGS; n++) await run(BOOK, { i: { ownerId: rr.owner.id, eventTypeId: rr.id, startsAt: iso(weekday(n)), invitee: { name: 'Ivy', email: 'ivy@example.com' } } });
  const rrPerSecond = BOOKINGS / (Number(process.hrtime.bigint() - started) / 1e9);
  started = process.hrtime.bigint();
  for (let n = 0; n < BOOKINGS; n++) await run(BOOK, { i: { ownerId: single, startsAt: iso(from + 60 * DAY + n * 3_600_000), invitee: { name: 'Ivy', email: 'ivy@example.com' } } });
  const singlePerSecond = BOOKINGS / (Number(process.hrtime.bigint() - started) / 1e9);
  log(`bookSlot, one at a time: round robin over 10 members ${rrPerSecond.toFixed(0)}/s, one calendar ${singlePerSecond.toFixed(0)}/s; ratio ${(rrPerSecond / singlePerSecond).toFixed(2)}`);
  log(`\n(${databases.label}) ${JSON.stringify({ results, rrPerSecond, singlePerSecond })}`);
} finally {
  await app.close();
  await databases.dispose();
  rmSync(tmp, { recursive: true, force: true });
}
