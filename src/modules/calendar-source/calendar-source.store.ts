/**
 * The calendar source store: every statement on calendar_source (Migration20261207051000). The
 * outbox (src/modules/outbox/outbox.store.ts) claims and records syncs through CALENDAR_SYNCS;
 * a sync's busy intervals go through BusyIntervalStore (busy-interval.store.ts).
 */
import { DriverException } from '@mikro-orm/core';
import type { StoreDeps } from '../stores';
import type { OutboxTable } from '../outbox/outbox.store';
import { Owner } from '../owner/owner.entity';
import { CalendarSource, CalendarSourceStatus, type CalendarSourceKind } from './calendar-source.entity';
import type { BusyIntervalStore } from './busy-interval.store';

/**
 * Syncs in the outbox's terms: a recurring job per source, never settled (every row is pending),
 * due at next_sync_at, counted against its owner's fair share. The outbox writes its status
 * (OK, FAILING), last_error, attempts and last_synced_at.
 */
export const CALENDAR_SYNCS: OutboxTable = {
  table: 'calendar_source',
  dueColumn: 'next_sync_at',
  join: '',
  partitionKey: 't.owner_id',
  scanColumn: 'owner_id',
  eligible: null,
  doneAtColumn: 'last_synced_at',
  clearsDueWhenSettled: false,
  pending: (row) => `${row}.next_sync_at is not null`,
};

/** A claimed source with what its sync needs. */
export interface ClaimedSource {
  source: CalendarSource;
  ownerTimeZone: string;
}

export interface NewSource {
  id: string;
  ownerId: string;
  kind: CalendarSourceKind;
  url: string;
  name: string | null;
  usernameSealed: string | null;
  passwordSealed: string | null;
  writeBookings: boolean;
  createdAt: Date;
  nextSyncAt: Date;
}

export type SourcePatch = Partial<Pick<CalendarSource, 'url' | 'name' | 'usernameSealed' | 'passwordSealed' | 'writeBookings'>>;

export class CalendarSourceStore {
  constructor(
    private readonly deps: StoreDeps,
    private readonly busyIntervals: BusyIntervalStore,
  ) {}

  sourcesOf(ownerId: string): Promise<CalendarSource[]> {
    return this.deps.em().find(CalendarSource, { owner: ownerId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  countSources(ownerId: string): Promise<number> {
    return this.deps.em().count(CalendarSource, { owner: ownerId });
  }

  findSource(id: string): Promise<CalendarSource | null> {
    return this.deps.em().findOne(CalendarSource, { id });
  }

  /** The source as stored now, not as this request's EntityManager last saw it (a sync elsewhere changed it). */
  reloadSource(id: string): Promise<CalendarSource | null> {
    return this.deps.em().findOne(CalendarSource, { id }, { refresh: true });
  }

  /**
   * Adds a source, or answers `full` when the owner already has the most: the database's
   * calendar_source_limit trigger counts in the insert's statement, so concurrent additions from
   * any number of requests and processes never pass the limit.
   */
  async addSource(fields: NewSource): Promise<CalendarSource | 'full'> {
    const em = this.deps.em().fork();
    const { ownerId, ...rest } = fields;
    const source = Object.assign(new CalendarSource(), { ...rest, owner: em.getReference(Owner, ownerId) });
    try {
      await em.persistAndFlush(source);
    } catch (err) {
      if (err instanceof DriverException && err.message.includes('calendar_source_limit')) return 'full';
      throw err;
    }
    return this.deps.em().merge(source);
  }

  /**
   * Changes a source. A new URL or new credentials make what was read before meaningless: the
   * validators are forgotten and a sync is due at `resyncAt` (null: no change of what is read).
   */
  async updateSource(source: CalendarSource, patch: SourcePatch, resyncAt: Date | null): Promise<CalendarSource> {
    Object.assign(source, patch);
    if (resyncAt) Object.assign(source, { etag: null, ctag: null, syncToken: null, status: CalendarSourceStatus.SYNCING, nextSyncAt: resyncAt, attempts: 0 });
    await this.deps.em().flush();
    return source;
  }

  /**
   * Removes the source and its busy intervals in one transaction (BusyIntervalStore.removeSource
   * in this one, moving the owner's data version when it had any), so no reader sees intervals of
   * a source that is gone, nor a source without its intervals.
   */
  async removeSource(ownerId: string, id: string): Promise<void> {
    await this.deps.em().fork().transactional(async (tx) => {
      await this.busyIntervals.removeSource(ownerId, id, tx);
      await tx.execute('delete from calendar_source where id = ?', [id], 'run');
      // What Slotbook wrote into it is no longer its to replace (its pending writes settle unsent: calendar-writes.ts).
      await tx.execute('delete from calendar_written_event where source_id = ?', [id], 'run');
    });
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.deps.em().execute<unknown[]>('select 1 from calendar_source where id = ?', [id], 'all');
    return rows.length > 0;
  }

  /** Which claim holds the source at `now` (a sync in flight in some process), or null. */
  async heldBy(id: string, now: Date): Promise<string | null> {
    const rows = await this.deps.em().execute<Array<{ claimed_by: string }>>(
      'select claimed_by from calendar_source where id = ? and claimed_by is not null and claimed_until >= ?',
      [id, this.deps.dialect === 'sqlite' ? now.getTime() : now],
      'all',
    );
    return rows[0]?.claimed_by ?? null;
  }

  /**
   * The key credentials are sealed with when SECRET_KEY is not set: `candidate` the first time,
   * then whatever the first process stored (insert-if-absent, then read), so every process
   * sharing the database agrees on one.
   */
  async storedSecretKey(candidate: string): Promise<string> {
    const conn = this.deps.em().getConnection();
    await conn.execute(`insert into app_secret (name, value) values ('secret_key', ?) on conflict (name) do nothing`, [candidate], 'run');
    const rows = await conn.execute<Array<{ value: string }>>(`select value from app_secret where name = 'secret_key'`, [], 'all');
    return rows[0]!.value;
  }

  /** The sources the outbox's claim `claim` took, with their owners' zones. */
  async claimed(claim: string): Promise<ClaimedSource[]> {
    const sources = await this.deps.em().find(CalendarSource, { claimedBy: claim }, { populate: ['owner'] });
    return sources.map((source) => ({ source, ownerTimeZone: source.owner.timeZone }));
  }
}
