import { parseDatabaseUrl } from '../src/config';
import { migrationsByDialect } from '../src/db/migrations';
import { freshDatabaseUrl, testDialect } from './support/database';
import { dayAhead, executeWithStatus, ok, spawnServer, waitUntilHealthy, type GraphQLBody, type ServerProcess } from './support/server-process';
import {
  bookingInvariants,
  discardSharedDatabase,
  liveBookings,
  postgresSessions,
  postgresSessionsAfterClientsExit,
  withDatabase,
} from './support/shared-database';
import { AddOneTimeWindowDocument, BookSlotDocument, CreateOwnerDocument, FreeSlotsDocument, type BookSlotMutation } from './generated/graphql';

// Scale-out as the contract promises it ("several processes ... every guarantee below holds
// across them"): four real server processes (dist/main.js, built by the jest globalSetup) on
// one fresh database of the dialect under test, started at the same moment on a database with
// no tables, so they also migrate it at once (PostgreSQL: queued on an advisory lock; SQLite:
// retried). The servers read the real clock: every window lies on days a year past today (dayAhead).

const DAY0 = dayAhead(0);
const DAY1 = dayAhead(1);
const DAY7 = dayAhead(7);
const DAY8 = dayAhead(8);
const DAY9 = dayAhead(9);
const DAY29 = dayAhead(29);

const PROCESSES = 4;
const RACERS = 200;
const CONTESTED_SLOTS = 10;
const DISTINCT_SLOTS = 40;
const HOUR_MS = 3_600_000;

type BookSlotAnswer = { server: number; startsAt: string; status: number; body: GraphQLBody<BookSlotMutation> };

const hoursFrom = (start: string, count: number) => Array.from({ length: count }, (_, h) => new Date(Date.parse(start) + h * HOUR_MS).toISOString());

function bookSlot(servers: ServerProcess[], server: number, ownerId: string, startsAt: string, n: number): Promise<BookSlotAnswer> {
  const input = { ownerId, startsAt, invitee: { name: `Invitee ${n}`, email: `invitee${n}@example.com` } };
  return executeWithStatus(servers[server]!, BookSlotDocument, { input }).then(({ status, body }) => ({ server, startsAt, status, body }));
}

const codesOf = (answer: BookSlotAnswer) => (answer.body.errors ?? []).map((e) => String(e.extensions?.code));

async function freeStarts(server: ServerProcess, ownerId: string, from: string, to: string): Promise<string[]> {
  return (await ok(server, FreeSlotsDocument, { ownerId, from, to })).freeSlots.map((s) => s.startsAt);
}

async function createOwnerWithWindow(server: ServerProcess, name: string, startsAt: string, endsAt: string) {
  const created = await ok(server, CreateOwnerDocument, { input: { name, timeZone: 'UTC', slotMinutes: 60 } });
  const { owner, token } = created.createOwner;
  await ok(server, AddOneTimeWindowDocument, { input: { startsAt, endsAt } }, token);
  return owner;
}

function stopAll(servers: ServerProcess[]): Promise<unknown> {
  return Promise.all(
    servers.map((server) => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      return server.exited;
    }),
  );
}

