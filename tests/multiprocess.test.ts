import http from 'node:http';
import { openAppDatabase } from '../src/app';
import { Booking, BookingCell, BookingStatus } from '../src/modules/booking/booking.entity';
import { print } from 'graphql';
import { freshDatabaseUrl, testDialect } from './support/database';
import { dayAhead, execute, killServers, ok, spawnServer, waitUntilHealthy, type GraphQLBody, type ServerProcess } from './support/server-process';
import { bookingInvariants, discardSharedDatabase } from './support/shared-database';
import { AddOneTimeWindowDocument, BookSlotDocument, CreateOwnerDocument, FreeSlotsDocument } from './generated/graphql';

// Two real server processes (dist/main.js, built by tests/support/global-setup.ts) share one
// database of the dialect under test: a SQLite file, or a PostgreSQL database when
// TEST_DATABASE_URL is set (tests/support/database.ts). The server runs on the real clock,
// which this suite cannot inject: every window lies on days a year past today (dayAhead).

const DAY0 = dayAhead(0);
const DAY1 = dayAhead(1);
const DAY3 = dayAhead(3);

const RACERS = 60;

type Server = ServerProcess;
const startServer = spawnServer;

function bookSlot(server: Server, ownerId: string, startsAt: string, n: number) {
  return execute(server, BookSlotDocument, { input: { ownerId, startsAt, invitee: { name: `Invitee ${n}`, email: `invitee${n}@example.com` } } });
}

/**
 * A bookSlot whose body is held back until `release` is called. `Expect: 100-continue` makes the
 * server answer `100 Continue` once it has parsed the headers, so when `inFlight` resolves the
 * request is on the server's books; the body then completes it.
 */
