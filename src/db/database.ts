import { LockWaitTimeoutException, MikroORM, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { DatabaseTarget, Dialect } from './dialect';
import { migrationsByDialect } from './migrations';

/** Most PostgreSQL connections one process opens unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** The ORM as the app uses it: either SQL driver, seen through what they share. */
export type Orm = MikroORM<AbstractSqlDriver>;

/** How long any SQLite connection of this process waits for another's lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * WAL pages after which a commit copies the WAL into the database file and fsyncs it, holding the
 * write lock meanwhile (SQLite's automatic checkpoint). At SQLite's default, 1,000 pages, those
 * stalls hit bookings often (a booking writes ~9 pages); at 4,000 they are four times rarer and
 * pages rewritten in between (index roots, the owner's row) are copied once, for a WAL of up to
 * 16 MiB. docs/operations.md has the trade-off, bench/results/decisions.md the figures.
 */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 4_000;

/**
 * What every read-write SQLite connection of this process runs first (see docs/operations.md).
 * busy_timeout comes first so even switching a new file to WAL waits for the lock instead of
 * failing when several processes open it at once. WAL lets readers run beside the one writer
 * and lets several processes share the file; busy_timeout makes a writer wait for the lock
 * instead of failing; synchronous=NORMAL is durable across process crashes in WAL mode (only an
 * OS crash can lose the last commits).
 */
export const SQLITE_PRAGMAS_SQL = [
  `busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  `wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`,
]
  .map((pragma) => `PRAGMA ${pragma};`)
  .join(' ');

interface RawSqliteConnection {
  exec(sql: string, done: (err: Error | null) => void): void;
}

export interface DatabaseOptions {
  /** The entity classes (modules/entities.ts); passed in, since the database layer knows no module. */
  entities: NonNullable<Options['entities']>;
  /** Most PostgreSQL connections this process opens (SQLite always uses one: it has one writer anyway). */
  poolSize?: number;
}

function commonOptions(dialect: Dialect, entities: Options['entities']): Options {
  return {
    entities,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    migrations: { migrationsList: migrationsByDialect[dialect], transactional: true, allOrNothing: true, snapshot: false, silent: true },
  };
}

export function ormOptions(target: DatabaseTarget, options: DatabaseOptions): Options {
  if (target.dialect === 'postgresql') {
    return {
      ...commonOptions('postgresql', options.entities),
      driver: PostgreSqlDriver,
      clientUrl: target.clientUrl,
      dbName: target.dbName,
      // At least two: migrating holds one connection for the lock while the migrator uses another.
      pool: { min: 0, max: Math.max(2, options.poolSize ?? DEFAULT_POOL_SIZE), idleTimeoutMillis: 30_000 },
    };
  }
  return {
    ...commonOptions('sqlite', options.entities),
    driver: SqliteDriver,
    dbName: target.dbName,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: RawSqliteConnection, done: (err: Error | null, conn: RawSqliteConnection) => void) {
        conn.exec(SQLITE_PRAGMAS_SQL, (err) => done(err, conn));
      },
    },
  };
}


const MIGRATION_ATTEMPTS = 20;

const SQLITE_MIGRATIONS_TABLE_DDL =
  'create table if not exists `mikro_orm_migrations` (`id` integer not null primary key autoincrement, `name` varchar(255), `executed_at` datetime default CURRENT_TIMESTAMP)';

/** Any 64-bit number names the lock; this one is "slotbook" read as ASCII. */
const PG_MIGRATION_LOCK = '8317145157504823147';

function isLockTimeout(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof LockWaitTimeoutException) return true;
  return false;
}

/**
 * SQLite: processes started together on one file race to migrate. The migrator checks for its
 * table and then creates it outside any transaction, so the table is created here
 * idempotently first; the loser's read-then-write migration transaction gets SQLITE_BUSY at
 * once (busy_timeout cannot help a stale snapshot), is rolled back whole, and retries until it
 * finds the winner's work committed.
 */
async function migrateSqlite(orm: Orm): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await orm.em.getConnection().execute(SQLITE_MIGRATIONS_TABLE_DDL);
      await orm.getMigrator().up();
      return;
    } catch (err) {
      if (attempt >= MIGRATION_ATTEMPTS || !isLockTimeout(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}

/**
 * PostgreSQL: N processes deploying at once queue on one advisory lock, held by a transaction
 * on its own pooled connection while the migrator works on another; each later process then
 * finds nothing pending. The lock ends with that transaction, also if the process dies.
 */
async function migratePostgres(orm: Orm): Promise<void> {
  const knex = orm.em.getConnection().getKnex();
  await knex.transaction(async (lock) => {
    await lock.raw('select pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
    await orm.getMigrator().up();
  });
}

/** Opens the database named by the URL and applies every committed migration that has not run yet. */
export async function openDatabase(target: DatabaseTarget, options: DatabaseOptions): Promise<Orm> {
  const orm = (await MikroORM.init(ormOptions(target, options))) as Orm;
  try {
    await (target.dialect === 'postgresql' ? migratePostgres(orm) : migrateSqlite(orm));
    return orm;
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}
