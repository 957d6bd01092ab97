import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsEmail, IsOptional, Length, ValidateNested } from 'class-validator';
import { DateTimeScalar } from '../../common/scalars';
import { Booking } from './booking.entity';

@InputType()
export class InviteeInput {
  @Field({ description: '1 to 200 characters.' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name!: string;

  @Field({ description: 'A valid e-mail address, at most 320 characters.' })
  @Length(3, 320, { message: 'must be 3 to 320 characters' })
  @IsEmail({}, { message: 'must be a valid e-mail address' })
  email!: string;
}

@InputType()
export class BookSlotInput {
  @Field(() => ID)
  ownerId!: string;

  @Field(() => DateTimeScalar, { description: 'Start of a free slot, on the 5-minute grid.' })
  startsAt!: Date;

  @Field(() => InviteeInput)
  @ValidateNested()
  invitee!: InviteeInput;

  @Field(() => String, { nullable: true, description: 'Retrying with the same key returns the first booking instead of an error.' })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
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