function heldBookSlot(server: Server, ownerId: string, startsAt: string) {
  const body = JSON.stringify({ query: print(BookSlotDocument), variables: { input: { ownerId, startsAt, invitee: { name: 'Held', email: 'held@example.com' } } } });
  let markInFlight!: () => void;
  const inFlight = new Promise<void>((resolve) => { markInFlight = resolve; });
  const request = http.request(server.url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue', connection: 'close' },
  });
  request.once('continue', markInFlight);
  const response = new Promise<{ status: number; body: GraphQLBody<{ bookSlot: { booking: { id: string; status: string } } }> }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode!, body: JSON.parse(text) });
        } catch (err) {
          reject(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 300)}; ${String(err)}`));
        }
      });
    });
  });
  request.flushHeaders();
  return { inFlight, release: () => request.end(body), response };
}

/** True once the server refuses new connections, i.e. it has started shutting down. */
async function refusesConnections(server: Server): Promise<boolean> {
  try {
    await fetch(`${server.origin}/health`);
    return false;
  } catch {
    return true;
  }
}

const codesOf = (body: GraphQLBody<unknown>) => (body.errors ?? []).map((e) => String(e.extensions?.code));

describe(`two server processes sharing one database (${testDialect})`, () => {
  let databaseUrl: string;
  let a: Server;
  let b: Server;
  let owner: { id: string; token: string };

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    // Started together on a database that has no tables yet: both apply migrations at once.
    [a, b] = await Promise.all([startServer('A', databaseUrl), startServer('B', databaseUrl)]);
    await Promise.all([waitUntilHealthy(a), waitUntilHealthy(b)]);

    const created = await ok(a, CreateOwnerDocument, { input: { name: 'Shared', timeZone: 'UTC', slotMinutes: 60 } });
    owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
    await ok(a, AddOneTimeWindowDocument, { input: { startsAt: `${DAY0}T09:00:00Z`, endsAt: `${DAY0}T17:00:00Z` } }, owner.token);
    await ok(a, AddOneTimeWindowDocument, { input: { startsAt: `${DAY1}T00:00:00Z`, endsAt: `${DAY3}T00:00:00Z` } }, owner.token);
  });

  afterAll(async () => {
    await killServers([a, b]);
    if (databaseUrl) discardSharedDatabase(databaseUrl);
  });

  test('the window written through A is seen by B', async () => {
    const slots = await ok(b, FreeSlotsDocument, { ownerId: owner.id, from: `${DAY0}T00:00:00Z`, to: `${DAY1}T00:00:00Z` });
    expect(slots.freeSlots.map((s) => s.startsAt)).toEqual(
      [9, 10, 11, 12, 13, 14, 15, 16].map((h) => `${DAY0}T${String(h).padStart(2, '0')}:00:00.000Z`),
    );
  });

  test(`${RACERS} concurrent bookSlot for one slot, split across both processes: exactly one succeeds`, async () => {
    const startsAt = `${DAY0}T10:00:00Z`;
    const results = await Promise.all(Array.from({ length: RACERS }, (_, n) => bookSlot(n % 2 ? b : a, owner.id, startsAt, n)));
    const winners = results.filter((r) => !r.errors?.length && r.data?.bookSlot.booking.status === 'CONFIRMED');
    const losers = results.filter((r) => r.errors?.length);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(RACERS - 1);
    expect(losers.flatMap(codesOf).filter((c) => c !== 'SLOT_UNAVAILABLE')).toEqual([]);

    // Both processes now agree the slot is gone.
    for (const server of [a, b]) {
      const slots = await ok(server, FreeSlotsDocument, { ownerId: owner.id, from: `${DAY0}T00:00:00Z`, to: `${DAY1}T00:00:00Z` });
      expect(slots.freeSlots.map((s) => s.startsAt)).not.toContain(`${DAY0}T10:00:00.000Z`);
      expect(slots.freeSlots).toHaveLength(7);
    }
  });

  test('48 distinct slots booked in parallel across both processes all succeed', async () => {
    const starts = Array.from({ length: 48 }, (_, h) => new Date(Date.parse(`${DAY1}T00:00:00Z`) + h * 3_600_000).toISOString());
    const results = await Promise.all(starts.map((startsAt, n) => bookSlot(n % 2 ? b : a, owner.id, startsAt, 1000 + n)));
    expect(results.flatMap(codesOf)).toEqual([]);
    expect(results.map((r) => r.data?.bookSlot.booking.startsAt).sort()).toEqual(starts);
    const left = await ok(b, FreeSlotsDocument, { ownerId: owner.id, from: `${DAY1}T00:00:00Z`, to: `${DAY3}T00:00:00Z` });
    expect(left.freeSlots).toEqual([]);
  });

  test('SIGTERM: a request already in flight still completes, new connections are refused, both exit 0', async () => {
    const held = heldBookSlot(a, owner.id, `${DAY0}T14:00:00Z`);
    await held.inFlight;
    expect(await refusesConnections(a)).toBe(false); // /health answered up to the signal

    a.child.kill('SIGTERM');
    while (!(await refusesConnections(a))) await new Promise((r) => setTimeout(r, 50));
    if (a.child.exitCode !== null) throw new Error(`A exited before its in-flight request finished:\n${a.output()}`);

    held.release();
    const { status, body } = await held.response;
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.bookSlot.booking.status).toBe('CONFIRMED');

    b.child.kill('SIGTERM');
    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
    expect({ server: 'A', ...exitA, output: a.output() }).toEqual({ server: 'A', code: 0, signal: null, output: '' });
    expect({ server: 'B', ...exitB, output: b.output() }).toEqual({ server: 'B', code: 0, signal: null, output: '' });
  });

  test('the database afterwards holds every booking once, no two live bookings overlap and cells match them', async () => {
    const orm = await openAppDatabase(databaseUrl);
    try {
      const em = orm.em.fork();
      const live = await em.find(Booking, { owner: owner.id, status: { $ne: BookingStatus.CANCELLED } }, { orderBy: { startsAt: 'asc' } });
      // 1 race winner + 48 distinct slots + the request held across SIGTERM.
      expect(live).toHaveLength(1 + 48 + 1);
      for (let i = 1; i < live.length; i++) {
        const previous = live[i - 1]!;
        const current = live[i]!;
        expect({ previousEnds: previous.endsAt.toISOString(), nextStarts: current.startsAt.toISOString(), overlap: current.startsAt < previous.endsAt })
          .toEqual({ previousEnds: previous.endsAt.toISOString(), nextStarts: current.startsAt.toISOString(), overlap: false });
      }
      expect(live.filter((x) => x.startsAt.toISOString() === `${DAY0}T10:00:00.000Z`)).toHaveLength(1);
      expect(await em.count(BookingCell, { owner: owner.id })).toBe(live.length * 12);
      expect(await bookingInvariants(orm)).toEqual({ overlaps: [], missingCells: [], strayCells: [] });
    } finally {
      await orm.close(true);
    }
  });
});
