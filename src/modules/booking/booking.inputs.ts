import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, TimeZoneScalar } from '../../shared/scalars';
import { Booking } from './booking.entity';

// Checked by BookingService (requireText) so that what is checked is what is stored: trimmed, and
// counted in characters as PostgreSQL counts them. The maxima are the columns' varchar lengths.
export const INVITEE_NAME = { min: 1, max: 200, trim: true } as const;
export const INVITEE_EMAIL = { min: 3, max: 320, trim: true } as const;
export const IDEMPOTENCY_KEY = { min: 1, max: 200 } as const;

@InputType({ description: 'The person who books.' })
export class InviteeInput {
  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field({ description: 'A valid e-mail address, at most 320 characters.' })
  email!: string;

  @Field(() => TimeZoneScalar, { nullable: true, description: "The invitee's IANA zone, in which their emails show times; omitted or null: the owner's." })
  timeZone?: string | null;
}

@InputType({ description: 'A booking request: the owner, the start of one of its free slots (of an event type, if given), and the invitee.' })
export class BookSlotInput {
  @Field(() => ID, { description: 'The owner to book; unknown: NOT_FOUND.' })
  ownerId!: string;

  @Field(() => DateTimeScalar, { description: 'Start of a free slot, on the 5-minute grid.' })
  startsAt!: Date;

  @Field(() => InviteeInput, { description: 'Who books.' })
  invitee!: InviteeInput;

  @Field(() => ID, {
    nullable: true,
    description:
      "An event type of this owner: the booking lasts `duration`, keeps the event type's buffers free around it and obeys its policies (notice, horizon, daily cap); its start must be one of EventType.freeSlots with the same duration. Unknown or another owner's: NOT_FOUND. Omitted: a slot of the owner's slotMinutes, as in Part 1.",
  })
  eventTypeId?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "The booking's length in minutes, one of the event type's durations (default its defaultDuration); any other, or a duration without eventTypeId: BAD_USER_INPUT.",
  })
  duration?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A key unique to this request for this owner (e.g. a UUID), 1 to 200 characters. The same request (startsAt, invitee, eventTypeId and duration) sent again with it returns the first booking (same id, a new manageToken); a different request with a used key fails as it would without the key, or with BAD_USER_INPUT where it could have booked; either way it learns nothing of the first booking.',
  })
  idempotencyKey?: string | null;
}

@ObjectType({ description: 'What bookSlot returns: the booking and its manage token.' })
export class BookSlotPayload {
  @Field(() => Booking, { description: 'The booking made (on a replay, the first one).' })
  booking!: Booking;

  @Field({ description: 'Lets the invitee read, cancel and reschedule this booking. Returned once; only its hash is stored.' })
  manageToken!: string;
}

@ObjectType({ description: 'The person who booked.' })
export class Invitee {
  @Field({ description: "The invitee's name." })
  name!: string;

  @Field({ description: "The invitee's e-mail address." })
  email!: string;
}
