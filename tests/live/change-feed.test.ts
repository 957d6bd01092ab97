import { parseDatabaseUrl } from '../../src/config';
import { startTestApp } from '../support/app';
import { freshDatabaseUrl, testDialect, withAdminClient } from '../support/database';
import { postgresSessionsAfterClientsExit } from '../support/shared-database';
import { AddOneTimeWindowDocument, BookSlotDocument } from '../generated/graphql';
import { liveClient, waitFor, watch } from './live-client';

// How changes reach a process: the LISTEN connection on PostgreSQL (lost and found again, closed
// with the app), the poll of a private in-memory SQLite database.

const RANGE = { from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };
const NINE_TO_TWELVE = ['2030-01-08T09:00:00.000Z', '2030-01-08T10:00:00.000Z', '2030-01-08T11:00:00.000Z'];
const onPostgres = testDialect === 'postgresql';

async function appWithOwner(options: Parameters<typeof startTestApp>[0] = {}) {
  const app = await startTestApp({ ...options, listen: true, subscriptions: { pollIntervalMs: 50 } });
  const owner = await app.createOwner({ timeZone: 'UTC' });
  await app.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
  const book = (startsAt: string) => app.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } });
  return { app, owner, book };
}

(onPostgres ? describe : describe.skip)('PostgreSQL LISTEN connection', () => {
  test('a lost LISTEN connection is opened again, and a change made while it was down still arrives', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const { app, owner, book } = await appWithOwner({ databaseUrl });
    const live = liveClient(app.url);
    try {
      const w = watch(live, { ownerId: owner.id, ...RANGE });
      await w.nth(1);
      const database = parseDatabaseUrl(databaseUrl).dbName;
      const terminated = await withAdminClient((client) =>
        client.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'listen %'", [database]),
      );
      expect(terminated.rowCount).toBe(1);
      await book(NINE_TO_TWELVE[0]!);
      // The connection comes back after a second; the NOTIFY sent meanwhile is gone, the recheck is not.
      await waitFor(() => w.lists.length >= 2, 'the list after the reconnection', 5_000);
      expect(w.lists[1]).toEqual(NINE_TO_TWELVE.slice(1));
      await book(NINE_TO_TWELVE[1]!);
      expect(await w.nth(3)).toEqual(NINE_TO_TWELVE.slice(2));
    } finally {
      await live.dispose();
      await app.close();
    }
  });

  test('close() leaves no session on the database: the LISTEN connection goes with the pool', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const { app, owner } = await appWithOwner({ databaseUrl });
    const live = liveClient(app.url);
    await watch(live, { ownerId: owner.id, ...RANGE }).nth(1);
    await app.close();
    await live.dispose();
    expect(await postgresSessionsAfterClientsExit(parseDatabaseUrl(databaseUrl).dbName)).toEqual([]);
  });
});

describe(`the change feed of the app's own database (${testDialect}; on SQLite a private in-memory one)`, () => {
  test('changes made through the same app reach its subscribers', async () => {
    // sqlite::memory: is private to the ORM's one connection: the feed polls over it.
    const { app, owner, book } = await appWithOwner({ sqlite: 'memory' });
    const live = liveClient(app.url);
    try {
      const w = watch(live, { ownerId: owner.id, ...RANGE });
      expect(await w.nth(1)).toEqual(NINE_TO_TWELVE);
      await book(NINE_TO_TWELVE[2]!);
      expect(await w.nth(2)).toEqual(NINE_TO_TWELVE.slice(0, 2));
    } finally {
      await live.dispose();
      await app.close();
    }
  });
});
