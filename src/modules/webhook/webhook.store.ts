/**
 * The webhook store: endpoints, messages and deliveries (the outbox module claims and records
 * deliveries: src/modules/outbox/outbox.store.ts). Messages and deliveries
 * are written by the outbox triggers on booking (src/db/migrations/sqlite/Migration20261130163632,
 * …/postgresql/Migration20261130163634), never here, so no booking path can forget them.
 */
import { DriverException, raw } from '@mikro-orm/core';
import type { BookingCursor } from '../../shared/pagination';
import type { StoreDeps } from '../stores';
import type { OutboxTable } from '../outbox/outbox.store';
import { Booking } from '../booking/booking.entity';
import { Owner } from '../owner/owner.entity';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from './webhook.entity';

export interface EndpointPatch {
  url?: string;
  eventList?: string;
  active?: boolean;
}

/** A claimed delivery with everything its attempt needs. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  booking: Booking;
}

/**
 * Deliveries in the outbox's terms: due at next_attempt_at, claimable while their endpoint is
 * active, counted against the endpoint's owner's fair share.
 */
export const WEBHOOK_DELIVERIES: OutboxTable = {
  table: 'webhook_delivery',
  dueColumn: 'next_attempt_at',
  join: 'join webhook_endpoint e on e.id = t.endpoint_id',
  partitionKey: 'e.owner_id',
  scanColumn: 'endpoint_id',
  // `?`: the claim's now. An endpoint that timed out waits out its backoff (backedOffUntil).
  eligible: {
    sql: {
      sqlite: 'e.active = 1 and (e.backed_off_until is null or e.backed_off_until <= ?)',
      postgresql: 'e.active and (e.backed_off_until is null or e.backed_off_until <= ?)',
    },
    nowBinds: 1,
  },
  doneAtColumn: 'delivered_at',
  clearsDueWhenSettled: true,
};

export class WebhookStore {
  constructor(private readonly deps: StoreDeps) {}

  /** An instant as the dialect's raw statements bind it (SQLite stores Unix milliseconds). */
  private instant(at: Date): Date | number {
    return this.deps.dialect === 'sqlite' ? at.getTime() : at;
  }

