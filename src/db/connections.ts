import sqlite3 from 'sqlite3';
import type { EntityManager } from '@mikro-orm/knex';
import { types } from 'node:util';
import type { DatabaseTarget } from './dialect';
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_PRAGMAS_SQL } from './database';

// The hottest statements, in plain SQL with `?` parameters, outside the ORM's query building,
// connection pool and hydration: on a SQLite file over connections of their own with prepared
// statements, elsewhere over the ORM's connection.

/**
 * Where the hottest reads run: the owner's cache key on every freeSlots request and the
 * calendar behind every freeSlots miss and bookSlot check. They are read outside any
 * transaction and see every commit of any process at once.
 */
export interface ReadConnection {
  all<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Through the ORM's connection: PostgreSQL (a pool), and an in-memory SQLite database (private to its one connection). */
class OrmReadConnection implements ReadConnection {
  constructor(private readonly em: EntityManager) {}

  all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, [...params]);
  }

  async close(): Promise<void> {}
}

/** How many read-only connections serve a SQLite file's hot reads (libuv runs four threads by default). */
export const SQLITE_READERS = 4;

/**
 * A SQLite file: read-only connections of its own with prepared statements kept per SQL text.
 * Through the ORM these reads cost more CPU than the rest of a cached freeSlots answer (query
 * building, the one-connection pool shared with every write, result mapping; the figures are in
 * bench/results/decisions.md). Several connections, each call going to
 * the least busy: one prepared statement runs one call at a time, and one connection one
 * statement at a time, so a single connection made every concurrent request wait in one queue
 * that advances once per event-loop turn. In WAL mode each connection sees every commit at once
 * and reads beside the writer.
 */
class SqliteReadConnection implements ReadConnection {
  private constructor(private readonly readers: SqliteReader[]) {}

  static async open(file: string, count = SQLITE_READERS): Promise<SqliteReadConnection> {
    const readers: SqliteReader[] = [];
    try {
      for (let i = 0; i < count; i++) readers.push(await SqliteReader.open(file));
    } catch (err) {
      await Promise.allSettled(readers.map((r) => r.close()));
      throw err;
    }
    return new SqliteReadConnection(readers);
  }

  all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    let reader = this.readers[0]!;
    for (const r of this.readers) if (r.pending < reader.pending) reader = r;
    return reader.all<T>(sql, params);
  }

  async close(): Promise<void> {
    await Promise.all(this.readers.map((r) => r.close()));
  }
}

/** One read-only sqlite3 connection and its prepared statements. */
class SqliteReader {
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();
  /** Calls started and not yet answered. */
  pending = 0;

  private constructor(private readonly db: sqlite3.Database) {}

  static async open(file: string): Promise<SqliteReader> {
    const db = await openSqliteFile(file, sqlite3.OPEN_READONLY);
    db.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
    return new SqliteReader(db);
  }

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    this.pending++;
    try {
      const statement = await preparedOn(this.db, this.statements, sql);
      return await new Promise<T[]>((resolve, reject) => {
        statement.all([...params], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
      });
    } finally {
      this.pending--;
    }
  }

  async close(): Promise<void> {
    await closeWithStatements(this.db, this.statements);
  }
}

/** Opens a SQLite file with sqlite3 in `mode` (sqlite3.OPEN_* flags). */
function openSqliteFile(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(opened)));
  });
}

/** Prepared once per SQL text and connection; a failed prepare is forgotten so the next call tries again. */
function preparedOn(db: sqlite3.Database, statements: Map<string, Promise<sqlite3.Statement>>, sql: string): Promise<sqlite3.Statement> {
  let statement = statements.get(sql);
  if (!statement) {
    statement = new Promise((resolve, reject) => {
      const prepared: sqlite3.Statement = db.prepare(sql, (err) => (err ? reject(err) : resolve(prepared)));
    });
    statements.set(sql, statement);
    statement.catch(() => statements.delete(sql));
  }
  return statement;
}