describe(`${PROCESSES} server processes on one database (${testDialect})`, () => {
  let databaseUrl: string;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    // Spawned together, before any is waited on: all four open the empty database and migrate it at once.
    servers = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => spawnServer(`P${i + 1}`, databaseUrl)));
    await Promise.all(servers.map(waitUntilHealthy));
  });

  afterAll(async () => {
    await stopAll(servers);
    if (databaseUrl) discardSharedDatabase(databaseUrl);
  });

  test('started together on an empty database, all four are healthy and every migration ran exactly once', async () => {
    const applied = await withDatabase(databaseUrl, (orm) => orm.em.getConnection().execute<Array<{ name: string }>>('select name from mikro_orm_migrations order by id'));
    expect(applied.map((m) => m.name)).toEqual(migrationsByDialect[testDialect].map((m) => m.name));
  });

  describe(`${RACERS} racing bookSlot, round-robin over the processes, for ${CONTESTED_SLOTS} free slots of one owner`, () => {
    const day = { from: `${DAY0}T00:00:00Z`, to: `${DAY1}T00:00:00Z` };
    // A 12-hour window: the race takes the first 10 hourly slots, 18:00 and 19:00 stay free.
    const windowSlots = hoursFrom(`${DAY0}T08:00:00Z`, 12);
    const contested = windowSlots.slice(0, CONTESTED_SLOTS);
    const untouched = windowSlots.slice(CONTESTED_SLOTS);
    let ownerId: string;
    let answers: BookSlotAnswer[];
    let winners: BookSlotAnswer[];

    beforeAll(async () => {
      ownerId = (await createOwnerWithWindow(servers[0]!, 'Contested', `${DAY0}T08:00:00Z`, `${DAY0}T20:00:00Z`)).id;
      // Every process lists (and caches) the free slots first, so each must notice bookings other processes make.
      for (const server of servers) expect(await freeStarts(server, ownerId, day.from, day.to)).toEqual(windowSlots);
      // Request n goes to process n mod 4 and asks for slot floor(n / 4) mod 10: every slot is asked for
      // through all four processes by requests sent side by side.
      answers = await Promise.all(
        Array.from({ length: RACERS }, (_, n) => bookSlot(servers, n % PROCESSES, ownerId, contested[Math.floor(n / PROCESSES) % CONTESTED_SLOTS]!, n)),
      );
      winners = answers.filter((a) => !a.body.errors?.length);
      const byProcess = servers.map((s, i) => `${s.name} ${winners.filter((w) => w.server === i).length}`).join(', ');
      console.log(
        `scale-out (${testDialect}): ${RACERS} bookSlot for ${CONTESTED_SLOTS} slots over ${PROCESSES} processes: ${winners.length} CONFIRMED (${byProcess}), ` +
          `${answers.filter((a) => codesOf(a).includes('SLOT_UNAVAILABLE')).length} SLOT_UNAVAILABLE`,
      );
    });

    test(`every answer is a 200; exactly ${CONTESTED_SLOTS} CONFIRMED, one per slot; every other answer is SLOT_UNAVAILABLE alone`, () => {
      expect(answers).toHaveLength(RACERS);
      expect(answers.filter((a) => a.status !== 200).map((a) => ({ server: a.server, status: a.status, body: a.body }))).toEqual([]);
      expect(winners.map((w) => w.body.data?.bookSlot.booking.status)).toEqual(Array(CONTESTED_SLOTS).fill('CONFIRMED'));
      expect(winners.map((w) => w.body.data!.bookSlot.booking.startsAt).sort()).toEqual(contested);
      const losers = answers.filter((a) => a.body.errors?.length);
      expect(losers).toHaveLength(RACERS - CONTESTED_SLOTS);
      // One error each, the contract's code (never INTERNAL_SERVER_ERROR), and no partial data beside it.
      expect(losers.filter((a) => codesOf(a).join() !== 'SLOT_UNAVAILABLE' || a.body.data).map((a) => a.body)).toEqual([]);
    });

    test(`the database holds exactly those ${CONTESTED_SLOTS} live bookings, pairwise non-overlapping, and their cells`, async () => {
      await withDatabase(databaseUrl, async (orm) => {
        const stored = await liveBookings(orm, ownerId);
        expect(stored.map((b) => ({ id: b.id, startsAt: b.startsAt, status: b.status }))).toEqual(
          winners
            .map((w) => w.body.data!.bookSlot.booking)
            .sort((x, y) => x.startsAt.localeCompare(y.startsAt))
            .map((b) => ({ id: b.id, startsAt: b.startsAt, status: 'CONFIRMED' })),
        );
        const overlapping = stored.flatMap((x, i) => stored.slice(i + 1).filter((y) => x.startsAt < y.endsAt && y.startsAt < x.endsAt).map((y) => `${x.id}/${y.id}`));
        expect(overlapping).toEqual([]);
        expect(await bookingInvariants(orm)).toEqual({ overlaps: [], missingCells: [], strayCells: [] });
      });
    });

    test('freeSlots through a process other than the booking one no longer lists a taken slot; every process agrees on what is left', async () => {
      for (const winner of winners) {
        const other = servers[(winner.server + 1) % PROCESSES]!;
        expect({ slot: winner.startsAt, askedThrough: other.name, free: (await freeStarts(other, ownerId, day.from, day.to)).includes(winner.startsAt) })
          .toEqual({ slot: winner.startsAt, askedThrough: other.name, free: false });
      }
      for (const server of servers) expect({ server: server.name, free: await freeStarts(server, ownerId, day.from, day.to) }).toEqual({ server: server.name, free: untouched });
    });
  });

  test(`${DISTINCT_SLOTS} bookSlot of distinct slots, spread over the processes at once, all succeed`, async () => {
    const range = { from: `${DAY7}T00:00:00Z`, to: `${DAY9}T00:00:00Z` };
    const starts = hoursFrom(`${DAY7}T00:00:00Z`, DISTINCT_SLOTS);
    const ownerId = (await createOwnerWithWindow(servers[1]!, 'Distinct', starts[0]!, `${DAY8}T16:00:00Z`)).id;
    const answers = await Promise.all(starts.map((startsAt, n) => bookSlot(servers, n % PROCESSES, ownerId, startsAt, 1000 + n)));

    expect(answers.filter((a) => a.status !== 200 || a.body.errors?.length).map((a) => ({ startsAt: a.startsAt, status: a.status, errors: a.body.errors }))).toEqual([]);
    expect(answers.map((a) => a.body.data?.bookSlot.booking.startsAt)).toEqual(starts);
    for (const server of servers) expect({ server: server.name, free: await freeStarts(server, ownerId, range.from, range.to) }).toEqual({ server: server.name, free: [] });
    await withDatabase(databaseUrl, async (orm) => {
      expect((await liveBookings(orm, ownerId)).map((b) => b.startsAt)).toEqual(starts);
      expect(await bookingInvariants(orm)).toEqual({ overlaps: [], missingCells: [], strayCells: [] });
    });
  });

  test('SIGTERM: all four exit 0 and log nothing', async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    const exits = await Promise.all(servers.map(async (server) => ({ server: server.name, ...(await server.exited), output: server.output() })));
    expect(exits).toEqual(servers.map((server) => ({ server: server.name, code: 0, signal: null, output: '' })));
    if (testDialect === 'postgresql') expect(await postgresSessionsAfterClientsExit(parseDatabaseUrl(databaseUrl).dbName)).toEqual([]);
  });
});

