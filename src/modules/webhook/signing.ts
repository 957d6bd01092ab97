/**
 * The wire format (docs/api.md, Part 2, 14): Standard Webhooks 1.0 headers and signature,
 * and the JSON body of each booking event.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { EVENT_TYPE_NAME, type WebhookEvent } from './webhook.entity';

const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: whsec_ + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with the secret's decoded bytes. */
export function signature(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The headers of one attempt. */
export function signedHeaders(secret: string, messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signature(secret, messageId, timestampSeconds, body),
  };
}

/** What a message reports: the change as it left the booking, and the booking's fixed facts. */
export interface MessageFacts {
  event: WebhookEvent;
  occurredAt: Date;
  startsAt: Date;
  endsAt: Date;
  status: string;
  previousStartsAt: Date | null;
  previousEndsAt: Date | null;
  booking: { id: string; ownerId: string; eventTypeId: string | null; inviteeName: string; inviteeEmail: string; createdAt: Date };
}

/** The body, the same bytes on every attempt of a message: it is built from stored rows only. */
export function messageBody(facts: MessageFacts): string {
  const { booking } = facts;
  const data: Record<string, unknown> = {
    booking: {
      id: booking.id,
      ownerId: booking.ownerId,
      eventTypeId: booking.eventTypeId,
      startsAt: facts.startsAt.toISOString(),
      endsAt: facts.endsAt.toISOString(),
      status: facts.status,
      invitee: { name: booking.inviteeName, email: booking.inviteeEmail },
      createdAt: booking.createdAt.toISOString(),
    },
  };
  if (facts.previousStartsAt && facts.previousEndsAt) {
    data.previous = { startsAt: facts.previousStartsAt.toISOString(), endsAt: facts.previousEndsAt.toISOString() };
  }
  return JSON.stringify({ type: EVENT_TYPE_NAME[facts.event], timestamp: facts.occurredAt.toISOString(), data });
}
