/**
 * Writing bookings back into the owner's CalDAV calendars as a kind of the outbox
 * (src/modules/outbox/outbox.ts; docs/api.md, Part 3, 31). The booking triggers write one row per
 * change and source (Migration20261207052000); the claim takes them in order per booking and
 * source (calendar-write.store.ts). A PUT writes the booking's event as that change left it, built
 * by the invitation's builder (booking-event.ts) without METHOD and without attendees, replacing
 * the version Slotbook last wrote (If-Match with the kept ETag); a cancel DELETEs it, so the
 * owner's calendar shows only what occupies their time. Errors are CalendarSourceError messages,
 * which never hold a credential or the URL.
 */
import type { Logger } from 'pino';
import type { OutboxItem, OutboxKind, OutboxPacing, SendOutcome } from '../outbox/outbox';
import { bookingEventIcs, ownerEventSummary } from '../booking/booking-event';
import { CalendarSourceKind, type CalendarSource } from '../calendar-source/calendar-source.entity';
import { CalendarSourceError } from '../calendar-source/calendar-source.errors';
import { deleteEvent, eventEtag, putEvent, type CalDavCalendar } from '../calendar-source/caldav-client';
import { CREDENTIALS_UNREADABLE, credentialsOf } from '../calendar-source/calendar-sync';
import { SecretBoxError, type SecretBox } from '../calendar-source/secret-box';
import { CALENDAR_WRITES, CalendarWriteStatus, type CalendarWriteStore, type ClaimedWrite } from './calendar-write.store';

/**
 * The outbox's pacing (retryDelaysMs: the emails' schedule by default, then FAILED and the
 * booking's next write goes ahead; timeoutMs: up to three requests of 20 s), and where sources
 * may be.
 */
export interface CalendarWriteOptions extends OutboxPacing {
  /** CALENDAR_ALLOW_PRIVATE_URLS: sources may be private addresses. */
  allowPrivateUrls: boolean;
  pollIntervalMs: number;
  stopGraceMs: number;
}

export const DEFAULT_CALENDAR_WRITE_OPTIONS: CalendarWriteOptions = {
  retryDelaysMs: [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000],
  allowPrivateUrls: false,
  pollIntervalMs: 1_000,
  concurrency: 4,
  perOwnerInFlight: 2,
  timeoutMs: 70_000,
  stopGraceMs: 2_000,
};

export interface CalendarWriteDeps {
  writes: CalendarWriteStore;
  secretBox(): Promise<SecretBox>;
  /** The app's clock: due times are compared with the later of it and the real one. */
  now(): Date;
  logger: Logger;
}

/** Whether Slotbook writes into the source at all now; a write for one that does not is settled unsent. */
const writable = (source: CalendarSource): boolean => source.kind === CalendarSourceKind.CALDAV && source.writeBookings;

/** The event of the booking as the write's change left it: the owner's view, no attendees (booking-event.ts says why). */
function eventOf(write: ClaimedWrite & { inviteeName: string; inviteeEmail: string }): string {
  return bookingEventIcs(
    {
      booking: { id: write.bookingId, startsAt: write.startsAt, endsAt: write.endsAt, sequence: write.sequence, cancelled: false },
      stamp: write.createdAt,
      summary: ownerEventSummary(write.eventTypeTitle, write.inviteeName),
      description: `Invitee: ${write.inviteeName} <${write.inviteeEmail}>`,
    },
    null,
  );
}

/** The outbox's calendar-write kind. */
export function calendarWrites(deps: CalendarWriteDeps, options: CalendarWriteOptions): OutboxKind<ClaimedWrite & OutboxItem> {
  const write = async (item: ClaimedWrite): Promise<SendOutcome> => {
    const { source, bookingId } = item;
    if (!source) return { kind: 'done', status: CalendarWriteStatus.SKIPPED };
    if (!writable(source)) {
      await deps.writes.forgetEvent(source.id, bookingId);
      return { kind: 'done', status: CalendarWriteStatus.SKIPPED };
    }
    const calendar: CalDavCalendar = { url: source.url, credentials: await credentialsOf(source, await deps.secretBox()), allowPrivate: options.allowPrivateUrls };
    const uid = `${bookingId}@slotbook`;
    if (item.action === 'DELETE') {
      // Unconditional: the booking is cancelled whatever was done to its event meanwhile.
      await deleteEvent(calendar, uid, null);
      await deps.writes.forgetEvent(source.id, bookingId);
      return { kind: 'done' };
    }
    if (item.inviteeName === null || item.inviteeEmail === null) return { kind: 'done', status: CalendarWriteStatus.SKIPPED };
    const ics = eventOf({ ...item, inviteeName: item.inviteeName, inviteeEmail: item.inviteeEmail });
    let written: { etag: string | null };
    try {
      written = await putEvent(calendar, uid, ics, await deps.writes.etagOf(source.id, bookingId));
    } catch (err) {
      if (!(err instanceof CalendarSourceError && err.failure === 'CONFLICT')) throw err;
      // 412: the event exists in another version than the one kept (an earlier attempt whose
      // answer was lost, a server that gave no ETag, or the owner edited it). Slotbook owns that
      // UID: the current version is read and replaced.
      written = await putEvent(calendar, uid, ics, await eventEtag(calendar, uid));
    }
    await deps.writes.keepEtag(source.id, bookingId, written.etag);
    return { kind: 'done' };
  };

  return {
    name: 'calendar-write',
    table: CALENDAR_WRITES,
    statuses: { done: CalendarWriteStatus.WRITTEN, failed: CalendarWriteStatus.FAILED },
    pacing: options,
    now: () => new Date(Math.max(deps.now().getTime(), Date.now())),
    load: (claim) => deps.writes.claimed(claim),
    send: async (item, signal) => {
      try {
        return await write(item);
      } catch (err) {
        if (signal.aborted) return { kind: 'aborted' };
        if (err instanceof CalendarSourceError) return { kind: 'failed', error: err.message };
        if (err instanceof SecretBoxError) return { kind: 'failed', error: CREDENTIALS_UNREADABLE };
        // Only the error's class: its message may quote a statement's values or a URL.
        deps.logger.error({ writeId: item.id, errorType: err instanceof Error ? err.name : typeof err }, 'calendar write failed unexpectedly');
        return { kind: 'failed', error: 'the write failed because of an error in Slotbook; it is retried' };
      }
    },
    purge: (before) => deps.writes.purgeSettledBefore(before),
  };
}
