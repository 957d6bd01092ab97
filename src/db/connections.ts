import sqlite3 from 'sqlite3';
import type { EntityManager } from '@mikro-orm/knex';
import type { DatabaseTarget } from './dialect';
import { SQLITE_BUSY_TIMEOUT_MS } from './database';
import { PreparedSqlite } from './sqlite-prepared';

// The hottest reads, in plain SQL with `?` parameters, outside the ORM's query building,
// connection pool and hydration: on a SQLite file over connections of their own with prepared
// statements, elsewhere over the ORM's connection. The hottest writes: write-connection.ts.

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
  /** Calls started and not yet answered. */
  pending = 0;

  private constructor(private readonly db: PreparedSqlite) {}

  static async open(file: string): Promise<SqliteReader> {
    return new SqliteReader(await PreparedSqlite.open(file, sqlite3.OPEN_READONLY, async (db) => db.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS)));
  }

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    this.pending++;
    try {
      return await this.db.all<T>(sql, params);
    } finally {
      this.pending--;
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Opens the read connection that suits the database; call after migrations ran. */
export async function openReadConnection(target: DatabaseTarget, em: EntityManager): Promise<ReadConnection> {
  if (target.dialect === 'sqlite' && target.dbName !== ':memory:') return SqliteReadConnection.open(target.dbName);
  return new OrmReadConnection(em);
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
