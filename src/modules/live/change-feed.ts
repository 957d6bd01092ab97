import type { EntityManager } from '@mikro-orm/knex';
import type { DatabaseTarget } from '../../db/dialect';
import { notificationConnections, openFeedReadConnection } from '../../db/connections';
import { PolledVersionStore } from './change-feed.store';
import { PollingChangeFeed } from './sqlite-change-feed';
import { PostgresChangeFeed } from './postgres-change-feed';
import type { OwnerChangeClock } from './change-log';

/**
 * Which owners' free slots may have changed, learnt from the database whichever process made the
 * change: the owner's data version, which triggers bump in the transaction of every change that
 * decides its slots or its public reads (bookings, windows, exceptions, event types, zone, slot
 * length and name; Migration20261130141500 and after). Reports owner ids, never slots: what
 * changed is for the listener to recompute.
 */
export interface OwnerChangeFeed {
  /**
   * Reports changes of `ownerId` from now on until the returned function is called (calls nest:
   * an owner stays watched while any watch of it is open). A change committed while the watch
   * starts may be reported although the caller's own read already saw it; none is lost.
   */
  watch(ownerId: string): () => void;
  /** What this process knows of changes to every owner, for answers kept without a read (http-cache.ts). */
  readonly clock: OwnerChangeClock;
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

/** Opens the feed for the app's database: LISTEN on PostgreSQL, a poll on SQLite. */
export async function openOwnerChangeFeed(target: DatabaseTarget, em: EntityManager, options: ChangeFeedOptions): Promise<OwnerChangeFeed> {
  if (target.dialect === 'postgresql') return PostgresChangeFeed.open(notificationConnections(em), options);
  return new PollingChangeFeed(new PolledVersionStore(await openFeedReadConnection(target, em)), options);
}
