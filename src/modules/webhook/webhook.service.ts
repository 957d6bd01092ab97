import type { RequestContext } from '../context';
import type { Owner } from '../owner/owner.entity';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { decodeCursor, encodeCursor, validatePageSize } from '../../shared/pagination';
import { ALL_WEBHOOK_EVENTS, eventListOf, type WebhookDelivery, type WebhookEndpoint, type WebhookEvent } from './webhook.entity';
import type { AddWebhookEndpointPayload, WebhookDeliveryConnection, WebhookEndpointInput, WebhookEndpointPatch } from './webhook.inputs';
import { generateWebhookSecret } from './signing';
import { checkWebhookUrl, UnsafeUrlError } from './url-safety';

/** What the webhook module needs of the app around it (made once in createApp). */
export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE_URLS=true: endpoints may point at private addresses. */
  allowPrivateUrls: boolean;
  /** Tells this process's dispatcher to read the outbox now. */
  wake(): void;
  /**
   * The outbox's clock: the real one, as the database's, which stamps the messages the triggers
   * write. Not the app's (injectable) clock, which decides bookings.
   */
  outboxNow(): Date;
}

/** Most endpoints one owner may have: each booking change writes a delivery per endpoint. The migration's trigger (Migration20261207021000) repeats the number. */
export const MAX_ENDPOINTS_PER_OWNER = 10;

/** Webhook endpoints and their deliveries (docs/api.md, Part 2, 14-16): the owner's only. */
export class WebhookService {
  constructor(private readonly ctx: RequestContext) {}

  async endpointsOf(owner: Owner): Promise<WebhookEndpoint[]> {
    await this.ctx.auth.requireOwnerOf(owner.id);
    return this.ctx.stores.webhooks.endpointsOf(owner.id);
  }

  async addEndpoint(input: WebhookEndpointInput): Promise<AddWebhookEndpointPayload> {
    const owner = await this.ctx.auth.requireOwner();
    const url = await this.validUrl('input.url', input.url);
    const events = validEvents('input.events', input.events ?? ALL_WEBHOOK_EVENTS);
    const store = this.ctx.stores.webhooks;
    // The count here answers most requests early; the database's trigger decides races.
    if ((await store.countEndpoints(owner.id)) >= MAX_ENDPOINTS_PER_OWNER) throw tooManyEndpoints();
    const secret = generateWebhookSecret();
    const endpoint = await store.addEndpoint({ ownerId: owner.id, url, eventList: eventListOf(events), secret, createdAt: this.ctx.now() });
    if (endpoint === 'full') throw tooManyEndpoints();
    return { endpoint, secret };
  }

  async updateEndpoint(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpoint> {
    const endpoint = await this.ownEndpoint(id);
    const url = patch.url == null ? undefined : await this.validUrl('input.url', patch.url);
    const eventList = patch.events == null ? undefined : eventListOf(validEvents('input.events', patch.events));
    const updated = await this.ctx.stores.webhooks.updateEndpoint(endpoint, {
      ...(url === undefined ? {} : { url }),
      ...(eventList === undefined ? {} : { eventList }),
      ...(patch.active == null ? {} : { active: patch.active }),
    });
    // Pending deliveries of an endpoint made active again are due now.
    if (patch.active) this.ctx.webhooks.wake();
    return updated;
  }

  /** Removes the endpoint and its deliveries; returns its id. */
  async removeEndpoint(id: string): Promise<string> {
    const endpoint = await this.ownEndpoint(id);
    await this.ctx.stores.webhooks.removeEndpoint(endpoint.id);
    return endpoint.id;
  }

  async deliveries(endpoint: WebhookEndpoint, first: number | null, after: string | null | undefined): Promise<WebhookDeliveryConnection> {
    await this.ctx.auth.requireOwnerOf(endpoint.owner.id);
    const size = validatePageSize(first ?? 20);
    const cursor = after == null ? null : decodeCursor(after);
    const { deliveries, hasMore } = await this.ctx.stores.webhooks.deliveriesPage(endpoint.id, cursor, size);
    const edges = deliveries.map((node) => ({ cursor: encodeCursor({ startsAt: node.createdAt.getTime(), id: node.id }), node }));
    return { edges, pageInfo: { hasNextPage: hasMore, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** A new attempt now, with the same message id; the endpoint must be active. */
  async redeliver(deliveryId: string): Promise<WebhookDelivery> {
    const owner = await this.ctx.auth.requireOwner();
    const store = this.ctx.stores.webhooks;
    const delivery = await store.findDelivery(deliveryId);
    if (!delivery) throw notFound(`webhook delivery ${JSON.stringify(deliveryId.slice(0, 64))}`);
    if (delivery.endpoint.owner.id !== owner.id) throw forbidden();
    if (!delivery.endpoint.active) throw badInput('deliveryId', 'its endpoint is inactive: make it active with updateWebhookEndpoint first');
    const redelivered = await store.redeliver(delivery, this.ctx.webhooks.outboxNow());
    this.ctx.webhooks.wake();
    return redelivered;
  }

  private async ownEndpoint(id: string): Promise<WebhookEndpoint> {
    const owner = await this.ctx.auth.requireOwner();
    const endpoint = await this.ctx.stores.webhooks.findEndpoint(id);
    if (!endpoint) throw notFound(`webhook endpoint ${JSON.stringify(id.slice(0, 64))}`);
    if (endpoint.owner.id !== owner.id) throw forbidden();
    return endpoint;
  }

  /** The URL as stored (WHATWG-normalized), or BAD_USER_INPUT naming `field` and what is wrong with it. */
  private async validUrl(field: string, raw: string): Promise<string> {
    try {
      return (await checkWebhookUrl(raw, this.ctx.webhooks.allowPrivateUrls)).href;
    } catch (err) {
      if (err instanceof UnsafeUrlError) throw badInput(field, `must be a public http or https URL: ${err.message}`);
      throw err;
    }
  }
}

function tooManyEndpoints() {
  return badInput('input', `an owner has at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints; remove one first`);
}

function validEvents(field: string, events: readonly WebhookEvent[]): WebhookEvent[] {
  if (events.length === 0) throw badInput(field, 'must name at least one event');
  return ALL_WEBHOOK_EVENTS.filter((event) => events.includes(event));
}
