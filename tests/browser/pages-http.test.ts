import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp, type ServedTestApp } from '../support/app';
import * as pageOperations from '../../src/web/generated/graphql';

// How the server serves the built pages (src/http/pages.ts): every page route answers the one
// document, revalidated each visit; hashed assets are immutable; nothing else changes. No
// browser needed: these run with or without Chromium.

let t: ServedTestApp;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
});
afterAll(async () => {
  await t.close();
});

/** A raw request, so the path reaches the server exactly as written (fetch would normalise `..`). */
function rawBytes(method: string, pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { port } = new URL(t.origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function raw(method: string, pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const res = await rawBytes(method, pathname, headers);
  return { ...res, body: res.body.toString('utf8') };
}

test.each(['/book/some-owner', '/book/some-owner/consultation', '/team/some-team/intro-call', '/manage/some-booking?token=abc', '/owner', '/owner/'])('GET %s answers the pages document, revalidated on every visit', async (route) => {
  const res = await raw('GET', route);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-cache');
  const { host } = new URL(t.origin);
  expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://${host} wss://${host};`);
  expect(res.headers['content-security-policy']).toContain("script-src 'self';");
  // Inline styles only where emails are shown whole (the owner page's sandboxed frame).
  expect(res.headers['content-security-policy']).toContain(route.startsWith('/owner') ? "style-src 'self' 'unsafe-inline';" : "style-src 'self';");
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.body).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
  // Nothing is loaded from elsewhere: every src and href is this server's or inline data.
  for (const [, url] of res.body.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).toMatch(/^(\/assets\/|data:)/);
});

test('a Host header that is more than a host and port adds no WebSocket source to the CSP', async () => {
  const res = await raw('GET', '/owner', { host: "evil.example; script-src *" });
  expect(res.status).toBe(200);
  expect(res.headers['content-security-policy']).toContain("connect-src 'self'; ");
  expect(res.headers['content-security-policy']).not.toContain('evil');
});

test('the document answers 304 to its ETag, and HEAD without a body', async () => {
  const first = await raw('GET', '/owner');
  const again = await raw('GET', '/owner', { 'if-none-match': first.headers.etag! });
  expect(again.status).toBe(304);
  expect(again.body).toBe('');
  const head = await raw('HEAD', '/book/x');
  expect(head.status).toBe(200);
  expect(head.body).toBe('');
  expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(first.body));
});

test('hashed assets: their content type, cached for a year as immutable', async () => {
  const page = await raw('GET', '/owner');
  const assets = [...page.body.matchAll(/"(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
  expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
  for (const asset of assets) {
    const res = await raw('GET', asset);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // React's production build, whatever NODE_ENV the build ran under (jest's is `test`).
    if (asset.endsWith('.js')) expect(res.body).not.toContain('React DevTools');
  }
});

test('the bundle goes gzipped to a client that takes gzip, as it is to one that does not', async () => {
  const page = await raw('GET', '/owner');
  const script = /"(\/assets\/[^"]+\.js)"/.exec(page.body)![1]!;
  const plain = await fetch(`${t.origin}${script}`, { headers: { 'accept-encoding': 'identity' } });
  const plainBody = Buffer.from(await plain.arrayBuffer());
  expect(plain.headers.get('content-encoding')).toBeNull();
  const zipped = await rawBytes('GET', script, { 'accept-encoding': 'br, gzip;q=0.8' });
  expect(zipped.headers['content-encoding']).toBe('gzip');
  expect(zipped.headers.vary).toBe('accept-encoding');
  expect(zipped.body.length).toBeLessThan(plainBody.length / 2);
  expect(gunzipSync(zipped.body).equals(plainBody)).toBe(true);
  expect(zipped.headers.etag).not.toBe(plain.headers.get('etag'));
  expect((await rawBytes('GET', script, { 'accept-encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
});

test('an unknown asset is 404, a path out of the folder is no page, other methods are 405', async () => {
  expect((await raw('GET', '/assets/nothing-here.js')).status).toBe(404);
  const escape = await raw('GET', '/assets/../index.html');
  expect(escape.status).toBe(404);
  expect(escape.headers['content-type']).toContain('application/json');
  expect((await raw('GET', '/book')).status).toBe(404);
  expect((await raw('GET', '/book/a/b/c')).status).toBe(404);
  // A team's page names both the team and the event type (docs/api.md, Part 3, 39).
  expect((await raw('GET', '/team/some-team')).status).toBe(404);
  expect((await raw('GET', '/team/a/b/c')).status).toBe(404);
  const post = await raw('POST', '/owner');
  expect(post.status).toBe(405);
  expect(post.headers.allow).toBe('GET, HEAD');
});

test('without a build the page routes say how to make one', async () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'slotbook-no-pages-'));
  const bare = await startTestApp({ listen: true, pagesDirectory: empty });
  try {
    const res = await fetch(`${bare.origin}/owner`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    expect((await fetch(`${bare.origin}/health`)).status).toBe(200);
  } finally {
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  }
});

// A page's operation refused by the query limits (GRAPHQL_MAX_COST, depth, aliases) would fail
// only in the browser; every document of the pages' typed client passes validation here.
const documents = Object.entries(pageOperations).filter(([name]) => name.endsWith('Document')) as [string, { toString(): string }][];
test.each(documents)('%s passes the server\'s query limits with the default settings', async (_name, document) => {
  const response = await t.app.server.executeOperation({ query: document.toString() }, { contextValue: t.app.contextFor(null) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const codes = (response.body.singleResult.errors ?? []).map((e) => e.extensions?.code);
  expect(codes).not.toContain('GRAPHQL_VALIDATION_FAILED');
  expect(codes).not.toContain('GRAPHQL_PARSE_FAILED');
});
