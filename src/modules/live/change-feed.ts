import sqlite3 from 'sqlite3';
import type { EntityManager, Knex } from '@mikro-orm/knex';
import type { DatabaseTarget } from '../../db/dialect';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../db/database';

/**
 * Which owners' free slots may have changed, learnt from the database whichever process made the
 * change: the owner's data version, which triggers bump in the transaction of every change that
 * decides its slots (bookings, windows, exceptions, event types, zone and slot length;
 * Migration20261130141500 and after). Reports owner ids, never slots: what changed is for the
 * listener to recompute.
 */
export interface OwnerChangeFeed {
  /**
   * Reports changes of `ownerId` from now on until the returned function is called (calls nest:
   * an owner stays watched while any watch of it is open). A change committed while the watch
   * starts may be reported although the caller's own read already saw it; none is lost.
   */
  watch(ownerId: string): () => void;
  /** Stops polling or listening and closes the feed's own connection. */
  close(): Promise<void>;
}

/** Called with an owner whose data version moved (or may have: after a lost connection). */
export type OwnerChanged = (ownerId: string) => void;

export interface ChangeFeedOptions {
  /** How often a SQLite process looks for changes (SQLITE_CHANGE_POLL_MS). */
  pollIntervalMs: number;
  onChange: OwnerChanged;
  /** Where a lost PostgreSQL listening connection is reported. */
  logger: { warn(obj: unknown, msg?: string): void };
}

/** The PostgreSQL channel of Migration20261130164006; each payload is `<owner id>:<data version>`. */
const OWNER_CHANGED_CHANNEL = 'slotbook_owner_changed';

/** Owners per version read: SQLite binds at most 32,766 parameters; a few hundred keeps each statement small. */
const OWNERS_PER_READ = 500;

/** How long a lost PostgreSQL listening connection waits before it connects again. */
const RECONNECT_DELAY_MS = 1_000;

/** Opens the feed for the app's database: LISTEN on PostgreSQL, a poll on SQLite. */
export async function openOwnerChangeFeed(target: DatabaseTarget, em: EntityManager, options: ChangeFeedOptions): Promise<OwnerChangeFeed> {
  if (target.dialect === 'postgresql') return PostgresChangeFeed.open(em.getConnection().getKnex(), options);
  if (target.dbName === ':memory:') {
    // Private to the ORM's one connection: only this process writes it, and PRAGMA data_version
    // counts other connections' commits only, so the versions are read on every poll.
    return new PollingChangeFeed({ all: (sql, params) => em.getConnection().execute(sql, [...params]), close: async () => undefined, countsCommits: false }, options);
  }
  return new PollingChangeFeed(await SqliteFileReader.open(target.dbName), options);
}

/** Owners being watched, with how many watches each has open and the version last seen of it. */
class WatchedOwners {
  private readonly owners = new Map<string, { watches: number; version: number | null }>();

  get size(): number {
    return this.owners.size;
  }

  ids(): string[] {
    return [...this.owners.keys()];
  }

  /** Owners whose version has not been read since they started being watched. */
  unread(): string[] {
    return [...this.owners].filter(([, w]) => w.version === null).map(([id]) => id);
  }

  add(ownerId: string): () => void {
    const entry = this.owners.get(ownerId);
    if (entry) entry.watches++;
    else this.owners.set(ownerId, { watches: 1, version: null });
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const w = this.owners.get(ownerId);
      if (w && --w.watches === 0) this.owners.delete(ownerId);
    };
  }

  has(ownerId: string): boolean {
    return this.owners.has(ownerId);
  }

  /**
   * Records the version read of a watched owner; true when it differs from the last one seen,
   * including the first read after the watch started (a change may have slipped in between the
   * watcher's own read and this one).
   */
  saw(ownerId: string, version: number): boolean {
    const w = this.owners.get(ownerId);
    if (!w || w.version === version) return false;
    w.version = version;
    return true;
  }
}

/** The reads a poll makes, and whether PRAGMA data_version on them counts other connections' commits. */
interface PollConnection {
  all<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** True on a connection of its own to a file: data_version moves with every other connection's commit. */
  countsCommits: boolean;
}

/**
 * A SQLite database: one poll per interval for the whole process, however many subscribers.
 * `PRAGMA data_version` (no I/O) tells whether any connection, of this process or another,
 * committed since the last poll; only then are the versions of the watched owners read, a few
 * hundred per statement. Owners watched since the last poll are read at once.
 */
class PollingChangeFeed implements OwnerChangeFeed {
  private readonly watched = new WatchedOwners();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private lastDataVersion: number | null = null;
  private closed = false;

  constructor(
    private readonly connection: PollConnection,
    private readonly options: ChangeFeedOptions,
  ) {}

