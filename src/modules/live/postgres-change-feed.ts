import type { NotificationConnection, NotificationConnections } from '../../db/connections';
import { ownerAnnouncements } from './change-feed.store';
import type { ChangeFeedOptions, OwnerChangeFeed } from './change-feed';
import { WatchedOwners } from './watched-owners';
import { ChangeLog, type OwnerChangeClock } from './change-log';

/** How long a lost PostgreSQL listening connection waits before it connects again. */
const RECONNECT_DELAY_MS = 1_000;

/**
 * PostgreSQL: one connection per process, outside the pool, LISTENs on the channel that a trigger
 * NOTIFYs with `<owner id>:<data version>` when a change commits (Migration20261130164006).
 * Every notification goes into the change log the HTTP validators read (its `clock`), which
 * counts as current while the connection is up; only watched owners are reported to `onChange`.
 * A lost connection is opened again; every watched owner is then reported, and every mark voided,
 * since notifications sent meanwhile are gone.
 */
export class PostgresChangeFeed implements OwnerChangeFeed {
  private readonly watched = new WatchedOwners();
  private readonly log = new ChangeLog(() => this.connection !== null);
  private connection: NotificationConnection | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly connections: NotificationConnections,
    private readonly options: ChangeFeedOptions,
  ) {}

  static async open(connections: NotificationConnections, options: ChangeFeedOptions): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(connections, options);
    await feed.listen();
    return feed;
  }

  get clock(): OwnerChangeClock {
    return this.log;
  }

  private async listen(): Promise<void> {
    const connection = await this.connections.open();
    connection.on('notification', (message) => {
      const ownerId = ownerAnnouncements.ownerOf(message);
      if (ownerId === null) return;
      this.log.ownerChanged(ownerId);
      if (this.watched.has(ownerId)) this.options.onChange(ownerId);
    });
    const lost = (err?: Error) => {
      if (this.connection !== connection) return;
      this.connection = null;
      this.log.anyMayHaveChanged();
      void this.connections.close(connection);
      if (this.closed) return;
      this.options.logger.warn({ err }, 'live updates: the LISTEN connection to PostgreSQL was lost; connecting again');
      this.scheduleReconnect();
    };
    connection.on('error', lost);
    connection.on('end', () => lost());
    try {
      await ownerAnnouncements.listen(connection);
    } catch (err) {
      await this.connections.close(connection);
      throw err;
    }
    if (this.closed) {
      // close() ran while this connection was being opened.
      await this.connections.close(connection);
      return;
    }
    // Whatever was announced before this connection listened is unknown.
    this.log.anyMayHaveChanged();
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
    if (connection) await this.connections.close(connection);
  }
}
