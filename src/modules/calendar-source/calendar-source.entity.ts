import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { v7 as uuidv7 } from 'uuid';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';

/** Where busy time comes from (docs/api.md, Part 3, 28). */
export enum CalendarSourceKind {
  ICS = 'ICS',
  CALDAV = 'CALDAV',
}
registerEnumType(CalendarSourceKind, {
  name: 'CalendarSourceKind',
  description: 'What a calendar source is.',
  valuesConfig: {
    ICS: { description: 'An iCalendar feed: an http(s) URL answering text/calendar.' },
    CALDAV: { description: 'A CalDAV calendar collection (RFC 4791).' },
  },
});

export enum CalendarSourceStatus {
  SYNCING = 'SYNCING',
  OK = 'OK',
  FAILING = 'FAILING',
}
registerEnumType(CalendarSourceStatus, {
  name: 'CalendarSourceStatus',
  description: 'How the last sync of a source went.',
  valuesConfig: {
    SYNCING: { description: 'Added or changed, and not synced since.' },
    OK: { description: 'The last sync succeeded (lastSyncedAt).' },
    FAILING: { description: 'The last sync failed (lastError); the last good busy intervals are kept and the sync is retried with backoff.' },
  },
});

/**
 * One of the owner's other calendars, and its recurring sync job on the outbox
 * (calendar-sync.ts): due at nextSyncAt, leased with claimedBy/claimedUntil.
 */
@ObjectType({ description: "One of the owner's other calendars, whose events are busy time (docs/api.md, Part 3, 28-30)." })
@Entity({ tableName: 'calendar_source' })
@Index({ name: 'calendar_source_owner_id_index', properties: ['owner'] })
export class CalendarSource {
  @Field(() => ID, { description: 'Opaque id; updateCalendarSource, removeCalendarSource and syncCalendarSource take it.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = uuidv7();

  @ManyToOne(() => Owner, { deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  @Field(() => CalendarSourceKind, { description: 'A feed or a CalDAV collection.' })
  @Enum({ items: () => CalendarSourceKind, type: 'string' })
  kind!: CalendarSourceKind;

  @Field({ description: 'The feed or collection URL, without credentials (user:password@ in the URL given were moved to username and password).' })
  @Property({ type: 'string', length: 2048 })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What the owner calls it; null: unnamed.' })
  @Property({ type: 'string', length: 200, nullable: true })
  name: string | null = null;

  /** Sealed with the secret box (secret-box.ts), its context the source's id; never returned. */
  @Property({ type: 'text', nullable: true })
  usernameSealed: string | null = null;

  @Property({ type: 'text', nullable: true })
  passwordSealed: string | null = null;

  @Field(() => Boolean, { description: 'CALDAV only: bookings are written into this calendar (docs/api.md, Part 3, 31).' })
  @Property({ type: 'boolean', default: false })
  writeBookings: Opt<boolean> = false;

  @Field(() => CalendarSourceStatus, { description: 'How the last sync went.' })
  @Enum({ items: () => CalendarSourceStatus, type: 'string' })
  status: Opt<CalendarSourceStatus> = CalendarSourceStatus.SYNCING;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last successful sync finished (unchanged data included); null before the first.' })
  @Property({ type: 'datetime', nullable: true })
  lastSyncedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Why the last sync failed, for the owner (never a credential or the URL); null when it did not.' })
  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  /** The feed's ETag at the last successful sync (ICS). */
  @Property({ type: 'string', length: 1000, nullable: true })
  etag: string | null = null;

  /** The collection's getctag and sync-token at the last successful sync (CALDAV). */
  @Property({ type: 'string', length: 1000, nullable: true })
  ctag: string | null = null;

  @Property({ type: 'string', length: 1000, nullable: true })
  syncToken: string | null = null;

  /** When the next sync is due: CALENDAR_SYNC_SECONDS after a success, the backoff after a failure. */
  @Property({ type: 'datetime', index: 'calendar_source_next_sync_at_index' })
  nextSyncAt!: Date;

  /** Failed syncs in a row (the backoff's step); 0 after a success. */
  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  /** Until when a process's sync holds it (a lease, so a killed process's claim expires). */
  @Property({ type: 'datetime', nullable: true, index: 'calendar_source_claimed_until_index' })
  claimedUntil: Date | null = null;

  @Property({ type: 'string', length: 36, nullable: true, index: 'calendar_source_claimed_by_index' })
  claimedBy: string | null = null;

  @Field(() => DateTimeScalar, { description: 'When it was added.' })
  @Property({ type: 'datetime' })
  createdAt!: Date;
}
