import { DeadlockException, DriverException, LockWaitTimeoutException, UniqueConstraintViolationException, rel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { isEmail } from 'class-validator';
import type { RequestContext } from '../context';
import type { Dialect } from '../../db/dialect';
import { badInput, notFound, slotUnavailable } from '../../shared/errors';
import { GRID_MS, requireOnGrid } from '../../shared/grid';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, validatePageSize } from '../../shared/pagination';
import { generateToken, hashToken } from '../../shared/tokens';
import { requireText } from '../../shared/validation';
import { describeUnbookable, SlotService } from '../availability/slot.service';
import { Owner } from '../owner/owner.entity';
import type { OwnerHead } from '../owner/owner-heads';
import { OwnerService } from '../owner/owner.service';
import { Booking, BookingCell, BookingStatus, ManageToken } from './booking.entity';
import { IDEMPOTENCY_KEY, INVITEE_EMAIL, INVITEE_NAME, type BookSlotInput } from './booking.inputs';

export interface BookingPage {
  edges: Array<{ cursor: string; node: Booking }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface BookingFilter {
  status?: BookingStatus | null;
  from?: Date | null;
  to?: Date | null;
  endsAfter?: Date;
}

const LOCK_RETRIES = 5;

/** How many manage tokens one booking holds at most: its first, and those of replays (see replay). */
export const MAX_MANAGE_TOKENS = 5;

/** A bookSlot input as checked and as it would be stored. */
interface BookingRequest {
  startsAt: Date;
  inviteeName: string;
  inviteeEmail: string;
  idempotencyKey: string | null;
  /** Part 2's event types: not in the API yet, so always null; compared already so a key never replays across them. */
  eventTypeId: string | null;
  duration: number | null;
}

/** Everything bookSlot refuses as BAD_USER_INPUT without reading the database, in one place so it runs first. */
function validBookingRequest(input: BookSlotInput): BookingRequest {
  requireOnGrid('input.startsAt', input.startsAt);
  const inviteeName = requireText('input.invitee.name', input.invitee.name, INVITEE_NAME);
  const inviteeEmail = requireText('input.invitee.email', input.invitee.email, INVITEE_EMAIL);
  if (!isEmail(inviteeEmail)) throw badInput('input.invitee.email', 'must be a valid e-mail address');
  const key = input.idempotencyKey ?? null;
  return {
    startsAt: input.startsAt,
    inviteeName,
    inviteeEmail,
    idempotencyKey: key === null ? null : requireText('input.idempotencyKey', key, IDEMPOTENCY_KEY),
    eventTypeId: null,
    duration: null,
  };
}

/**
 * Whether `request` repeats the one that made `booking` (Semantics 23), compared with the booking
 * as stored: start, trimmed invitee name and e-mail, event type and duration (none stored yet).
 */
function isSameRequest(booking: Booking, request: BookingRequest): boolean {
  const notStoredYet = { eventTypeId: null, duration: null };
  return (
    booking.startsAt.getTime() === request.startsAt.getTime() &&
    booking.inviteeName === request.inviteeName &&
    booking.inviteeEmail === request.inviteeEmail &&
    notStoredYet.eventTypeId === request.eventTypeId &&
    notStoredYet.duration === request.duration
  );
}

/** The 5-minute cells a booking occupies; their primary key makes overlapping live bookings impossible. */
export function cellsOf(startsAt: Date, endsAt: Date): number[] {
  const cells: number[] = [];
  for (let t = startsAt.getTime(); t < endsAt.getTime(); t += GRID_MS) cells.push(t / GRID_MS);
  return cells;
}

/**
 * bookSlot's writes as one statement per database: the booking, its cells and its manage token,
 * atomically, under the same constraints as ORM writes (the owner's data version is bumped by a
 * trigger on booking, Migration20261130141500). PostgreSQL chains data-modifying CTEs; SQLite
 * inserts into the booking_request view, whose INSTEAD OF trigger (Migration20261121153739) does
 * the three writes.
 */
const INSERT_BOOKING: Record<Dialect, { sql: string; params(b: Booking, ownerId: string, tokenHash: string, cells: number[]): unknown[] }> = {
  postgresql: {
    sql: `
with booking_row as (
  insert into booking (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?)
), cells as (
  insert into booking_cell (owner_id, cell, booking_id) select ?, cell, ? from generate_series(?::int, ?::int) as cell
)
insert into booking_manage_token (token_hash, booking_id) values (?, ?)`,
    params: (b, ownerId, tokenHash, cells) => [
      b.id, ownerId, b.startsAt, b.endsAt, b.status, b.inviteeName, b.inviteeEmail, b.idempotencyKey, b.createdAt,
      ownerId, b.id, cells[0], cells.at(-1),
      tokenHash, b.id,
    ],
  },
  sqlite: {
    sql: `insert into booking_request (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at, token_hash, cells)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: (b, ownerId, tokenHash, cells) => [
      b.id, ownerId, b.startsAt.getTime(), b.endsAt.getTime(), b.status, b.inviteeName, b.inviteeEmail, b.idempotencyKey, b.createdAt.getTime(),
      tokenHash, JSON.stringify(cells),
    ],
  },
};

/** PostgreSQL's SQLSTATE for a row that breaks an exclusion constraint (booking_no_overlap). */
const EXCLUSION_VIOLATION = '23P01';

/**
 * The database refused a write because the time (or the idempotency key) is already taken:
 * booking_cell's primary key on both databases, or booking_no_overlap on PostgreSQL.
 */
export function isRefusedAsTaken(err: unknown): boolean {
  return err instanceof UniqueConstraintViolationException || (err instanceof DriverException && err.code === EXCLUSION_VIOLATION);
}

/** Bookings: taking, reading, cancelling, rescheduling and completing them; owns the no-overlap guarantee. */
export class BookingService {
  constructor(private readonly ctx: RequestContext) {}

  async bookSlot(input: BookSlotInput): Promise<{ booking: Booking; manageToken: string }> {
    const request = validBookingRequest(input);
    const owner = await new OwnerService(this.ctx).getOwnerHead(input.ownerId, 'input.ownerId');
    const key = request.idempotencyKey;
    if (key !== null) {
      const earlier = await this.bookingWithKey(owner, key);
      if (earlier) return this.replayOrRefuse(owner, request, earlier);
    }
    const why = await new SlotService(this.ctx).whyUnbookable(owner, request.startsAt);
    if (why) {
      // The first request with this key may have committed between the key lookup above and the
      // availability read: its booking is what makes the slot look taken.
      const earlier = key !== null && why === 'taken' ? await this.bookingWithKey(owner, key) : null;
      if (earlier && isSameRequest(earlier, request)) return this.replay(earlier);
      throw slotUnavailable(`${request.startsAt.toISOString()} is not a free slot: ${describeUnbookable(why)}`);
    }

    const booking = Object.assign(new Booking(), {
      // rel(): a reference made without the request's EntityManager, which bookSlot otherwise never forks.
      owner: rel(Owner, owner.id),
      startsAt: request.startsAt,
      endsAt: new Date(request.startsAt.getTime() + owner.slotMinutes * 60_000),
      status: BookingStatus.CONFIRMED,
      inviteeName: request.inviteeName,
      inviteeEmail: request.inviteeEmail,
      idempotencyKey: key,
      createdAt: this.ctx.now(),
    });
    const manageToken = generateToken('sbm');
    try {
      await this.retryTransient(() => this.insertBookingInOneStatement(booking, owner.id, hashToken(manageToken)));
    } catch (err) {
      if (!isRefusedAsTaken(err)) throw err;
      // Refused by the cells (the time was taken meanwhile) or by the key (a request with it committed meanwhile).
      const earlier = key !== null ? await this.bookingWithKey(owner, key) : null;
      if (earlier) return this.replayOrRefuse(owner, request, earlier);
      throw slotUnavailable(`${request.startsAt.toISOString()} is not a free slot: already booked`);
    }
    return { booking, manageToken };
  }

  async getBooking(id: string, manageToken: string | null | undefined): Promise<Booking> {
    return this.visibleBooking(id, manageToken);
  }

  async cancelBooking(id: string, manageToken: string | null | undefined): Promise<Booking> {
    const booking = await this.visibleBooking(id, manageToken);
    requireConfirmed(booking, 'cancelled');
    await this.writeTransaction(async (tx) => {
      await this.transition(tx, booking, BookingStatus.CANCELLED, 'cancelled');
      await tx.nativeDelete(BookingCell, { booking: booking.id });
    });
    booking.status = BookingStatus.CANCELLED;
    return booking;
  }

  async completeBooking(id: string): Promise<Booking> {
    const owner = await this.ctx.auth.requireOwner();
    const booking = await this.ctx.em.findOne(Booking, { id });
    if (!booking || booking.owner.id !== owner.id) throw notFound(`booking ${JSON.stringify(id.slice(0, 64))}`);
    requireConfirmed(booking, 'completed');
    await this.writeTransaction((tx) => this.transition(tx, booking, BookingStatus.COMPLETED, 'completed'));
    booking.status = BookingStatus.COMPLETED;
    return booking;
  }

  /** Moves a booking atomically: the old time is released only in the transaction that holds the new one. */
  async rescheduleBooking(id: string, startsAt: Date, manageToken: string | null | undefined): Promise<Booking> {
    requireOnGrid('startsAt', startsAt);
    const booking = await this.visibleBooking(id, manageToken);
    requireConfirmed(booking, 'rescheduled');
    const owner = await this.ctx.em.findOneOrFail(Owner, { id: booking.owner.id });
    const why = await new SlotService(this.ctx).whyUnbookable(owner, startsAt, booking.id);
    if (why) throw slotUnavailable(`${startsAt.toISOString()} is not a free slot: ${describeUnbookable(why)}`);
    const endsAt = new Date(startsAt.getTime() + owner.slotMinutes * 60_000);
    try {
      await this.writeTransaction(async (tx) => {
        await tx.nativeDelete(BookingCell, { booking: booking.id });
        const moved = await tx.nativeUpdate(Booking, { id: booking.id, status: BookingStatus.CONFIRMED }, { startsAt, endsAt });
        if (moved !== 1) throw badInput('id', 'only a CONFIRMED booking can be rescheduled');
        await tx.insertMany(BookingCell, cellsOf(startsAt, endsAt).map((cell) => ({ owner: owner.id, cell, booking: booking.id })));
      });
    } catch (err) {
      if (isRefusedAsTaken(err)) throw slotUnavailable(`${startsAt.toISOString()} is not a free slot: already booked`);
      throw err;
    }
    Object.assign(booking, { startsAt, endsAt });
    return booking;
  }

  async upcomingBookings(first: number | null, after: string | null | undefined): Promise<BookingPage> {
    const owner = await this.ctx.auth.requireOwner();
    return this.page(owner.id, { status: BookingStatus.CONFIRMED, endsAfter: this.ctx.now() }, first, after);
  }

  async ownerBookings(owner: Owner, filter: BookingFilter, first: number | null, after: string | null | undefined): Promise<BookingPage> {
    await this.ctx.auth.requireOwnerOf(owner.id);
    if (filter.from && filter.to && filter.to.getTime() <= filter.from.getTime()) throw badInput('to', 'must be after from');
    return this.page(owner.id, filter, first, after);
  }

  private async page(ownerId: string, filter: BookingFilter, requested: number | null, after: string | null | undefined): Promise<BookingPage> {
    const first = validatePageSize(requested ?? DEFAULT_PAGE_SIZE);
    const cursor = after ? decodeCursor(after) : null;
    const startsAt: Record<string, Date> = {};
    if (filter.from) startsAt.$gte = filter.from;
    if (filter.to) startsAt.$lt = filter.to;
    const rows = await this.ctx.em.find(
      Booking,
      {
        owner: ownerId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(Object.keys(startsAt).length ? { startsAt } : {}),
        ...(filter.endsAfter ? { endsAt: { $gt: filter.endsAfter } } : {}),
        ...(cursor
          ? { $or: [{ startsAt: { $gt: new Date(cursor.startsAt) } }, { startsAt: new Date(cursor.startsAt), id: { $gt: cursor.id } }] }
          : {}),
      },
      { orderBy: { startsAt: 'asc', id: 'asc' }, limit: first + 1 },
    );
    const nodes = rows.slice(0, first);
    const edges = nodes.map((node) => ({ cursor: encodeCursor({ startsAt: node.startsAt.getTime(), id: node.id }), node }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** The booking if the caller is its owner or holds one of its manage tokens; NOT_FOUND otherwise, so ids leak nothing. */
  private async visibleBooking(id: string, manageToken: string | null | undefined): Promise<Booking> {
    const booking = await this.ctx.em.findOne(Booking, { id });
    const hidden = notFound(`booking ${JSON.stringify(id.slice(0, 64))}`);
    if (!booking) throw hidden;
    if (manageToken) {
      const token = await this.ctx.em.findOne(ManageToken, { tokenHash: hashToken(manageToken) });
      if (token && token.booking.id === booking.id) return booking;
    }
    const owner = await this.ctx.auth.ownerOrNull();
    if (owner && owner.id === booking.owner.id) return booking;
    throw hidden;
  }

  private async transition(tx: EntityManager, booking: Booking, status: BookingStatus, verb: string): Promise<void> {
    const changed = await tx.nativeUpdate(Booking, { id: booking.id, status: BookingStatus.CONFIRMED }, { status });
    if (changed !== 1) throw badInput('id', `only a CONFIRMED booking can be ${verb}`);
  }

  private bookingWithKey(owner: OwnerHead, key: string): Promise<Booking | null> {
    return this.ctx.em.findOne(Booking, { owner: owner.id, idempotencyKey: key });
  }

  /**
   * A request whose key an earlier booking holds: the same request gets that booking again; a
   * different one gets what it would get without the key when that is a failure (so a key's
   * existence is revealed only to a request that could have booked), else BAD_USER_INPUT naming
   * the key. Neither refusal says anything of the earlier booking.
   */
  private async replayOrRefuse(owner: OwnerHead, request: BookingRequest, earlier: Booking): Promise<{ booking: Booking; manageToken: string }> {
    if (isSameRequest(earlier, request)) return this.replay(earlier);
    const why = await new SlotService(this.ctx).whyUnbookable(owner, request.startsAt);
    if (why) throw slotUnavailable(`${request.startsAt.toISOString()} is not a free slot: ${describeUnbookable(why)}`);
    throw badInput('input.idempotencyKey', 'was already used for a different request to this owner; a new request needs a new key');
  }

  /**
   * The first response may have been lost: a replay hands out a new manage token that works beside
   * the earlier ones, up to MAX_MANAGE_TOKENS per booking. The booking table has no order of its
   * tokens to evict the oldest by, so a replay that would go past the bound revokes the booking's
   * earlier tokens instead; a client that retried that often holds the newest answer's token.
   */
  private async replay(booking: Booking): Promise<{ booking: Booking; manageToken: string }> {
    const manageToken = generateToken('sbm');
    await this.writeTransaction(async (tx) => {
      // Serializes the replays of one booking, so the count below cannot be stale: SQLite by this
      // first statement being a write (the database's write lock), PostgreSQL by the row lock.
      if (this.ctx.dialect === 'postgresql') await tx.execute('select id from booking where id = ? for update', [booking.id]);
      await tx.execute(
        `delete from booking_manage_token where booking_id = ?
           and (select count(*) from booking_manage_token where booking_id = ?) >= ?`,
        [booking.id, booking.id, MAX_MANAGE_TOKENS],
      );
      await tx.insert(ManageToken, { tokenHash: hashToken(manageToken), booking: booking.id });
    });
    return { booking, manageToken };
  }

  /**
   * Runs writes in one transaction whose first statement writes, so SQLite takes the write lock
   * up front (waiting out busy_timeout) instead of failing a read-to-write upgrade. A lock that
   * still times out under heavy multi-process load, or a PostgreSQL deadlock or serialization
   * failure, rolled the whole transaction back and is retried; a unique violation is not
   * transient and goes to the caller (it means the time is taken).
   */
  private writeTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.retryTransient(() => this.ctx.em.fork().transactional(work));
  }

  /**
   * Takes a booking in one statement (see INSERT_BOOKING) on the app's write connection: one
   * round trip holding the write lock (SQLite) or a pooled connection (PostgreSQL) instead of
   * six (begin, four writes, commit).
   */
  private async insertBookingInOneStatement(booking: Booking, ownerId: string, tokenHash: string): Promise<void> {
    const { sql, params } = INSERT_BOOKING[this.ctx.dialect];
    await this.ctx.writes.run(sql, params(booking, ownerId, tokenHash, cellsOf(booking.startsAt, booking.endsAt)));
  }

  private async retryTransient<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        const transient = err instanceof LockWaitTimeoutException || err instanceof DeadlockException;
        if (!transient || attempt >= LOCK_RETRIES) throw err;
      }
    }
  }
}

function requireConfirmed(booking: Booking, verb: string): void {
  if (booking.status !== BookingStatus.CONFIRMED) {
    throw badInput('id', `only a CONFIRMED booking can be ${verb}; this one is ${booking.status}`);
  }
}
