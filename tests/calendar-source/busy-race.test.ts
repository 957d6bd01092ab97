/*
 * A booking and a sync adding busy time over it, at the same moment (docs/api.md, Part 3, 29:
 * the database refuses a booking over busy time; Migration20261207093000). The sync's side is a
 * raw connection holding its transaction open, so the interleaving is the one the race would
 * take, every run: the booking's check runs while the sync's rows exist but are not committed.
 */
import { Client } from 'pg';
import sqlite3 from 'sqlite3';
import { startTestApp, type TestApp } from '../support/app';
import { freshDatabaseUrl, testDialect } from '../support/database';
import { discardSharedDatabase } from '../support/shared-database';
import { parseDatabaseUrl } from '../../src/config';
import { AddRecurringWindowDocument, BookSlotDocument } from '../generated/graphql';

/** A second connection to the test database, with its transaction under the test's control. */
interface RawConnection {
  exec(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

async function rawConnection(databaseUrl: string): Promise<RawConnection> {
  if (testDialect === 'postgresql') {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return { exec: async (sql, params = []) => (await client.query(sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`), params)).rows, close: () => client.end() };
  }
  const db = new sqlite3.Database(parseDatabaseUrl(databaseUrl).dbName);
  db.configure('busyTimeout', 10_000);
  return {
    exec: (sql, params = []) => new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as Array<Record<string, unknown>>)))),
    close: () => new Promise((resolve) => db.close(() => resolve())),
  };
}

let t: TestApp;
let databaseUrl: string;
let raw: RawConnection;

beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl({ shared: true });
  t = await startTestApp({ databaseUrl });
  raw = await rawConnection(databaseUrl);
});
afterAll(async () => {
  await raw?.close();
  await t?.close();
  discardSharedDatabase(databaseUrl);
});

/** An instant as the dialect stores it in a raw statement (SQLite: Unix milliseconds). */
const stored = (iso: string): unknown => (testDialect === 'sqlite' ? Date.parse(iso) : iso);

async function availableOwner() {
  const owner = await t.createOwner({ timeZone: 'UTC' });
  await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: '09:00', endTime: '17:00', startsOn: '2030-01-01' } }, owner.token);
  return owner;
}

/** Whether `promise` is still unsettled after `ms`. */
async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise.then(() => null, () => null), new Promise((r) => setTimeout(() => r(marker), ms))])) === marker;
}

test('a booking whose check runs while a sync writes busy time over it waits for the sync, then is refused', async () => {
  const owner = await availableOwner();
  const startsAt = '2030-01-08T10:00:00.000Z';
  // The sync's transaction, as BusyIntervalStore.replaceSource runs it: the bump, then the rows.
  await raw.exec(testDialect === 'sqlite' ? 'begin immediate' : 'begin');
  await raw.exec('update owner set data_version = data_version + 1 where id = ?', [owner.id]);
  await raw.exec('insert into busy_interval (owner_id, source_id, starts_at, ends_at) values (?, ?, ?, ?)', [owner.id, 'source-1', stored('2030-01-08T09:30:00Z'), stored('2030-01-08T10:30:00Z')]);
  const booking = t.run(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } });
  // Without the lock the booking's check passes here, and it commits when the sync does.
  expect(await stillPending(booking, 500)).toBe(true);
  await raw.exec('commit');
  const result = await booking;
  expect(result.data?.bookSlot ?? null).toBeNull();
  expect(result.errors?.[0]?.extensions?.code).toBe('SLOT_UNAVAILABLE');
  expect(await raw.exec("select count(*) as n from booking where owner_id = ? and status <> 'CANCELLED'", [owner.id])).toEqual([{ n: testDialect === 'sqlite' ? 0 : '0' }]);
});

(testDialect === 'postgresql' ? test : test.skip)('replaceSource takes the owner row before it touches busy_interval, so it waits for a booking in flight (PostgreSQL)', async () => {
  const owner = await availableOwner();
  const store = t.app.contextFor().stores.busyIntervals;
  // A booking in flight holds the owner's row, as its busy check does from its first statement.
  await raw.exec('begin');
  await raw.exec('select 1 from owner where id = ? for no key update', [owner.id]);
  const replaced = store.replaceSource(owner.id, 'source-2', [{ start: Date.parse('2030-01-09T09:00:00Z'), end: Date.parse('2030-01-09T10:00:00Z') }]);
  let waiter: number | undefined;
  for (let i = 0; i < 100 && waiter === undefined; i++) {
    const rows = await raw.exec("select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()");
    waiter = rows[0]?.pid as number | undefined;
    if (waiter === undefined) await new Promise((r) => setTimeout(r, 20));
  }
  expect(waiter).toBeDefined();
  // Waiting, it has not written busy time yet: a booking that commits first is not booked over
  // rows its check could not see.
  expect(await raw.exec("select l.mode from pg_locks l join pg_class c on c.oid = l.relation where l.pid = ? and c.relname = 'busy_interval'", [waiter])).toEqual([]);
  await raw.exec('rollback');
  await replaced;
  expect(await store.busyOf(owner.id, { start: Date.parse('2030-01-09T00:00:00Z'), end: Date.parse('2030-01-10T00:00:00Z') })).toHaveLength(1);
});
