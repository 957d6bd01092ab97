import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { v7 as uuidv7 } from 'uuid';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';

/** A booking change a webhook endpoint can be told of (docs/api.md, Part 2, 14). */
export enum WebhookEvent {
  BOOKING_CREATED = 'BOOKING_CREATED',
  BOOKING_CANCELLED = 'BOOKING_CANCELLED',
  BOOKING_RESCHEDULED = 'BOOKING_RESCHEDULED',
  BOOKING_COMPLETED = 'BOOKING_COMPLETED',
}
registerEnumType(WebhookEvent, {
  name: 'WebhookEvent',
  description: 'A booking change a webhook endpoint is told of; the body\'s "type" is its lower-case dotted form (booking.created).',
  valuesConfig: {
    BOOKING_CREATED: { description: 'booking.created: a booking was made.' },
    BOOKING_CANCELLED: { description: 'booking.cancelled: a booking was cancelled, by its owner or invitee.' },
    BOOKING_RESCHEDULED: { description: 'booking.rescheduled: a booking moved; data.previous holds its old time.' },
    BOOKING_COMPLETED: { description: 'booking.completed: the owner marked a booking done.' },
  },
});

export const ALL_WEBHOOK_EVENTS: readonly WebhookEvent[] = Object.values(WebhookEvent);

/** The body's "type" of each event. */
export const EVENT_TYPE_NAME: Record<WebhookEvent, string> = {
  BOOKING_CREATED: 'booking.created',
  BOOKING_CANCELLED: 'booking.cancelled',
  BOOKING_RESCHEDULED: 'booking.rescheduled',
  BOOKING_COMPLETED: 'booking.completed',
};

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not yet answered with a 2xx: an attempt is due at nextAttemptAt (or waits for its endpoint to be active again).' },
    DELIVERED: { description: 'An attempt was answered with a 2xx within 10 seconds.' },
    FAILED: { description: 'Every scheduled attempt failed, or the endpoint answered 410 Gone; redeliverWebhook tries again.' },
  },
});

/**
 * Where an owner's booking changes are POSTed, signed with its secret (Standard Webhooks). The
 * events it takes are stored as one text, `,BOOKING_CREATED,BOOKING_CANCELLED,`, so the outbox
 * triggers (src/db/migrations/*\/Migration20261130170000.ts) match an event with one substring test.
 */
@ObjectType({ description: "A URL the owner's booking changes are POSTed to, signed per Standard Webhooks with the secret addWebhookEndpoint returned." })
@Entity({ tableName: 'webhook_endpoint' })
@Index({ name: 'webhook_endpoint_owner_id_index', properties: ['owner'] })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'Opaque id; updateWebhookEndpoint and removeWebhookEndpoint take it.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = uuidv7();

  /** Indexed by name below, on both databases (PostgreSQL adds no index for a foreign key). */
  @ManyToOne(() => Owner, { deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  @Field({ description: 'Where deliveries are POSTed: http or https, never to a private address.' })
  @Property({ type: 'string', length: 2048 })
  url!: string;

  /** `,EVENT,EVENT,`: see the class comment; GraphQL reads it through the `events` field. */
  @Property({ type: 'string', length: 200 })
  eventList!: string;

  /** whsec_ + base64 of 32 random bytes. Kept in the clear: every attempt signs with it. */
  @Property({ type: 'string', length: 60 })
  secret!: string;

  @Field(() => Boolean, { description: 'False after updateWebhookEndpoint(active: false) or a 410 answer: changes made meanwhile send nothing, and pending deliveries wait.' })
  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  @Field(() => DateTimeScalar, { description: 'When it was added.' })
  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** Attempts in a row that got no answer within the timeout; an answer of any status resets it. */
  @Property({ type: 'integer', default: 0 })
  timeoutsInRow: Opt<number> = 0;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'After attempts that got no answer in time, deliveries to it wait until then (30 s, doubling with each timeout in a row, at most 1 h); null when it answers.',
  })
  @Property({ type: 'datetime', nullable: true })
  backedOffUntil: Date | null = null;

  @Field(() => [WebhookEvent], { description: 'The events it is told of.' })
  get events(): WebhookEvent[] {
    return eventsOf(this.eventList);
  }
}

