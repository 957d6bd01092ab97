import { createHash } from 'node:crypto';
import { startTestApp, type ServedTestApp, type TestAppOptions } from '../support/app';
import { loadConfig } from '../../src/config';

// Request shapes an outside attack answered with a 500 (issue 16), over the real HTTP server:
// each must be a clean 4xx with a contract or Apollo code, and nothing may leak internals.

const NOW = new Date('2030-01-07T08:00:00Z');

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

function serve(options: TestAppOptions = {}): Promise<ServedTestApp> {
  return startTestApp({ now: NOW, ...options, listen: true });
}

async function post(url: string, body: unknown): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function get(url: string, params: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${url}?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': 'true' } });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const codes = (a: Answer) => (a.body.errors ?? []).map((e) => e.extensions?.code);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('with the default settings', () => {
  let s: ServedTestApp;
  beforeAll(async () => { s = await serve(); });
  afterAll(() => s.close());

  test.each([
    ['an operationName that names no operation', { query: 'query A { __typename }', operationName: 'B' }, 'Unknown operation named "B"'],
    ['two operations and no operationName', { query: 'query A { __typename } query C { __typename }' }, 'Must provide operation name'],
  ])('%s: 400 OPERATION_RESOLUTION_FAILURE', async (_name, body, message) => {
    const answer = await post(s.url, body);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    expect(answer.body.errors![0]!.message).toContain(message);
  });

  test('the same over GET', async () => {
    const answer = await get(s.url, { query: 'query A { __typename }', operationName: 'B' });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  });

  test('a variables value holding an array of 130,000 elements is checked without overflowing the stack', async () => {
    const answer = await post(s.url, { query: 'query($id: ID!) { owner(id: $id) { id } }', variables: { id: 'x', padding: new Array(130_000).fill(['a']) } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { owner: null } });
    const nul = await post(s.url, { query: 'query($id: ID!) { owner(id: $id) { id } }', variables: { id: 'x', padding: [...new Array(130_000).fill('a'), 'b\u0000'] } });
    expect(codes(nul)).toEqual(['BAD_USER_INPUT']);
  });

  test('a subscription over HTTP is 400 BAD_REQUEST', async () => {
    // A valid one: the schema has a Subscription type, whose root may not select __typename alone.
    const answer = await post(s.url, { query: 'subscription { freeSlotsChanged(ownerId: "x", from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z") { startsAt } }' });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_REQUEST']);
  });

  test('persisted queries answer with Apollo\'s codes: unknown hash, wrong hash, another version', async () => {
    const query = '{ __typename }';
    const unknown = await post(s.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ nothing }') } } });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const mismatch = await post(s.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } });
    expect(mismatch.status).toBe(400);
    expect(codes(mismatch)).toEqual(['BAD_REQUEST']);
    expect(mismatch.body.errors![0]!.message).toBe('provided sha does not match query');
    const version2 = await post(s.url, { query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
    expect(version2.status).toBe(400);
    expect(codes(version2)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    const registered = await post(s.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    expect(registered.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('with introspection on, graphql-js suggestions are kept (the schema is public anyway)', async () => {
    const answer = await post(s.url, { query: '{ me { bookings(status: CANCELED) { edges { cursor } } } }' });
    expect(answer.body.errors![0]!.message).toContain('Did you mean the enum value "CANCELLED"?');
  });

  test('a BAD_USER_INPUT from a validated input field names the field in extensions.field', async () => {
    const created = await post(s.url, { query: 'mutation { createOwner(input: { name: "Ada", timeZone: "UTC" }) { token } }' });
    const token = (created.body.data as { createOwner: { token: string } }).createOwner.token;
    const response = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation { addRecurringWindow(input: { interval: 0, weekdays: [MONDAY], startTime: "09:00", endTime: "10:00", startsOn: "2030-01-07" }) { id } }' }),
    });
    const body = (await response.json()) as Answer['body'];
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.interval' });
    expect(body.errors![0]!.message).toMatch(/^input\.interval: /);
  });

  test('no response carries a stack trace when NODE_ENV is not development', async () => {
    for (const body of [{ query: 'query A { __typename }', operationName: 'B' }, { query: 'subscription { __typename }' }, { query: '{ nope }' }]) {
      const answer = await post(s.url, body);
      expect(JSON.stringify(answer.body)).not.toMatch(/stacktrace|node_modules|\/src\//);
    }
  });
});

describe('with introspection off', () => {
  let s: ServedTestApp;
  beforeAll(async () => { s = await serve({ introspection: false }); });
  afterAll(() => s.close());

  test.each([
    ['a misspelt enum value', '{ me { bookings(status: CANCELED) { edges { cursor } } } }', 'Value "CANCELED" does not exist in "BookingStatus" enum.'],
    ['a misspelt field', '{ me { nam } }', 'Cannot query field "nam" on type "Owner".'],
    ['a misspelt argument', '{ owner(ids: "x") { id } }', 'Unknown argument "ids" on field "Query.owner".'],
  ])('%s: the message ends where the suggestion began', async (_name, query, message) => {
    const answer = await post(s.url, { query });
    expect(answer.status).toBe(400);
    expect(new Set(codes(answer))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    expect(answer.body.errors!.map((e) => e.message)).toContain(message);
    expect(JSON.stringify(answer.body)).not.toMatch(/Did you mean|Suggestion hidden/);
  });
});

test('NODE_ENV=development, and only that, turns stack traces on', () => {
  expect(loadConfig({}).development).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production' }).development).toBe(false);
  expect(loadConfig({ NODE_ENV: 'test' }).development).toBe(false);
  expect(loadConfig({ NODE_ENV: 'development' }).development).toBe(true);
});
