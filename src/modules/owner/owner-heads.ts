import sqlite3 from 'sqlite3';
import type { EntityManager } from '@mikro-orm/knex';
import { parseDatabaseUrl } from '../../config';

/** What free slots depend on of an owner, as committed now: the parts of the free-slot cache key. */
export interface OwnerHead {
  id: string;
  timeZone: string;
  slotMinutes: number;
  dataVersion: number;
}

/** Reads owner heads. One per app; every freeSlots request reads one. */
export interface OwnerHeadReader {
  get(ownerId: string): Promise<OwnerHead | null>;
  close(): Promise<void>;
}

const HEAD_SQL = 'select id, time_zone, slot_minutes, data_version from owner where id = ?';

interface HeadRow {
  id: string;
  time_zone: string;
  slot_minutes: number;
  data_version: number;
}

function toHead(row: HeadRow): OwnerHead {
  return { id: row.id, timeZone: row.time_zone, slotMinutes: Number(row.slot_minutes), dataVersion: Number(row.data_version) };
}

/** Through the ORM's connection: PostgreSQL, and an in-memory SQLite database (private to that one connection). */
class OrmOwnerHeads implements OwnerHeadReader {
  constructor(private readonly em: EntityManager) {}

  async get(ownerId: string): Promise<OwnerHead | null> {
    const rows = await this.em.getConnection().execute<HeadRow[]>(HEAD_SQL, [ownerId]);
    return rows[0] ? toHead(rows[0]) : null;
  }

  async close(): Promise<void> {}
}

/**
 * A SQLite file: one prepared statement on a read-only connection of its own. This read names
 * the cache entry of every freeSlots answer, and through the ORM (query building, the
 * one-connection pool, hydration) it cost more CPU than the rest of a cached answer:
 * `npm run bench` A/B went from about 0.5 to about 0.8 without it. In WAL mode the connection
 * sees every commit of any process at once, beside the writer.
 */
class SqliteOwnerHeads implements OwnerHeadReader {
  private constructor(
    private readonly db: sqlite3.Database,
    private readonly statement: sqlite3.Statement,
  ) {}

  static async open(file: string): Promise<SqliteOwnerHeads> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(opened)));
    });
    try {
      await new Promise<void>((resolve, reject) => db.exec('PRAGMA busy_timeout = 10000;', (err) => (err ? reject(err) : resolve())));
      const statement = await new Promise<sqlite3.Statement>((resolve, reject) => {
        const prepared: sqlite3.Statement = db.prepare(HEAD_SQL, (err) => (err ? reject(err) : resolve(prepared)));
      });
      return new SqliteOwnerHeads(db, statement);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  get(ownerId: string): Promise<OwnerHead | null> {
    return new Promise((resolve, reject) => {
      this.statement.get([ownerId], (err: Error | null, row: HeadRow | undefined) => (err ? reject(err) : resolve(row ? toHead(row) : null)));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.statement.finalize(() => this.db.close((err) => (err ? reject(err) : resolve())));
    });
  }
}

/** Opens the reader that suits the database; call after migrations ran (the owner table must exist). */
export async function openOwnerHeads(databaseUrl: string, em: EntityManager): Promise<OwnerHeadReader> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite' && target.dbName !== ':memory:') return SqliteOwnerHeads.open(target.dbName);
  return new OrmOwnerHeads(em);
}
