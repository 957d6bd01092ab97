import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { TimeZoneScalar } from '../../shared/scalars';

@ObjectType({ description: 'A calendar owner (consultant, tutor, clinic) who publishes availability.' })
@Entity({ tableName: 'owner' })
export class Owner {
  @Field(() => ID, { description: 'Opaque id; freeSlots and bookSlot take it as ownerId.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field({ description: 'Display name, 1 to 200 characters.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => TimeZoneScalar, { description: 'IANA zone in which recurring windows are read.' })
  @Property({ type: 'string', length: 64 })
  timeZone!: string;

  @Field(() => Int, { description: 'Length of every bookable slot in minutes (default 60).' })
  @Property({ type: 'integer' })
  slotMinutes: number = 60;

  /** Where owner notices go (docs/api.md, Part 3, 25); null: none sent. GraphQL reads it through Owner.email, the owner's only. */
  @Property({ type: 'string', length: 320, nullable: true })
  email: string | null = null;

  /** SHA-256 of the bearer token; the token itself is never stored. */
  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  /** Bumped by every change to the owner's availability or bookings: a cheap cache key for computed slots. */
  @Property({ type: 'integer' })
  dataVersion: number = 0;

  /** Whether a collective team booking of another owner occupies this calendar too (booking_host; set by a trigger, Migration20261207060200): its booking pages then look there as well. */
  @Property({ type: 'boolean', default: false })
  hostsTeamBookings: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
