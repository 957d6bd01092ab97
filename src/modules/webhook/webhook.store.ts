/**
 * The webhook store: endpoints, the outbox's deliveries and their claims. Messages and deliveries
 * are written by the outbox triggers on booking (src/db/migrations/sqlite/Migration20261130163632,
 * …/postgresql/Migration20261130163634), never here, so no booking path can forget them.
 */
import { randomUUID } from 'node:crypto';
import { DriverException, raw } from '@mikro-orm/core';
import type { BookingCursor } from '../../shared/pagination';
import type { StoreDeps } from '../stores';
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

/** What an attempt came to, as recorded. */
export interface AttemptRecord {
  status: WebhookDeliveryStatus;
  responseStatus: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** Whether any delivery is due, claimed or not (webhook_delivery_due_idx). */
const DUE_SQL = `select 1 from webhook_delivery where status = 'PENDING' and next_attempt_at <= ? limit 1`;

/** The claim: due deliveries of active endpoints that nobody holds (or whose holder's lease ran out). */
const CLAIM_SQL = {
  sqlite: `
update webhook_delivery set claimed_by = ?, claimed_until = ?
where id in (
  select d.id from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
  where d.status = 'PENDING' and d.next_attempt_at <= ? and e.active = 1 and (d.claimed_until is null or d.claimed_until < ?)
  order by d.next_attempt_at limit ?)
`,
  // SKIP LOCKED: processes claiming at once take different rows instead of queueing on each
  // other's; the claim (a lease) then holds outside any transaction while the attempt runs.
  postgresql: `
update webhook_delivery set claimed_by = ?, claimed_until = ?
where id in (
  select d.id from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
  where d.status = 'PENDING' and d.next_attempt_at <= ? and e.active and (d.claimed_until is null or d.claimed_until < ?)
  order by d.next_attempt_at limit ? for update of d skip locked)`,
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

  /**
   * Claims up to `limit` due deliveries until `leaseUntil`, in one statement, so two dispatchers
   * (processes) never hold one delivery at once; returns them with what their attempts need, and
   * the claim's token, which recordAttempt and release need.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<{ claim: string; claimed: ClaimedDelivery[] }> {
    const em = this.deps.em();
    const claim = randomUUID();
    // A read first: the claim is a write (SQLite's write lock), which most rounds need not take.
    const due = await em.getConnection().execute<unknown[]>(DUE_SQL, [this.instant(now)], 'all');
    if (due.length === 0) return { claim, claimed: [] };
    await em.getConnection().execute(CLAIM_SQL[this.deps.dialect], [claim, this.instant(leaseUntil), this.instant(now), this.instant(now), limit], 'run');
    // The token is this claim's alone: what carries it is what this claim took.
    const deliveries = await em.find(WebhookDelivery, { claimedBy: claim }, { populate: ['message', 'endpoint'] });
    if (deliveries.length === 0) return { claim, claimed: [] };
    const bookings = new Map((await em.find(Booking, { id: { $in: deliveries.map((d) => d.message.bookingId) } })).map((b) => [b.id, b]));
    const claimed = deliveries.flatMap((delivery) => {
      const booking = bookings.get(delivery.message.bookingId);
      return booking ? [{ delivery, booking }] : [];
    });
    return { claim, claimed };
  }

  /** Records an attempt's outcome and lets go of the claim, if `claim` still holds it. */
  async recordAttempt(id: string, claim: string, record: AttemptRecord): Promise<void> {
    await this.deps.em().nativeUpdate(
      WebhookDelivery,
      { id, claimedBy: claim },
      {
        status: record.status,
        attempts: raw('attempts + 1'),
        lastResponseStatus: record.responseStatus,
        lastError: record.error,
        nextAttemptAt: record.nextAttemptAt,
        ...(record.deliveredAt ? { deliveredAt: record.deliveredAt } : {}),
        claimedBy: null,
        claimedUntil: null,
      },
    );
  }

  /** Lets go of a claim without counting an attempt (shutdown aborted it). */
  async release(id: string, claim: string): Promise<void> {
    await this.deps.em().nativeUpdate(WebhookDelivery, { id, claimedBy: claim }, { claimedBy: null, claimedUntil: null });
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
}
