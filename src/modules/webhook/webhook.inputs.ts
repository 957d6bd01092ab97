import { Field, InputType, ObjectType } from 'type-graphql';
import { PageInfo } from '../page-info';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entity';

// Every rule below is checked by WebhookService (webhook.service.ts), which names the field and
// the rule in BAD_USER_INPUT; the descriptions say the same to clients.

const URL_RULE =
  'An absolute http or https URL of at most 2048 characters whose host is and resolves to public addresses only (not loopback, private, link-local or unspecified), unless the server sets WEBHOOK_ALLOW_PRIVATE_URLS=true.';

@InputType({ description: 'A new webhook endpoint of the token owner.' })
export class WebhookEndpointInput {
  @Field({ description: URL_RULE })
  url!: string;

  @Field(() => [WebhookEvent], { nullable: true, description: 'The events to send, at least one; omitted or null: all.' })
  events?: WebhookEvent[] | null;
}

@InputType({ description: 'Changes to a webhook endpoint; omitted fields keep their value.' })
export class WebhookEndpointPatch {
  @Field(() => String, { nullable: true, description: URL_RULE })
  url?: string | null;

  @Field(() => [WebhookEvent], { nullable: true, description: 'The events to send, at least one.' })
  events?: WebhookEvent[] | null;

  @Field(() => Boolean, { nullable: true, description: 'false: changes made meanwhile send nothing and pending deliveries wait; true: they resume (also after a 410 disabled it).' })
  active?: boolean | null;
}

@ObjectType({ description: 'A new endpoint and its signing secret, shown only here.' })
export class AddWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'whsec_ + base64 of 32 random bytes: verify each delivery with it (Standard Webhooks). Shown once; never again.' })
  secret!: string;
}

@ObjectType({ description: 'One delivery of a page, with its position in the list.' })
class WebhookDeliveryEdge {
  @Field({ description: 'Opaque position of this delivery in the list; clients never parse it.' })
  cursor!: string;

  @Field(() => WebhookDelivery, { description: 'The delivery.' })
  node!: WebhookDelivery;
}

@ObjectType({ description: "One page of an endpoint's deliveries, newest first." })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], { description: 'The deliveries of this page, in order.' })
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them with.' })
  pageInfo!: PageInfo;
}
