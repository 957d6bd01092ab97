import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { TimeZoneScalar } from '../../common/scalars';
import { Owner } from './owner.entity';

@InputType()
export class CreateOwnerInput {
  @Field({ description: '1 to 200 characters.' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name!: string;

  @Field(() => TimeZoneScalar)
  timeZone!: string;

  @Field(() => Int, { nullable: true, defaultValue: 60, description: 'Slot length in minutes, 5 to 1440, a multiple of 5.' })
  @IsOptional()
  @IsInt()
  @Min(5, { message: 'must be at least 5 minutes' })
  @Max(1440, { message: 'must be at most 1440 minutes' })
  slotMinutes?: number | null;
}

@InputType()
export class UpdateOwnerInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name?: string;

  @Field(() => TimeZoneScalar, { nullable: true, description: 'Moves future availability, never bookings.' })
  @IsOptional()
  timeZone?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(5, { message: 'must be at least 5 minutes' })
  @Max(1440, { message: 'must be at most 1440 minutes' })
  slotMinutes?: number;
}

@ObjectType()
export class CreateOwnerPayload {
  @Field(() => Owner)
  owner!: Owner;

  @Field({ description: 'Bearer token for owner-only operations. Shown once; only its hash is stored.' })
  token!: string;
}
