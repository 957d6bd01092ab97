/**
 * Team bookings (docs/api.md, Part 3, 36-37): the round-robin choice and its write in one
 * transaction, and a collective booking that occupies every member's time at once. Both write
 * the booking with the one-statement INSERT_BOOKING (booking.statements.ts) inside a transaction
 * of their own, so every guard of a single booking (booking_cell's key, booking_no_overlap, the
 * busy-time and daily-cap triggers, the outbox triggers) holds for them unchanged.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { rankRoundRobin, utcMonthOf } from '../../scheduling';
import { hashToken } from '../../shared/tokens';
import { retryTransient } from '../../db/retry-transient';
import type { StoreDeps } from '../stores';
import { Booking } from './booking.entity';
import { occupiedCells } from './booking.placement';
import { INSERT_BOOKING, isRefusedAsDayFull, isRefusedAsTaken } from './booking.statements';
import { insertCells, newBooking, type NewBooking } from './booking.store';

/** A member free for the start (as read before the transaction), with its round-robin settings and the booking it would get. */
export interface FreeMember {
  ownerId: string;
  priority: number;
  weight: number;
}

/** What taking a team booking came to; on anything but `created` nothing was written. */
export type TeamInsert = { kind: 'created'; booking: Booking } | { kind: 'taken' } | { kind: 'dayFull' };

interface StatsRow {
  owner_id: string;
  month_count: number | string;
  last_at: number | string | Date | null;
}

/** Per member, this month's live bookings of the event type and when its latest live one was made. */
const STATS_SQL = `select owner_id, sum(case when starts_at >= ? and starts_at < ? then 1 else 0 end) as month_count, max(created_at) as last_at
  from booking where event_type_id = ? and status <> 'CANCELLED' group by owner_id`;


export class TeamBookingStore {
  constructor(private readonly deps: StoreDeps) {}

  /**
   * Round robin (docs/api.md, Part 3, 36): in one transaction, takes the team's lock (a write
   * on SQLite, so the transaction holds the database's write lock from its first statement; a
   * row lock on PostgreSQL, so a team's round-robin choices are made one at a time and each sees
   * the last one's booking), reads the members' standing, ranks the free members and tries each
   * in turn; a member whose time a race took is refused by the database inside a savepoint and
   * the next is tried. `taken` (or `dayFull`) only when every free member was refused.
   */
  async insertRoundRobin(teamId: string, eventTypeId: string, createdAt: Date, free: ReadonlyArray<FreeMember & { draft: NewBooking }>, manageToken: string): Promise<TeamInsert> {
    const dialect = this.deps.dialect;
    return retryTransient(() =>
      this.deps.em().fork().transactional(async (tx) => {
        if (dialect === 'sqlite') await tx.execute('update team set slug = slug where id = ?', [teamId], 'run');
        else await tx.execute('select id from team where id = ? for update', [teamId], 'all');
        const ranked = await this.rank(tx, eventTypeId, createdAt, free);
        let refusal: 'taken' | 'dayFull' = 'taken';
        for (const member of ranked) {
          const booking = newBooking(member.draft);
          try {
            // A savepoint: a refused insert leaves the transaction usable on PostgreSQL.
            await tx.transactional((attempt) => this.insert(attempt, booking, manageToken));
            return { kind: 'created' as const, booking };
          } catch (err) {
            if (isRefusedAsDayFull(err)) refusal = 'dayFull';
            else if (!isRefusedAsTaken(err)) throw err;
          }
        }
        return { kind: refusal };
      }),
    );
  }

  /**
   * Collective (docs/api.md, Part 3, 37): the booking under `draft.ownerId`, the cells of its
   * occupied span for every other host under booking_cell's primary key (owner_id, cell), and a
   * booking_host row per host, in one transaction: any host's time taken meanwhile rolls all of
   * it back.
   */
  async insertCollective(draft: NewBooking, extraHostIds: readonly string[], manageToken: string): Promise<TeamInsert> {
    const booking = newBooking(draft);
    try {
      await retryTransient(() =>
        this.deps.em().fork().transactional(async (tx) => {
          await this.insert(tx, booking, manageToken);
          await insertCells(tx, booking.id, extraHostIds, occupiedCells(booking));
          const hosts = [draft.ownerId, ...extraHostIds];
          await tx.execute(`insert into booking_host (booking_id, owner_id) values ${hosts.map(() => '(?, ?)').join(', ')}`, hosts.flatMap((h) => [booking.id, h]), 'run');
        }),
      );
    } catch (err) {
      if (isRefusedAsDayFull(err)) return { kind: 'dayFull' };
      if (isRefusedAsTaken(err)) return { kind: 'taken' };
      throw err;
    }
    return { kind: 'created', booking };
  }

  /**
   * `free` in round robin's order (docs/api.md, Part 3, 36): each member's live bookings of the
   * event type this UTC month (of `now`) and its latest one's createdAt, read in one statement.
   */
  async rank<T extends FreeMember>(tx: EntityManager | null, eventTypeId: string, now: Date, free: readonly T[]): Promise<T[]> {
    const dialect = this.deps.dialect;
    const month = utcMonthOf(now.getTime());
    const at = (ms: number) => (dialect === 'sqlite' ? ms : new Date(ms));
    const rows = await (tx ?? this.deps.em()).execute<StatsRow[]>(STATS_SQL, [at(month.start), at(month.end), eventTypeId], 'all');
    const stats = new Map(rows.map((r) => [r.owner_id, r]));
    const ranked = rankRoundRobin(
      free.map((m) => {
        const row = stats.get(m.ownerId);
        return { ...m, bookingsThisMonth: Number(row?.month_count ?? 0), lastBookedAt: row?.last_at == null ? null : new Date(row.last_at).getTime() };
      }),
    );
    return ranked;
  }

  /** The calendars besides its owner whose time the booking occupies (booking_host). */
  async extraHostsOf(bookingId: string, ownerId: string): Promise<string[]> {
    const rows = await this.deps.em().execute<Array<{ owner_id: string }>>('select owner_id from booking_host where booking_id = ?', [bookingId], 'all');
    return rows.map((r) => r.owner_id).filter((id) => id !== ownerId);
  }

  private async insert(tx: EntityManager, booking: Booking, manageToken: string): Promise<void> {
    const { sql, params } = INSERT_BOOKING[this.deps.dialect];
    await tx.execute(sql, params(booking, hashToken(manageToken), occupiedCells(booking), manageToken), 'run');
  }

  /** The booking of this team event type that holds the idempotency key, if any (a team booking's key is the event type's, whichever member got it). */
  async bookingWithKey(eventTypeId: string, key: string): Promise<Booking | null> {
    return this.deps.em().findOne(Booking, { eventType: eventTypeId, idempotencyKey: key });
  }
}
