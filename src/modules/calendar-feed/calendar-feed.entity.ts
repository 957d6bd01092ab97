import { Entity, OneToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Owner } from '../owner/owner.entity';

/**
 * An owner's calendar feed secret, stored as its SHA-256 (like owner tokens): one row per owner,
 * replaced by each createCalendarFeed, so the previous secret stops working.
 */
@Entity({ tableName: 'calendar_feed' })
export class CalendarFeedSecret {
  @OneToOne(() => Owner, { primary: true, deleteRule: 'cascade', owner: true })
  owner!: Rel<Owner>;

  @Property({ type: 'string', length: 64, unique: true })
  secretHash!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

@ObjectType({ description: "An owner's secret iCalendar feed of their bookings (RFC 5545), for calendar apps to subscribe to." })
export class CalendarFeed {
  @Field({ description: "The feed's path, /feeds/<secret>.ics, to append to the server's public URL; whoever holds it can read the feed." })
  url!: string;
}
