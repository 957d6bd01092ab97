/**
 * The booking store: every statement of the booking module, and the home of the no-overlap rule.
 *
 * No two occupied spans of live (not CANCELLED) bookings of one owner overlap, and no owner-local
 * day holds more live bookings of an event type than its cap. The database keeps both rules, so
 * they hold under any number of concurrent requests and processes; this store only turns its
 * refusals into `taken` and `dayFull`. A booking occupies [startsAt − bufferBefore, endsAt +
 * bufferAfter) with the buffers it recorded (occupiedCells below). The rules live in:
 * - booking_cell's primary key (owner_id, cell), entity BookingCell in booking.entity.ts: a live
 *   booking holds one row per 5-minute cell of its occupied span, on both databases;
 * - the booking_request view's INSTEAD OF trigger (src/db/migrations/sqlite/Migration20261121153739.ts,
 *   …/Migration20261130150239.ts): SQLite's one-statement booking, which writes the booking, its
 *   cells and its manage token;
 * - the exclusion constraint booking_no_overlap (src/db/migrations/postgresql/Migration20261130150246.ts):
 *   a second guard on PostgreSQL over the owner and the occupied span;
 * - event_type_day's check and the triggers on booking that keep its counts (Migration20261130150239
 *   in src/db/migrations/sqlite and 20261130150246 in …/postgresql): a booking's statement takes a
 *   seat of its event type's day and is refused past the cap; cancelling releases it, moving moves it;
 * - the data-version triggers (Migration20261130141500 in src/db/migrations/sqlite and
 *   …/postgresql): every booking write bumps its owner's data version, the free-slot cache key,
 *   so no statement here bumps it by hand.
 */
