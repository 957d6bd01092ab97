import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { startTestApp, type ServedTestApp } from './support/app';
import { Owner } from '../src/modules/owner/owner.entity';
import { AddOneTimeWindowDocument, CreateOwnerDocument, MeDocument, OwnerWindowsDocument, RemoveWindowDocument } from './generated/graphql';

// Over real HTTP: what executeOperation cannot reach — the context function (bearer header),
// Apollo's CSRF, batching and landing-page settings, CORS, the body limit, routing and /health.

const NOW = new Date('2030-01-07T08:00:00Z');

type Served = ServedTestApp;

function serve(options: { introspection?: boolean } = {}): Promise<Served> {
  return startTestApp({ now: NOW, ...options, listen: true });
}

interface GraphQLBody<TData> {
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

async function postJson<TData>(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody<TData> };
}

function execute<TData, TVars>(s: Served, doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string) {
  return postJson<TData>(s.url, { query: print(doc), variables }, token ? { authorization: `Bearer ${token}` } : {});
}

const codes = (body: GraphQLBody<unknown>) => (body.errors ?? []).map((e) => e.extensions?.code);

async function createOwner(s: Served, name: string) {
  const { status, body } = await execute(s, CreateOwnerDocument, { input: { name, timeZone: 'Europe/Berlin' } });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return { id: body.data!.createOwner.owner.id, token: body.data!.createOwner.token };
}

const countOwners = (s: Served) => s.app.orm.em.fork().count(Owner, {});

