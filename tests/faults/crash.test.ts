import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { execute, MAIN, ok, spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process';
import { AddOneTimeWindowDocument, BookSlotDocument, CreateOwnerDocument, OwnerBookingsDocument, type OwnerBookingsQuery } from '../generated/graphql';

// SIGKILL in the middle of a booking storm, restart on the same SQLite file: every booking the
// server acknowledged is there, no two live bookings overlap, cells match bookings, and
// PRAGMA integrity_check is ok. Runs the real binary (dist/main.js, built by the jest globalSetup).
// The server reads the real clock, so the window lies five years ahead of whenever this runs.

const WORKERS = 12;
const KILL_AFTER_ACKS = 60;
const SLOT_MS = 5 * 60_000;

type Server = ServerProcess;

async function startServer(databaseUrl: string): Promise<Server> {
  const server = await spawnServer('server', databaseUrl, 'warn');
  await waitUntilHealthy(server);
  return server;
}

function query<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}

let dir: string;
const servers: Server[] = [];

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: the jest globalSetup (tests/support/global-setup.ts) builds it`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'slotbook-crash-'));
});
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL mid-storm loses no acknowledged booking and leaves a consistent file', async () => {
  const file = path.join(dir, 'crash.sqlite');
  const databaseUrl = `sqlite:${file}`;
  const first = await startServer(databaseUrl);
  servers.push(first);

  const year = new Date().getUTCFullYear() + 5;
  const dayStart = Date.UTC(year, 2, 3);
  const created = await ok(first, CreateOwnerDocument, { input: { name: 'Storm', timeZone: 'UTC', slotMinutes: 5 } });
  const { owner, token } = created.createOwner;
  await ok(first, AddOneTimeWindowDocument, { input: { startsAt: new Date(dayStart).toISOString(), endsAt: new Date(dayStart + 86_400_000).toISOString() } }, token);

  // 288 five-minute slots, each queued twice so pairs of workers also race for the same slot.
  const queue = Array.from({ length: 288 }, (_, i) => new Date(dayStart + i * SLOT_MS).toISOString()).flatMap((s) => [s, s]);
  const acknowledged = new Map<string, string>(); // booking id → startsAt
  let sent = 0;
  let killed = false;
  let connectionErrors = 0;
  let onKilled!: () => void;
  const killedSignal = new Promise<void>((resolve) => { onKilled = resolve; });

  const worker = async (n: number) => {
    while (!killed && queue.length) {
      const startsAt = queue.shift()!;
      sent += 1;
      try {
        const body = await execute(first, BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: `W${n}`, email: `w${n}@example.com` } } });
        const booking = body.data?.bookSlot.booking;
        if (booking) {
          expect(booking.startsAt).toBe(startsAt);
          acknowledged.set(booking.id, booking.startsAt);
        } else {
          expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['SLOT_UNAVAILABLE']);
        }
        if (acknowledged.size >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
          onKilled();
        }
      } catch {
        connectionErrors += 1; // the process died under this request: not acknowledged
      }
    }
  };
  await Promise.all([...Array.from({ length: WORKERS }, (_, n) => worker(n)), killedSignal]);
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
  // The kill landed mid-storm: slots were still queued.
  expect(queue.length).toBeGreaterThan(0);

  const second = await startServer(databaseUrl);
  servers.push(second);
  const found = new Map<string, { startsAt: string; endsAt: string }>();
  let after: string | null = null;
  for (;;) {
    const page: OwnerBookingsQuery = await ok(second, OwnerBookingsDocument, { id: owner.id, status: 'CONFIRMED', first: 100, after }, token);
    for (const { node } of page.owner!.bookings.edges) found.set(node.id, { startsAt: node.startsAt, endsAt: node.endsAt });
    if (!page.owner!.bookings.pageInfo.hasNextPage) break;
    after = page.owner!.bookings.pageInfo.endCursor ?? null;
  }
  for (const [id, startsAt] of acknowledged) expect(found.get(id)?.startsAt).toBe(startsAt);

  const live = [...found.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  for (let i = 1; i < live.length; i++) expect(Date.parse(live[i]!.startsAt)).toBeGreaterThanOrEqual(Date.parse(live[i - 1]!.endsAt));

  // A clean stop, then the file itself.
  second.child.kill('SIGTERM');
  expect(await second.exited).toEqual({ code: 0, signal: null });
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  try {
    expect(await query(db, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(await query(db, 'pragma foreign_key_check')).toEqual([]);
    const [{ mode }] = await query<{ mode: string }>(db, 'select journal_mode as mode from pragma_journal_mode');
    expect(mode).toBe('wal');
    // Cells are exactly those of live bookings (one 5-minute cell each), and no two live bookings overlap in SQL either.
    const [{ cells, liveBookings }] = await query<{ cells: number; liveBookings: number }>(
      db,
      "select (select count(*) from booking_cell) as cells, (select count(*) from booking where status <> 'CANCELLED') as liveBookings",
    );
    expect(cells).toBe(liveBookings);
    const overlaps = await query(db, "select a.id from booking a join booking b on a.owner_id = b.owner_id and a.id < b.id and a.status <> 'CANCELLED' and b.status <> 'CANCELLED' and a.starts_at < b.ends_at and b.starts_at < a.ends_at");
    expect(overlaps).toEqual([]);
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }

  // The closing note of issue 5 reports these counts.
  console.log(
    `crash: ${sent} bookSlot sent, ${acknowledged.size} acknowledged before SIGKILL, ${[...acknowledged.keys()].filter((id) => found.has(id)).length} of them found after restart; ` +
      `${found.size} live bookings in the file (${found.size - acknowledged.size} committed but unacknowledged), ${connectionErrors} requests cut off`,
  );
});
