import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseHost } from '../src/config';
import { TEST_DATABASE_URL, freshDatabaseUrl, testDialect } from './support/database';
import { freePort, spawnServer, waitUntilHealthy, type ServerProcess } from './support/server-process';

// Starting and stopping as a user or a process manager does: `npm start`, a signal to npm's
// process, and, when the server cannot start, one line on the console that names the variable
// to change, then a non-zero exit.

const servers: ServerProcess[] = [];
const serverPids: number[] = [];
let scratch: string | undefined;

afterAll(async () => {
  for (const pid of serverPids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in the server's "ready" log line: the node process, whoever started it. */
function serverPid(server: ServerProcess): number {
  const ready = server.output().split('\n').find((line) => line.includes('Slotbook ready at'));
  if (!ready) throw new Error(`no ready line in:\n${server.output()}`);
  return (JSON.parse(ready) as { pid: number }).pid;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('npm start', () => {
  test('SIGTERM to the npm process stops the server: npm exits 0, the node process is gone and the port is free', async () => {
    const server = await spawnServer('npm start', await freshDatabaseUrl(), 'info', {}, 'npm start');
    servers.push(server);
    await waitUntilHealthy(server);
    const pid = serverPid(server);
    serverPids.push(pid);
    expect(pid).not.toBe(server.child.pid);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"msg":"stopped"');
    expect(isRunning(pid)).toBe(false);
    expect(await portIsFree(Number(new URL(server.origin).port))).toBe(true);
  });
});

describe('a server that cannot start says why in one line and exits non-zero', () => {
  /** Starts `node dist/main.js` with these variables and waits for it to give up. */
  async function failedStart(extraEnv: Record<string, string>, databaseUrl = 'sqlite::memory:'): Promise<{ code: number | null; lines: string[] }> {
    const server = await spawnServer('doomed', databaseUrl, 'info', extraEnv);
    servers.push(server);
    const { code } = await server.exited;
    return { code, lines: server.output().trimEnd().split('\n') };
  }

  test('a PORT in use', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      expect(await failedStart({ PORT: String(port) })).toEqual({
        code: 1,
        lines: [`slotbook: PORT ${port} is already in use on 127.0.0.1 (EADDRINUSE); set PORT to a free port`],
      });
    } finally {
      holder.close();
    }
  });

  test.each([
    ['a host name that does not resolve', 'slotbook-no-such-host.invalid', /^(ENOTFOUND|EAI_AGAIN): /],
    ['an address of another machine', '192.0.2.1', /^EADDRNOTAVAIL: not an address of this machine$/],
  ])('a HOST this machine cannot listen on: %s', async (_case, host, reason) => {
    const { code, lines } = await failedStart({ HOST: host });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    const match = /^slotbook: HOST "(.*)" cannot be listened on \((.*)\); set HOST to an address of this machine, e\.g\. 127\.0\.0\.1 or 0\.0\.0\.0$/.exec(lines[0]!);
    expect(match?.[1]).toBe(host);
    expect(match?.[2]).toMatch(reason);
  });

  test('a HOST that is not a host (a URL) is refused before anything starts', async () => {
    expect(await failedStart({ HOST: 'http://localhost:4000' })).toEqual({
      code: 2,
      lines: ['slotbook: HOST must be an IP address or a host name of this machine (e.g. 127.0.0.1, 0.0.0.0, ::, localhost), without scheme or port, got "http://localhost:4000"'],
    });
  });

  test('an unreachable PostgreSQL, named without its password', async () => {
    const port = await freePort();
    expect(await failedStart({}, `postgres://slotbook:s3cret@127.0.0.1:${port}/slotbook`)).toEqual({
      code: 1,
      lines: [`slotbook: cannot reach the database at DATABASE_URL postgres://***@127.0.0.1:${port}/slotbook: ECONNREFUSED (nothing accepts connections at that host and port)`],
    });
  });

  (testDialect === 'postgresql' ? test : test.skip)('a PostgreSQL that refuses the role', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = 'slotbook_no_such_role';
    url.password = 's3cret';
    const { code, lines } = await failedStart({}, url.toString());
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^slotbook: cannot open the database at DATABASE_URL postgres:\/\/\*\*\*@[^ ]+: .*slotbook_no_such_role.* \(28[0-9A-Z]{3}\)$/);
    expect(lines[0]).not.toContain('s3cret');
  });

  test('a SQLite file whose folder cannot be made', async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'slotbook-start-'));
    const inTheWay = path.join(scratch, 'not-a-folder');
    writeFileSync(inTheWay, '');
    const { code, lines } = await failedStart({}, `sqlite:${inTheWay}/slotbook.sqlite`);
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`slotbook: cannot open the database at DATABASE_URL sqlite:${inTheWay}/slotbook.sqlite: `)).toBe(true);
    expect(lines[0]).toMatch(/: E(EXIST|NOTDIR)\b/);
  });
});

describe('HOST', () => {
  test.each([
    [undefined, '127.0.0.1'],
    ['', '127.0.0.1'],
    [' 0.0.0.0 ', '0.0.0.0'],
    ['::', '::'],
    ['[::1]', '::1'],
    ['localhost', 'localhost'],
    ['api.example.com', 'api.example.com'],
    ['my_api', 'my_api'],
  ])('%j is listened on as %j', (raw, host) => {
    expect(parseHost(raw)).toBe(host);
  });

  test.each(['http://localhost', 'localhost:4000', '127.0.0.1/8', 'two words', '-leading-dash', 'a..b'])('%j is refused, naming HOST', (raw) => {
    expect(() => parseHost(raw)).toThrow(ConfigError);
    expect(() => parseHost(raw)).toThrow(/^HOST must be an IP address or a host name/);
  });
});
