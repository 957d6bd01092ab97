import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from '../owner/owner.entity';
import { MAX_PAGE_SIZE } from '../../shared/pagination';
import { WebhookDelivery, WebhookEndpoint } from './webhook.entity';
import { AddWebhookEndpointPayload, WebhookDeliveryConnection, WebhookEndpointInput, WebhookEndpointPatch } from './webhook.inputs';
import { WebhookService } from './webhook.service';

const ENDPOINT_ID = "A webhook endpoint of the token's owner; unknown: NOT_FOUND, another owner's: FORBIDDEN.";

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Mutation(() => AddWebhookEndpointPayload, { description: "Owner only: starts POSTing the owner's booking changes to a URL; the payload holds the signing secret, shown only here." })
  addWebhookEndpoint(@Arg('input', () => WebhookEndpointInput, { description: 'The URL and the events to send.' }) input: WebhookEndpointInput, @Ctx() ctx: RequestContext): Promise<AddWebhookEndpointPayload> {
    return new WebhookService(ctx).addEndpoint(input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Owner only: changes an endpoint; the secret stays.' })
  updateWebhookEndpoint(
    @Arg('id', () => ID, { description: ENDPOINT_ID }) id: string,
    @Arg('input', () => WebhookEndpointPatch, { description: 'The fields to change; omitted ones keep their value.' }) input: WebhookEndpointPatch,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpoint> {
    return new WebhookService(ctx).updateEndpoint(id, input);
  }

  @Mutation(() => ID, { description: 'Owner only: removes an endpoint with its deliveries, pending ones included; returns its id.' })
  removeWebhookEndpoint(@Arg('id', () => ID, { description: ENDPOINT_ID }) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return new WebhookService(ctx).removeEndpoint(id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Owner only: a new attempt of a delivery now, with the same message id (webhook-id), whatever its status; its endpoint must be active.' })
  redeliverWebhook(@Arg('deliveryId', () => ID, { description: "A delivery of one of the token owner's endpoints." }) deliveryId: string, @Ctx() ctx: RequestContext): Promise<WebhookDelivery> {
    return new WebhookService(ctx).redeliver(deliveryId);
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: "The endpoint's deliveries, newest first." })
  deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: `How many deliveries per page, 1 to ${MAX_PAGE_SIZE}; anything else is BAD_USER_INPUT.` }) first: number | null = 20,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page: this page starts after it. Omitted: the first page.' }) after?: string | null,
  ): Promise<WebhookDeliveryConnection> {
    return new WebhookService(ctx).deliveries(endpoint, first, after);
  }
}

/** Owner.webhookEndpoints: the webhook module's field of Owner. */
@Resolver(() => Owner)
export class OwnerWebhooksResolver {
  @FieldResolver(() => [WebhookEndpoint], { description: "Owner only: the owner's webhook endpoints, oldest first." })
  webhookEndpoints(@Root() owner: Owner, @Ctx() ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return new WebhookService(ctx).endpointsOf(owner);
  }
}
