import { Collection, Entity, Index, ManyToOne, OneToMany, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import type { Frequency, Weekday } from '../../scheduling';
import { DateTimeScalar, LocalDateScalar, LocalTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';

export enum WeekdayEnum {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}
registerEnumType(WeekdayEnum, {
  name: 'Weekday',
  description: "A day of the week on the owner's calendar; weeks start on Monday.",
  valuesConfig: {
    MONDAY: { description: 'Monday, the first day of the week.' },
    TUESDAY: { description: 'Tuesday.' },
    WEDNESDAY: { description: 'Wednesday.' },
    THURSDAY: { description: 'Thursday.' },
    FRIDAY: { description: 'Friday.' },
    SATURDAY: { description: 'Saturday.' },
    SUNDAY: { description: 'Sunday, the last day of the week.' },
  },
});

export enum FrequencyEnum {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
}
registerEnumType(FrequencyEnum, {
  name: 'Frequency',
  description: 'How a recurring window repeats (RFC 5545 meaning, weeks start on Monday). No occurrence falls before startsOn or after endsOn.',
  valuesConfig: {
    DAILY: { description: 'Every interval-th day counted from startsOn; when weekdays are given, only on those days.' },
    WEEKLY: { description: "On the given weekdays of every interval-th week, counted from startsOn's week (Monday to Sunday)." },
    MONTHLY: { description: "On startsOn's day of the month, every interval-th month; months without that day are skipped." },
  },
});

// No resolveType: type-graphql's default picks the implementing class by instanceof, and does so
// synchronously, which graphql-jit (src/graphql/jit-executor.ts) needs; type-graphql wraps a given
// resolveType in an async function that graphql-jit does not await.
@InterfaceType({ description: 'A span of time in which the owner can be booked.' })
export abstract class AvailabilityWindow {
  @Field(() => ID, { description: 'Opaque id; removeWindow takes it.' })
  id!: string;
}

@ObjectType({ implements: AvailabilityWindow, description: 'Availability between two instants.' })
@Entity({ tableName: 'one_time_window' })
@Index({ name: 'one_time_window_owner_ends_idx', properties: ['owner', 'endsAt'] })
export class OneTimeWindow implements AvailabilityWindow {
  @Field(() => ID, { description: 'Opaque id; removeWindow takes it.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  /** No index of its own (MikroORM adds one per foreign key on SQLite): (owner_id, ends_at) serves every lookup by owner. */
  @ManyToOne(() => Owner, { deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  @Field(() => DateTimeScalar, { description: 'When the availability begins.' })
  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When the availability ends; no slot runs past it.' })
  @Property({ type: 'datetime' })
  endsAt!: Date;
}

@ObjectType({ description: "A change to one date of a recurring window: cancelled, or moved to another span." })
@Entity({ tableName: 'window_exception' })
export class WindowException {
  /** No index of its own: the primary key (window_id, date) serves every lookup by window. */
  @ManyToOne(() => RecurringWindow, { primary: true, deleteRule: 'cascade', index: false })
  window!: Rel<RecurringWindow>;

  @Field(() => LocalDateScalar, { description: "The occurrence's own date." })
  @PrimaryKey({ type: 'string', length: 10 })
  date!: string;

  @Field({ description: 'True: no availability from that occurrence.' })
  @Property({ type: 'boolean' })
  cancelled!: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When moved: start of the replacement window.' })
  @Property({ type: 'datetime', nullable: true })
  startsAt: Date | null = null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When moved: end of the replacement window.' })
  @Property({ type: 'datetime', nullable: true })
  endsAt: Date | null = null;
}

@ObjectType({ implements: AvailabilityWindow, description: "Availability that repeats on the owner's wall clock (RFC 5545 meaning)." })
@Entity({ tableName: 'recurring_window' })
@Index({ name: 'recurring_window_owner_idx', properties: ['owner'] })
export class RecurringWindow implements AvailabilityWindow {
  @Field(() => ID, { description: 'Opaque id; updateRecurringWindow, removeWindow and the occurrence mutations take it.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @ManyToOne(() => Owner, { deleteRule: 'cascade' })
  owner!: Rel<Owner>;

  @Field(() => FrequencyEnum, { description: 'How the rule repeats.' })
  @Property({ type: 'string', length: 8 })
  frequency!: Frequency;

  @Field(() => Int, { description: 'Every N days, weeks or months.' })
  @Property({ type: 'integer' })
  interval!: number;

  @Field(() => [WeekdayEnum], { description: 'WEEKLY: the days it occurs; DAILY: optional filter; MONTHLY: empty.' })
  @Property({ type: 'json' })
  weekdays!: Weekday[];

  /** Minutes since midnight, owner's wall clock. */
  @Field(() => LocalTimeScalar, { description: "Start of each occurrence on the owner's wall clock." })
  @Property({ type: 'integer' })
  startTime!: number;

  /** Minutes since midnight; 1440 is the end of the day. */
  @Field(() => LocalTimeScalar, { description: 'After startTime; 24:00 is the end of the day.' })
  @Property({ type: 'integer' })
  endTime!: number;

  @Field(() => LocalDateScalar, { description: 'First day the rule may occur; MONTHLY repeats on its day of month.' })
  @Property({ type: 'string', length: 10 })
  startsOn!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day it may occur, inclusive; null: no end.' })
  @Property({ type: 'string', length: 10, nullable: true })
  endsOn: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Total occurrences before exceptions; null: no limit.' })
  @Property({ type: 'integer', nullable: true })
  count: number | null = null;

  /** Derived from endsOn and count when the rule is written, so expansion never counts from startsOn. */
  @Property({ type: 'string', length: 10, nullable: true })
  lastOccursOn: string | null = null;

  @OneToMany(() => WindowException, (e) => e.window, { orphanRemoval: true })
  exceptions = new Collection<WindowException>(this);
}
