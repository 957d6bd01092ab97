import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../common/scalars';
import { Booking } from './booking.entity';

// Checked by BookingService (requireText) so that what is checked is what is stored: trimmed, and
// counted in characters as PostgreSQL counts them. The maxima are the columns' varchar lengths.
export const INVITEE_NAME = { min: 1, max: 200, trim: true } as const;
export const INVITEE_EMAIL = { min: 3, max: 320, trim: true } as const;
export const IDEMPOTENCY_KEY = { min: 1, max: 200 } as const;

@InputType()
export class InviteeInput {
  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field({ description: 'A valid e-mail address, at most 320 characters.' })
  email!: string;
}

@InputType()
export class BookSlotInput {
  @Field(() => ID)
  ownerId!: string;

  @Field(() => DateTimeScalar, { description: 'Start of a free slot, on the 5-minute grid.' })
  startsAt!: Date;

  @Field(() => InviteeInput)
  invitee!: InviteeInput;

  @Field(() => String, { nullable: true, description: 'Retrying with the same key returns the first booking instead of an error.' })
  idempotencyKey?: string | null;
}

@ObjectType()
export class BookSlotPayload {
  @Field(() => Booking)
  booking!: Booking;

  @Field({ description: 'Lets the invitee read, cancel and reschedule this booking. Returned once; only its hash is stored.' })
  manageToken!: string;
}

@ObjectType()
export class Invitee {
  @Field()
  name!: string;

  @Field()
  email!: string;
}