import {
  CheckConstraintViolationException,
  DeadlockException,
  DriverException,
  LockWaitTimeoutException,
  UniqueConstraintViolationException,
  raw,
  rel,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../../db/dialect';
import { GRID_MS } from '../../shared/grid';
import type { BookingCursor } from '../../shared/pagination';
import { hashToken } from '../../shared/tokens';
import { occupiedSpan } from '../../scheduling';
import { Owner } from '../owner/owner.entity';
import { EventType } from '../event-type/event-type.entity';
import type { StoreDeps } from '../stores';
import { Booking, BookingCell, BookingStatus, ManageToken } from './booking.entity';

/**
 * Where a booking sits: its time, the buffers it records around it (its occupied span), and with
 * an event type the owner-local date of its start, the day that event type's cap counts it on.
 */
export interface Placement {
  startsAt: Date;
  endsAt: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** YYYY-MM-DD in the owner's zone; null without an event type. */
  localDate: string | null;
}

/** A booking to take, as the rules accepted it. */
interface NewBooking extends Placement {
  ownerId: string;
  eventTypeId: string | null;
  inviteeName: string;
  inviteeEmail: string;
  /** The invitee's zone for their emails; null: the owner's. */
  inviteeTimeZone?: string | null;
  idempotencyKey: string | null;
  createdAt: Date;
}

/** What taking a booking came to. */
type InsertOutcome =
  | { kind: 'created'; booking: Booking }
  /** Its occupied span overlaps a live booking's: the database refused it. */
  | { kind: 'taken' }
  /** Its event type's day already holds the cap's live bookings: the database refused it. */
  | { kind: 'dayFull' }
  /** Its idempotency key is held by `holder`, which a request with that key committed first. */
  | { kind: 'keyHeld'; holder: Booking };

/** What a status change came to: made, or refused because the booking is no longer CONFIRMED (a concurrent change won). */
type StatusChange = 'changed' | 'notConfirmed';

/** What moving a booking came to; on anything but `moved` the booking is unchanged. */
type Move = 'moved' | 'notConfirmed' | 'taken' | 'dayFull';

export interface BookingFilter {
  status?: BookingStatus | null;
  from?: Date | null;
  to?: Date | null;
  endsAfter?: Date;
}

/** The 5-minute cells of [startsAt, endsAt); their primary key makes overlapping live bookings impossible. */
export function cellsOf(startsAt: Date, endsAt: Date): number[] {
  const cells: number[] = [];
  for (let t = startsAt.getTime(); t < endsAt.getTime(); t += GRID_MS) cells.push(t / GRID_MS);
  return cells;
}

/** The cells of a booking's occupied span, [startsAt − bufferBefore, endsAt + bufferAfter): buffers lie on the grid. */
export function occupiedCells(placement: Omit<Placement, 'localDate'>): number[] {
  const span = occupiedSpan({ start: placement.startsAt.getTime(), end: placement.endsAt.getTime() }, placement.bufferBeforeMinutes, placement.bufferAfterMinutes);
  return cellsOf(new Date(span.start), new Date(span.end));
}

/**
 * A booking as one statement per database: the booking, the cells of its occupied span and its
 * manage token (and, for its emails' links, the token itself: booking_email_link), atomically, under the same constraints as ORM writes; the booking's own triggers
 * count it against its event type's day in the same statement. PostgreSQL chains data-modifying
 * CTEs; SQLite inserts into the booking_request view, whose INSTEAD OF trigger does the three writes.
 */
const INSERT_BOOKING: Record<Dialect, { sql: string; params(b: Booking, tokenHash: string, cells: number[], manageToken: string): unknown[] }> = {
  postgresql: {
    sql: `
with booking_row as (
  insert into booking (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at, event_type_id, buffer_before_minutes, buffer_after_minutes, local_date, invitee_time_zone)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
), email_link as (
  insert into booking_email_link (booking_id, manage_token) values (?, ?)
), cells as (
  insert into booking_cell (owner_id, cell, booking_id) select ?, cell, ? from generate_series(?::int, ?::int) as cell
)
insert into booking_manage_token (token_hash, booking_id) values (?, ?)`,
    params: (b, tokenHash, cells, manageToken) => [
      b.id, b.owner.id, b.startsAt, b.endsAt, b.status, b.inviteeName, b.inviteeEmail, b.idempotencyKey, b.createdAt,
      b.eventType?.id ?? null, b.bufferBeforeMinutes, b.bufferAfterMinutes, b.localDate, b.inviteeTimeZone,
      b.id, manageToken,
      b.owner.id, b.id, cells[0], cells.at(-1),
      tokenHash, b.id,
    ],
  },
  sqlite: {
    sql: `insert into booking_request (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at, event_type_id, buffer_before_minutes, buffer_after_minutes, local_date, invitee_time_zone, manage_token, token_hash, cells)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: (b, tokenHash, cells, manageToken) => [
      b.id, b.owner.id, b.startsAt.getTime(), b.endsAt.getTime(), b.status, b.inviteeName, b.inviteeEmail, b.idempotencyKey, b.createdAt.getTime(),
      b.eventType?.id ?? null, b.bufferBeforeMinutes, b.bufferAfterMinutes, b.localDate, b.inviteeTimeZone, manageToken,
      tokenHash, JSON.stringify(cells),
    ],
  },
};

/** PostgreSQL's SQLSTATE for a row that breaks an exclusion constraint (booking_no_overlap). */
const EXCLUSION_VIOLATION = '23P01';

/**
 * The database refused a write because the time (or the idempotency key) is already taken:
 * booking_cell's primary key or the key's unique index on both databases, or booking_no_overlap
 * on PostgreSQL.
 */
function isRefusedAsTaken(err: unknown): boolean {
  return err instanceof UniqueConstraintViolationException || (err instanceof DriverException && err.code === EXCLUSION_VIOLATION);
}

/** The database refused a write because it would pass an event type's daily cap: event_type_day's check, named in both dialects' message. */
function isRefusedAsDayFull(err: unknown): boolean {
  return err instanceof CheckConstraintViolationException && err.message.includes('event_type_day_within_cap');
}

const LOCK_RETRIES = 5;

/**
 * Runs `write` again when it rolled back for a transient reason: a SQLite lock that still timed
 * out under heavy multi-process load, a PostgreSQL deadlock or serialization failure. A unique
 * violation is not transient: it means the time is taken.
 */
async function retryTransient<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const transient = err instanceof LockWaitTimeoutException || err instanceof DeadlockException;
      if (!transient || attempt >= LOCK_RETRIES) throw err;
    }
  }
}

/** Thrown inside a move's transaction to roll it back: the booking stopped being CONFIRMED. */
class NoLongerConfirmed extends Error {}

/** Bookings: taking, finding, changing and paging them, in the database's terms; owns the no-overlap rule's statements. */
export class BookingStore {
  constructor(private readonly deps: StoreDeps) {}

  /**
   * Takes a booking in one statement (INSERT_BOOKING) on the app's write connection: one round
   * trip holding the write lock (SQLite) or a pooled connection (PostgreSQL) instead of six
   * (begin, four writes, commit), and no EntityManager. Only the manage token's hash is stored.
   */
  async insertBooking(draft: NewBooking, manageToken: string): Promise<InsertOutcome> {
    const booking = Object.assign(new Booking(), {
      // rel(): references made without the request's EntityManager, which a booking otherwise never forks.
      owner: rel(Owner, draft.ownerId),
      eventType: draft.eventTypeId === null ? null : rel(EventType, draft.eventTypeId),
      startsAt: draft.startsAt,
      endsAt: draft.endsAt,
      bufferBeforeMinutes: draft.bufferBeforeMinutes,
      bufferAfterMinutes: draft.bufferAfterMinutes,
      localDate: draft.localDate,
      status: BookingStatus.CONFIRMED,
      inviteeName: draft.inviteeName,
      inviteeEmail: draft.inviteeEmail,
      inviteeTimeZone: draft.inviteeTimeZone ?? null,
      idempotencyKey: draft.idempotencyKey,
      createdAt: draft.createdAt,
    });
    const { sql, params } = INSERT_BOOKING[this.deps.dialect];
    try {
      await retryTransient(() => this.deps.writes.run(sql, params(booking, hashToken(manageToken), occupiedCells(booking), manageToken)));
    } catch (err) {
      const dayFull = isRefusedAsDayFull(err);
      if (!dayFull && !isRefusedAsTaken(err)) throw err;
      // Refused by the cells or the day's count (taken meanwhile), or by the key (a request with it
      // committed meanwhile, whose booking may be what took the time or the day's last seat).
      const holder = draft.idempotencyKey === null ? null : await this.bookingWithKey(draft.ownerId, draft.idempotencyKey);
      return holder ? { kind: 'keyHeld', holder } : { kind: dayFull ? 'dayFull' : 'taken' };
    }
    return { kind: 'created', booking };
  }

  bookingWithKey(ownerId: string, key: string): Promise<Booking | null> {
    return this.deps.em().findOne(Booking, { owner: ownerId, idempotencyKey: key });
  }

  findBooking(id: string): Promise<Booking | null> {
    return this.deps.em().findOne(Booking, { id });
  }

  /** Whether `manageToken` is one of the booking's manage tokens. */
  async isManageTokenOf(bookingId: string, manageToken: string): Promise<boolean> {
    const token = await this.deps.em().findOne(ManageToken, { tokenHash: hashToken(manageToken) });
    return token !== null && token.booking.id === bookingId;
  }

  /**
   * Adds a manage token to a booking that holds at most `keepAtMost`. The table has no order of a
   * booking's tokens to evict the oldest by, so a token that would go past the bound replaces all
   * the earlier ones instead.
   */
  async addManageToken(bookingId: string, manageToken: string, keepAtMost: number): Promise<void> {
    await this.writeTransaction(async (tx) => {
      // Serializes the additions to one booking, so the count below cannot be stale: SQLite by this
      // first statement being a write (the database's write lock), PostgreSQL by the row lock.
      if (this.deps.dialect === 'postgresql') await tx.execute('select id from booking where id = ? for update', [bookingId]);
      await tx.execute(
        `delete from booking_manage_token where booking_id = ?
           and (select count(*) from booking_manage_token where booking_id = ?) >= ?`,
        [bookingId, bookingId, keepAtMost],
      );
      await tx.insert(ManageToken, { tokenHash: hashToken(manageToken), booking: bookingId });
    });
  }

  /** CONFIRMED → CANCELLED, releasing the booking's occupied span in the same transaction (its seat of its event type's day goes with the status: a trigger). */
  cancel(bookingId: string): Promise<StatusChange> {
    return this.writeTransaction(async (tx) => {
      const change = await changeStatus(tx, bookingId, BookingStatus.CANCELLED);
      if (change === 'changed') await tx.nativeDelete(BookingCell, { booking: bookingId });
      return change;
    });
  }

  /** CONFIRMED → COMPLETED; the booking keeps its time. */
  complete(bookingId: string): Promise<StatusChange> {
    return this.writeTransaction((tx) => changeStatus(tx, bookingId, BookingStatus.COMPLETED));
  }

  /**
   * Moves a CONFIRMED booking to `to`, counting one more reschedule: its old occupied span (and its
   * seat of its event type's day) is released only in the transaction that takes the new ones.
   */
  async move(bookingId: string, ownerId: string, to: Placement): Promise<Move> {
    try {
      await this.writeTransaction(async (tx) => {
        await tx.nativeDelete(BookingCell, { booking: bookingId });
        const moved = await tx.nativeUpdate(Booking, { id: bookingId, status: BookingStatus.CONFIRMED }, { ...to, rescheduleCount: raw('reschedule_count + 1') });
        if (moved !== 1) throw new NoLongerConfirmed();
        await tx.insertMany(BookingCell, occupiedCells(to).map((cell) => ({ owner: ownerId, cell, booking: bookingId })));
      });
    } catch (err) {
      if (err instanceof NoLongerConfirmed) return 'notConfirmed';
      if (isRefusedAsDayFull(err)) return 'dayFull';
      if (isRefusedAsTaken(err)) return 'taken';
      throw err;
    }
    return 'moved';
  }

  /** Up to `first` of the owner's bookings matching `filter` after `after`, ascending by (start, id), and whether more follow. */
  async page(ownerId: string, filter: BookingFilter, after: BookingCursor | null, first: number): Promise<{ bookings: Booking[]; hasMore: boolean }> {
    const startsAt: Record<string, Date> = {};
    if (filter.from) startsAt.$gte = filter.from;
    if (filter.to) startsAt.$lt = filter.to;
    const rows = await this.deps.em().find(
      Booking,
      {
        owner: ownerId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(Object.keys(startsAt).length ? { startsAt } : {}),
        ...(filter.endsAfter ? { endsAt: { $gt: filter.endsAfter } } : {}),
        ...(after
          ? { $or: [{ startsAt: { $gt: new Date(after.startsAt) } }, { startsAt: new Date(after.startsAt), id: { $gt: after.id } }] }
          : {}),
      },
      // One more than asked: whether it exists is whether more follow.
      { orderBy: { startsAt: 'asc', id: 'asc' }, limit: first + 1 },
    );
    return { bookings: rows.slice(0, first), hasMore: rows.length > first };
  }

  /**
   * Runs writes in one transaction whose first statement writes, so SQLite takes the write lock
   * up front (waiting out busy_timeout) instead of failing a read-to-write upgrade; a transient
   * failure rolled the whole transaction back and runs it again.
   */
  private writeTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return retryTransient(() => this.deps.em().fork().transactional(work));
  }
}

async function changeStatus(tx: EntityManager, bookingId: string, status: BookingStatus): Promise<StatusChange> {
  const changed = await tx.nativeUpdate(Booking, { id: bookingId, status: BookingStatus.CONFIRMED }, { status });
  return changed === 1 ? 'changed' : 'notConfirmed';
}
