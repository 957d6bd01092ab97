/**
 * The calendar write store: every statement on calendar_write and calendar_written_event
 * (Migration20261207052000). Writes are inserted by the booking triggers in the statement that
 * changes the booking, never here; the outbox (src/modules/outbox/outbox.store.ts) claims and
 * records them through CALENDAR_WRITES.
 */
import type { StoreDeps } from '../stores';
import type { OutboxTable } from '../outbox/outbox.store';
import { CalendarSource } from '../calendar-source/calendar-source.entity';

/**
 * Only the earliest pending write of a booking into a source may be claimed: a later one waits
 * until it was written, or failed for good (docs/api.md, Part 3, 31: in order). An earlier write
 * in flight is still pending, so its successor waits for its outcome too.
 */
const inOrder = (row: string): string =>
  `not exists (select 1 from calendar_write e where e.booking_id = ${row}.booking_id and e.source_id = ${row}.source_id and e.status = 'PENDING' and e.step < ${row}.step)`;

/** Writes in the outbox's terms: due at due_at, counted against their owner's fair share, in order per booking and source. */
export const CALENDAR_WRITES: OutboxTable = {
  table: 'calendar_write',
  dueColumn: 'due_at',
  join: '',
  partitionKey: 't.owner_id',
  scanColumn: 'owner_id',
  eligible: null,
  rowEligible: inOrder,
  doneAtColumn: 'written_at',
  clearsDueWhenSettled: false,
};

export enum CalendarWriteStatus {
  PENDING = 'PENDING',
  WRITTEN = 'WRITTEN',
  FAILED = 'FAILED',
  /** Settled without sending: the source is gone, no longer CALDAV, or no longer writes bookings. */
  SKIPPED = 'SKIPPED',
}

/** A claimed write with what sending it needs. */
export interface ClaimedWrite {
  id: string;
  attempts: number;
  action: 'PUT' | 'DELETE';
  bookingId: string;
  /** The booking as the change left it: this write's version of the event. */
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
  /** Null when the booking is gone. */
  inviteeName: string | null;
  inviteeEmail: string | null;
  eventTypeTitle: string | null;
  /** Null when the source was removed. */
  source: CalendarSource | null;
}

interface WriteRow {
  id: string;
  attempts: number;
  action: 'PUT' | 'DELETE';
  booking_id: string;
  source_id: string;
  sequence: number;
  starts_at: unknown;
  ends_at: unknown;
  created_at: unknown;
  invitee_name: string | null;
  invitee_email: string | null;
  title: string | null;
}

/** An instant as either driver answers it: SQLite's Unix milliseconds, PostgreSQL's Date (or text). */
const instant = (value: unknown): Date => (value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number)));

export class CalendarWriteStore {
  constructor(private readonly deps: StoreDeps) {}

  /** The writes the outbox's claim `claim` took, with their booking and source. */
  async claimed(claim: string): Promise<ClaimedWrite[]> {
    const em = this.deps.em();
    const rows = await em.getConnection().execute<WriteRow[]>(
      `select w.id, w.attempts, w.action, w.booking_id, w.source_id, w.sequence, w.starts_at, w.ends_at, w.created_at, b.invitee_name, b.invitee_email, e.title
       from calendar_write w left join booking b on b.id = w.booking_id left join event_type e on e.id = b.event_type_id
       where w.claimed_by = ?`,
      [claim],
      'all',
    );
    const sources = rows.length === 0 ? [] : await em.find(CalendarSource, { id: { $in: [...new Set(rows.map((r) => r.source_id))] } }, { refresh: true });
    return rows.map((r) => ({
      id: r.id,
      attempts: Number(r.attempts),
      action: r.action,
      bookingId: r.booking_id,
      sequence: Number(r.sequence),
      startsAt: instant(r.starts_at),
      endsAt: instant(r.ends_at),
      createdAt: instant(r.created_at),
      inviteeName: r.invitee_name,
      inviteeEmail: r.invitee_email,
      eventTypeTitle: r.title,
      source: sources.find((s) => s.id === r.source_id) ?? null,
    }));
  }

  /** The ETag the source answered for the booking's event when Slotbook last wrote it, if any. */
  async etagOf(sourceId: string, bookingId: string): Promise<string | null> {
    const rows = await this.deps.em().getConnection().execute<Array<{ etag: string | null }>>(
      'select etag from calendar_written_event where source_id = ? and booking_id = ?',
      [sourceId, bookingId],
      'all',
    );
    return rows[0]?.etag ?? null;
  }

  /** Keeps the ETag of what was just written (null: the server gave none, so the next write re-reads it). */
  async keepEtag(sourceId: string, bookingId: string, etag: string | null): Promise<void> {
    await this.deps.em().getConnection().execute(
      'insert into calendar_written_event (source_id, booking_id, etag) values (?, ?, ?) on conflict (source_id, booking_id) do update set etag = excluded.etag',
      [sourceId, bookingId, etag?.slice(0, 1000) ?? null],
      'run',
    );
  }

  /** Forgets the booking's event in the source (deleted, or the source no longer written). */
  async forgetEvent(sourceId: string, bookingId: string): Promise<void> {
    await this.deps.em().getConnection().execute('delete from calendar_written_event where source_id = ? and booking_id = ?', [sourceId, bookingId], 'run');
  }

  /** Removes settled writes created before `before`; returns how many. */
  async purgeSettledBefore(before: Date): Promise<number> {
    const result = await this.deps.em().getConnection().execute<{ affectedRows: number }>(
      `delete from calendar_write where status <> 'PENDING' and created_at < ?`,
      [this.deps.dialect === 'sqlite' ? before.getTime() : before],
      'run',
    );
    return result.affectedRows;
  }
}
