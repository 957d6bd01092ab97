import sqlite3 from 'sqlite3';
import type { EntityManager } from '@mikro-orm/knex';
import { parseDatabaseUrl } from '../config';
import { SQLITE_BUSY_TIMEOUT_MS } from './database';

/**
 * Where the hottest reads run: the owner's cache key on every freeSlots request and the
 * calendar behind every freeSlots miss and bookSlot check. They are plain SQL with `?`
 * parameters, read outside any transaction, and see every commit of any process at once.
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
 * building, the one-connection pool shared with every write, result mapping): `npm run bench`
 * A/B went from about 0.5 to about 0.8 without them. Several connections, each call going to
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
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(opened)));
    });
    db.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
    return new SqliteReader(db);
  }

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    this.pending++;
    try {
      const statement = await this.prepared(sql);
      return await new Promise<T[]>((resolve, reject) => {
        statement.all([...params], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
      });
    } finally {
      this.pending--;
    }
  }

  /** Prepared once per SQL text; a failed prepare is forgotten so the next call tries again. */
  private prepared(sql: string): Promise<sqlite3.Statement> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = new Promise((resolve, reject) => {
        const prepared: sqlite3.Statement = this.db.prepare(sql, (err) => (err ? reject(err) : resolve(prepared)));
      });
      this.statements.set(sql, statement);
      statement.catch(() => this.statements.delete(sql));
    }
    return statement;
  }

  async close(): Promise<void> {
    const prepared = await Promise.allSettled(this.statements.values());
    this.statements.clear();
    for (const p of prepared) if (p.status === 'fulfilled') await new Promise<void>((resolve) => p.value.finalize(() => resolve()));
    await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

/** Opens the read connection that suits the database; call after migrations ran. */
export async function openReadConnection(databaseUrl: string, em: EntityManager): Promise<ReadConnection> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite' && target.dbName !== ':memory:') return SqliteReadConnection.open(target.dbName);
  return new OrmReadConnection(em);
}
