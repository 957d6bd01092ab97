import { print } from 'graphql';
import { parseDatabaseUrl } from '../src/config';
import { DEFAULT_HTTP_CACHE_MAX_BYTES } from '../src/graphql/http-cache';
import { startTestApp, type ServedTestApp } from './support/app';
import { freshDatabaseUrl, testDialect, withAdminClient } from './support/database';
import { discardSharedDatabase } from './support/shared-database';
import { pollUntil } from './support/poll';
import { AddOneTimeWindowDocument, BookSlotDocument, FreeSlotsDocument } from './generated/graphql';

// Issue 21: revalidations answered from what the change feed has heard (no read while it is
// current, a read when it is not), a change made in another process still reaching them, ETags
// that move only when the answer does, and the validators' memory bounded in bytes.

const FREE_SLOTS = print(FreeSlotsDocument);

async function get(app: ServedTestApp, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  const response = await fetch(`${app.url}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return { status: response.status, etag: response.headers.get('etag'), text: await response.text() };
}

const startsOf = (text: string): string[] => (JSON.parse(text) as { data: { freeSlots: Array<{ startsAt: string }> } }).data.freeSlots.map((s) => s.startsAt);

async function ownerWithDay(app: ServedTestApp, day: string) {
  const owner = await app.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
  await app.ok(AddOneTimeWindowDocument, { input: { startsAt: `${day}T09:00:00Z`, endsAt: `${day}T17:00:00Z` } }, owner.token);
  return owner;
}

describe('a page polling every 15 s for ten minutes (injected clock)', () => {
  let t: ServedTestApp;
  beforeAll(async () => { t = await startTestApp({ listen: true }); });
  afterAll(() => t.close());

  /** Statuses of 40 conditional GETs 15 s apart from `start`, each sending the last ETag it got, as a browser does. */
  async function poll(ownerId: string, start: string): Promise<{ ok: number; notModified: number }> {
    const query = { query: FREE_SLOTS, variables: { ownerId, from: '2030-01-07T00:00:00Z', to: '2030-01-08T00:00:00Z' } };
    let etag: string | null = null;
    const counts = { ok: 0, notModified: 0 };
    for (let i = 0; i < 40; i++) {
      t.clock.now = new Date(Date.parse(start) + i * 15_000);
      const answer = await get(t, query, etag ? { 'if-none-match': etag } : {});
      if (answer.status === 200) counts.ok++;
      else if (answer.status === 304) counts.notModified++;
      etag = answer.etag ?? etag;
    }
    return counts;
  }

  test('no listed slot starts meanwhile: one 200, then 39 304s (a tag of the minute made a 200 every minute)', async () => {
    const owner = await ownerWithDay(t, '2030-01-07');
    expect(await poll(owner.id, '2030-01-07T08:00:30Z')).toEqual({ ok: 1, notModified: 39 });
  });

  test('the first listed slot starts at 09:00 during the polls: exactly one more 200, when it leaves the list', async () => {
    const owner = await ownerWithDay(t, '2030-01-07');
    expect(await poll(owner.id, '2030-01-07T08:55:00Z')).toEqual({ ok: 2, notModified: 38 });
  });
});

describe('revalidations and the change feed, two apps on one database', () => {
  let databaseUrl: string;
  let a: ServedTestApp;
  let b: ServedTestApp;
  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    a = await startTestApp({ databaseUrl, listen: true, subscriptions: { pollIntervalMs: 50 } });
    b = await startTestApp({ databaseUrl, listen: true, subscriptions: { pollIntervalMs: 50 } });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    discardSharedDatabase(databaseUrl);
  });

  test('while the feed is current a 304 reads nothing; a change made on B reaches A: 200 with the new data', async () => {
    const owner = await ownerWithDay(a, '2030-01-08');
    const query = { query: FREE_SLOTS, variables: { ownerId: owner.id, from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' } };
    const first = await get(a, query);
    // The feed starts when first asked; once it is current, the check of the kept answer holds.
    await pollUntil(
      async () => {
        const before = a.app.validators.revalidationReads;
        const answer = await get(a, query, { 'if-none-match': first.etag! });
        return answer.status === 304 && a.app.validators.revalidationReads === before;
      },
      (unread) => unread,
      () => 'a 304 without a read',
      { ms: 3_000 },
    );
    const reads = a.app.validators.revalidationReads;
    for (let i = 0; i < 20; i++) expect((await get(a, query, { 'if-none-match': first.etag! })).status).toBe(304);
    expect(a.app.validators.revalidationReads).toBe(reads);

    // A learns of B's change through its feed alone (the next poll, or the NOTIFY): once it has
    // heard of it, the revalidation is a 200 with the new data.
    const clock = a.app.validators.options.changes!;
    const heard = clock.mark()!;
    expect(heard).not.toBeNull();
    await b.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T10:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
    await pollUntil(() => clock.mark(), (mark) => mark !== null && mark > heard, () => "A's feed hearing of the booking", { ms: 3_000 });
    const changed = await get(a, query, { 'if-none-match': first.etag! });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(first.etag);
    expect(startsOf(changed.text)).not.toContain('2030-01-08T10:00:00.000Z');
    expect(startsOf(changed.text)).toHaveLength(startsOf(first.text).length - 1);
  });

  test('a client reads its own write at once: a mutation answered by A voids what A checked', async () => {
    const owner = await ownerWithDay(a, '2030-01-08');
    const query = { query: FREE_SLOTS, variables: { ownerId: owner.id, from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' } };
    const first = await get(a, query);
    await pollUntil(() => get(a, query, { 'if-none-match': first.etag! }), (r) => r.status === 304, () => 'a 304');
    await a.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T11:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
    const after = await get(a, query, { 'if-none-match': first.etag! });
    expect(after.status).toBe(200);
    expect(startsOf(after.text)).not.toContain('2030-01-08T11:00:00.000Z');
  });

  test('when the feed is not known to be current, a revalidation reads the versions', async () => {
    const owner = await ownerWithDay(a, '2030-01-08');
    const query = { query: FREE_SLOTS, variables: { ownerId: owner.id, from: '2030-01-08T00:00:00Z', to: '2030-01-08T12:00:00Z' } };
    const first = await get(a, query);
    await pollUntil(() => get(a, query, { 'if-none-match': first.etag! }), (r) => r.status === 304, () => 'a 304');
    const clock = a.app.validators.options.changes!;
    if (testDialect === 'postgresql') {
      // The LISTEN connection lost: what was announced meanwhile is unknown until it is back (a second later).
      await withAdminClient((client) => client.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'listen %'", [parseDatabaseUrl(databaseUrl).dbName]));
      await pollUntil(() => clock.mark(), (mark) => mark === null, () => 'the feed not current');
    } else {
      await a.app.liveSlots.close(); // stops the poll (and closes the feed)
      expect(clock.mark()).toBeNull();
    }
    const reads = a.app.validators.revalidationReads;
    expect((await get(a, query, { 'if-none-match': first.etag! })).status).toBe(304);
    expect(a.app.validators.revalidationReads).toBe(reads + 1);
  });
});

test('the validators hold at most HTTP cache bytes, counting the URLs, the validators and the kept answers', async () => {
  const t = await startTestApp({ listen: true });
  try {
    const owner = await ownerWithDay(t, '2030-01-08');
    const padding = 'x'.repeat(14_000);
    const urls = 340; // about 9.5 MiB of URLs at two bytes a character
    for (let i = 0; i < urls; i++) {
      const answer = await get(t, { query: FREE_SLOTS, variables: { ownerId: owner.id, from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z', pad: `${i}${padding}` } });
      expect(answer.status).toBe(200);
      if (i % 100 === 0) expect(t.app.validators.bytesHeld).toBeLessThanOrEqual(DEFAULT_HTTP_CACHE_MAX_BYTES);
    }
    const { bytesHeld, size } = t.app.validators;
    expect(bytesHeld).toBeLessThanOrEqual(DEFAULT_HTTP_CACHE_MAX_BYTES);
    // The URLs themselves count: the oldest are forgotten, and what stays holds its keys' bytes.
    expect(size).toBeLessThan(urls);
    expect(size).toBeGreaterThan(100);
    expect(bytesHeld).toBeGreaterThanOrEqual(size * 2 * padding.length);
  } finally {
    await t.close();
  }
});
