import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, LocalDateScalar, LocalTimeScalar } from '../../shared/scalars';
import { MAX_RANGE_DAYS } from '../../shared/grid';
import { OptionalIntBetween } from '../../shared/validation';
import { FrequencyEnum, WeekdayEnum } from './window.entity';

const MAX_INTERVAL = 1000;
const MAX_COUNT = 100_000;

@InputType({ description: `Availability between two instants, on the 5-minute grid, at most ${MAX_RANGE_DAYS} days long.` })
export class OneTimeWindowInput {
  @Field(() => DateTimeScalar, { description: 'When the availability begins, on the 5-minute grid.' })
  startsAt!: Date;

  @Field(() => DateTimeScalar, { description: `When it ends: after startsAt, at most ${MAX_RANGE_DAYS} days later, on the 5-minute grid.` })
  endsAt!: Date;
}

@InputType({ description: "Availability that repeats on the owner's wall clock (RFC 5545 meaning); a window never crosses midnight." })
export class RecurringWindowInput {
  @Field(() => FrequencyEnum, { nullable: true, defaultValue: FrequencyEnum.WEEKLY, description: 'How the rule repeats.' })
  frequency?: FrequencyEnum | null;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: `Every interval-th day, week or month; 1 to ${MAX_INTERVAL}.` })
  @OptionalIntBetween(1, MAX_INTERVAL)
  interval?: number | null;

  @Field(() => [WeekdayEnum], {
    nullable: true,
    defaultValue: [],
    description: 'WEEKLY: the days it occurs, at least one; DAILY: if any, it occurs only on these days; MONTHLY: must be empty.',
  })
  weekdays?: WeekdayEnum[] | null;

  @Field(() => LocalTimeScalar, { description: 'Start of each occurrence, before 24:00, on the 5-minute grid.' })
  startTime!: number;

  @Field(() => LocalTimeScalar, { description: 'End of each occurrence: after startTime on the same day (24:00 ends the day), on the 5-minute grid.' })
  endTime!: number;

  @Field(() => LocalDateScalar, { description: 'First day the rule may occur; MONTHLY repeats on its day of the month, WEEKLY counts weeks from its week.' })
  startsOn!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day it may occur, inclusive, not before startsOn; null: no end.' })
  endsOn?: string | null;

  @Field(() => Int, { nullable: true, description: `Total occurrences counted from startsOn, exceptions included; 1 to ${MAX_COUNT}; null: no limit.` })
  @OptionalIntBetween(1, MAX_COUNT)
  count?: number | null;
}

@InputType({ description: 'Any field of RecurringWindowInput; omitted fields keep their value, null clears endsOn or count.' })
export class RecurringWindowPatch {
  @Field(() => FrequencyEnum, { nullable: true, description: 'New frequency; omitted or null: unchanged.' })
  frequency?: FrequencyEnum | null;

  @Field(() => Int, { nullable: true, description: `New interval, 1 to ${MAX_INTERVAL}; omitted or null: unchanged.` })
  @OptionalIntBetween(1, MAX_INTERVAL)
  interval?: number | null;

  @Field(() => [WeekdayEnum], { nullable: true, description: 'New weekdays (rules as in RecurringWindowInput); omitted or null: unchanged.' })
  weekdays?: WeekdayEnum[] | null;

  @Field(() => LocalTimeScalar, { nullable: true, description: 'New start of each occurrence; omitted or null: unchanged.' })
  startTime?: number | null;

  @Field(() => LocalTimeScalar, { nullable: true, description: 'New end of each occurrence, after startTime; omitted or null: unchanged.' })
  endTime?: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'New first day; omitted or null: unchanged.' })
  startsOn?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'New last day, inclusive; omitted: unchanged; null: no end.' })
  endsOn?: string | null;

  @Field(() => Int, { nullable: true, description: `New total of occurrences, 1 to ${MAX_COUNT}; omitted: unchanged; null: no limit.` })
  @OptionalIntBetween(1, MAX_COUNT)
  count?: number | null;
}