/** The stored form of an event list (see WebhookEndpoint). */
export function eventListOf(events: readonly WebhookEvent[]): string {
  return `,${events.join(',')},`;
}

export function eventsOf(eventList: string): WebhookEvent[] {
  return ALL_WEBHOOK_EVENTS.filter((event) => eventList.includes(`,${event},`));
}

/**
 * One booking change to report, written by the outbox triggers in the statement that made the
 * change, with the booking's time and status as the change left them. Its id is the Standard
 * Webhooks message id, the same for every endpoint and attempt: msg_<booking id>_<event>, with the
 * reschedule's number for a move.
 */
@Entity({ tableName: 'webhook_message' })
export class WebhookMessage {
  @PrimaryKey({ type: 'string', length: 80 })
  id!: string;

  @Property({ type: 'string', length: 36 })
  bookingId!: string;

  @Enum({ items: () => WebhookEvent, type: 'string', length: 20 })
  event!: WebhookEvent;

  /** When the change was made (the database's clock): the body's timestamp. */
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Property({ type: 'string', length: 10 })
  status!: string;

  @Property({ type: 'datetime', nullable: true })
  previousStartsAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  previousEndsAt: Date | null = null;
}

/** One message's delivery to one endpoint: its attempts so far and when the next is due. */
@ObjectType({ description: 'One booking change sent (or to be sent) to one endpoint.' })
@Entity({ tableName: 'webhook_delivery' })
@Index({ name: 'webhook_delivery_endpoint_created_idx', properties: ['endpoint', 'createdAt', 'id'] })
@Index({ name: 'webhook_delivery_due_idx', properties: ['status', 'nextAttemptAt'] })
@Index({ name: 'webhook_delivery_claim_idx', properties: ['status', 'endpoint', 'nextAttemptAt'] })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Opaque id; redeliverWebhook takes it.' })
  @PrimaryKey({ type: 'string', length: 32 })
  id!: string;

  /** Indexed (SQLite adds one per foreign key; named so both databases have it): deleting messages finds their deliveries. */
  @ManyToOne(() => WebhookMessage, { deleteRule: 'cascade', index: 'webhook_delivery_message_id_index' })
  message!: Rel<WebhookMessage>;

  /** No index of its own: webhook_delivery_endpoint_created_idx serves every lookup by endpoint. */
  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade', index: false })
  endpoint!: Rel<WebhookEndpoint>;

  @Field(() => WebhookDeliveryStatus, { description: 'PENDING until a 2xx answer (DELIVERED) or the last scheduled attempt fails (FAILED).' })
  @Enum({ items: () => WebhookDeliveryStatus, type: 'string', length: 10 })
  status: Opt<WebhookDeliveryStatus> = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  @Field(() => Int, { nullable: true, description: "The last attempt's HTTP status; null before the first answer, or when the last attempt got none." })
  @Property({ type: 'integer', nullable: true })
  lastResponseStatus: number | null = null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed, in words (timeout, refused address, HTTP status); null when it did not fail." })
  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the next attempt is due; null once DELIVERED or FAILED.' })
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt: Date | null = null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When an attempt was last answered with a 2xx; null before.' })
  @Property({ type: 'datetime', nullable: true })
  deliveredAt: Date | null = null;

  @Field(() => DateTimeScalar, { description: 'When the change it reports was made.' })
  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** Until when a process's dispatcher holds it (a lease, so a killed process's claims expire). */
  @Property({ type: 'datetime', nullable: true })
  claimedUntil: Date | null = null;

  /** Which dispatcher holds the claim: only it may record the attempt's outcome. */
  @Property({ type: 'string', length: 36, nullable: true })
  claimedBy: string | null = null;

  @Field({ description: 'The Standard Webhooks message id (webhook-id header): the same on every attempt and endpoint of one change.' })
  get messageId(): string {
    return this.message.id;
  }

  /** Read with the message populated (WebhookStore.deliveriesPage does). */
  @Field(() => WebhookEvent, { description: 'The change it reports.' })
  get event(): WebhookEvent {
    return this.message.event;
  }
}