async function closeWithStatements(db: sqlite3.Database, statements: Map<string, Promise<sqlite3.Statement>>): Promise<void> {
  const prepared = await Promise.allSettled(statements.values());
  statements.clear();
  for (const p of prepared) if (p.status === 'fulfilled') await new Promise<void>((resolve) => p.value.finalize(() => resolve()));
  await new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

/**
 * Where the hottest write runs: bookSlot's one statement (BookingService). It is atomic by
 * itself, outside any transaction; a refusal rejects with MikroORM's exception for it
 * (UniqueConstraintViolationException, LockWaitTimeoutException, …) whichever connection ran it.
 */
export interface WriteConnection {
  run(sql: string, params: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** Turns a driver's error into MikroORM's exception for it, as the ORM's own calls throw them. */
type ExceptionConverter = (err: Error) => Error;

function converterOf(em: EntityManager): ExceptionConverter {
  return (err) => em.getDriver().convertException(err);
}

/** isNativeError, not instanceof: sqlite3 makes its errors in the main realm, which a test sandbox (jest's vm context) does not share. */
const converted = (convert: ExceptionConverter) => (err: unknown) => {
  throw types.isNativeError(err) ? convert(err) : err;
};

class OrmWriteConnection implements WriteConnection {
  private readonly convert: ExceptionConverter;

  constructor(private readonly em: EntityManager) {
    this.convert = converterOf(em);
  }

  async run(sql: string, params: readonly unknown[]): Promise<void> {
    await this.em.getConnection().execute(sql, [...params], 'run').catch(converted(this.convert));
  }

  async close(): Promise<void> {}
}

/**
 * A SQLite file: a read-write connection of its own beside the ORM's, with prepared statements
 * and the same pragmas. Through the ORM a booking's one statement cost more main-thread CPU in
 * query formatting, knex's runner and the pool than in everything SQLite did for it. Writes of
 * the two connections (and of other processes) take turns on SQLite's write lock, waiting up to
 * busy_timeout.
 */
class SqliteWriteConnection implements WriteConnection {
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();

  private constructor(
    private readonly db: sqlite3.Database,
    private readonly convert: ExceptionConverter,
  ) {}

  static async open(file: string, convert: ExceptionConverter): Promise<SqliteWriteConnection> {
    // sqlite3's own default flags, spelled out.
    const db = await openSqliteFile(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_FULLMUTEX);
    try {
      await new Promise<void>((resolve, reject) => db.exec(SQLITE_PRAGMAS_SQL, (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteWriteConnection(db, convert);
  }

  async run(sql: string, params: readonly unknown[]): Promise<void> {
    const ran = preparedOn(this.db, this.statements, sql).then(
      (statement) => new Promise<void>((resolve, reject) => statement.run([...params], (err: Error | null) => (err ? reject(err) : resolve()))),
    );
    await ran.catch(converted(this.convert));
  }

  async close(): Promise<void> {
    await closeWithStatements(this.db, this.statements);
  }
}

/** Opens the read connection that suits the database; call after migrations ran. */
export async function openReadConnection(target: DatabaseTarget, em: EntityManager): Promise<ReadConnection> {
  if (target.dialect === 'sqlite' && target.dbName !== ':memory:') return SqliteReadConnection.open(target.dbName);
  return new OrmReadConnection(em);
}

/** Opens the write connection that suits the database; call after migrations ran. */
export async function openWriteConnection(target: DatabaseTarget, em: EntityManager): Promise<WriteConnection> {
  if (target.dialect === 'sqlite' && target.dbName !== ':memory:') return SqliteWriteConnection.open(target.dbName, converterOf(em));
  return new OrmWriteConnection(em);
}

/**
 * Where the live change feed reads (modules/live): on a SQLite file a read-only connection of its
 * own, so that `PRAGMA data_version` counts every commit of this process's other connections and
 * of other processes; on an in-memory database the ORM's one connection, where it counts none.
 */
export interface FeedReadConnection extends ReadConnection {
  /** True when PRAGMA data_version on this connection moves with every commit of any other connection. */
  countsCommits: boolean;
}

/** Opens the change feed's read connection on SQLite; call after migrations ran. */
export async function openFeedReadConnection(target: DatabaseTarget, em: EntityManager): Promise<FeedReadConnection> {
  if (target.dbName === ':memory:') return Object.assign(new OrmReadConnection(em), { countsCommits: false });
  return Object.assign(await SqliteReadConnection.open(target.dbName, 1), { countsCommits: true });
}

/** The part of node-postgres' client a LISTEN connection uses. */
export interface NotificationConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (err?: Error) => void): void;
  removeAllListeners(): void;
}

/**
 * PostgreSQL connections opened with the pool's settings but outside the pool (knex's own
 * acquireRawConnection), for a session that LISTENs for as long as the process runs.
 */
export interface NotificationConnections {
  open(): Promise<NotificationConnection>;
  /** Closes it; errors it emits afterwards are swallowed (node-postgres emits them on an idle client, and one unhandled would end the process). */
  close(connection: NotificationConnection): Promise<void>;
}

export function notificationConnections(em: EntityManager): NotificationConnections {
  const client = em.getConnection().getKnex().client as {
    acquireRawConnection(): Promise<NotificationConnection>;
    destroyRawConnection(c: NotificationConnection): Promise<void>;
  };
  return {
    open: () => client.acquireRawConnection(),
    async close(connection) {
      connection.removeAllListeners();
      connection.on('error', () => undefined);
      await client.destroyRawConnection(connection).catch(() => undefined);
    },
  };
}
