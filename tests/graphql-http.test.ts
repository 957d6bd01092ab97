import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import pino from 'pino';
import { graphqlHttpHandler } from '../src/http/graphql-http';
import type { CorsOrigins } from '../src/http/graphql-http';

// The HTTP layer alone, in front of a stand-in for Apollo: what reaches Apollo from a request, and
// that a failure outside GraphQL execution is a 500 in GraphQL's error shape, logged, after which
// the server keeps serving; which browser origins may call (CORS). (tests/http.test.ts covers the
// same layer in front of the real app.)

interface Seen {
  request: HTTPGraphQLRequest;
  context: { requestId: string };
}

function standIn(answer: (request: HTTPGraphQLRequest) => HTTPGraphQLResponse) {
  const seen: Seen[] = [];
  const server = {
    async executeHTTPGraphQLRequest({ httpGraphQLRequest, context }: { httpGraphQLRequest: HTTPGraphQLRequest; context: () => Promise<{ requestId: string }> }) {
      seen.push({ request: httpGraphQLRequest, context: await context() });
      return answer(httpGraphQLRequest);
    },
  };
  return { server: server as unknown as ApolloServer<BaseContext>, seen };
}

async function serving(server: ApolloServer<BaseContext>, logLines: string[], corsOrigins: CorsOrigins = '*') {
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  const handler = graphqlHttpHandler(server, { bodyLimit: '1kb', corsOrigins, logger, context: (_req, requestId) => ({ requestId }) });
  const httpServer = http.createServer(handler);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  return { url, close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())) };
}

const complete = (string: string, status = 200): HTTPGraphQLResponse => ({
  status,
  headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
  body: { kind: 'complete', string },
});

test('Apollo gets the method, every header, the query string, the parsed body and a context with the request id; its answer goes out as given', async () => {
  const { server, seen } = standIn(() => complete('{"data":{"ok":true}}', 201));
  const s = await serving(server, []);
  try {
    const response = await fetch(`${s.url}?a=1&b=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'edge-1', 'x-two': 'v' },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe('edge-1');
    expect(await response.text()).toBe('{"data":{"ok":true}}');

    expect(seen).toHaveLength(1);
    const [{ request, context }] = seen;
    expect(request.method).toBe('POST');
    expect(request.search).toBe('?a=1&b=2');
    expect(request.body).toEqual({ query: '{ ok }' });
    expect(request.headers.get('x-two')).toBe('v');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(context).toEqual({ requestId: 'edge-1' });
  } finally {
    await s.close();
  }
});

test('a failure outside execution is a logged 500 in GraphQL error shape, and the next request is served', async () => {
  let fail = true;
  const { server } = standIn(() => {
    if (fail) throw new Error('boom at /secret/path.ts:12');
    return complete('{"data":{"ok":true}}');
  });
  const logLines: string[] = [];
  const s = await serving(server, logLines);
  try {
    const post = () => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ok }"}' });
    const failed = await post();
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(text).not.toMatch(/secret|boom/);
    expect(logLines.some((line) => line.includes('unexpected HTTP error') && line.includes('boom'))).toBe(true);

    fail = false;
    const next = await post();
    expect(next.status).toBe(200);
    expect(await next.json()).toEqual({ data: { ok: true } });
  } finally {
    await s.close();
  }
});

test('a body over the limit never reaches Apollo: 413 with the GraphQL error shape, nothing logged as a failure', async () => {
  const { server, seen } = standIn(() => complete('{}'));
  const logLines: string[] = [];
  const s = await serving(server, logLines);
  try {
    const response = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'x'.repeat(2048) }) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(seen).toHaveLength(0);
    expect(logLines.filter((line) => line.includes('unexpected HTTP error'))).toEqual([]);
  } finally {
    await s.close();
  }
});

describe('CORS: which browser origins may call from their pages', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
  const post = (url: string, origin: string) =>
    fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{"query":"{ ok }"}' });

  test('any origin by default: preflights are answered without Apollo and cached for 10 minutes; answers are readable with their request id', async () => {
    const { server, seen } = standIn(() => complete('{"data":{"ok":true}}'));
    const s = await serving(server, []);
    try {
      const pre = await preflight(s.url, 'https://app.example.com');
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('*');
      expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST');
      expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
      expect(pre.headers.get('access-control-max-age')).toBe('600');
      expect(seen).toHaveLength(0);

      const answer = await post(s.url, 'https://app.example.com');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-expose-headers')).toBe('x-request-id');
      expect(seen).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  test('a list allows exactly its origins', async () => {
    const { server } = standIn(() => complete('{"data":{"ok":true}}'));
    const s = await serving(server, [], ['https://app.example.com', 'http://localhost:5173']);
    try {
      for (const origin of ['https://app.example.com', 'http://localhost:5173']) {
        expect((await preflight(s.url, origin)).headers.get('access-control-allow-origin')).toBe(origin);
        const answer = await post(s.url, origin);
        expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
        expect(answer.headers.get('vary')).toMatch(/origin/i);
      }
      for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.example']) {
        expect((await preflight(s.url, origin)).headers.get('access-control-allow-origin')).toBeNull();
        expect((await post(s.url, origin)).headers.get('access-control-allow-origin')).toBeNull();
      }
    } finally {
      await s.close();
    }
  });

  test('none adds no CORS headers, and a preflight goes on to Apollo like any other request', async () => {
    const { server, seen } = standIn(() => complete('{}', 405));
    const s = await serving(server, [], 'none');
    try {
      const pre = await preflight(s.url, 'https://app.example.com');
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(seen.map((x) => x.request.method)).toEqual(['OPTIONS']);
      expect((await post(s.url, 'https://app.example.com')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await s.close();
    }
  });
});
