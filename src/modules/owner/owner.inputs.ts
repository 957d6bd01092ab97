import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { TimeZoneScalar } from '../../shared/scalars';
import { OptionalIntBetween } from '../../shared/validation';
import { Owner } from './owner.entity';

/** An owner's name: trimmed, then 1 to 200 characters (the owner.name column is varchar(200)). */
export const OWNER_NAME = { min: 1, max: 200, trim: true } as const;

/** An owner's notice address: trimmed, 3 to 320 characters (the owner.email column). */
export const OWNER_EMAIL = { min: 3, max: 320, trim: true } as const;

@InputType({ description: 'A new owner: name, time zone and slot length.' })
export class CreateOwnerInput {
  /** Checked by OwnerService after trimming (OWNER_NAME). */
  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field(() => TimeZoneScalar, { description: "IANA zone in which the owner's recurring windows are read." })
  timeZone!: string;

  @Field(() => Int, { nullable: true, defaultValue: 60, description: 'Slot length in minutes, 5 to 1440, a multiple of 5.' })
  @OptionalIntBetween(5, 1440, ' minutes')
  slotMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'Where owner notices are emailed: a valid address, at most 320 characters; omitted or null: none.' })
  email?: string | null;
}

@InputType({ description: "Changes to the token's owner; omitted or null fields keep their value." })
export class UpdateOwnerInput {
  /** Checked by OwnerService after trimming (OWNER_NAME). */
  @Field({ nullable: true, description: 'New name, 1 to 200 characters.' })
  name?: string;

  @Field(() => TimeZoneScalar, { nullable: true, description: 'Moves future availability, never bookings.' })
  @IsOptional()
  timeZone?: string;

  @Field(() => Int, { nullable: true, description: 'New slot length in minutes, 5 to 1440, a multiple of 5; existing bookings keep theirs.' })
  @OptionalIntBetween(5, 1440, ' minutes')
  slotMinutes?: number;

  @Field(() => String, { nullable: true, description: 'New address for owner notices; "" stops them; omitted or null: unchanged.' })
  email?: string | null;
}

@ObjectType({ description: 'An owner and its bearer token (createOwner, rotateOwnerToken).' })
export class CreateOwnerPayload {
  @Field(() => Owner, { description: 'The owner.' })
  owner!: Owner;

  @Field({ description: 'Bearer token for owner-only operations. Shown once; only its hash is stored.' })
  token!: string;
}