describe('default app over HTTP', () => {
  let s: Served;
  beforeAll(async () => { s = await serve(); });
  afterAll(() => s.close());

  test('GET /health answers 200 {"status":"ok"}', async () => {
    const response = await fetch(`${s.origin}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('HEAD /health answers 200 with no body; other paths and methods are a JSON 404 pointing at /graphql', async () => {
    const head = await fetch(`${s.origin}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    for (const [method, path] of [['POST', '/health'], ['GET', '/graphqlx'], ['GET', '/graphql/more']] as const) {
      const response = await fetch(`${s.origin}${path}`, { method });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      const body = (await response.json()) as GraphQLBody<unknown>;
      expect(codes(body)).toEqual(['NOT_FOUND']);
      expect(body.errors?.[0]?.message).toMatch(/\/graphql/);
    }
  });

  test('/graphql/ and /GraphQL answer as /graphql did under Express, query string and all', async () => {
    for (const path of ['/graphql/', '/GraphQL', '/graphql?x=1']) {
      const { status, body } = await postJson(`${s.origin}${path}`, { query: '{ __typename }' });
      expect({ path, status, body }).toEqual({ path, status: 200, body: { data: { __typename: 'Query' } } });
    }
  });

  test('a body refusal keeps the caller\'s x-request-id and the GraphQL error shape; an unknown encoding is a 415', async () => {
    const malformed = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'edge-7' }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-request-id')).toBe('edge-7');
    expect(codes((await malformed.json()) as GraphQLBody<unknown>)).toEqual(['BAD_REQUEST']);

    const encoded = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br-x' }, body: '{}' });
    expect(encoded.status).toBe(415);
    expect(codes((await encoded.json()) as GraphQLBody<unknown>)).toEqual(['BAD_REQUEST']);
  });

  test("a page on another origin may call (CORS, any origin by default): the preflight is answered and the answer's request id is readable", async () => {
    const pre = await fetch(s.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,authorization');

    const response = await fetch(s.url, { method: 'POST', headers: { origin: 'https://app.example.com', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
  });

  describe('Authorization: Bearer', () => {
    test('a valid token resolves to its owner', async () => {
      const ada = await createOwner(s, 'Ada');
      const { body } = await execute(s, MeDocument, {}, ada.token);
      expect(body.errors).toBeUndefined();
      expect(body.data?.me).toEqual({ id: ada.id, name: 'Ada', timeZone: 'Europe/Berlin', slotMinutes: 60 });
    });

    test('the scheme is case-insensitive, and two owners never see each other through me', async () => {
      const a = await createOwner(s, 'Alan');
      const b = await createOwner(s, 'Barbara');
      const asA = await postJson<{ me: { id: string } }>(s.url, { query: print(MeDocument) }, { authorization: `bearer ${a.token}` });
      const asB = await postJson<{ me: { id: string } }>(s.url, { query: print(MeDocument) }, { authorization: `Bearer ${b.token}` });
      expect(asA.body.data?.me.id).toBe(a.id);
      expect(asB.body.data?.me.id).toBe(b.id);
    });

    test.each([
      ['no Authorization header', undefined],
      ['a bogus bearer token', 'Bearer sbo_bogus-token-that-was-never-issued'],
      ['a token without the Bearer scheme', 'RAW'],
      ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ])('%s is UNAUTHENTICATED and returns no data', async (_label, header) => {
      const owner = await createOwner(s, 'Someone');
      const authorization = header === 'RAW' ? owner.token : header;
      const { body } = await postJson(s.url, { query: print(MeDocument) }, authorization ? { authorization } : {});
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
      expect(body.data ?? null).toBeNull();
    });

    test("another owner's token is FORBIDDEN on removeWindow, and the window stays", async () => {
      const alice = await createOwner(s, 'Alice');
      const mallory = await createOwner(s, 'Mallory');
      const added = await execute(s, AddOneTimeWindowDocument, { input: { startsAt: '2030-02-01T09:00:00Z', endsAt: '2030-02-01T12:00:00Z' } }, alice.token);
      expect(added.body.errors).toBeUndefined();
      const windowId = added.body.data!.addOneTimeWindow.id;

      const attempt = await execute(s, RemoveWindowDocument, { id: windowId }, mallory.token);
      expect(codes(attempt.body)).toEqual(['FORBIDDEN']);
      const anonymous = await execute(s, RemoveWindowDocument, { id: windowId });
      expect(codes(anonymous.body)).toEqual(['UNAUTHENTICATED']);

      const windows = await execute(s, OwnerWindowsDocument, { id: alice.id }, alice.token);
      expect(windows.body.errors).toBeUndefined();
      expect(windows.body.data?.owner?.windows.map((w) => w.id)).toEqual([windowId]);

      // The same request with the right token works, so the refusal above was about the token.
      const removed = await execute(s, RemoveWindowDocument, { id: windowId }, alice.token);
      expect(removed.body.data?.removeWindow).toBe(windowId);
    });
  });

  describe('CSRF prevention', () => {
    const createOwnerRequest = () => ({ query: print(CreateOwnerDocument), variables: { input: { name: 'Forged', timeZone: 'UTC' } } });

    test('a text/plain POST (a form a browser may send cross-site) is refused with 400 and creates nothing', async () => {
      const before = await countOwners(s);
      const response = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(createOwnerRequest()) });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
      expect(await countOwners(s)).toBe(before);

      // Control: the same body as JSON goes through, so only the content type was refused.
      const accepted = await postJson(s.url, createOwnerRequest());
      expect(accepted.status).toBe(200);
      expect(await countOwners(s)).toBe(before + 1);
    });

    test('a GET without apollo-require-preflight or a content type is refused with 400; with the header it runs', async () => {
      const owner = await createOwner(s, 'Visible');
      const query = encodeURIComponent(`{ owner(id: ${JSON.stringify(owner.id)}) { id name } }`);
      const refused = await fetch(`${s.url}?query=${query}`);
      expect(refused.status).toBe(400);
      const refusedBody = (await refused.json()) as GraphQLBody<unknown>;
      expect(refusedBody.data).toBeUndefined();
      expect(refusedBody.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);

      const allowed = await fetch(`${s.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.json()).toEqual({ data: { owner: { id: owner.id, name: 'Visible' } } });
    });

    test('a mutation sent as a simple GET is refused and has no side effect', async () => {
      const before = await countOwners(s);
      const query = encodeURIComponent('mutation { createOwner(input: { name: "ViaGet", timeZone: "UTC" }) { token } }');
      const response = await fetch(`${s.url}?query=${query}`);
      expect(response.status).toBe(400);
      expect(await countOwners(s)).toBe(before);
    });
  });

  test('GraphQL answers carry no ETag (no cache revalidates a POST; hashing every body was pure cost)', async () => {
    const response = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('etag')).toBeNull();
  });

  test('GET /graphql with Accept: text/html serves the Apollo Sandbox landing page', async () => {
    const response = await fetch(s.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<!DOCTYPE html>/i);
    expect(html).toMatch(/embeddable-sandbox/);
  });

  test('introspection is on by default', async () => {
    const { status, body } = await postJson<{ __schema: { queryType: { name: string } } }>(s.url, { query: '{ __schema { queryType { name } } }' });
    expect(status).toBe(200);
    expect(body.data?.__schema.queryType.name).toBe('Query');
  });

  test('a batched request (JSON array) is refused with 400 and none of its operations run', async () => {
    const before = await countOwners(s);
    const op = { query: print(CreateOwnerDocument), variables: { input: { name: 'Batched', timeZone: 'UTC' } } };
    const response = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([op, op]) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLBody<unknown>;
    expect(body.errors?.[0]?.message).toMatch(/batching/i);
    expect(await countOwners(s)).toBe(before);
  });

  test('a body over 1 MiB is refused with 413, says nothing of internals, and the server keeps serving', async () => {
    const before = await countOwners(s);
    const padding = 'x'.repeat(1024 * 1024);
    const response = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(CreateOwnerDocument), variables: { input: { name: 'Huge', timeZone: 'UTC' }, padding } }),
    });
    expect(response.status).toBe(413);
    const text = await response.text();
    expect(text).not.toMatch(/node_modules|\bat \w+ \(|raw-body/);
    expect(await countOwners(s)).toBe(before);

    // Just under the limit is still accepted (the 413 is about size, not the padding variable).
    const fits = await postJson(s.url, { query: print(CreateOwnerDocument), variables: { input: { name: 'Fits', timeZone: 'UTC' }, padding: 'x'.repeat(1000 * 1000) } });
    expect(fits.status).toBe(200);
    expect(await countOwners(s)).toBe(before + 1);
    expect((await fetch(`${s.origin}/health`)).status).toBe(200);
  });

  test('malformed JSON is a 400 that says nothing of internals', async () => {
    const response = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/node_modules|\bat \w+ \(/);
  });
});

describe('createApp({ introspection: false }) over HTTP', () => {
  let s: Served;
  beforeAll(async () => { s = await serve({ introspection: false }); });
  afterAll(() => s.close());

  test('introspection queries are refused, ordinary queries still run', async () => {
    const intro = await postJson(s.url, { query: '{ __schema { queryType { name } } }' });
    expect(intro.body.data ?? undefined).toBeUndefined();
    expect(codes(intro.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(intro.body.errors?.[0]?.message).toMatch(/introspection/i);

    const type = await postJson(s.url, { query: '{ __type(name: "Owner") { name } }' });
    expect(codes(type.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const owner = await createOwner(s, 'Quiet');
    const me = await execute(s, MeDocument, {}, owner.token);
    expect(me.body.data?.me.id).toBe(owner.id);
  });

  test('no Sandbox landing page', async () => {
    const response = await fetch(s.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await response.text()).not.toMatch(/embeddable-sandbox/);
  });
});

test('listening on an IPv6 address gives a URL with the address in brackets', async () => {
  const t = await startTestApp({ now: NOW });
  try {
    const { url } = await t.app.listen(0, '::1');
    expect(url).toMatch(/^http:\/\/\[::1\]:\d+\/graphql$/);
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
  } finally {
    await t.close();
  }
});
