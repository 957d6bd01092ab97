import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Dialect } from '../../src/db/dialect';

/**
 * Which database the suite runs on. Unset: embedded SQLite (the default `npm test`). Set to a
 * postgres:// URL of a throw-away cluster (`.ci/postgres start` prints one): every test app
 * gets a fresh database on it, created here and dropped by the global teardown.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';
export const testDialect: Dialect = TEST_DATABASE_URL ? 'postgresql' : 'sqlite';
/** Databases of this jest run start with this; the global setup picks the run id, so concurrent runs on one cluster never drop each other's. */
export const TEST_DATABASE_PREFIX = `slotbook_test_${process.env.SLOTBOOK_TEST_RUN ?? 'adhoc'}_`;

if (TEST_DATABASE_URL && !/^postgres(ql)?:\/\//.test(TEST_DATABASE_URL)) {
  throw new Error(`TEST_DATABASE_URL must be a postgres:// URL, got "${TEST_DATABASE_URL}"`);
}

/** Runs statements on the cluster's maintenance database (the one TEST_DATABASE_URL names). */
export async function withAdminClient<T>(work: (client: Client) => Promise<T>, url = TEST_DATABASE_URL): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL URL like TEST_DATABASE_URL but naming `database`. */
export function postgresUrlFor(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Temp folders of this run's SQLite files start with this; the global teardown removes any still there. */
export const TEST_FOLDER_PREFIX = `slotbook-test-${process.env.SLOTBOOK_TEST_RUN ?? 'adhoc'}-`;

/** A new empty folder under the OS temp folder, for one database file (and its -wal and -shm). */
export function temporaryFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), TEST_FOLDER_PREFIX));
}

/**
 * A new, empty database of the dialect under test, for one app or one group of processes.
 * `shared`: the SQLite flavour must be a file several processes can open (else `:memory:`),
 * in a folder of its own that its user removes (discardSharedDatabase).
 */
export async function freshDatabaseUrl(options: { shared?: boolean } = {}): Promise<string> {
  if (testDialect === 'sqlite') {
    if (!options.shared) return 'sqlite::memory:';
    return `sqlite:${path.join(temporaryFolder(), 'slotbook.sqlite')}`;
  }
  // Jest gives each test file a fresh copy of this module in a reused worker: a counter alone would repeat.
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database "${name}"`));
  return postgresUrlFor(name);
}

/** Drops every database this jest run created (its global teardown). */
export async function dropTestDatabases(): Promise<number> {
  if (testDialect !== 'postgresql') return 0;
  return withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${TEST_DATABASE_PREFIX}%`]);
    // `_` is a LIKE wildcard; the exact prefix check keeps another run's databases safe.
    for (const { datname } of rows) {
      if (datname.startsWith(TEST_DATABASE_PREFIX)) await client.query(`drop database if exists "${datname}" with (force)`);
    }
    return rows.length;
  });
}

/** Removes the temp folders this jest run left (its global teardown); a closed test app leaves none. */
export function removeTemporaryFolders(): string[] {
  const left = readdirSync(os.tmpdir()).filter((name) => name.startsWith(TEST_FOLDER_PREFIX));
  for (const name of left) rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  return left;
}
