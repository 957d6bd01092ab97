import sqlite3 from 'sqlite3';
import type { EntityManager } from '@mikro-orm/knex';
import { types } from 'node:util';
import type { DatabaseTarget } from './dialect';
import { SQLITE_PRAGMAS_SQL } from './database';
import { PreparedSqlite } from './sqlite-prepared';

// The hottest writes, in plain SQL with `?` parameters, outside the ORM's query building, unit
// of work and hydration: on a SQLite file over connections of their own with prepared
// statements, elsewhere over the ORM's connection.

/** Statements inside one transaction of the write connection (WriteConnection.transaction). */
export interface WriteTransaction {
  /**
   * A statement whose answer the work does not need. It may be sent with the next statement (on
   * PostgreSQL, to save round trips), so a refusal rejects this call, a later one or, at the
   * latest, the transaction.
   */
  run(sql: string, params: readonly unknown[]): Promise<void>;
  /** A statement's rows, once it and every statement before it ran. */
  all<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
}

/**
 * Where the hottest writes run: bookSlot's one statement (BookingService), atomic by itself and
 * outside any transaction, and round robin's choice and write (TeamBookingStore), one short
 * transaction. A refusal rejects with MikroORM's exception for it (UniqueConstraintViolationException,
 * LockWaitTimeoutException, …) whichever connection ran it.
 */
export interface WriteConnection {
  run(sql: string, params: readonly unknown[]): Promise<void>;
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it throws
   * or a statement is refused (on PostgreSQL a refused statement leaves the transaction
   * unusable, so `work` ends on a refusal). On SQLite the transaction holds the database's write lock from its
   * first statement (BEGIN IMMEDIATE on a file, waiting out busy_timeout; the one connection of
   * an in-memory database), so its reads see every commit and no other write lands before it
   * ends; `work` must not wait for another write meanwhile. On PostgreSQL it is READ COMMITTED
   * and `work` takes the row locks it needs.
   */
  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T>;
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
  protected readonly convert: ExceptionConverter;

  constructor(protected readonly em: EntityManager) {
    this.convert = converterOf(em);
  }

  async run(sql: string, params: readonly unknown[]): Promise<void> {
    await this.em.getConnection().execute(sql, [...params], 'run').catch(converted(this.convert));
  }

  /** The ORM connection's own transaction (knex's), without an EntityManager or its unit of work. */
  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    const connection = this.em.getConnection();
    return connection.transactional((trx) =>
      work({
        run: async (sql, params) => {
          await connection.execute(sql, [...params], 'run', trx).catch(converted(this.convert));
        },
        all: <R>(sql: string, params: readonly unknown[]) => connection.execute<R[]>(sql, [...params], 'all', trx).catch(converted(this.convert)),
      }),
    );
  }

  async close(): Promise<void> {}
}

/** The part of node-postgres' client a transaction uses: a simple query, one or more statements. */
interface PgClient {
  query(text: string): Promise<PgResult | PgResult[]>;
  end(): Promise<void>;
}

interface PgResult {
  rows: unknown[];
}

/** knex's pool of node-postgres clients, which the ORM's connection draws from too. */
interface PgPool {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(client: PgClient): Promise<void>;
}

/**
 * PostgreSQL: single statements through the ORM's connection; a transaction on a client of its
 * own from the same pool, its values written into the statements as the ORM writes them
 * (platform.formatQuery) so that several statements go in one round trip: `begin` and every
 * `run` wait for the next `all` or the commit and go with it (each statement still reads its own
 * snapshot, after the ones before it). Round robin's five statements take two round trips.
 */
class PgWriteConnection extends OrmWriteConnection {
  override async transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    const platform = this.em.getPlatform();
    const pool = this.em.getConnection().getKnex().client as PgPool;
    const client = await pool.acquireConnection();
    let waiting = ['begin'];
    /** Sends the waiting statements and `last`; the answer to the last of them. */
    const send = async (last: string): Promise<PgResult> => {
      const batch = [...waiting, last];
      waiting = [];
      const answers = await client.query(batch.join(';\n')).catch(converted(this.convert));
      return Array.isArray(answers) ? answers.at(-1)! : answers;
    };
    try {
      const result = await work({
        run: async (sql, params) => {
          waiting.push(platform.formatQuery(sql, [...params]));
        },
        all: async <R>(sql: string, params: readonly unknown[]) => (await send(platform.formatQuery(sql, [...params]))).rows as R[],
      });
      await send('commit');
      return result;
    } catch (err) {
      // A client that cannot even roll back is ended: the pool then drops it (knex marks it disposed).
      await client.query('rollback').catch(() => client.end().catch(() => undefined));
      throw err;
    } finally {
      await pool.releaseConnection(client);
    }
  }
}

const SQLITE_READ_WRITE = sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_FULLMUTEX;

/** Opens a read-write connection with the pragmas of every such connection of this process. */
function openReadWrite(file: string): Promise<PreparedSqlite> {
  return PreparedSqlite.open(file, SQLITE_READ_WRITE, (db) => new Promise<void>((resolve, reject) => db.exec(SQLITE_PRAGMAS_SQL, (err) => (err ? reject(err) : resolve()))));
}

/**
 * A SQLite file: read-write connections of their own beside the ORM's, with prepared statements
 * and the same pragmas. Through the ORM a booking's one statement cost more main-thread CPU in
 * query formatting, knex's runner and the pool than in everything SQLite did for it. Single
 * statements run on one connection; transactions on a second, one at a time, so no single
 * statement ever lands inside (or is rolled back with) another request's transaction. Writes of
 * all connections (and of other processes) take turns on SQLite's write lock, waiting up to
 * busy_timeout.
 */
class SqliteWriteConnection implements WriteConnection {
  /** Settles when the last transaction begun has ended: the next one starts after it. */
  private lastTransaction: Promise<void> = Promise.resolve();

  private constructor(
    private readonly statements: PreparedSqlite,
    private readonly transactions: PreparedSqlite,
    private readonly convert: ExceptionConverter,
  ) {}

  static async open(file: string, convert: ExceptionConverter): Promise<SqliteWriteConnection> {
    const statements = await openReadWrite(file);
    try {
      return new SqliteWriteConnection(statements, await openReadWrite(file), convert);
    } catch (err) {
      await statements.close();
      throw err;
    }
  }

  async run(sql: string, params: readonly unknown[]): Promise<void> {
    await this.statements.run(sql, params).catch(converted(this.convert));
  }

  async transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    const previous = this.lastTransaction;
    let ended!: () => void;
    this.lastTransaction = new Promise<void>((resolve) => (ended = resolve));
    await previous;
    const db = this.transactions;
    const tx: WriteTransaction = {
      run: (sql, params) => db.run(sql, params).catch(converted(this.convert)),
      all: <R>(sql: string, params: readonly unknown[]) => db.all<R>(sql, params).catch(converted(this.convert)),
    };
    try {
      await tx.run('begin immediate', []);
      try {
        const result = await work(tx);
        await tx.run('commit', []);
        return result;
      } catch (err) {
        await db.run('rollback', []).catch(() => undefined);
        throw err;
      }
    } finally {
      ended();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.statements.close(), this.transactions.close()]);
  }
}

/** Opens the write connection that suits the database; call after migrations ran. */
export async function openWriteConnection(target: DatabaseTarget, em: EntityManager): Promise<WriteConnection> {
  if (target.dialect === 'postgresql') return new PgWriteConnection(em);
  if (target.dbName !== ':memory:') return SqliteWriteConnection.open(target.dbName, converterOf(em));
  return new OrmWriteConnection(em);
}
