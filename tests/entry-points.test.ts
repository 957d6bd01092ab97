import { startTestApp, type ServedTestApp } from './support/app';
import { freshDatabaseUrl } from './support/database';
import { spawnServer, waitUntilHealthy, type ServerProcess } from './support/server-process';

// Where a newcomer lands (issue 21, "Nothing points to the pages"): the start-up log names the
// owner page, `/` leads to it, and the browser page at /graphql points to it even offline,
// when Apollo's Sandbox cannot load from its CDN.

let t: ServedTestApp;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
});
afterAll(() => t.close());

test('GET / redirects to the owner page', async () => {
  for (const method of ['GET', 'HEAD']) {
    const response = await fetch(`${t.origin}/`, { method, redirect: 'manual' });
    expect({ method, status: response.status, location: response.headers.get('location') }).toEqual({ method, status: 302, location: '/owner' });
  }
  const followed = await fetch(`${t.origin}/`);
  expect(followed.url).toBe(`${t.origin}/owner`);
  expect(followed.headers.get('content-type')).toMatch(/^text\/html/);
});

test('the /graphql page in a browser links to the owner page and shows a curl example under the Sandbox', async () => {
  const response = await fetch(t.url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toMatch(/embeddable-sandbox/);
  expect(html).toContain('<a href="/owner">');
  expect(html).toContain('curl -s');
  expect(html).not.toContain('Sandbox cannot be loaded');
  // Apollo's CSP allows only scripts with its nonce: ours carries the same one.
  const nonces = new Set([...html.matchAll(/<script nonce="([0-9a-f]+)"/g)].map((m) => m[1]));
  expect(nonces.size).toBe(1);
  expect(html).toContain('window.location.origin');
});

describe('the start-up log', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  test('names the owner page URL beside /graphql', async () => {
    server = await spawnServer('start log', await freshDatabaseUrl(), 'info');
    await waitUntilHealthy(server);
    const ready = server.output().split('\n').find((line) => line.includes('Slotbook ready at'));
    expect(ready).toBeDefined();
    const line = JSON.parse(ready!) as { msg: string; ownerPage: string; sandbox: string };
    expect(line.msg).toContain(`${server.origin}/owner`);
    expect(line.msg).toContain(`${server.origin}/graphql`);
    expect(line).toMatchObject({ ownerPage: `${server.origin}/owner`, sandbox: `${server.origin}/graphql` });
  });
});
