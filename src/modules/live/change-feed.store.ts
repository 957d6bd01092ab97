import type { FeedReadConnection, NotificationConnection } from '../../db/connections';

/** The PostgreSQL channel of Migration20261130164006; each payload is `<owner id>:<data version>`. */
const OWNER_CHANGED_CHANNEL = 'slotbook_owner_changed';

/** Owners per version read: SQLite binds at most 32,766 parameters; a few hundred keeps each statement small. */
const OWNERS_PER_READ = 500;

const versionsSql = (count: number) => `select id, data_version from owner where id in (${Array(count).fill('?').join(', ')})`;

/** What the change feed reads on SQLite: whether anything committed, and owners' data versions. */
export class PolledVersionStore {
  constructor(private readonly connection: FeedReadConnection) {}

  /** Whether `commitCount` moves with every other connection's commit (a file), or tells nothing (a private in-memory database). */
  get countsCommits(): boolean {
    return this.connection.countsCommits;
  }

  /** PRAGMA data_version: a number that moves when another connection commits (no I/O). */
  async commitCount(): Promise<number> {
    const [row] = await this.connection.all<{ data_version: number }>('PRAGMA data_version', []);
    return Number(row?.data_version);
  }

  /** The data versions of the owners among `ids` that exist, a few hundred per statement; stops early once `stopped()` holds. */
  async versions(ids: readonly string[], stopped: () => boolean): Promise<Array<{ id: string; version: number }>> {
    const found: Array<{ id: string; version: number }> = [];
    for (let i = 0; i < ids.length && !stopped(); i += OWNERS_PER_READ) {
      const chunk = ids.slice(i, i + OWNERS_PER_READ);
      const rows = await this.connection.all<{ id: string; data_version: number }>(versionsSql(chunk.length), chunk);
      for (const row of rows) found.push({ id: row.id, version: Number(row.data_version) });
    }
    return found;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/** The announcements of changed owners on PostgreSQL (Migration20261130164006's NOTIFY). */
export const ownerAnnouncements = {
  /** Starts receiving the announcements on `connection`. */
  async listen(connection: NotificationConnection): Promise<void> {
    await connection.query(`listen ${OWNER_CHANGED_CHANNEL}`);
  },

  /** The owner a notification names, or null for another channel's. */
  ownerOf(message: { channel: string; payload?: string }): string | null {
    if (message.channel !== OWNER_CHANGED_CHANNEL || !message.payload) return null;
    return message.payload.slice(0, message.payload.lastIndexOf(':'));
  },
};
