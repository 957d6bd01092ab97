import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { v7 as uuidv7 } from 'uuid';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';
import { EventType } from '../event-type/event-type.entity';

export enum BookingStatus {
  CONFIRMED = 'CONFIRMED',
  CANCELLED = 'CANCELLED',
  COMPLETED = 'COMPLETED',
}
registerEnumType(BookingStatus, {
  name: 'BookingStatus',
  description: 'Where a booking stands. Only a CONFIRMED booking can be cancelled, rescheduled or completed.',
  valuesConfig: {
    CONFIRMED: { description: 'Booked: it holds its time.' },
    CANCELLED: { description: 'Cancelled: its time is free again.' },
    COMPLETED: { description: 'Marked done by the owner: it keeps its time.' },
  },
});

@ObjectType({ description: 'A booked slot.' })
@Entity({ tableName: 'booking' })
@Index({ name: 'booking_owner_starts_idx', properties: ['owner', 'startsAt', 'id'] })
@Index({ name: 'booking_owner_status_starts_idx', properties: ['owner', 'status', 'startsAt', 'id'] })
@Index({ name: 'booking_event_type_starts_idx', properties: ['eventType', 'startsAt'] })
@Unique({ name: 'booking_owner_idempotency_key_unique', properties: ['owner', 'idempotencyKey'] })
// A team event type's key is the event type's, whichever member's booking holds it (Migration20261207093100).
@Unique({ name: 'booking_event_type_idempotency_key_unique', properties: ['eventType', 'idempotencyKey'] })
export class Booking {
  /**
   * Time-ordered (UUIDv7): booking ids key the booking table and the booking_id indexes of
   * booking_cell and booking_manage_token, so a new booking writes next to the last one instead of
   * into a random page of each index (fewer pages per commit, warmer cache; the figures are in
   * bench/results/decisions.md). The time in it is the creation time, which the booking's readers
   * see anyway; ids are no secret (reading a booking takes its owner's token or its manage token).
   */
  @Field(() => ID, { description: 'Opaque id; booking, cancelBooking, rescheduleBooking and completeBooking take it.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = uuidv7();

  /** No index of its own (MikroORM adds one per foreign key on SQLite): the three (owner_id, …) indexes below serve every lookup by owner. */
  @ManyToOne(() => Owner, { deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  @Field(() => DateTimeScalar, { description: 'Start of the booked slot.' })
  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Field(() => DateTimeScalar, {
    description: "End: startsAt plus the booking's length, the event type's chosen duration, or without an event type the owner's slotMinutes when it was booked or last rescheduled.",
  })
  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Field(() => BookingStatus, { description: 'CONFIRMED until cancelled or completed.' })
  @Enum({ items: () => BookingStatus, type: 'string', length: 10 })
  status: BookingStatus = BookingStatus.CONFIRMED;

  @Property({ type: 'string', length: 200 })
  inviteeName!: string;

  @Property({ type: 'string', length: 320 })
  inviteeEmail!: string;

  /** The invitee's IANA zone, in which their emails show times (docs/api.md, Part 3, 26); null: the owner's. */
  @Property({ type: 'string', length: 64, nullable: true })
  inviteeTimeZone: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  idempotencyKey: string | null = null;

  /**
   * Null when booked without one. No cascade: event types are deactivated, never deleted. No
   * index of its own: booking_event_type_starts_idx serves every lookup by event type.
   */
  @ManyToOne(() => EventType, { nullable: true, deleteRule: 'no action', index: false })
  eventType: Rel<EventType> | null = null;

  /** The event type's buffers when it was booked or last rescheduled: the booking occupies [startsAt − before, endsAt + after). */
  @Property({ type: 'integer', default: 0 })
  bufferBeforeMinutes: Opt<number> = 0;

  @Property({ type: 'integer', default: 0 })
  bufferAfterMinutes: Opt<number> = 0;

  /**
   * With an event type: the owner-local date (YYYY-MM-DD, in the owner's zone) of startsAt when it
   * was booked or last rescheduled, the day its event type's daily cap counts it on
   * (event_type_day). Null without an event type.
   */
  @Property({ type: 'string', length: 10, nullable: true })
  localDate: string | null = null;

  /**
   * With a group event: its event type's seatsPerSlot when it was booked or last rescheduled, and
   * the booking holds one seat of its start (seat_slot, Migration20261207070000). Null: the
   * booking holds its time alone (its own booking_cell rows).
   */
  @Property({ type: 'integer', nullable: true })
  seatsPerSlot: number | null = null;

  /** How many times it was rescheduled. */
  @Property({ type: 'integer', default: 0 })
  rescheduleCount: Opt<number> = 0;

  @Field(() => DateTimeScalar, { description: 'When the booking was made.' })
  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/**
 * One row per occupied 5-minute cell of a live (not cancelled) booking. The primary key
 * (owner, cell) is the database's guarantee that no two live bookings of an owner overlap,
 * whatever grid they were booked on and however many processes race.
 */
@Entity({ tableName: 'booking_cell' })
@Index({ name: 'booking_cell_booking_idx', properties: ['booking'] })
export class BookingCell {
  /** No index of its own: the primary key (owner_id, cell) serves every lookup by owner. */
  @ManyToOne(() => Owner, { primary: true, deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  /** Minutes since the Unix epoch divided by 5. */
  @PrimaryKey({ type: 'integer', autoincrement: false })
  cell!: number;

  @ManyToOne(() => Booking, { deleteRule: 'cascade' })
  booking!: Rel<Booking>;
}

/**
 * A manage token of a booking, stored as its SHA-256. A booking usually has one; an idempotent
 * retry of bookSlot adds another (the first may have been lost with the response it rode on).
 */
@Entity({ tableName: 'booking_manage_token' })
@Index({ name: 'booking_manage_token_booking_idx', properties: ['booking'] })
export class ManageToken {
  @PrimaryKey({ type: 'string', length: 64 })
  tokenHash!: string;

  @ManyToOne(() => Booking, { deleteRule: 'cascade' })
  booking!: Rel<Booking>;
}

/**
 * How many live bookings of one event type start on one owner-local date, and the event type's
 * daily cap as of the last booking counted: the database's guarantee that no day holds more than
 * maxBookingsPerDay, however many requests race. Triggers on booking keep `booked` (the
 * migrations that made this table say how); the check refuses the count that would pass the cap.
 */
@Entity({ tableName: 'event_type_day' })
@Check({ name: 'event_type_day_within_cap', expression: 'booked >= 0 and (cap is null or booked <= cap)' })
export class EventTypeDay {
  /** No index of its own: the primary key (event_type_id, local_date) serves every lookup by event type. */
  @ManyToOne(() => EventType, { primary: true, deleteRule: 'cascade', index: false })
  eventType!: Rel<EventType>;

  @PrimaryKey({ type: 'string', length: 10 })
  localDate!: string;

  @Property({ type: 'integer' })
  booked!: number;

  /** maxBookingsPerDay when the count last grew; null: no cap. */
  @Property({ type: 'integer', nullable: true })
  cap: number | null = null;
}
