import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import pino from 'pino';
import { graphqlHttpHandler } from '../src/common/graphql-http';

// The HTTP layer alone, in front of a stand-in for Apollo: what reaches Apollo from a request, and
// that a failure outside GraphQL execution is a 500 in GraphQL's error shape, logged, after which
// the server keeps serving. (tests/http.test.ts covers the same layer in front of the real app.)

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

async function serving(server: ApolloServer<BaseContext>, logLines: string[]) {
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  const handler = graphqlHttpHandler(server, { bodyLimit: '1kb', logger, context: (_req, requestId) => ({ requestId }) });
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
