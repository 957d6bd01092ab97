import { startTestApp } from '../support/app';
import { capturedLogger } from '../support/log-capture';
import { OwnerService } from '../../src/modules/owner/owner.service';

// Logs are JSON lines with the request id on every line; a masked INTERNAL_SERVER_ERROR carries
// that id (and the x-request-id header) so a user's report leads to the logged cause; stack
// traces reach a client only when NODE_ENV=development is set explicitly (not by default).

const NOW = new Date('2030-01-07T08:00:00Z');

async function serve(development: boolean) {
  const { logger, lines } = capturedLogger();
  return { ...(await startTestApp({ now: NOW, development, logger, listen: true })), lines };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: response.status, requestId: response.headers.get('x-request-id'), json };
}

const OWNER = 'query OwnerById($id: ID!) { owner(id: $id) { id name } }';

describe.each([
  ['by default (NODE_ENV unset or production)', false],
  ['with NODE_ENV=development', true],
])('%s', (_name, development) => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { s = await serve(development); });
  afterAll(() => s.close());
  afterEach(() => jest.restoreAllMocks());

  test('every response carries an x-request-id; a plain incoming one is kept, anything else replaced', async () => {
    const fresh = await post(s.url, { query: OWNER, variables: { id: 'x' } });
    expect(fresh.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await post(s.url, { query: OWNER, variables: { id: 'x' } }, { 'x-request-id': 'edge-42.a' });
    expect(kept.requestId).toBe('edge-42.a');
    const hostile = await post(s.url, { query: OWNER, variables: { id: 'x' } }, { 'x-request-id': 'a"b\u00e9<script>' + 'x'.repeat(100) });
    expect(hostile.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an unexpected failure is masked, carries the request id, and is logged with its cause under that id', async () => {
    jest.spyOn(OwnerService.prototype, 'findOwner').mockRejectedValue(new Error('SQLITE_CORRUPT at /srv/secret/path.sqlite'));
    const before = s.lines.length;
    const { status, requestId, json } = await post(s.url, { query: OWNER, variables: { id: 'x' }, operationName: 'OwnerById' });
    expect(status).toBe(200);
    const [error] = json.errors!;
    expect(error!.message).toBe('Internal server error');
    expect(error!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error!.extensions!.requestId).toBe(requestId);
    if (!development) {
      expect(error!.extensions!.stacktrace).toBeUndefined();
      expect(JSON.stringify(json)).not.toContain('SQLITE_CORRUPT');
      expect(JSON.stringify(json)).not.toContain('/srv/secret');
    } else {
      // In development the stack helps; the message itself still says nothing.
      expect(error!.extensions!.stacktrace).toEqual(expect.arrayContaining([expect.stringContaining('SQLITE_CORRUPT')]));
    }

    const logged = s.lines.slice(before);
    const cause = logged.find((l) => l.msg === 'unexpected error');
    expect(cause).toMatchObject({ requestId, level: 50, err: { message: 'SQLITE_CORRUPT at /srv/secret/path.sqlite' } });
    const summary = logged.find((l) => l.msg === 'graphql request');
    expect(summary).toMatchObject({ requestId, operationName: 'OwnerById', operationType: 'query', outcome: 'failed', errorCodes: ['INTERNAL_SERVER_ERROR'] });
    expect(typeof summary!.durationMs).toBe('number');
  });

  test('one summary line per request, with outcome ok or refused, and every request line carries a request id', async () => {
    const before = s.lines.length;
    const ok = await post(s.url, { query: OWNER, variables: { id: 'nobody' } });
    const refused = await post(s.url, { query: 'query Me { me { id } }' });
    expect(refused.json.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(refused.json.errors![0]!.extensions!.requestId).toBeUndefined();
    const logged = s.lines.slice(before);
    expect(logged.every((l) => typeof l.requestId === 'string')).toBe(true);
    const summaries = logged.filter((l) => l.msg === 'graphql request');
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toMatchObject({ requestId: ok.requestId, outcome: 'ok', operationName: 'OwnerById', httpStatus: 200 });
    expect(summaries[1]).toMatchObject({ requestId: refused.requestId, outcome: 'refused', operationName: 'Me', errorCodes: ['UNAUTHENTICATED'] });
  });

  test('a request refused by the query limits is logged as refused with its HTTP status', async () => {
    const before = s.lines.length;
    const deep = await post(s.url, { query: `{ ${'owner(id: "x") { bookings { edges { node { '.repeat(4)}id${' } } } }'.repeat(4)} }` });
    expect(deep.status).toBe(400);
    const summary = s.lines.slice(before).find((l) => l.msg === 'graphql request');
    expect(summary).toMatchObject({ requestId: deep.requestId, outcome: 'refused', httpStatus: 400, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });
});
