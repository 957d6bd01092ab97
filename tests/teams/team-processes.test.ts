import { freshDatabaseUrl, testDialect } from '../support/database';
import { dayAhead, execute, killServers, ok, spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process';
import { discardSharedDatabase } from '../support/shared-database';
import {
  AddOneTimeWindowDocument,
  AddTeamMemberDocument,
  BookSlotDocument,
  BookTeamSlotDocument,
  ClaimCalendarDocument,
  CreateOwnerDocument,
  CreateTeamDocument,
  CreateTeamEventTypeDocument,
  FreeSlotsDocument,
  RegisterDocument,
} from '../generated/graphql';

// docs/api.md, Part 3, 36-37 across processes: real server processes (dist/main.js) share one
// database — 2 on a SQLite file, 4 on PostgreSQL (TEST_DATABASE_URL) — and race for one start.
// They read the real clock, so every window lies a year ahead (dayAhead).

const DAY = dayAhead(0);
const PROCESSES = testDialect === 'postgresql' ? 4 : 2;
const at = (h: number) => `${DAY}T${String(h).padStart(2, '0')}:00:00Z`;
const invitee = (n: number) => ({ name: `Invitee ${n}`, email: `invitee${n}@example.com` });

describe(`team bookings across ${PROCESSES} server processes (${testDialect})`, () => {
  let databaseUrl: string;
  let servers: ServerProcess[] = [];
  const members: string[] = [];
  let rrId = '';
  let coId = '';

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    servers = [await spawnServer('S0', databaseUrl)];
    await waitUntilHealthy(servers[0]!);
    // The rest start on a migrated database.
    servers.push(...(await Promise.all(Array.from({ length: PROCESSES - 1 }, (_, i) => spawnServer(`S${i + 1}`, databaseUrl)))));
    await Promise.all(servers.map(waitUntilHealthy));
    const s = servers[0]!;
    const account = (await ok(s, RegisterDocument, { input: { email: 'lead@example.com', password: 'correct horse battery', name: 'Lead' } })).register.accessToken;
    for (let i = 0; i < 3; i++) {
      const created = await ok(s, CreateOwnerDocument, { input: { name: `M${i}`, timeZone: 'UTC', slotMinutes: 60 } });
      members.push(created.createOwner.owner.id);
      await ok(s, AddOneTimeWindowDocument, { input: { startsAt: at(9), endsAt: at(17) } }, created.createOwner.token);
      await ok(s, ClaimCalendarDocument, { ownerToken: created.createOwner.token }, account);
    }
    const teamId = (await ok(s, CreateTeamDocument, { input: { name: 'Team', slug: 'team' } }, account)).createTeam.id;
    for (const calendarId of members) await ok(s, AddTeamMemberDocument, { teamId, calendarId }, account);
    rrId = (await ok(s, CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input: { slug: 'rr', title: 'RR' } }, account)).createTeamEventType.id;
    coId = (await ok(s, CreateTeamEventTypeDocument, { teamId, schedulingType: 'COLLECTIVE', input: { slug: 'co', title: 'Co' } }, account)).createTeamEventType.id;
  });

  afterAll(async () => {
    await killServers(servers);
    if (databaseUrl) discardSharedDatabase(databaseUrl);
  });

  test('30 racing round-robin bookings of one start with 3 free members: exactly 3 succeed, on 3 different hosts', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, n) => execute(servers[n % PROCESSES]!, BookTeamSlotDocument, { input: { ownerId: members[n % 3]!, eventTypeId: rrId, startsAt: at(10), invitee: invitee(n) } })),
    );
    const winners = results.filter((r) => !r.errors?.length);
    expect(winners).toHaveLength(3);
    expect(new Set(winners.map((r) => r.data!.bookSlot.booking.owner.id))).toEqual(new Set(members));
    expect(results.filter((r) => r.errors?.length).map((r) => r.errors![0]!.extensions?.code)).toEqual(Array(27).fill('SLOT_UNAVAILABLE'));
  });

  test('collective bookings racing single bookings of their members never leave a partial booking', async () => {
    for (const h of [11, 12, 13, 14]) {
      const racers = [
        execute(servers[0]!, BookTeamSlotDocument, { input: { ownerId: members[0]!, eventTypeId: coId, startsAt: at(h), invitee: invitee(100 + h) } }),
        ...members.map((ownerId, i) => execute(servers[(i + 1) % PROCESSES]!, BookSlotDocument, { input: { ownerId, startsAt: at(h), invitee: invitee(200 + h * 3 + i) } })),
      ];
      const [co, ...singles] = await Promise.all(racers);
      const singleWins = singles.filter((r) => !r.errors?.length).length;
      if (co!.errors?.length) expect(singleWins).toBeGreaterThan(0);
      else {
        expect(singleWins).toBe(0);
        expect((co!.data as { bookSlot: { booking: { hosts: unknown[] } } }).bookSlot.booking.hosts).toHaveLength(3);
      }
      // Whoever won, a member with no booking of its own at h is held by the collective one.
      for (const ownerId of members) {
        const slots = await ok(servers[h % PROCESSES]!, FreeSlotsDocument, { ownerId, from: at(h), to: at(h + 1) });
        if (co!.errors?.length) continue;
        expect(slots.freeSlots).toEqual([]);
      }
    }
  });
});