  watch(ownerId: string): () => void {
    const unwatch = this.watched.add(ownerId);
    // Polls only while someone is watching: an idle server reads nothing.
    this.timer ??= setInterval(() => void this.poll(), this.options.pollIntervalMs);
    return () => {
      unwatch();
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.lastDataVersion = null;
      }
    };
  }

  private poll(): Promise<void> {
    // A slow read (a busy disk) skips ticks instead of piling reads up.
    this.polling ??= this.readChanges()
      .catch((err: unknown) => this.options.logger.warn({ err }, 'live updates: could not read owner versions; retrying at the next poll'))
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private async readChanges(): Promise<void> {
    let owners: string[];
    if (this.connection.countsCommits) {
      const [row] = await this.connection.all<{ data_version: number }>('PRAGMA data_version', []);
      const dataVersion = Number(row?.data_version);
      const committed = dataVersion !== this.lastDataVersion;
      this.lastDataVersion = dataVersion;
      owners = committed ? this.watched.ids() : this.watched.unread();
    } else {
      owners = this.watched.ids();
    }
    for (let i = 0; i < owners.length && !this.closed; i += OWNERS_PER_READ) {
      const chunk = owners.slice(i, i + OWNERS_PER_READ);
      const rows = await this.connection.all<{ id: string; data_version: number }>(
        `select id, data_version from owner where id in (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const row of rows) if (!this.closed && this.watched.saw(row.id, Number(row.data_version))) this.options.onChange(row.id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await this.connection.close();
  }
}

/** A read-only sqlite3 connection of the feed's own, so that every commit of the app's connections is "another connection's". */
class SqliteFileReader implements PollConnection {
  readonly countsCommits = true;

  private constructor(private readonly db: sqlite3.Database) {}

  static open(file: string): Promise<SqliteFileReader> {
    return new Promise((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
        if (err) return reject(err);
        db.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
        resolve(new SqliteFileReader(db));
      });
    });
  }

  all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return new Promise((resolve, reject) => this.db.all(sql, [...params], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

/** The part of node-postgres' client the feed uses. */
interface PgListener {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (err?: Error) => void): void;
  removeAllListeners(): void;
}

/**
 * PostgreSQL: one connection per process, outside the pool, LISTENs on the channel that a trigger
 * NOTIFYs with `<owner id>:<data version>` when a change commits (Migration20261130164006).
 * Notifications of owners nobody here watches are dropped on arrival. A lost connection is
 * opened again; every watched owner is then reported, since notifications sent meanwhile are gone.
 */
class PostgresChangeFeed implements OwnerChangeFeed {
  private readonly watched = new WatchedOwners();
  private connection: PgListener | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly knex: Knex,
    private readonly options: ChangeFeedOptions,
  ) {}

  static async open(knex: Knex, options: ChangeFeedOptions): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(knex, options);
    await feed.listen();
    return feed;
  }

  private get client(): { acquireRawConnection(): Promise<PgListener>; destroyRawConnection(c: PgListener): Promise<void> } {
    // knex's own way to open a connection with the pool's settings without taking one from the pool.
    return this.knex.client as never;
  }

  private async listen(): Promise<void> {
    const connection = await this.client.acquireRawConnection();
    connection.on('notification', ({ channel, payload }) => {
      if (channel !== OWNER_CHANGED_CHANNEL || !payload) return;
      const ownerId = payload.slice(0, payload.lastIndexOf(':'));
      if (this.watched.has(ownerId)) this.options.onChange(ownerId);
    });
    const lost = (err?: Error) => {
      if (this.connection !== connection) return;
      this.connection = null;
      connection.removeAllListeners();
      // node-postgres emits errors on an idle client; one left unhandled would end the process.
      connection.on('error', () => undefined);
      if (this.closed) return;
      this.options.logger.warn({ err }, 'live updates: the LISTEN connection to PostgreSQL was lost; connecting again');
      this.scheduleReconnect();
    };
    connection.on('error', lost);
    connection.on('end', () => lost());
    try {
      await connection.query(`listen ${OWNER_CHANGED_CHANNEL}`);
    } catch (err) {
      connection.removeAllListeners();
      connection.on('error', () => undefined);
      await this.client.destroyRawConnection(connection).catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      // close() ran while this connection was being opened.
      connection.removeAllListeners();
      connection.on('error', () => undefined);
      await this.client.destroyRawConnection(connection).catch(() => undefined);
      return;
    }
    this.connection = connection;
  }

  private scheduleReconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().then(
        () => {
          for (const ownerId of this.watched.ids()) this.options.onChange(ownerId);
        },
        (err: unknown) => {
          if (this.closed) return;
          this.options.logger.warn({ err }, 'live updates: could not LISTEN on PostgreSQL; trying again');
          this.scheduleReconnect();
        },
      );
    }, RECONNECT_DELAY_MS);
  }

  watch(ownerId: string): () => void {
    return this.watched.add(ownerId);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      connection.removeAllListeners();
      connection.on('error', () => undefined);
      await this.client.destroyRawConnection(connection).catch(() => undefined);
    }
  }
}
