/**
 * Team bookings (docs/api.md, Part 3, 36-37): the round-robin choice and its write in one
 * transaction, and a collective booking that occupies every member's time at once. Both write
 * the booking with the one statement of every booking (insertBookingStatement, booking.statements.ts)
 * inside a transaction of their own, so every guard of a single booking (booking_cell's key,
 * booking_no_overlap, the busy-time and daily-cap triggers, the outbox triggers) holds for them unchanged.
 */
import { rankRoundRobin, utcMonthOf } from '../../scheduling';
import { retryTransient } from '../../db/retry-transient';
import { headColumns, headOf, type HeadRow, type OwnerHead } from '../owner/owner.store';
import type { StoreDeps } from '../stores';
import { Booking } from './booking.entity';
import { occupiedCells } from './booking.placement';
import { insertBookingStatement, isRefusedAsDayFull, isRefusedAsTaken } from './booking.statements';
import { insertCells, newBooking, type NewBooking } from './booking.store';

/** A member as round robin ranks it: its calendar and round-robin settings. */
export interface FreeMember {
  ownerId: string;
  priority: number;
  weight: number;
}

/** What taking a team booking came to; on anything but `created` nothing was written. */
export type TeamInsert = { kind: 'created'; booking: Booking } | { kind: 'taken' } | { kind: 'dayFull' };

/** A member of a team as round robin sees it before its transaction (TeamBookingStore.candidates). */
export interface TeamCandidate extends FreeMember {
  head: OwnerHead;
  /** A live booking holds the member's time over the span asked about. */
  held: boolean;
}

/** A member round robin may still choose, with the booking it gets once found free (null: not asked yet). */
export interface RoundRobinCandidate extends FreeMember {
  draft: NewBooking | null;
}

/** What one round-robin transaction came to (takeRoundRobin); on anything but `created` nothing was written. */
export type RoundRobinTurn =
  | { kind: 'created'; booking: Booking }
  /** The database refused the best-ranked member's booking: its time was taken (or its day full) meanwhile. */
  | { kind: 'refused'; ownerId: string; dayFull: boolean }
  /** The best-ranked member has not been asked whether it is free. */
  | { kind: 'unasked'; ownerId: string };

interface StatsRow {
  owner_id: string;
  month_count: number | string | null;
  last_at: number | string | Date | null;
}

/** Per member, this month's live bookings of the event type and when its latest live one was made. */
const STATS_SQL = `select owner_id, sum(case when starts_at >= ? and starts_at < ? then 1 else 0 end) as month_count, max(created_at) as last_at
  from booking where event_type_id = ? and status <> 'CANCELLED' group by owner_id`;

/**
 * The members of a team with their round-robin settings and heads, STATS_SQL's standing, and
 * whether a live booking already holds their time over a span of cells (booking_cell, under the
 * key that refuses an overlapping booking).
 */
const CANDIDATES_SQL = `select m.priority, m.weight, ${headColumns('o')}, s.month_count, s.last_at,
  exists (select 1 from booking_cell c where c.owner_id = m.owner_id and c.cell >= ? and c.cell <= ?) as held
  from team_member m join owner o on o.id = m.owner_id
  left join (${STATS_SQL}) s on s.owner_id = m.owner_id
  where m.team_id = ?`;

/** Serializes a team's round-robin choices on PostgreSQL (SQLite's transaction holds the write lock already). */
const LOCK_TEAM_SQL = 'select id from team where id = ? for update';

export class TeamBookingStore {
  constructor(private readonly deps: StoreDeps) {}

  /**
   * One round-robin choice and its write (docs/api.md, Part 3, 36), in one transaction of the
   * write connection, which serializes a team's choices (on SQLite the transaction holds the
   * database's write lock; on PostgreSQL it locks the team's row), so each sees the last one's
   * booking: reads the members' standing and ranks `candidates`. The first, when it was found
   * free, is booked (`created`), or refused by the database, a race having taken its time or its
   * day (`refused`, nothing written); when it was not asked yet, nothing is written (`unasked`).
   */
  async takeRoundRobin(teamId: string, eventTypeId: string, createdAt: Date, candidates: readonly RoundRobinCandidate[], manageToken: string): Promise<RoundRobinTurn> {
    const dialect = this.deps.dialect;
    let chosen = '';
    try {
      return await retryTransient(() =>
        this.deps.writes.transaction<RoundRobinTurn>(async (tx) => {
          if (dialect === 'postgresql') await tx.run(LOCK_TEAM_SQL, [teamId]);
          const [best] = this.ranked(await tx.all<StatsRow>(STATS_SQL, this.statsParams(eventTypeId, createdAt)), candidates);
          if (!best?.draft) return { kind: 'unasked', ownerId: best!.ownerId };
          chosen = best.ownerId;
          const booking = newBooking(best.draft);
          const { sql, params } = insertBookingStatement(dialect, booking, manageToken);
          await tx.run(sql, params);
          return { kind: 'created', booking };
        }),
      );
    } catch (err) {
      // The booking's statement refused, here or at the commit it went with: the transaction rolled back.
      const dayFull = isRefusedAsDayFull(err);
      if (chosen && (dayFull || isRefusedAsTaken(err))) return { kind: 'refused', ownerId: chosen, dayFull };
      throw err;
    }
  }

