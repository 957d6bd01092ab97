import { Field, InputType, Int } from 'type-graphql';

// Every rule below is checked by EventTypeService (event-type.service.ts), which names the field
// and the rule in BAD_USER_INPUT; the descriptions say the same to clients.

@InputType({ description: 'A new event type of the token owner; every field but slug and title has a default.' })
export class EventTypeInput {
  @Field({ description: '[a-z0-9-], 1 to 60 characters, starting and ending with a letter or digit; unique among the owner\'s event types.' })
  slug!: string;

  @Field({ description: '1 to 200 characters (trimmed).' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'At most 2000 characters; omitted or null: none.' })
  description?: string | null;

  @Field(() => [Int], {
    nullable: true,
    description: "1 to 10 distinct lengths in minutes, each 5 to 1440 and a multiple of 5, kept in the order given; omitted or null: [the owner's slotMinutes now].",
  })
  durations?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'One of durations; omitted or null: the first.' })
  defaultDuration?: number | null;

  @Field(() => Int, { nullable: true, description: 'Minutes between slot starts, 5 to 1440 and a multiple of 5; omitted or null: the chosen duration.' })
  slotStepMinutes?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'No slot starts sooner than now plus this many minutes: 0 to 525600, any whole minute.' })
  minNoticeMinutes?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Minutes kept free before each booking: 0 to 1440, a multiple of 5.' })
  bufferBeforeMinutes?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Minutes kept free after each booking: 0 to 1440, a multiple of 5.' })
  bufferAfterMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: "Slots only before 00:00 (owner's zone) of today plus this many days: 1 to 3660; omitted or null: no limit." })
  horizonDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most live bookings of this type per owner-local date: 1 to 1000; omitted or null: no limit.' })
  maxBookingsPerDay?: number | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 0,
    description: 'An invitee may not cancel or reschedule later than this many minutes before the start: 0 to 525600, any whole minute.',
  })
  minCancelNoticeMinutes?: number | null;

  @Field(() => [Int], { nullable: true, description: 'Minutes before the start at which the invitee is reminded by email: 0 to 5 distinct values, each 5 to 43200; omitted or null: [].' })
  reminderMinutes?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'A group event: each start takes this many invitees, 2 to 1000; omitted or null: one invitee per slot.' })
  seatsPerSlot?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'False hides it from invitees.' })
  active?: boolean | null;
}

@InputType({
  description:
    'Changes to an event type, under the rules of EventTypeInput. Omitted fields keep their value; null clears description, slotStepMinutes, horizonDays, maxBookingsPerDay or seatsPerSlot and keeps any other field. Existing bookings keep their times, durations and buffers.',
})
export class EventTypePatch {
  @Field(() => String, { nullable: true, description: 'New slug; unique among the owner\'s event types.' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New description; null: none.' })
  description?: string | null;

  @Field(() => [Int], { nullable: true, description: 'New lengths; they must hold defaultDuration unless this patch sets defaultDuration too.' })
  durations?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'New default length; one of durations (as changed by this patch).' })
  defaultDuration?: number | null;

  @Field(() => Int, { nullable: true, description: 'New minutes between slot starts; null: the chosen duration.' })
  slotStepMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'New minimum notice in minutes.' })
  minNoticeMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'New buffer before each booking, in minutes.' })
  bufferBeforeMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'New buffer after each booking, in minutes.' })
  bufferAfterMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'New horizon in days; null: no limit.' })
  horizonDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'New daily cap; null: no limit.' })
  maxBookingsPerDay?: number | null;

  @Field(() => Int, { nullable: true, description: 'New cancellation notice in minutes.' })
  minCancelNoticeMinutes?: number | null;

  @Field(() => [Int], { nullable: true, description: 'New reminder minutes; reminders already recorded for bookings keep their times.' })
  reminderMinutes?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'New seats per start (2 to 1000); null: one invitee per slot. Existing bookings keep their seats.' })
  seatsPerSlot?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'False hides the event type from invitees; true shows it again.' })
  active?: boolean | null;
}
