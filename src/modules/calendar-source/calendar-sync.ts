/**
 * Calendar syncs as a kind of the outbox (src/modules/outbox/outbox.ts; docs/api.md, Part 3, 30):
 * each source is a recurring job, claimed with a lease (one process at a time per source), due
 * every CALENDAR_SYNC_SECONDS after a success and after a growing backoff after a failure. A sync
 * reads the source (ICS with its ETag, CalDAV with getctag/sync-token), skips unchanged data,
 * expands it in the owner's zone (off the event loop when large: busy-expansion.ts) and replaces
 * the source's busy intervals at once. A failure keeps the last good intervals; its lastError
 * comes from CalendarSourceError messages, which never hold a credential or the URL.
 */
import type { Logger } from 'pino';
import type { Interval } from '../../scheduling';
import type { OutboxItem, OutboxKind, SendOutcome } from '../outbox/outbox';
import type { BusyIntervalStore } from './busy-interval.store';
import { CALENDAR_SYNCS, type CalendarSourceStore, type ClaimedSource } from './calendar-source.store';
import { CalendarSourceKind, CalendarSourceStatus, type CalendarSource } from './calendar-source.entity';
import { CalendarSourceError } from './calendar-source.errors';
import { fetchIcsFeed } from './ics-feed';
import { readCalDavEvents } from './caldav-client';
import { keptRange } from './ics-expand';
import { busyExpander } from './busy-expansion';
import { SecretBoxError, type SecretBox } from './secret-box';
import type { Credentials } from './safe-fetch';

export const DEFAULT_CALENDAR_SYNC_SECONDS = 300;

export interface CalendarSyncOptions {
  /** CALENDAR_SYNC_SECONDS, in ms: a source is synced again this long after a success. */
  everyMs: number;
  /** CALENDAR_ALLOW_PRIVATE_URLS: sources may be private addresses. */
  allowPrivateUrls: boolean;
  pollIntervalMs: number;
  concurrency: number;
  perOwnerInFlight: number;
  /** A sync (up to four requests of 20 s, and the expansion) not over within this has failed; its lease outlasts it. */
  timeoutMs: number;
  stopGraceMs: number;
}

export const DEFAULT_CALENDAR_SYNC_OPTIONS: CalendarSyncOptions = {
  everyMs: DEFAULT_CALENDAR_SYNC_SECONDS * 1000,
  allowPrivateUrls: false,
  pollIntervalMs: 1_000,
  concurrency: 4,
  perOwnerInFlight: 2,
  timeoutMs: 150_000,
  stopGraceMs: 2_000,
};

/** The longest wait after failures: an hour, or the sync period when that is longer. */
const MAX_BACKOFF_MS = 3_600_000;

/** After the n-th failure in a row: the period (at most a minute) doubled per failure, up to MAX_BACKOFF_MS. */
export function backoffMs(everyMs: number, failures: number): number {
  const base = Math.min(everyMs, 60_000);
  return Math.min(base * 2 ** Math.min(failures - 1, 20), Math.max(everyMs, MAX_BACKOFF_MS));
}

/** The sealing contexts of a source's credentials: its id, and which of the two, so they cannot be swapped. */
export const credentialContext = (sourceId: string, which: 'username' | 'password'): string => `calendar_source/${sourceId}/${which}`;

export interface CalendarSyncDeps {
  sources: CalendarSourceStore;
  busyIntervals: BusyIntervalStore;
  secretBox(): Promise<SecretBox>;
  /** The app's clock: the kept range and the job's due times. */
  now(): Date;
  logger: Logger;
}

export const CREDENTIALS_UNREADABLE = "the stored username and password cannot be decrypted with this server's SECRET_KEY: enter them again with updateCalendarSource";

export async function credentialsOf(source: CalendarSource, box: SecretBox): Promise<Credentials | null> {
  if (source.usernameSealed === null && source.passwordSealed === null) return null;
  return {
    username: source.usernameSealed === null ? '' : box.open(source.usernameSealed, credentialContext(source.id, 'username')),
    password: source.passwordSealed === null ? '' : box.open(source.passwordSealed, credentialContext(source.id, 'password')),
  };
}

/** The outbox's calendar-sync kind. */
export function calendarSyncs(deps: CalendarSyncDeps, options: CalendarSyncOptions): OutboxKind<ClaimedSource & OutboxItem> {
  const expander = busyExpander();
  const sync = async ({ source, ownerTimeZone }: ClaimedSource, signal: AbortSignal): Promise<SendOutcome> => {
    const credentials = await credentialsOf(source, await deps.secretBox());
    const now = deps.now().getTime();
    const expand = (data: string | string[]) => expander.expand(data, { ownerTimeZone, now }, { signal });
    const replace = async (intervals: Interval[]) => {
      await deps.busyIntervals.replaceSource(source.owner.id, source.id, intervals);
      // removeCalendarSource may have run during the sync: its intervals would then outlive it
      // (busy_interval has no foreign key to the source), occupying the owner's time for good.
      if (!(await deps.sources.exists(source.id))) await deps.busyIntervals.removeSource(source.owner.id, source.id);
    };
    if (source.kind === CalendarSourceKind.ICS) {
      const feed = await fetchIcsFeed({ url: source.url, etag: source.etag, credentials, allowPrivate: options.allowPrivateUrls });
      if (!feed.changed) return { kind: 'done' };
      await replace(await expand(feed.text));
      return { kind: 'done', columns: { etag: feed.etag?.slice(0, 1000) ?? null } };
    }
    const previous = source.ctag === null && source.syncToken === null ? null : { ctag: source.ctag, syncToken: source.syncToken };
    const read = await readCalDavEvents({ url: source.url, credentials, allowPrivate: options.allowPrivateUrls }, keptRange(now), previous);
    if (read.changed) await replace(await expand(read.objects.map((o) => o.data)));
    return { kind: 'done', columns: { ctag: read.state.ctag?.slice(0, 1000) ?? null, sync_token: read.state.syncToken?.slice(0, 1000) ?? null } };
  };

  return {
    name: 'calendar-sync',
    table: CALENDAR_SYNCS,
    statuses: { done: CalendarSourceStatus.OK, failed: CalendarSourceStatus.FAILING },
    pacing: { ...options, retryDelaysMs: [] },
    recurring: { everyMs: options.everyMs, backoffMs: (failures) => backoffMs(options.everyMs, failures) },
    // The later of the app's clock (tests inject it to bring syncs due) and the real one, so a
    // clock fixed in a test still lets leases expire.
    now: () => new Date(Math.max(deps.now().getTime(), Date.now())),
    load: async (claim) => (await deps.sources.claimed(claim)).map((claimed) => ({ ...claimed, id: claimed.source.id, attempts: claimed.source.attempts })),
    send: async (item, signal) => {
      try {
        return await sync(item, signal);
      } catch (err) {
        if (signal.aborted) return { kind: 'aborted' };
        if (err instanceof CalendarSourceError) return { kind: 'failed', error: err.message };
        if (err instanceof SecretBoxError) return { kind: 'failed', error: CREDENTIALS_UNREADABLE };
        // Only the error's class: its message may quote a statement's values or a URL.
        deps.logger.error({ sourceId: item.id, errorType: err instanceof Error ? err.name : typeof err }, 'calendar sync failed unexpectedly');
        return { kind: 'failed', error: 'the sync failed because of an error in Slotbook; it is retried' };
      }
    },
    purge: async () => 0,
    close: () => expander.close(),
  };
}
