import { LockWaitTimeoutException, MikroORM, type Options } from '@mikro-orm/sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { parseDatabaseUrl } from '../config';
import { Owner } from '../modules/owner/owner.entity';
import { OneTimeWindow, RecurringWindow, WindowException } from '../modules/availability/window.entity';
import { Booking, BookingCell, ManageToken } from '../modules/booking/booking.entity';
import { migrationsList } from '../migrations';

export const entities = [Owner, OneTimeWindow, RecurringWindow, WindowException, Booking, BookingCell, ManageToken];

/**
 * busy_timeout comes first so even switching a new file to WAL waits for the lock instead of
 * failing when several processes open it at once. WAL lets readers run beside the one writer and lets several processes share the file;
 * busy_timeout makes a writer wait for the lock instead of failing; synchronous=NORMAL is
 * durable across process crashes in WAL mode (only an OS crash can lose the last commits).
 */
const SQLITE_PRAGMAS = ['busy_timeout = 10000', 'journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON'];

interface RawSqliteConnection {
  exec(sql: string, done: (err: Error | null) => void): void;
}

export function ormOptions(databaseUrl: string): Options {
  const { dbName } = parseDatabaseUrl(databaseUrl);
  return {
    dbName,
    entities,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: RawSqliteConnection, done: (err: Error | null, conn: RawSqliteConnection) => void) {
        conn.exec(SQLITE_PRAGMAS.map((p) => `PRAGMA ${p};`).join(' '), (err) => done(err, conn));
      },
    },
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
  };
}

const MIGRATION_ATTEMPTS = 20;

const MIGRATIONS_TABLE_DDL =
  'create table if not exists `mikro_orm_migrations` (`id` integer not null primary key autoincrement, `name` varchar(255), `executed_at` datetime default CURRENT_TIMESTAMP)';

function isLockTimeout(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof LockWaitTimeoutException) return true;
  return false;
}

/**
 * Opens the database and applies every committed migration that has not run yet. Processes
 * started together on one file race to migrate: the loser's read-then-write transaction gets
 * SQLITE_BUSY at once (busy_timeout cannot help a stale snapshot), is rolled back whole, and
 * retries until it finds the winner's work committed.
 */
export async function openDatabase(databaseUrl: string): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(databaseUrl));
  for (let attempt = 1; ; attempt++) {
    try {
      // The migrator checks for its table and then creates it, outside any transaction: two
      // processes started together both see it missing and the second CREATE fails. Creating it
      // here idempotently (the migrator's own DDL) closes that window.
      await orm.em.getConnection().execute(MIGRATIONS_TABLE_DDL);
      await orm.getMigrator().up();
      return orm;
    } catch (err) {
      if (attempt < MIGRATION_ATTEMPTS && isLockTimeout(err)) {
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
        continue;
      }
      await orm.close(true);
      throw err;
    }
  }
}
