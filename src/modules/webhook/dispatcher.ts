/**
 * Webhook deliveries as a kind of the outbox (src/modules/outbox/outbox.ts; docs/api.md, Part 2,
 * 15): the outbox claims due deliveries of active endpoints, fairly per owner, and this POSTs each
 * signed: DELIVERED on a 2xx within the timeout, else the next attempt per the retry schedule,
 * FAILED after the last, and the endpoint disabled on 410.
 */
import http from 'node:http';
import https from 'node:https';
import type { OutboxItem, OutboxKind, SendOutcome } from '../outbox/outbox';
import { WEBHOOK_DELIVERIES, type WebhookStore, type ClaimedDelivery } from './webhook.store';
import { WebhookDeliveryStatus } from './webhook.entity';
import { messageBody, signedHeaders } from './signing';
import { literalHostRefusal, safeLookup } from './url-safety';

/** The contract's retry schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400].map((s) => s * 1000);

export interface DispatcherOptions {
  /** Waits after each failed attempt; a delivery makes at most 1 + this many attempts (WEBHOOK_RETRY_DELAYS). */
  retryDelaysMs: readonly number[];
  /** WEBHOOK_ALLOW_PRIVATE_URLS: attempts may reach private addresses. */
  allowPrivateUrls: boolean;
  /** An attempt not answered within this is a failure (the contract's 10 s). */
  timeoutMs: number;
  /** How often the outbox is read when nothing woke it. */
  pollIntervalMs: number;
  /** Most deliveries in flight in this process at once. */
  concurrency: number;
  /**
   * Most deliveries of one owner in flight at once, across processes: an owner whose endpoints
   * never answer holds at most this many of the attempt slots, never another owner's turn.
   */
  perOwnerInFlight: number;
  /** How long stop() lets in-flight attempts run before aborting them and releasing their claims. */
  stopGraceMs: number;
  /**
   * After an attempt gets no answer within timeoutMs, the endpoint's deliveries wait this long,
   * doubled with each timeout in a row, at most an hour; any answer ends it. An endpoint that
   * hangs then costs an attempt slot now and then, not one per due delivery.
   */
  timeoutBackoffMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
  allowPrivateUrls: false,
  timeoutMs: 10_000,
  pollIntervalMs: 1_000,
  concurrency: 8,
  perOwnerInFlight: 2,
  stopGraceMs: 2_000,
  timeoutBackoffMs: 30_000,
};

/** The longest an endpoint that timed out is backed off. */
const MAX_TIMEOUT_BACKOFF_MS = 3_600_000;

/** How long an endpoint with `timeoutsInRow` unanswered attempts in a row waits. */
export const timeoutBackoff = (baseMs: number, timeoutsInRow: number): number =>
  Math.min(MAX_TIMEOUT_BACKOFF_MS, baseMs * 2 ** Math.min(Math.max(0, timeoutsInRow - 1), 20));

/** How much of a response body is read (and thrown away) before the socket is let go. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What one HTTP attempt came to. */
type AttemptResult = { kind: 'answered'; status: number } | { kind: 'failed'; error: string; timedOut?: true } | { kind: 'aborted' };

/** An attempt's outcome, and what it says of the endpoint: it answered (any status), or kept quiet past the timeout. */
interface WebhookAttempt {
  outcome: SendOutcome;
  endpoint?: 'answered' | 'timed out';
}

/** Length of an error kept from a failed connection. */
const MAX_ERROR_LENGTH = 500;

/** The outbox's webhook kind: claims deliveries of active endpoints, fairly per owner, and POSTs each signed. */
export function webhookDeliveries(store: WebhookStore, options: DispatcherOptions): OutboxKind<ClaimedDelivery & OutboxItem> {
  const sender = new WebhookSender(options);
  return {
    name: 'webhook',
    table: WEBHOOK_DELIVERIES,
    statuses: { done: WebhookDeliveryStatus.DELIVERED, failed: WebhookDeliveryStatus.FAILED },
    pacing: options,
    // The real clock, as the database's, which stamps the deliveries the triggers write.
    now: () => new Date(),
    load: async (claim) => (await store.claimed(claim)).map((claimed) => ({ ...claimed, id: claimed.delivery.id, attempts: claimed.delivery.attempts })),
    send: async (item, signal) => {
      const { outcome, endpoint } = await sender.send(item, signal);
      const endpointId = item.delivery.endpoint.id;
      // Disabled first: whoever sees the delivery FAILED by a 410 sees its endpoint inactive too.
      if (outcome.kind === 'failed' && outcome.columns?.last_response_status === 410) await store.disableEndpoint(endpointId);
      if (endpoint === 'timed out') await store.recordEndpointTimeout(endpointId, new Date(), (n) => timeoutBackoff(options.timeoutBackoffMs, n));
      else if (endpoint === 'answered' && item.delivery.endpoint.timeoutsInRow > 0) await store.recordEndpointAnswer(endpointId);
      return outcome;
    },
    purge: (before) => store.purgeSettledBefore(before),
  };
}

