import { createHash } from 'node:crypto';
import { parse, print, type OperationDefinitionNode } from 'graphql';
import { startTestApp, type ServedTestApp } from './support/app';
import { capturedLogger } from './support/log-capture';
import { freshDatabaseUrl } from './support/database';
import { discardSharedDatabase } from './support/shared-database';
import { pollUntil } from './support/poll';
import { matches, publicOwnerIds } from '../src/graphql/http-cache';
import { fragmentsOf } from '../src/graphql/query-limits';
import { AddOneTimeWindowDocument, BookSlotDocument, FreeSlotsDocument, UpdateOwnerDocument } from './generated/graphql';

// Issue 17: ETags, Cache-Control and 304s for public GET reads, over real HTTP on the dialect
// under test, with two apps on one database standing for two processes. The test clock starts on
// Monday 2030-01-07 08:00Z; a validator holds until the answer would change with the clock.
// A change made through the other app reaches this one's kept answers through its change feed
// (a SQLite poll every 50 ms here, NOTIFY on PostgreSQL): such tests wait for it, within seconds.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const FREE_SLOTS = print(FreeSlotsDocument);

interface Answer {
  status: number;
  etag: string | null;
  cacheControl: string | null;
  vary: string | null;
  text: string;
}

async function get(app: ServedTestApp, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  // Apollo's CSRF prevention takes a GET only with a header a browser would preflight.
  const response = await fetch(`${app.url}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return { status: response.status, etag: response.headers.get('etag'), cacheControl: response.headers.get('cache-control'), vary: response.headers.get('vary'), text: await response.text() };
}

const log = capturedLogger();
let databaseUrl: string;
let a: ServedTestApp;
let b: ServedTestApp;
let owner: { id: string; token: string };
const slotsOf = (from: string, to: string) => ({ query: FREE_SLOTS, variables: { ownerId: owner.id, from, to } });

beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl({ shared: true });
  a = await startTestApp({ databaseUrl, listen: true, logger: log.logger, queryLimits: { maxAliases: 3 }, subscriptions: { pollIntervalMs: 50 } });
  b = await startTestApp({ databaseUrl, listen: true, subscriptions: { pollIntervalMs: 50 } });
  owner = await a.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
  await a.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T17:00:00Z' } }, owner.token);
});
afterAll(async () => {
  await a.close();
  await b.close();
  discardSharedDatabase(databaseUrl);
});

describe('a public GET read', () => {
  test('answers with a weak ETag, Cache-Control public, max-age and Vary: authorization', async () => {
    const first = await get(a, slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z'));
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text).data.freeSlots).toHaveLength(8);
    expect(first.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(first.cacheControl).toBe('public, max-age=15');
    expect(first.vary).toBe('authorization');
    // The same question asked again, anywhere, gets the same tag.
    expect((await get(b, slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z'))).etag).toBe(first.etag);
    expect((await get(a, slotsOf('2030-01-08T00:00:00Z', '2030-01-08T12:00:00Z'))).etag).not.toBe(first.etag);
  });

  test('an unchanged owner answers If-None-Match with 304, no body, without running GraphQL; it is logged', async () => {
    const { etag } = await get(a, slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z'));
    const before = log.lines.length;
    const revalidated = await get(a, slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z'), { 'if-none-match': etag! });
    expect(revalidated).toMatchObject({ status: 304, etag, cacheControl: 'public, max-age=15', vary: 'authorization', text: '' });
    const lines = log.lines.slice(before).filter((l) => l.msg === 'graphql request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ outcome: 'not modified', httpStatus: 304 });
    expect(lines[0]!.requestId).toEqual(expect.any(String));
    // Another process, which never served this URL, runs the query and still answers 304.
    expect((await get(b, slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z'), { 'if-none-match': etag! })).status).toBe(304);
    // A tag the server never made gets the answer.
    expect((await get(a, slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z'), { 'if-none-match': 'W/"other"' })).status).toBe(200);
  });

  test('a GET of the same URL without If-None-Match is answered from the kept JSON, without GraphQL, while nothing moved', async () => {
    const query = slotsOf('2030-01-08T00:00:00Z', '2030-01-08T13:00:00Z');
    const first = await get(a, query);
    const before = log.lines.length;
    const again = await get(a, query);
    expect(again).toEqual(first);
    const lines = log.lines.slice(before).filter((l) => l.msg === 'graphql request');
    expect(lines).toEqual([expect.objectContaining({ outcome: 'ok (kept answer)', httpStatus: 200 })]);
    await b.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T10:00:00Z', invitee: { name: 'Kept', email: 'kept@example.com' } } });
    const after = await pollUntil(() => get(a, query), (r) => r.etag !== first.etag, (r) => `a new answer, still ${r.etag}`, { ms: 3_000 });
    expect(JSON.parse(after.text).data.freeSlots.map((s: { startsAt: string }) => s.startsAt)).not.toContain('2030-01-08T10:00:00.000Z');
    expect(log.lines.slice(before).filter((l) => l.msg === 'graphql request').at(-1)).toMatchObject({ outcome: 'ok', httpStatus: 200 });
  });

  test('a booking made through another process changes the answer: 200 with a new ETag, then 304 again', async () => {
    const query = slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z');
    const { etag } = await get(a, query);
    await b.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T15:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
    const changed = await pollUntil(() => get(a, query, { 'if-none-match': etag! }), (r) => r.status !== 304, () => 'a 200 after the change', { ms: 3_000 });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(etag);
    expect(JSON.parse(changed.text).data.freeSlots.map((s: { startsAt: string }) => s.startsAt)).not.toContain('2030-01-08T15:00:00.000Z');
    expect((await get(a, query, { 'if-none-match': changed.etag! })).status).toBe(304);
  });

  test("the owner's name changes the tag too, and the clock only when the answer moves with it", async () => {
    const query = { query: `query($id: ID!) { owner(id: $id) { name freeSlots(from: "2030-01-08T00:00:00Z", to: "2030-01-09T00:00:00Z") { startsAt } } }`, variables: { id: owner.id } };
    const { etag } = await get(a, query);
    await a.ok(UpdateOwnerDocument, { input: { name: 'Renamed' } }, owner.token);
    const renamed = await get(a, query, { 'if-none-match': etag! });
    expect(renamed.status).toBe(200);
    expect(JSON.parse(renamed.text).data.owner.name).toBe('Renamed');
    const started = a.clock.now;
    try {
      // An hour later no listed slot has started yet (the first is at 09:00 the next day): the same answer, the same tag.
      a.clock.now = new Date(started.getTime() + 3_600_000);
      expect((await get(a, query, { 'if-none-match': renamed.etag! })).status).toBe(304);
      // Once 09:00 has passed, that slot is gone: a new answer and tag.
      a.clock.now = new Date('2030-01-08T09:00:00.001Z');
      const later = await get(a, query, { 'if-none-match': renamed.etag! });
      expect(later.status).toBe(200);
      expect(later.etag).not.toBe(renamed.etag);
      expect(JSON.parse(later.text).data.owner.freeSlots[0].startsAt).not.toBe('2030-01-08T09:00:00.000Z');
    } finally {
      a.clock.now = started;
    }
  });

  test('persisted over GET: registered once, then asked by hash alone, with ETag and 304', async () => {
    const query = `query PersistedSlots($ownerId: ID!) { freeSlots(ownerId: $ownerId, from: "2030-01-08T00:00:00Z", to: "2030-01-09T00:00:00Z") { startsAt } }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const unknown = await get(a, { extensions, variables: { ownerId: owner.id } });
    expect(JSON.parse(unknown.text).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.etag).toBeNull();
    const registered = await get(a, { query, extensions, variables: { ownerId: owner.id } });
    expect(registered.status).toBe(200);
    const byHash = await get(a, { extensions, variables: { ownerId: owner.id } });
    expect(byHash.status).toBe(200);
    expect(byHash.text).toBe(registered.text);
    expect(byHash.etag).toMatch(/^W\//);
    expect((await get(a, { extensions, variables: { ownerId: owner.id } }, { 'if-none-match': byHash.etag! })).status).toBe(304);
  });

  test('the query limits refuse an oversized persisted query when it is registered; its hash stays unknown', async () => {
    const query = `query TooMany($ownerId: ID!) { a: owner(id: $ownerId) { name } b: owner(id: $ownerId) { name } c: owner(id: $ownerId) { name } d: owner(id: $ownerId) { name } }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const refused = await get(a, { query, extensions, variables: { ownerId: owner.id } });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.etag).toBeNull();
    const byHash = await get(a, { extensions, variables: { ownerId: owner.id } });
    expect(JSON.parse(byHash.text).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('what is never marked cacheable', () => {
  test.each([
    ['a request with a token', () => slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z'), true],
    ['an answer with errors (unknown owner)', () => ({ query: FREE_SLOTS, variables: { ownerId: 'nobody', from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' } }), false],
    ['a root field that is not a public read', () => ({ query: '{ me { id } }' }), true],
  ])('%s', async (_what, params, withToken) => {
    const answer = await get(a, params(), withToken ? { authorization: `Bearer ${owner.token}` } : {});
    expect(answer.etag).toBeNull();
    expect(answer.cacheControl ?? '').not.toContain('public');
  });

  test("a GET Apollo's CSRF prevention refuses is refused the same when a validator holds", async () => {
    const params = slotsOf('2030-01-08T00:00:00Z', '2030-01-08T14:00:00Z');
    const { etag } = await get(a, params);
    const search = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    for (const headers of [{}, { 'if-none-match': etag! }] as Array<Record<string, string>>) {
      const response = await fetch(`${a.url}?${search}`, { headers });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('CSRF');
    }
  });

  test('POST answers carry no validators', async () => {
    const response = await fetch(a.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slotsOf('2030-01-08T00:00:00Z', '2030-01-09T00:00:00Z')) });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeNull();
  });
});

describe('publicOwnerIds and matches', () => {
  const operationOf = (source: string) => {
    const document = parse(source);
    return { operation: document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!, fragments: fragmentsOf(document) };
  };
  test.each([
    ['{ owner(id: "o1") { name } }', {}, ['o1']],
    ['query($o: ID!) { freeSlots(ownerId: $o, from: "x", to: "y") { startsAt } __typename }', { o: 'o2' }, ['o2']],
    ['{ ...F } fragment F on Query { eventType(ownerId: "o3", slug: "s") { title } }', {}, ['o3']],
    ['{ owner(id: "o1") { name } other: owner(id: "o4") { name } }', {}, ['o1', 'o4']],
    ['{ owner(id: "o1") { name } me { id } }', {}, null],
    ['{ owner(id: 5) { name } }', {}, null],
    ['query($o: ID!) { owner(id: $o) { name } }', { o: 7 }, null],
    ['mutation { createOwner(input: {name: "x", timeZone: "UTC"}) { token } }', {}, null],
    ['{ __typename }', {}, null],
  ])('%s', (source, variables, expected) => {
    const { operation, fragments } = operationOf(source);
    expect(publicOwnerIds(operation, fragments, variables)).toEqual(expected);
  });

  test.each([
    ['W/"abc"', 'W/"abc"', true],
    ['"abc"', 'W/"abc"', true],
    ['W/"x", W/"abc"', 'W/"abc"', true],
    ['*', 'W/"abc"', true],
    ['W/"abd"', 'W/"abc"', false],
  ])('If-None-Match %s against %s', (header, etag, expected) => {
    expect(matches(header, etag)).toBe(expected);
  });
});
