import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';

const ROOT = path.resolve(__dirname, '..', '..');
/** The real server binary, built by tests/support/global-setup.ts. */
export const MAIN = path.join(ROOT, 'dist', 'main.js');

export interface ServerProcess {
  name: string;
  url: string;
  origin: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

export interface GraphQLBody<TData> {
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

/**
 * A UTC calendar day (YYYY-MM-DD), `offset` days after the day one year past today. Server
 * processes read the real clock, so tests that spawn them put every window there: never in the
 * past, in whatever year the suite runs.
 */
export function dayAhead(offset = 0): string {
  const base = Math.floor(Date.now() / 86_400_000) + 366;
  return new Date((base + offset) * 86_400_000).toISOString().slice(0, 10);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node dist/main.js` on a free port; it reads the real clock and its env only.
 * `extraEnv` adds variables such as DATABASE_POOL_SIZE (or PGAPPNAME, to tell its PostgreSQL sessions apart),
 * or overrides PORT and HOST. `launcher: 'npm start'` starts it as a user would, through npm
 * (which builds first); `child` is then npm's process, the one a process manager signals.
 */
export async function spawnServer(
  name: string,
  databaseUrl: string,
  logLevel = 'silent',
  extraEnv: Record<string, string> = {},
  launcher: 'node' | 'npm start' = 'node',
): Promise<ServerProcess> {
  const port = await freePort();
  // RATE_LIMITS=off: storms of requests from one address are what these tests send; extraEnv may turn them on.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: logLevel, RATE_LIMITS: 'off' };
  delete env.GRAPHQL_INTROSPECTION;
  delete env.NODE_ENV;
  Object.assign(env, extraEnv);
  const child =
    launcher === 'node'
      ? spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const origin = `http://127.0.0.1:${env.PORT}`;
  return { name, url: `${origin}/graphql`, origin, child, exited, output: () => output };
}

/** Polls /health until it answers 200 {"status":"ok"}; fails with the server's output if the process dies first. */
export async function waitUntilHealthy(server: ServerProcess): Promise<void> {
  let exit: { code: number | null } | null = null;
  void server.exited.then((e) => { exit = e; });
  for (;;) {
    if (exit) throw new Error(`${server.name} exited (${JSON.stringify(exit)}) before it was healthy:\n${server.output()}`);
    try {
      const response = await fetch(`${server.origin}/health`);
      if (response.status === 200) {
        expect(await response.json()).toEqual({ status: 'ok' });
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** POSTs a typed operation and returns the HTTP status beside the body, for tests that must see every answer was a 200. */
export async function executeWithStatus<TData, TVars>(server: ServerProcess, doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string): Promise<{ status: number; body: GraphQLBody<TData> }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as GraphQLBody<TData> };
  } catch {
    throw new Error(`${server.name} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
}

export async function execute<TData, TVars>(server: ServerProcess, doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string): Promise<GraphQLBody<TData>> {
  return (await executeWithStatus(server, doc, variables, token)).body;
}

export async function ok<TData, TVars>(server: ServerProcess, doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string): Promise<TData> {
  const body = await execute(server, doc, variables, token);
  if (body.errors?.length || !body.data) throw new Error(`unexpected errors from ${server.name}: ${JSON.stringify(body.errors)}\n${server.output()}`);
  return body.data;
}

/** Kills (SIGKILL) each server that is still running and waits for it to exit; skips those never started. */
export async function killServers(servers: ReadonlyArray<ServerProcess | undefined>): Promise<void> {
  for (const server of servers) {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
}