  /**
   * Collective (docs/api.md, Part 3, 37): the booking under `draft.ownerId`, the cells of its
   * occupied span for every other host under booking_cell's primary key (owner_id, cell), and a
   * booking_host row per host, in one transaction: any host's time taken meanwhile rolls all of
   * it back.
   */
  async insertCollective(draft: NewBooking, extraHostIds: readonly string[], manageToken: string): Promise<TeamInsert> {
    const booking = newBooking(draft);
    const { sql, params } = insertBookingStatement(this.deps.dialect, booking, manageToken);
    try {
      await retryTransient(() =>
        this.deps.em().fork().transactional(async (tx) => {
          await tx.execute(sql, params, 'run');
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
   * `members` in round robin's order (docs/api.md, Part 3, 36) as committed now: each member's
   * live bookings of the event type this UTC month (of `now`) and its latest one's createdAt, in
   * one statement.
   */
  async rank<T extends FreeMember>(eventTypeId: string, now: Date, members: readonly T[]): Promise<T[]> {
    return this.ranked(await this.deps.reads.all<StatsRow>(STATS_SQL, this.statsParams(eventTypeId, now)), members);
  }

  /**
   * The team's members as round robin ranks them now (rank's order), with their heads and
   * whether a live booking already holds their time over `span`'s occupied cells, in one
   * statement: the database would refuse such a member's booking of `span` as taken
   * (booking_cell's key), so round robin need not ask it.
   */
  async candidates(eventTypeId: string, teamId: string, now: Date, span: Parameters<typeof occupiedCells>[0]): Promise<TeamCandidate[]> {
    const cells = occupiedCells(span);
    const rows = await this.deps.reads.all<HeadRow & Omit<StatsRow, 'owner_id'> & { priority: number | string; weight: number | string; held: number | boolean }>(
      CANDIDATES_SQL,
      [cells[0], cells.at(-1), ...this.statsParams(eventTypeId, now), teamId],
    );
    const members = rows.map((row) => ({ ownerId: row.id, priority: Number(row.priority), weight: Number(row.weight), head: headOf(row), held: Boolean(row.held) }));
    return this.ranked(
      rows.map((row) => ({ owner_id: row.id, month_count: row.month_count ?? 0, last_at: row.last_at })),
      members,
    );
  }

  /** The booking of this team event type that holds the idempotency key, if any (a team booking's key is the event type's, whichever member got it). */
  async bookingWithKey(eventTypeId: string, key: string): Promise<Booking | null> {
    return this.deps.em().findOne(Booking, { eventType: eventTypeId, idempotencyKey: key });
  }

  /** The calendars besides its owner whose time the booking occupies (booking_host). */
  async extraHostsOf(bookingId: string, ownerId: string): Promise<string[]> {
    const rows = await this.deps.em().execute<Array<{ owner_id: string }>>('select owner_id from booking_host where booking_id = ?', [bookingId], 'all');
    return rows.map((r) => r.owner_id).filter((id) => id !== ownerId);
  }

  /** STATS_SQL's parameters: the UTC month of `now`, in the dialect's instants, and the event type. */
  private statsParams(eventTypeId: string, now: Date): unknown[] {
    const month = utcMonthOf(now.getTime());
    const at = (ms: number) => (this.deps.dialect === 'sqlite' ? ms : new Date(ms));
    return [at(month.start), at(month.end), eventTypeId];
  }

  /** `members` in round robin's order by the standing in `rows` (STATS_SQL's). */
  private ranked<T extends FreeMember>(rows: readonly StatsRow[], members: readonly T[]): T[] {
    const stats = new Map(rows.map((r) => [r.owner_id, r]));
    return rankRoundRobin(
      members.map((m) => {
        const row = stats.get(m.ownerId);
        return { ...m, bookingsThisMonth: Number(row?.month_count ?? 0), lastBookedAt: row?.last_at == null ? null : new Date(row.last_at).getTime() };
      }),
    );
  }
}
