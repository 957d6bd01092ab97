/**
 * The booking store's statements that the ORM cannot express, and how it reads the database's
 * refusals: the one-statement booking and its taken / day-full refusals.
 */
import { CheckConstraintViolationException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Dialect } from '../../db/dialect';
import { hashToken } from '../../shared/tokens';
import type { Booking } from './booking.entity';
import { occupiedCells } from './booking.placement';

/**
 * A booking as one statement per database: the booking, the cells of its occupied span and its
 * manage token (and, for its emails' links, the token itself: booking_email_link), atomically,
 * under the same constraints as ORM writes; the booking's own triggers count it against its event
 * type's day and write its emails in the same statement. PostgreSQL chains data-modifying CTEs;
 * SQLite inserts into the booking_request view, whose INSTEAD OF trigger does the writes. A seat
 * of a group event (seats_per_slot set) brings no cells: booking's seat triggers count it in
 * seat_slot and write its group's cells with the first seat (Migration20261207070000, both dialects).
 */
const INSERT_BOOKING: Record<Dialect, { sql: string; params(b: Booking, tokenHash: string, cells: number[], manageToken: string): unknown[] }> = {
  postgresql: {
    sql: `
with booking_row as (
  insert into booking (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at, event_type_id, buffer_before_minutes, buffer_after_minutes, local_date, invitee_time_zone, seats_per_slot)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
), email_link as (
  insert into booking_email_link (booking_id, manage_token) values (?, ?)
), cells as (
  insert into booking_cell (owner_id, cell, booking_id) select ?, cell, ? from generate_series(?::int, ?::int) as cell where ?::int is null
)
insert into booking_manage_token (token_hash, booking_id) values (?, ?)`,
    params: (b, tokenHash, cells, manageToken) => [
      b.id, b.owner.id, b.startsAt, b.endsAt, b.status, b.inviteeName, b.inviteeEmail, b.idempotencyKey, b.createdAt,
      b.eventType?.id ?? null, b.bufferBeforeMinutes, b.bufferAfterMinutes, b.localDate, b.inviteeTimeZone, b.seatsPerSlot,
      b.id, manageToken,
      b.owner.id, b.id, cells[0], cells.at(-1), b.seatsPerSlot,
      tokenHash, b.id,
    ],
  },
  sqlite: {
    sql: `insert into booking_request (id, owner_id, starts_at, ends_at, status, invitee_name, invitee_email, idempotency_key, created_at, event_type_id, buffer_before_minutes, buffer_after_minutes, local_date, invitee_time_zone, seats_per_slot, manage_token, token_hash, cells)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: (b, tokenHash, cells, manageToken) => [
      b.id, b.owner.id, b.startsAt.getTime(), b.endsAt.getTime(), b.status, b.inviteeName, b.inviteeEmail, b.idempotencyKey, b.createdAt.getTime(),
      b.eventType?.id ?? null, b.bufferBeforeMinutes, b.bufferAfterMinutes, b.localDate, b.inviteeTimeZone, b.seatsPerSlot, manageToken,
      tokenHash, JSON.stringify(cells),
    ],
  },
};

/**
 * The statement that takes `booking` (INSERT_BOOKING) with its parameters: the cells of its
 * occupied span and, of its manage token, the hash it is stored under and the token itself. Every
 * booking is written through it, single or team, on the write connection or inside a transaction.
 */
export function insertBookingStatement(dialect: Dialect, booking: Booking, manageToken: string): { sql: string; params: unknown[] } {
  const { sql, params } = INSERT_BOOKING[dialect];
  return { sql, params: params(booking, hashToken(manageToken), occupiedCells(booking), manageToken) };
}

/** PostgreSQL's SQLSTATE for a row that breaks an exclusion constraint (booking_no_overlap). */
const EXCLUSION_VIOLATION = '23P01';

/**
 * The database refused a write because the time (or the idempotency key) is already taken:
 * booking_cell's primary key or the key's unique index on both databases, booking_no_overlap
 * on PostgreSQL, or busy time synced from the owner's other calendars (the booking triggers'
 * booking_outside_busy_time, Migration20261207050000 in both dialects' folders), or a group
 * event's seats (seat_slot's check past the seats, or a seat whose span differs from its group's:
 * Migration20261207070000).
 */
export function isRefusedAsTaken(err: unknown): boolean {
  return (
    err instanceof UniqueConstraintViolationException ||
    (err instanceof DriverException && err.code === EXCLUSION_VIOLATION) ||
    (err instanceof CheckConstraintViolationException && SEAT_OR_BUSY_CHECKS.some((name) => err.message.includes(name)))
  );
}

/** The checks that refuse a booking's time without a unique key: busy time synced from other calendars, and seats. */
const SEAT_OR_BUSY_CHECKS = ['booking_outside_busy_time', 'seat_slot_within_seats', 'seat_slot_same_span'];

/** The database refused a write because it would pass an event type's daily cap: event_type_day's check, named in both dialects' message. */
export function isRefusedAsDayFull(err: unknown): boolean {
  return err instanceof CheckConstraintViolationException && err.message.includes('event_type_day_within_cap');
}
