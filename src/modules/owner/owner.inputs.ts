import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { TimeZoneScalar } from '../../common/scalars';
import { OptionalIntBetween } from '../../common/validation';
import { Owner } from './owner.entity';

/** An owner's name: trimmed, then 1 to 200 characters (the owner.name column is varchar(200)). */
export const OWNER_NAME = { min: 1, max: 200, trim: true } as const;

@InputType()
export class CreateOwnerInput {
  /** Checked by OwnerService after trimming (OWNER_NAME). */
  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field(() => TimeZoneScalar)
  timeZone!: string;

  @Field(() => Int, { nullable: true, defaultValue: 60, description: 'Slot length in minutes, 5 to 1440, a multiple of 5.' })
  @OptionalIntBetween(5, 1440, ' minutes')
  slotMinutes?: number | null;
}

@InputType()
export class UpdateOwnerInput {
  /** Checked by OwnerService after trimming (OWNER_NAME). */
  @Field({ nullable: true })
  name?: string;

  @Field(() => TimeZoneScalar, { nullable: true, description: 'Moves future availability, never bookings.' })
  @IsOptional()
  timeZone?: string;

  @Field(() => Int, { nullable: true })
  @OptionalIntBetween(5, 1440, ' minutes')
  slotMinutes?: number;
}

@ObjectType()
export class CreateOwnerPayload {
  @Field(() => Owner)
  owner!: Owner;

  @Field({ description: 'Bearer token for owner-only operations. Shown once; only its hash is stored.' })
  token!: string;
}