const POOL_SIZE = 3;
const POOL_LOAD = 50;
const onPostgres = testDialect === 'postgresql';
if (!onPostgres) console.log('PostgreSQL scale-out checks skipped: set TEST_DATABASE_URL=postgres://… (see README, "Scaling out")');

(onPostgres ? describe : describe.skip)(`PostgreSQL: DATABASE_POOL_SIZE=${POOL_SIZE} under ${POOL_LOAD} concurrent requests`, () => {
  // PGAPPNAME names the process's sessions (node-postgres reads it), so pg_stat_activity can tell them apart.
  const applicationName = 'slotbook-scale-out-pool';
  let databaseUrl: string;
  let database: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    database = parseDatabaseUrl(databaseUrl).dbName;
    server = await spawnServer('pool', databaseUrl, 'warn', { DATABASE_POOL_SIZE: String(POOL_SIZE), PGAPPNAME: applicationName });
    await waitUntilHealthy(server);
  });

  afterAll(async () => {
    if (server) await stopAll([server]);
  });

  test(`pg_stat_activity never shows more than ${POOL_SIZE} sessions of the process; after SIGTERM it has none`, async () => {
    const running = server!;
    const starts = hoursFrom(`${DAY29}T00:00:00Z`, POOL_LOAD);
    const ownerId = (await createOwnerWithWindow(running, 'Pooled', starts[0]!, new Date(Date.parse(starts[0]!) + POOL_LOAD * HOUR_MS).toISOString())).id;

    // Sample the sessions for as long as the load runs.
    let loading = true;
    const samples: number[] = [];
    const strangers = new Set<string>();
    const sampler = (async () => {
      while (loading) {
        const sessions = await postgresSessions(database);
        for (const s of sessions) if (s.applicationName !== applicationName) strangers.add(`${s.pid} ${s.applicationName}: ${s.query}`);
        samples.push(sessions.filter((s) => s.applicationName === applicationName).length);
      }
    })();
    const answers = await Promise.all(starts.map((startsAt, n) => bookSlot([running], 0, ownerId, startsAt, n))).finally(() => { loading = false; });
    await sampler;

    expect(answers.filter((a) => a.status !== 200 || a.body.errors?.length).map((a) => ({ startsAt: a.startsAt, status: a.status, errors: a.body.errors }))).toEqual([]);
    expect(answers.map((a) => a.body.data?.bookSlot.booking.startsAt)).toEqual(starts);
    expect([...strangers]).toEqual([]);
    expect(samples.length).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(POOL_SIZE);
    // The load really used the pool (more than one session at once), so the bound above was tested, not idle.
    expect(Math.max(...samples)).toBeGreaterThan(1);
    console.log(`scale-out pool: ${samples.length} samples of pg_stat_activity during ${POOL_LOAD} concurrent bookSlot, at most ${Math.max(...samples)} sessions (pool ${POOL_SIZE})`);

    // Graceful drain: the idle pool still holds sessions until the signal closes them.
    expect((await postgresSessions(database)).length).toBeGreaterThan(0);
    running.child.kill('SIGTERM');
    expect({ ...(await running.exited), output: running.output() }).toEqual({ code: 0, signal: null, output: '' });
    expect(await postgresSessionsAfterClientsExit(database)).toEqual([]);
  });
});