/** One attempt of a delivery: the signed POST, its answer turned into the outbox's terms. */
class WebhookSender {
  constructor(private readonly options: DispatcherOptions) {}

  async send({ delivery, booking }: ClaimedDelivery, signal: AbortSignal): Promise<WebhookAttempt> {
    const { message, endpoint } = delivery;
    const body = messageBody({
      event: message.event,
      occurredAt: message.occurredAt,
      startsAt: message.startsAt,
      endsAt: message.endsAt,
      status: message.status,
      previousStartsAt: message.previousStartsAt,
      previousEndsAt: message.previousEndsAt,
      booking: {
        id: booking.id,
        ownerId: booking.owner.id,
        eventTypeId: booking.eventType?.id ?? null,
        inviteeName: booking.inviteeName,
        inviteeEmail: booking.inviteeEmail,
        createdAt: booking.createdAt,
      },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await this.post(endpoint.url, signedHeaders(endpoint.secret, message.id, timestamp, body), body, signal).catch(
      (err: unknown): AttemptResult => ({ kind: 'failed', error: `could not send: ${err instanceof Error ? err.message : String(err)}` }),
    );
    if (result.kind === 'aborted') return { outcome: result };
    if (result.kind === 'failed') {
      return { outcome: { kind: 'failed', error: result.error, columns: { last_response_status: null } }, endpoint: result.timedOut ? 'timed out' : undefined };
    }
    const columns = { last_response_status: result.status };
    const answered = (outcome: SendOutcome): WebhookAttempt => ({ outcome, endpoint: 'answered' });
    if (result.status >= 200 && result.status < 300) return answered({ kind: 'done', columns });
    if (result.status === 410) return answered({ kind: 'failed', final: true, error: 'answered HTTP 410 Gone: endpoint disabled', columns });
    return answered({ kind: 'failed', error: `answered HTTP ${result.status}`, columns });
  }

  /** One POST: no redirects followed (Node's http never follows them), a timeout on the whole exchange, addresses checked. */
  private post(rawUrl: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<AttemptResult> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return Promise.resolve({ kind: 'failed', error: 'the URL is not valid' });
    }
    if (!this.options.allowPrivateUrls) {
      const refusal = literalHostRefusal(url);
      if (refusal) return Promise.resolve({ kind: 'failed', error: `refused: ${refusal.message}` });
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onShutdown);
        request.destroy();
        resolve(result);
      };
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Slotbook-Webhooks/1' },
        ...(this.options.allowPrivateUrls ? {} : { lookup: safeLookup }),
      });
      const timer = setTimeout(() => settle({ kind: 'failed', error: `no answer within ${this.options.timeoutMs / 1000} s`, timedOut: true }), this.options.timeoutMs);
      const onShutdown = () => settle({ kind: 'aborted' });
      if (signal.aborted) return settle({ kind: 'aborted' });
      signal.addEventListener('abort', onShutdown);
      request.on('response', (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) settle({ kind: 'answered', status: response.statusCode ?? 0 });
        });
        response.on('end', () => settle({ kind: 'answered', status: response.statusCode ?? 0 }));
        response.on('error', () => settle({ kind: 'answered', status: response.statusCode ?? 0 }));
      });
      request.on('error', (err: NodeJS.ErrnoException) => {
        const error = err instanceof Error && err.code === 'EUNSAFEADDRESS' ? `refused: ${err.message}` : `could not connect: ${err.code ?? err.message}`;
        settle({ kind: 'failed', error: error.slice(0, MAX_ERROR_LENGTH) });
      });
      request.end(body);
    });
  }
}
