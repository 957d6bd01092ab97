import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Owner } from '../owner/owner.entity';
import { SchedulingType, Team } from '../team/team.entity';

/**
 * Something an owner offers to book ("30-minute intro call"), with the policies its bookings obey
 * (docs/api.md, Part 2, semantics 9-13). Never deleted, only deactivated: bookings keep
 * pointing at it.
 */
@ObjectType({ description: "Something an owner offers to book (\"30-minute intro call\"), with the policies its bookings obey." })
@Entity({ tableName: 'event_type' })
@Unique({ name: 'event_type_owner_slug_unique', properties: ['owner', 'slug'] })
export class EventType {
  @Field(() => ID, { description: 'Opaque id; updateEventType takes it.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  /** No index of its own (MikroORM adds one per foreign key on SQLite): the unique (owner_id, slug) serves every lookup by owner. */
  @ManyToOne(() => Owner, { deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  @Field({ description: 'Name in links: [a-z0-9-], 1 to 60 characters, starting and ending with a letter or digit; unique per owner.' })
  @Property({ type: 'string', length: 60 })
  slug!: string;

  @Field({ description: 'What invitees see, 1 to 200 characters.' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { nullable: true, description: 'More for invitees, at most 2000 characters; null: none.' })
  @Property({ type: 'string', length: 2000, nullable: true })
  description: string | null = null;

  @Field(() => [Int], { description: 'The lengths in minutes an invitee may book, in the order given: 1 to 10 distinct, each 5 to 1440 on the 5-minute grid.' })
  @Property({ type: 'json' })
  durations!: number[];

  @Field(() => Int, { description: 'The length booked when none is asked for; one of durations.' })
  @Property({ type: 'integer' })
  defaultDuration!: number;

  @Field(() => Int, { nullable: true, description: 'Minutes between slot starts (5 to 1440, on the 5-minute grid); null: the chosen duration.' })
  @Property({ type: 'integer', nullable: true })
  slotStepMinutes: number | null = null;

  @Field(() => Int, { description: 'No slot starts sooner than now plus this many minutes (0 to 525600).' })
  @Property({ type: 'integer', default: 0 })
  minNoticeMinutes: number = 0;

  @Field(() => Int, { description: 'Minutes kept free before each booking of this type (0 to 1440, on the 5-minute grid); never trims a window.' })
  @Property({ type: 'integer', default: 0 })
  bufferBeforeMinutes: number = 0;

  @Field(() => Int, { description: 'Minutes kept free after each booking of this type (0 to 1440, on the 5-minute grid); never trims a window.' })
  @Property({ type: 'integer', default: 0 })
  bufferAfterMinutes: number = 0;

  @Field(() => Int, { nullable: true, description: "Slots only before 00:00 (owner's zone) of today plus this many days (1 to 3660); null: no limit." })
  @Property({ type: 'integer', nullable: true })
  horizonDays: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Most live bookings of this type per owner-local date (1 to 1000); null: no limit.' })
  @Property({ type: 'integer', nullable: true })
  maxBookingsPerDay: number | null = null;

  @Field(() => Int, { description: 'An invitee may not cancel or reschedule later than this many minutes before the start (0 to 525600); the owner always may.' })
  @Property({ type: 'integer', default: 0 })
  minCancelNoticeMinutes: number = 0;

  @Field(() => [Int], { description: 'Minutes before the start at which the invitee gets a BOOKING_REMINDER email: 0 to 5 distinct values, 5 to 43200 (docs/api.md, Part 3, 25).' })
  @Property({ type: 'json', default: '[]' })
  reminderMinutes: number[] = [];

  @Field(() => Int, {
    nullable: true,
    description: 'Null: one invitee per slot. 2 to 1000: a group event, whose each start takes that many invitees, each with their own booking (docs/api.md, Part 3, 38).',
  })
  @Property({ type: 'integer', nullable: true })
  seatsPerSlot: number | null = null;

  @Field({ description: 'False hides it from invitees: Owner.eventTypes and eventType(ownerId, slug) show it to its owner only.' })
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /** The team offering it (docs/api.md, Part 3, 35-37); null for a calendar's own. GraphQL reads it through EventType.team (team.resolver.ts). */
  @ManyToOne(() => Team, { nullable: true, deleteRule: 'cascade', index: false })
  team: Rel<Team> | null = null;

  @Field(() => SchedulingType, { nullable: true, description: "How a team event type books its members; null for a calendar's own event type." })
  @Enum({ items: () => SchedulingType, type: 'string', nullable: true })
  schedulingType: SchedulingType | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