  endpointsOf(ownerId: string): Promise<WebhookEndpoint[]> {
    return this.deps.em().find(WebhookEndpoint, { owner: ownerId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  countEndpoints(ownerId: string): Promise<number> {
    return this.deps.em().count(WebhookEndpoint, { owner: ownerId });
  }

  findEndpoint(id: string): Promise<WebhookEndpoint | null> {
    return this.deps.em().findOne(WebhookEndpoint, { id });
  }

  /**
   * Adds an endpoint, or answers `full` when the owner already has the most: the database's
   * webhook_endpoint_limit trigger (Migration20261207021000) counts in the insert's statement,
   * so concurrent additions from any number of requests and processes never pass the limit.
   */
  async addEndpoint(fields: { ownerId: string; url: string; eventList: string; secret: string; createdAt: Date }): Promise<WebhookEndpoint | 'full'> {
    const em = this.deps.em().fork();
    const endpoint = Object.assign(new WebhookEndpoint(), {
      owner: em.getReference(Owner, fields.ownerId),
      url: fields.url,
      eventList: fields.eventList,
      secret: fields.secret,
      createdAt: fields.createdAt,
    });
    try {
      await em.persistAndFlush(endpoint);
    } catch (err) {
      if (err instanceof DriverException && err.message.includes('webhook_endpoint_limit')) return 'full';
      throw err;
    }
    // Later reads of this request (the payload's fields) find it in the request's EntityManager.
    return this.deps.em().merge(endpoint);
  }

  async updateEndpoint(endpoint: WebhookEndpoint, patch: EndpointPatch): Promise<WebhookEndpoint> {
    Object.assign(endpoint, patch);
    await this.deps.em().flush();
    return endpoint;
  }

  /** Removes the endpoint and, by cascade, its deliveries. */
  async removeEndpoint(id: string): Promise<void> {
    await this.deps.em().nativeDelete(WebhookEndpoint, { id });
  }

  /** Up to `first` of the endpoint's deliveries after `after`, newest first, and whether more follow. */
  async deliveriesPage(endpointId: string, after: BookingCursor | null, first: number): Promise<{ deliveries: WebhookDelivery[]; hasMore: boolean }> {
    const rows = await this.deps.em().find(
      WebhookDelivery,
      {
        endpoint: endpointId,
        ...(after
          ? { $or: [{ createdAt: { $lt: new Date(after.startsAt) } }, { createdAt: new Date(after.startsAt), id: { $lt: after.id } }] }
          : {}),
      },
      { populate: ['message'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 },
    );
    return { deliveries: rows.slice(0, first), hasMore: rows.length > first };
  }

  findDelivery(id: string): Promise<WebhookDelivery | null> {
    return this.deps.em().findOne(WebhookDelivery, { id }, { populate: ['message', 'endpoint'] });
  }

  /** Makes an attempt due now, whatever the delivery's status; its attempts so far still count. */
  async redeliver(delivery: WebhookDelivery, at: Date): Promise<WebhookDelivery> {
    Object.assign(delivery, { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: at });
    await this.deps.em().flush();
    return delivery;
  }

  /** The deliveries the outbox's claim `claim` took, with the bookings their bodies describe. */
  async claimed(claim: string): Promise<ClaimedDelivery[]> {
    const em = this.deps.em();
    const deliveries = await em.find(WebhookDelivery, { claimedBy: claim }, { populate: ['message', 'endpoint'] });
    if (deliveries.length === 0) return [];
    const bookings = new Map((await em.find(Booking, { id: { $in: deliveries.map((d) => d.message.bookingId) } })).map((b) => [b.id, b]));
    return deliveries.flatMap((delivery) => {
      const booking = bookings.get(delivery.message.bookingId);
      return booking ? [{ delivery, booking }] : [];
    });
  }

  /**
   * Removes messages (and by cascade their deliveries) that changed before `before` and have no
   * PENDING delivery; returns how many. Deliveries of a message share its age, so this keeps the
   * outbox to about RETENTION_MS of history.
   */
  async purgeSettledBefore(before: Date): Promise<number> {
    const at = this.instant(before);
    return this.deps.em().transactional(async (tx) => {
      await tx.execute(
        `delete from webhook_delivery where message_id in (select m.id from webhook_message m where m.occurred_at < ?
           and not exists (select 1 from webhook_delivery p where p.message_id = m.id and p.status = 'PENDING'))`,
        [at],
        'run',
      );
      // Messages left without deliveries: those just settled, and those whose endpoints were removed.
      const removed = await tx.execute<{ affectedRows: number }>(
        'delete from webhook_message where occurred_at < ? and not exists (select 1 from webhook_delivery d where d.message_id = webhook_message.id)',
        [at],
        'run',
      );
      return removed.affectedRows;
    });
  }

  /** A 410 answer: the endpoint stops taking messages until updateWebhookEndpoint(active: true). */
  async disableEndpoint(id: string): Promise<void> {
    await this.deps.em().nativeUpdate(WebhookEndpoint, { id }, { active: false });
  }

  /**
   * An attempt to the endpoint got no answer in time: its deliveries wait `backoff(timeouts in a
   * row)` from `now`, counted in the statement so processes timing out at once each add theirs.
   */
  async recordEndpointTimeout(id: string, now: Date, backoffMs: (timeoutsInRow: number) => number): Promise<void> {
    const em = this.deps.em();
    await em.nativeUpdate(WebhookEndpoint, { id }, { timeoutsInRow: raw('timeouts_in_row + 1') });
    const endpoint = await em.findOne(WebhookEndpoint, { id }, { fields: ['timeoutsInRow'], disableIdentityMap: true });
    if (endpoint) await em.nativeUpdate(WebhookEndpoint, { id }, { backedOffUntil: new Date(now.getTime() + backoffMs(endpoint.timeoutsInRow)) });
  }

  /** The endpoint answered (any status): no more backoff. */
  async recordEndpointAnswer(id: string): Promise<void> {
    await this.deps.em().nativeUpdate(WebhookEndpoint, { id, timeoutsInRow: { $gt: 0 } }, { timeoutsInRow: 0, backedOffUntil: null });
  }
}
