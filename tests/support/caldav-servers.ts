/*
 * Real CalDAV servers for the calendar-source tests: Radicale (Debian's python3-radicale, run
 * with /usr/bin/python3 because a pyenv python3 on PATH may lack it) with htpasswd "plain"
 * credentials, and Xandikos (no authentication), each on 127.0.0.1, a free port and a temporary
 * folder. `.ci/run` installs both; without them the tests that need them are skipped, saying why.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Credentials } from '../../src/modules/calendar-source/safe-fetch';
import { basicAuthorization } from '../../src/modules/calendar-source/safe-fetch';
import { startIcsServer, type IcsServer } from './ics-server';
import { pollUntil } from './poll';

export interface CalDavServer {
  name: 'Radicale' | 'Xandikos';
  /** Credentials the server accepts (null: it has no authentication). */
  credentials: Credentials | null;
  /** Creates an empty calendar collection (MKCALENDAR) and answers its URL. */
  newCalendar(name: string): Promise<string>;
  stop(): Promise<void>;
}

const PYTHON = '/usr/bin/python3';
const XANDIKOS = '/usr/bin/xandikos';

/** Why the servers cannot run here, or null when both can. */
export function missingCalDavServers(): string | null {
  const radicale = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import radicale'], { stdio: 'ignore' }).status === 0;
  const xandikos = existsSync(XANDIKOS);
  if (radicale && xandikos) return null;
  return `CalDAV server tests skipped: ${[radicale ? '' : 'Radicale', xandikos ? '' : 'Xandikos'].filter(Boolean).join(' and ')} missing (apt-get install -y python3-radicale xandikos)`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function started(name: string, child: ChildProcess, baseUrl: string, output: () => string): Promise<void> {
  await pollUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${output()}`);
      return fetch(baseUrl, { method: 'OPTIONS' }).then((r) => r.status, () => 0);
    },
    (status) => status > 0,
    () => `${name} to answer on ${baseUrl}: ${output()}`,
    { ms: 20_000, everyMs: 100 },
  );
}

function stopper(child: ChildProcess, folder: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  };
}

async function makeCalendar(url: string, credentials: Credentials | null): Promise<string> {
  const response = await fetch(url, {
    method: 'MKCALENDAR',
    headers: { 'content-type': 'application/xml', ...(credentials ? { authorization: basicAuthorization(credentials) } : {}) },
    body: '<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>test</d:displayname></d:prop></d:set></c:mkcalendar>',
  });
  if (response.status !== 201) throw new Error(`MKCALENDAR ${url} answered ${response.status}: ${await response.text()}`);
  return url;
}

function spawnLogged(command: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => log };
}

export async function startRadicale(): Promise<CalDavServer> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'slotbook-radicale-'));
  const port = await freePort();
  const credentials = { username: 'alice', password: 'radicale-test-password' };
  writeFileSync(path.join(folder, 'users'), `${credentials.username}:${credentials.password}\n`);
  writeFileSync(
    path.join(folder, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${path.join(folder, 'users')}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${path.join(folder, 'collections')}`,
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );
  const { child, output } = spawnLogged(PYTHON, ['-m', 'radicale', '--config', path.join(folder, 'config')]);
  const baseUrl = `http://127.0.0.1:${port}`;
  await started('Radicale', child, baseUrl, output);
  return {
    name: 'Radicale',
    credentials,
    newCalendar: (name) => makeCalendar(`${baseUrl}/${credentials.username}/${name}/`, credentials),
    stop: stopper(child, folder),
  };
}

export async function startXandikos(): Promise<CalDavServer> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'slotbook-xandikos-'));
  const port = await freePort();
  const { child, output } = spawnLogged(XANDIKOS, ['--defaults', '-d', folder, '-l', '127.0.0.1', '-p', String(port)]);
  const baseUrl = `http://127.0.0.1:${port}`;
  await started('Xandikos', child, baseUrl, output);
  return {
    name: 'Xandikos',
    credentials: null,
    newCalendar: (name) => makeCalendar(`${baseUrl}/user/calendars/${name}/`, null),
    stop: stopper(child, folder),
  };
}

export interface CalendarServers {
  /** The in-process ICS feed server (set once beforeAll has run). */
  ics: IcsServer;
  /** Radicale and Xandikos, when missingCalDavServers() is null. */
  caldav: Partial<Record<CalDavServer['name'], CalDavServer>>;
}

/** Starts the feed server and both CalDAV servers before the file's tests and stops them after. */
export function useCalendarServers(): CalendarServers {
  const servers = { caldav: {} } as CalendarServers;
  beforeAll(async () => {
    servers.ics = await startIcsServer();
    const missing = missingCalDavServers();
    if (missing) console.warn(missing);
    else [servers.caldav.Radicale, servers.caldav.Xandikos] = await Promise.all([startRadicale(), startXandikos()]);
  });
  afterAll(async () => {
    await servers.ics?.close();
    await Promise.all(Object.values(servers.caldav).map((s) => s.stop()));
  });
  return servers;
}
