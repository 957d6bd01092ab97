/**
 * The booking store: every statement of the booking module, and the home of the no-overlap rule.
 *
 * No two occupied spans of live (not CANCELLED) bookings of one owner overlap, and no owner-local
 * day holds more live bookings of an event type than its cap. The database keeps both rules, so
 * they hold under any number of concurrent requests and processes; this store only turns its
 * refusals into `taken` and `dayFull`. A booking occupies [startsAt − bufferBefore, endsAt +
 * bufferAfter) with the buffers it recorded (occupiedCells, booking.placement.ts). The rules live in:
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
 *   re-dating after a zone change (redateLiveBookings, Migration20261207021000) moves it uncapped;
 * - the busy-time triggers (Migration20261207050000 in both dialects' folders): a booking or a move
 *   whose occupied span overlaps a busy interval synced from the owner's other calendars is refused
 *   in its own statement, read here as `taken`;
 * - the data-version triggers (Migration20261130141500 in src/db/migrations/sqlite and
 *   …/postgresql): every booking write bumps its owner's data version, the free-slot cache key,
 *   so no statement here bumps it by hand.
 */
import { raw, rel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { BookingCursor } from '../../shared/pagination';
import { hashToken } from '../../shared/tokens';
import { localDateOf } from '../../scheduling';
import { Owner } from '../owner/owner.entity';
import { EventType } from '../event-type/event-type.entity';
import type { StoreDeps } from '../stores';
import { Booking, BookingCell, BookingStatus, ManageToken } from './booking.entity';
import { occupiedCells, type Placement } from './booking.placement';
import { retryTransient } from '../../db/retry-transient';
import { insertBookingStatement, isRefusedAsDayFull, isRefusedAsTaken } from './booking.statements';

export type { Placement } from './booking.placement';

/** A booking to take, as the rules accepted it. */
export interface NewBooking extends Placement {
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
  /** Its occupied span overlaps a live booking's or busy time: the database refused it. */
  | { kind: 'taken' }
  /** Its event type's day already holds the cap's live bookings: the database refused it. */
  | { kind: 'dayFull' }
  /** Its idempotency key is held by `holder`, which a request with that key committed first. */
  | { kind: 'keyHeld'; holder: Booking };

/** What a status change came to: made, or refused because the booking is no longer CONFIRMED (a concurrent change won). */
type StatusChange = 'changed' | 'notConfirmed';

/**
 * What moving a booking came to; on anything but `moved` the booking is unchanged. `movedMeanwhile`:
 * it no longer starts where the caller read it (a concurrent reschedule won), so the caller's
 * decision rests on a stale read and must be made again.
 */
type Move = 'moved' | 'notConfirmed' | 'movedMeanwhile' | 'taken' | 'dayFull';

export interface BookingFilter {
  status?: BookingStatus | null;
  from?: Date | null;
  to?: Date | null;
  endsAfter?: Date;
  /** The owner also hosts collective team bookings of other owners (Owner.hostsTeamBookings). */
  hostsTeamBookings?: boolean;
}

/** A team booking's move (docs/api.md, Part 3, 36-37): a round-robin booking may change host; a collective one moves every host's cells. */
export interface TeamMove {
  /** The host the moved booking gets (round robin, when its host is not free at the new start). */
  newOwnerId?: string;
  /** The collective booking's other hosts, whose cells move with it. */
  extraHostIds?: readonly string[];
}

/** How many booking_cell rows one statement writes (3 parameters each), well under both databases' limits. */
const CELL_CHUNK = 300;

/** booking_cell rows for each of `ownerIds` over `cells`, in chunks: the cells of an occupied span under each host. */
export async function insertCells(tx: EntityManager, bookingId: string, ownerIds: readonly string[], cells: readonly number[]): Promise<void> {
  const rows = ownerIds.flatMap((ownerId) => cells.map((cell) => [ownerId, cell, bookingId] as const));
  for (let i = 0; i < rows.length; i += CELL_CHUNK) {
    const chunk = rows.slice(i, i + CELL_CHUNK);
    await tx.execute(`insert into booking_cell (owner_id, cell, booking_id) values ${chunk.map(() => '(?, ?, ?)').join(', ')}`, chunk.flat(), 'run');
  }
}

/** Thrown inside a move's transaction to roll it back: the booking is no longer CONFIRMED at the start the caller read. */
class NoLongerAsRead extends Error {}

/** How many bookings one re-dating statement names, well under both databases' parameter limits. */
const REDATE_CHUNK = 500;

/** Bookings: taking, finding, changing and paging them, in the database's terms; owns the no-overlap rule's statements. */
export class BookingStore {
  constructor(private readonly deps: StoreDeps) {}

  /**
   * Takes a booking in one statement (insertBookingStatement) on the app's write connection: one round
   * trip holding the write lock (SQLite) or a pooled connection (PostgreSQL) instead of six
   * (begin, four writes, commit), and no EntityManager. Only the manage token's hash is stored.
   */
  async insertBooking(draft: NewBooking, manageToken: string): Promise<InsertOutcome> {
    const booking = newBooking(draft);
    const { sql, params } = insertBookingStatement(this.deps.dialect, booking, manageToken);
    try {
      await retryTransient(() => this.deps.writes.run(sql, params));
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

  /**
   * How many live seats each group (a group event's id and a start) holds: seat_slot's count, which
   * the seat triggers keep in every booking's statement (Migration20261207070000); 0 for a group
   * with none left. One statement for all of them.
   */
  async seatsTakenAt(groups: ReadonlyArray<{ eventTypeId: string; startsAt: number }>): Promise<number[]> {
    const at = (ms: number): number | Date => (this.deps.dialect === 'postgresql' ? new Date(ms) : ms);
    const eventTypeIds = [...new Set(groups.map((g) => g.eventTypeId))];
    const starts = [...new Set(groups.map((g) => g.startsAt))];
    const rows = await this.deps.reads.all<{ event_type_id: string; starts_at: number | string | Date; taken: number }>(
      `select event_type_id, starts_at, taken from seat_slot where event_type_id in (${eventTypeIds.map(() => '?').join(', ')}) and starts_at in (${starts.map(() => '?').join(', ')})`,
      [...eventTypeIds, ...starts.map(at)],
    );
    const taken = new Map(rows.map((r) => [`${r.event_type_id}@${typeof r.starts_at === 'number' ? r.starts_at : new Date(r.starts_at).getTime()}`, Number(r.taken)]));
    return groups.map((g) => taken.get(`${g.eventTypeId}@${g.startsAt}`) ?? 0);
  }

  bookingWithKey(ownerId: string, key: string): Promise<Booking | null> {
    return this.deps.em().findOne(Booking, { owner: ownerId, idempotencyKey: key });
  }

  /** The booking as this request read it before; `fresh`: as committed now. */
  findBooking(id: string, { fresh = false } = {}): Promise<Booking | null> {
    return this.deps.em().findOne(Booking, { id }, { refresh: fresh });
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

  /**
   * CONFIRMED → CANCELLED, releasing the booking's occupied span in the same transaction (its seat
   * of its event type's day goes with the status: a trigger). A seat of a group event gives back
   * its seat by trigger, which keeps the group's cells while another seat stays; the delete below
   * then finds none of its own, or the last seat's.
   */
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
   * Moves a CONFIRMED booking that still starts at `from` with the seats it recorded, `fromSeats` (compare-and-set:
   * a concurrent move makes this one `movedMeanwhile` instead of overwriting it) to `to`, counting
   * one more reschedule: its old occupied span (and its seat of its event type's day) is released
   * only in the transaction that takes the new ones. A seat of a group event has no cells of its
   * own to move: booking's seat triggers leave its old group (its cells pass to a staying seat) and
   * join the new one (Migration20261207070000), so only a single booking's cells are written here.
   */
  async move(bookingId: string, ownerId: string, from: Date, to: Placement, fromSeats: number | null = null, team: TeamMove = {}): Promise<Move> {
    const toSeats = to.seatsPerSlot ?? null;
    try {
      await this.writeTransaction(async (tx) => {
        if (fromSeats === null) await tx.nativeDelete(BookingCell, { booking: bookingId });
        const moved = await tx.nativeUpdate(
          Booking,
          { id: bookingId, status: BookingStatus.CONFIRMED, startsAt: from, seatsPerSlot: fromSeats },
          { ...to, seatsPerSlot: toSeats, rescheduleCount: raw('reschedule_count + 1'), ...(team.newOwnerId ? { owner: team.newOwnerId } : {}) },
        );
        if (moved !== 1) throw new NoLongerAsRead();
        // A seat of a group event writes no cells of its own (the seat triggers keep the group's).
        if (toSeats === null) await insertCells(tx, bookingId, [team.newOwnerId ?? ownerId, ...(team.extraHostIds ?? [])], occupiedCells(to));
      });
    } catch (err) {
      if (err instanceof NoLongerAsRead) {
        const now = await this.deps.em().fork().findOne(Booking, { id: bookingId });
        return now?.status === BookingStatus.CONFIRMED ? 'movedMeanwhile' : 'notConfirmed';
      }
      if (isRefusedAsDayFull(err)) return 'dayFull';
      if (isRefusedAsTaken(err)) return 'taken';
      throw err;
    }
    return 'moved';
  }

  /**
   * Dates the owner's live bookings of event types anew in `timeZone` (booking.local_date, the day
   * their event type's cap counts them on), inside the caller's transaction `tx`: docs/api.md
   * (Part 2, details of 9-13) counts them in the owner's current zone. The re-dating triggers
   * (Migration20261207021000) move each booking's seat without the cap's check: a day past its
   * cap after a zone change keeps its bookings and only offers no more slots.
   */
  async redateLiveBookings(tx: EntityManager, ownerId: string, timeZone: string): Promise<void> {
    const rows = await tx.execute<Array<{ id: string; starts_at: Date | number | string; local_date: string | null }>>(
      `select id, starts_at, local_date from booking where owner_id = ? and event_type_id is not null and status <> 'CANCELLED'`,
      [ownerId],
      'all',
    );
    const idsByDate = new Map<string, string[]>();
    for (const row of rows) {
      const date = localDateOf(new Date(row.starts_at).getTime(), timeZone);
      if (date === row.local_date) continue;
      idsByDate.set(date, [...(idsByDate.get(date) ?? []), row.id]);
    }
    for (const [date, ids] of idsByDate) {
      for (let i = 0; i < ids.length; i += REDATE_CHUNK) {
        const chunk = ids.slice(i, i + REDATE_CHUNK);
        await tx.execute(`update booking set local_date = ? where id in (${chunk.map(() => '?').join(', ')})`, [date, ...chunk], 'run');
      }
    }
  }

  /** Up to `first` of the owner's bookings (those it hosts included) matching `filter` after `after`, ascending by (start, id), and whether more follow. */
  async page(ownerId: string, filter: BookingFilter, after: BookingCursor | null, first: number): Promise<{ bookings: Booking[]; hasMore: boolean }> {
    const startsAt: Record<string, Date> = {};
    if (filter.from) startsAt.$gte = filter.from;
    if (filter.to) startsAt.$lt = filter.to;
    const rows = await this.deps.em().find(
      Booking,
      {
        // With the collective team bookings of other owners that occupy this owner too (docs/api.md,
        // Part 3, details of 35-39), only for an owner that has any: the plain search is index-ordered.
        ...(filter.hostsTeamBookings
          ? { $and: [{ $or: [{ owner: ownerId }, { [raw('id in (select booking_id from booking_host where owner_id = ?)', [ownerId])]: true }] }] }
          : { owner: ownerId }),
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

/** The booking entity a draft becomes, made without the request's EntityManager. */
export function newBooking(draft: NewBooking): Booking {
  return Object.assign(new Booking(), {
    // rel(): references made without the request's EntityManager, which a booking otherwise never forks.
    owner: rel(Owner, draft.ownerId),
    eventType: draft.eventTypeId === null ? null : rel(EventType, draft.eventTypeId),
    startsAt: draft.startsAt,
    endsAt: draft.endsAt,
    bufferBeforeMinutes: draft.bufferBeforeMinutes,
    bufferAfterMinutes: draft.bufferAfterMinutes,
    localDate: draft.localDate,
    seatsPerSlot: draft.seatsPerSlot ?? null,
    status: BookingStatus.CONFIRMED,
    inviteeName: draft.inviteeName,
    inviteeEmail: draft.inviteeEmail,
    inviteeTimeZone: draft.inviteeTimeZone ?? null,
    idempotencyKey: draft.idempotencyKey,
    createdAt: draft.createdAt,
  });
}

async function changeStatus(tx: EntityManager, bookingId: string, status: BookingStatus): Promise<StatusChange> {
  const changed = await tx.nativeUpdate(Booking, { id: bookingId, status: BookingStatus.CONFIRMED }, { status });
  return changed === 1 ? 'changed' : 'notConfirmed';
}
