import { rmSync } from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions, type Orm } from '../../src/db/database';
import { parseDatabaseUrl } from '../../src/config';
import { entities } from '../../src/modules/entities';
import { occupiedCells } from '../../src/modules/booking/booking.placement';
import { withAdminClient } from './database';

/**
 * What server processes left in a database they share: bookings read with plain SQL on either
 * dialect, so no ORM identity map or cache can hide a row, and on PostgreSQL the sessions they
 * hold. Used after races, crashes and shutdowns.
 */

export interface StoredBooking {
  id: string;
  ownerId: string;
  startsAt: string;
  endsAt: string;
  status: string;
  /** The buffers it recorded: it occupies [startsAt − bufferBefore, endsAt + bufferAfter). */
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** Everything that would make the database break the no-double-booking guarantee; all empty when it holds. */
export interface BookingInvariants {
  /** Pairs of live bookings of one owner whose occupied spans overlap. */
  overlaps: string[];
  /** `booking:cell` of a live booking's occupied span that no booking_cell row holds. */
  missingCells: string[];
  /** booking_cell rows that belong to no live booking, or to a time it does not cover. */
  strayCells: string[];
}

/** PostgreSQL hands timestamptz back as text (`2031-06-02 08:00:00+00`), SQLite as epoch milliseconds. */
function isoOf(value: unknown): string {
  return new Date(typeof value === 'number' ? value : String(value)).toISOString();
}

/** Opens the database without migrating it (the servers did that) and closes it after `work`. */
export async function withDatabase<T>(databaseUrl: string, work: (orm: Orm) => Promise<T>): Promise<T> {
  const orm = (await MikroORM.init(ormOptions(parseDatabaseUrl(databaseUrl), { entities, poolSize: 2 }))) as Orm;
  try {
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}

/** Live (not CANCELLED) bookings, ascending by start; of one owner when `ownerId` is given. */
export async function liveBookings(orm: Orm, ownerId?: string): Promise<StoredBooking[]> {
  const rows = await orm.em.getConnection().execute<Array<Record<string, unknown>>>(
    `select id, owner_id, starts_at, ends_at, status, buffer_before_minutes, buffer_after_minutes from booking where status <> 'CANCELLED'${ownerId ? ' and owner_id = ?' : ''} order by starts_at, id`,
    ownerId ? [ownerId] : [],
  );
  return rows.map((r) => ({
    id: String(r.id),
    ownerId: String(r.owner_id),
    startsAt: isoOf(r.starts_at),
    endsAt: isoOf(r.ends_at),
    status: String(r.status),
    bufferBeforeMinutes: Number(r.buffer_before_minutes),
    bufferAfterMinutes: Number(r.buffer_after_minutes),
  }));
}

/** The cells of a stored booking's occupied span. */
function cellsOfStored(b: StoredBooking): number[] {
  return occupiedCells({ startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), bufferBeforeMinutes: b.bufferBeforeMinutes, bufferAfterMinutes: b.bufferAfterMinutes });
}

/** Checks every owner's live bookings' occupied spans against each other and against booking_cell (cell by cell). */
export async function bookingInvariants(orm: Orm): Promise<BookingInvariants> {
  const connection = orm.em.getConnection();
  const live = await liveBookings(orm);
  const span = (b: StoredBooking) => ({ start: Date.parse(b.startsAt) - b.bufferBeforeMinutes * 60_000, end: Date.parse(b.endsAt) + b.bufferAfterMinutes * 60_000 });
  const overlapping = live.flatMap((x) =>
    live
      .filter((y) => x.ownerId === y.ownerId && x.id < y.id && span(x).start < span(y).end && span(y).start < span(x).end)
      .map((y) => ({ a: x.id, b: y.id })),
  );
  const expected = new Set(live.flatMap((b) => cellsOfStored(b).map((cell) => `${b.id}:${cell}`)));
  const stored = await connection.execute<Array<{ booking_id: string; cell: number | string }>>('select booking_id, cell from booking_cell');
  const actual = new Set(stored.map((c) => `${c.booking_id}:${Number(c.cell)}`));
  return {
    overlaps: overlapping.map((p) => `${p.a} overlaps ${p.b}`),
    missingCells: [...expected].filter((c) => !actual.has(c)),
    strayCells: [...actual].filter((c) => !expected.has(c)),
  };
}

/** Removes the temp folder of a shared SQLite file; a PostgreSQL test database is dropped by the jest global teardown. */
export function discardSharedDatabase(databaseUrl: string): void {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite' && target.dbName !== ':memory:') rmSync(path.dirname(target.dbName), { recursive: true, force: true });
}

export interface PostgresSession {
  pid: number;
  applicationName: string;
  state: string | null;
  query: string;
}

/**
 * The client sessions pg_stat_activity shows on one PostgreSQL database (the admin client's own
 * session is on another); autovacuum workers also visit a new database and are left out.
 */
export async function postgresSessions(database: string): Promise<PostgresSession[]> {
  const { rows } = await withAdminClient((client) =>
    client.query<PostgresSession>(
      "select pid, application_name as \"applicationName\", state, query from pg_stat_activity where datname = $1 and backend_type = 'client backend' order by pid",
      [database],
    ),
  );
  return rows;
}

/**
 * The sessions still on `database` once its clients have exited: a backend ends when it reads
 * the closed socket, which may be a moment after the client process is gone, so this looks a
 * few times before answering what it last saw.
 */
export async function postgresSessionsAfterClientsExit(database: string): Promise<PostgresSession[]> {
  let sessions = await postgresSessions(database);
  for (let look = 1; sessions.length > 0 && look < 50; look++) {
    await new Promise((r) => setTimeout(r, 100));
    sessions = await postgresSessions(database);
  }
  return sessions;
}
