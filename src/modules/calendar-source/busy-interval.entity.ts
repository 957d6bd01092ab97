import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Owner } from '../owner/owner.entity';

/**
 * One busy interval of one of the owner's other calendars (docs/api.md, Part 3, 28-29), as the
 * last successful sync of its source expanded it. Written and read only by BusyIntervalStore in
 * bulk, never hydrated on a hot path; the table, its indexes and the booking triggers that refuse
 * busy time are Migration20261207050000's.
 */
@Entity({ tableName: 'busy_interval' })
@Index({ name: 'busy_interval_owner_starts_idx', properties: ['owner', 'startsAt', 'endsAt'] })
@Index({ name: 'busy_interval_source_idx', properties: ['sourceId'] })
export class BusyInterval {
  /** A sequence, not a UUID: a sync rewrites up to 100,000 rows, appended in order. */
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  /** No index of its own: busy_interval_owner_starts_idx starts with it. */
  @ManyToOne(() => Owner, { deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  /** The calendar_source row's id; no foreign key (that table is the calendar-source sync's). */
  @Property({ type: 'string', length: 36 })
  sourceId!: string;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime' })
  endsAt!: Date;
}
