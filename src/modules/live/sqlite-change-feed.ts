import type { PolledVersionStore } from './change-feed.store';
import type { ChangeFeedOptions, OwnerChangeFeed } from './change-feed';
import { WatchedOwners } from './watched-owners';
import { ChangeLog, type OwnerChangeClock } from './change-log';

/** How long the poll goes on after the HTTP validators last asked, with nobody watching. */
const IDLE_AFTER_MS = 60_000;

/**
 * A SQLite database: one poll per interval for the whole process, however many subscribers.
 * `PRAGMA data_version` (no I/O) tells whether any connection, of this process or another,
 * committed since the last poll; only then are the versions of the watched owners read, a few
 * hundred per statement. Owners watched since the last poll are read at once.
 *
 * For the HTTP validators (its `clock`) a commit voids every mark: the pragma says that something
 * committed, not which owners. The feed counts as current while its last poll began within two
 * intervals; a poll that could not read, a private in-memory database (whose pragma counts no
 * commit) or a feed not yet polling is not current, and the validators read the versions instead.
 */
export class PollingChangeFeed implements OwnerChangeFeed {
  private readonly watched = new WatchedOwners();
  private readonly log: ChangeLog;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private lastDataVersion: number | null = null;
  /** When the last poll that read the pragma began (Date.now()); null until one has. */
  private polledAt: number | null = null;
  private askedAt = 0;
  private closed = false;

  constructor(
    private readonly store: PolledVersionStore,
    private readonly options: ChangeFeedOptions,
  ) {
    this.log = new ChangeLog(() => this.isCurrent());
  }

  /** The log, and asking it for a mark keeps the poll going (or starts it). */
  readonly clock: OwnerChangeClock = {
    mark: () => {
      this.askedAt = Date.now();
      this.startPolling();
      return this.log.mark();
    },
    changedSince: (mark, ids) => this.log.changedSince(mark, ids),
    committedHere: () => this.log.committedHere(),
  };

  private isCurrent(): boolean {
    return this.store.countsCommits && this.timer !== null && this.polledAt !== null && Date.now() - this.polledAt <= 2 * this.options.pollIntervalMs;
  }

  watch(ownerId: string): () => void {
    const unwatch = this.watched.add(ownerId);
    this.startPolling();
    return unwatch;
  }

  /** Polls only while someone watches or the validators asked lately: an idle server reads nothing. */
  private startPolling(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => {
      if (this.watched.size === 0 && Date.now() - this.askedAt > IDLE_AFTER_MS) this.stopPolling();
      else void this.poll();
    }, this.options.pollIntervalMs);
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // What committed meanwhile is unknown: the next poll starts afresh.
    this.lastDataVersion = null;
    this.polledAt = null;
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
    if (this.store.countsCommits) {
      const started = Date.now();
      const dataVersion = await this.store.commitCount();
      const committed = dataVersion !== this.lastDataVersion;
      if (committed) this.log.anyMayHaveChanged();
      this.lastDataVersion = dataVersion;
      if (this.timer) this.polledAt = started;
      owners = committed ? this.watched.ids() : this.watched.unread();
    } else {
      owners = this.watched.ids();
    }
    const versions = await this.store.versions(owners, () => this.closed);
    for (const { id, version } of versions) if (!this.closed && this.watched.saw(id, version)) this.options.onChange(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopPolling();
    await this.polling;
    await this.store.close();
  }
}
