import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, LocalDateScalar, LocalTimeScalar } from '../../common/scalars';
import { OptionalIntBetween } from '../../common/validation';
import { FrequencyEnum, WeekdayEnum } from './window.entity';

export const MAX_INTERVAL = 1000;
export const MAX_COUNT = 100_000;

@InputType()
export class OneTimeWindowInput {
  @Field(() => DateTimeScalar)
  startsAt!: Date;

  @Field(() => DateTimeScalar)
  endsAt!: Date;
}

@InputType()
export class RecurringWindowInput {
  @Field(() => FrequencyEnum, { nullable: true, defaultValue: FrequencyEnum.WEEKLY })
  frequency?: FrequencyEnum | null;

  @Field(() => Int, { nullable: true, defaultValue: 1 })
  @OptionalIntBetween(1, MAX_INTERVAL)
  interval?: number | null;

  @Field(() => [WeekdayEnum], { nullable: true, defaultValue: [] })
  weekdays?: WeekdayEnum[] | null;

  @Field(() => LocalTimeScalar)
  startTime!: number;

  @Field(() => LocalTimeScalar)
  endTime!: number;

  @Field(() => LocalDateScalar)
  startsOn!: string;

  @Field(() => LocalDateScalar, { nullable: true })
  endsOn?: string | null;

  @Field(() => Int, { nullable: true })
  @OptionalIntBetween(1, MAX_COUNT)
  count?: number | null;
}

@InputType({ description: 'Any field of RecurringWindowInput; omitted fields keep their value, null clears endsOn or count.' })
export class RecurringWindowPatch {
  @Field(() => FrequencyEnum, { nullable: true })
  frequency?: FrequencyEnum | null;

  @Field(() => Int, { nullable: true })
  @OptionalIntBetween(1, MAX_INTERVAL)
  interval?: number | null;

  @Field(() => [WeekdayEnum], { nullable: true })
  weekdays?: WeekdayEnum[] | null;

  @Field(() => LocalTimeScalar, { nullable: true })
  startTime?: number | null;

  @Field(() => LocalTimeScalar, { nullable: true })
  endTime?: number | null;

  @Field(() => LocalDateScalar, { nullable: true })
  startsOn?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  endsOn?: string | null;

  @Field(() => Int, { nullable: true })
  @OptionalIntBetween(1, MAX_COUNT)
  count?: number | null;
}
