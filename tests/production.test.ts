import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './support/server-process';
import { pollUntil } from './support/poll';

// The README's production recipe ("Running in production"): build once with the dev
// dependencies, then run without them. Each test copies what a deployment keeps (dist/, scripts/,
// package.json, package-lock.json) into a folder of its own and gives it the production
// dependencies only: the packages package-lock.json does not mark `dev`, linked from this clone's
// node_modules. That is what `npm prune --omit=dev` leaves, without a registry or a sqlite3
// compile (a real `npm ci --omit=dev` here would need the network or minutes of node-gyp).

const ROOT = path.resolve(__dirname, '..');
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A deployment folder: the app's files, `node_modules` with the production dependencies only. */
function deployment(withDist: boolean): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'slotbook-production-'));
  folders.push(folder);
  for (const file of ['package.json', 'package-lock.json', 'scripts', ...(withDist ? ['dist'] : [])]) {
    cpSync(path.join(ROOT, file), path.join(folder, file), { recursive: true });
  }
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    // Top-level packages only: a nested one comes with the folder of the package that holds it.
    if (!key.startsWith('node_modules/') || key.lastIndexOf('node_modules/') !== 0 || entry.dev) continue;
    const target = path.join(folder, key);
    mkdirSync(path.dirname(target), { recursive: true });
    symlinkSync(path.join(ROOT, key), target, 'dir');
  }
  return folder;
}

interface Started {
  output: () => string;
  exited: Promise<number | null>;
  stop: () => void;
}

/** `npm start` in `folder`, as a process manager would run it, on a SQLite file of its own. */
function npmStart(folder: string, port: number): Started {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${path.join(folder, 'data', 'slotbook.sqlite')}`, LOG_LEVEL: 'info' };
  delete env.NODE_ENV;
  const child = spawn('npm', ['start'], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => output, exited, stop: () => child.kill('SIGTERM') };
}

test('a built app starts with production dependencies only: `npm start` runs dist/ without building, serves /health, GraphQL and the pages', async () => {
  const folder = deployment(true);
  expect(existsSync(path.join(folder, 'node_modules', 'vite'))).toBe(false);
  expect(existsSync(path.join(folder, 'node_modules', 'typescript'))).toBe(false);
  expect(existsSync(path.join(folder, 'node_modules', '@apollo', 'server'))).toBe(true);
  const port = await freePort();
  const server = npmStart(folder, port);
  let exitCode: number | null | undefined;
  void server.exited.then((code) => { exitCode = code; });
  try {
    const origin = `http://127.0.0.1:${port}`;
    await pollUntil(
      async () => {
        if (exitCode !== undefined) throw new Error(`npm start exited (${exitCode}):\n${server.output()}`);
        return fetch(`${origin}/health`).then((r) => r.status, () => 0);
      },
      (status) => status === 200,
      () => `/health answering 200; the server printed:\n${server.output()}`,
      { ms: 30_000 },
    );
    expect(await (await fetch(`${origin}/health`)).json()).toEqual({ status: 'ok' });

    const post = (query: string, token?: string) =>
      fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      }).then((r) => r.json() as Promise<{ data?: any; errors?: unknown[] }>);
    const created = await post('mutation { createOwner(input: { name: "Ada", timeZone: "Europe/Berlin" }) { token owner { id } } }');
    expect(created.errors).toBeUndefined();
    const me = await post('{ me { id name timeZone } }', created.data.createOwner.token);
    expect(me).toEqual({ data: { me: { id: created.data.createOwner.owner.id, name: 'Ada', timeZone: 'Europe/Berlin' } } });

    const page = await fetch(`${origin}/owner`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  } finally {
    server.stop();
  }
  expect(await server.exited).toBe(0);
  expect(server.output()).not.toMatch(/tsc: not found|Cannot find (module|package)|vite build/);
}, 60_000);

test('without dist/ and without the build tools, `npm start` says in one line what to run and exits non-zero', async () => {
  const folder = deployment(false);
  const server = npmStart(folder, await freePort());
  expect(await server.exited).not.toBe(0);
  const explanation = server.output().split('\n').filter((line) => line.startsWith('slotbook: '));
  expect(explanation).toHaveLength(1);
  expect(explanation[0]).toContain('npm ci && npm run build');
  expect(explanation[0]).toContain('npm prune --omit=dev');
  expect(server.output()).not.toMatch(/tsc: not found|Cannot find (module|package) 'vite'/);
}, 30_000);

test('with a built dist/ older than src/ and no build tools, the start goes on with one line saying the build is old', () => {
  const folder = deployment(true);
  const built = path.join(folder, 'dist', 'main.js');
  utimesSync(built, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  mkdirSync(path.join(folder, 'src'));
  writeFileSync(path.join(folder, 'src', 'main.ts'), '// changed after the build\n');
  const prestart = spawnSync(process.execPath, [path.join(folder, 'scripts', 'prestart.mjs')], { cwd: folder, encoding: 'utf8' });
  expect(prestart.status).toBe(0);
  expect(prestart.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^slotbook: src\/ changed since dist\/ was built.*npm ci && npm run build/)]);

  // Built after the last change: nothing to say.
  utimesSync(built, new Date(), new Date());
  const current = spawnSync(process.execPath, [path.join(folder, 'scripts', 'prestart.mjs')], { cwd: folder, encoding: 'utf8' });
  expect({ status: current.status, stderr: current.stderr }).toEqual({ status: 0, stderr: '' });
});
