/**
 * The webhook dispatcher (docs/api.md, Part 2, 15): runs in every server process, claims due
 * deliveries from the outbox (a lease per delivery, so processes sharing a database never attempt
 * one at once, and a killed process's claims expire), POSTs each signed, and records the outcome:
 * DELIVERED on a 2xx within the timeout, else the next attempt per the retry schedule, FAILED after
 * the last, and the endpoint disabled on 410. Delivery resumes after a restart because everything
 * it needs is in the database.
 */
import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import type { WebhookStore, ClaimedDelivery, AttemptRecord } from './webhook.store';
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
  /** How often the outbox is read when nothing woke the dispatcher. */
  pollIntervalMs: number;
  /** Most attempts in flight in this process at once. */
  concurrency: number;
  /** How long stop() lets in-flight attempts run before aborting them and releasing their claims. */
  stopGraceMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
  allowPrivateUrls: false,
  timeoutMs: 10_000,
  pollIntervalMs: 1_000,
  concurrency: 8,
  stopGraceMs: 2_000,
};

/** How long settled messages (every delivery DELIVERED or FAILED) are kept for the owner to see and redeliver. */
export const RETENTION_MS = 30 * 24 * 3600_000;

/** How often a process removes messages past retention. */
const PURGE_EVERY_MS = 3600_000;

/** How much of a response body is read (and thrown away) before the socket is let go. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What one HTTP attempt came to. */
type AttemptResult = { kind: 'answered'; status: number } | { kind: 'failed'; error: string } | { kind: 'aborted' };

/** Lengths stored in webhook_delivery.last_error. */
const MAX_ERROR_LENGTH = 500;

export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** When this process last removed old messages (0: not yet, so the first round does). */
  private purgedAt = 0;
  private stopped = false;

  constructor(
    /** Forks its own EntityManager for every statement: one store serves every round and attempt. */
    private readonly store: WebhookStore,
    private readonly logger: Logger,
    private readonly options: DispatcherOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts reading the outbox: at once, then every pollIntervalMs and whenever woken. */
  start(): void {
    this.wake();
  }

  /** Reads the outbox soon (a change was just committed, a redelivery asked for). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.round().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else {
        this.timer = setTimeout(() => this.wake(), this.options.pollIntervalMs);
        this.timer.unref();
      }
    });
  }

  /** Forgets messages whose deliveries are all settled and older than RETENTION_MS, at most once per PURGE_EVERY_MS. */
  private async purge(now: Date): Promise<void> {
    if (now.getTime() - this.purgedAt < PURGE_EVERY_MS) return;
    this.purgedAt = now.getTime();
    try {
      const removed = await this.store.purgeSettledBefore(new Date(now.getTime() - RETENTION_MS));
      if (removed > 0) this.logger.info({ removed }, 'webhook messages past retention removed');
    } catch (err) {
      this.logger.error({ err }, 'webhook dispatcher could not remove old messages');
    }
  }

  /**
   * Stops claiming, gives in-flight attempts stopGraceMs to finish (their outcomes are recorded),
   * then aborts the rest, whose claims are released uncounted: another process, or this one after
   * a restart, makes those attempts again.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const grace = setTimeout(() => this.shutdown.abort(), this.options.stopGraceMs);
    await Promise.allSettled([...this.inFlight]);
    clearTimeout(grace);
  }

  /** Claims what fits beside the attempts in flight and starts them. */
  private async round(): Promise<void> {
    const now = this.now();
    await this.purge(now);
    const room = this.options.concurrency - this.inFlight.size;
    if (room <= 0) return;
    let round: { claim: string; claimed: ClaimedDelivery[] };
    try {
      round = await this.store.claimDue(now, new Date(now.getTime() + this.leaseMs()), room);
    } catch (err) {
      this.logger.error({ err }, 'webhook dispatcher could not read the outbox');
      return;
    }
    for (const item of round.claimed) {
      const attempt = this.attempt(round.claim, item).finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
      this.inFlight.add(attempt);
    }
  }

  /** Longer than any attempt: the timeout plus time to record its outcome. */
  private leaseMs(): number {
    return this.options.timeoutMs + Math.max(5_000, this.options.stopGraceMs);
  }

  /** One attempt of a delivery this process holds under `claim`. */
  private async attempt(claim: string, { delivery, booking }: ClaimedDelivery): Promise<void> {
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
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const result = await this.post(endpoint.url, signedHeaders(endpoint.secret, message.id, timestamp, body), body).catch(
      (err: unknown): AttemptResult => ({ kind: 'failed', error: `could not send: ${err instanceof Error ? err.message : String(err)}`.slice(0, MAX_ERROR_LENGTH) }),
    );
    const { store } = this;
    try {
      if (result.kind === 'aborted') {
        await store.release(delivery.id, claim);
        return;
      }
      // Disabled first: whoever sees the delivery FAILED by a 410 sees its endpoint inactive too.
      if (result.kind === 'answered' && result.status === 410) await store.disableEndpoint(endpoint.id);
      await store.recordAttempt(delivery.id, claim, this.outcome(delivery.attempts + 1, result));
      this.logger.info(
        { deliveryId: delivery.id, messageId: message.id, endpointId: endpoint.id, attempt: delivery.attempts + 1, ...(result.kind === 'answered' ? { status: result.status } : { error: result.error }) },
        'webhook attempt',
      );
    } catch (err) {
      // The claim expires with its lease, and the attempt is made again: at least once.
      this.logger.error({ err, deliveryId: delivery.id }, 'webhook dispatcher could not record an attempt');
    }
  }

  /** The delivery's new state after its `attempt`-th attempt (counting from 1). */
  private outcome(attempt: number, result: Exclude<AttemptResult, { kind: 'aborted' }>): AttemptRecord {
    const now = this.now();
    if (result.kind === 'answered' && result.status >= 200 && result.status < 300) {
      return { status: WebhookDeliveryStatus.DELIVERED, responseStatus: result.status, error: null, nextAttemptAt: null, deliveredAt: now };
    }
    const responseStatus = result.kind === 'answered' ? result.status : null;
    const error = result.kind === 'answered' ? `answered HTTP ${result.status}` : result.error;
    const delay = this.options.retryDelaysMs[attempt - 1];
    if (delay === undefined || responseStatus === 410) {
      return { status: WebhookDeliveryStatus.FAILED, responseStatus, error: responseStatus === 410 ? 'answered HTTP 410 Gone: endpoint disabled' : error, nextAttemptAt: null, deliveredAt: null };
    }
    return { status: WebhookDeliveryStatus.PENDING, responseStatus, error, nextAttemptAt: new Date(now.getTime() + delay), deliveredAt: null };
  }

  /** One POST: no redirects followed (Node's http never follows them), a timeout on the whole exchange, addresses checked. */
  private post(rawUrl: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
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
        this.shutdown.signal.removeEventListener('abort', onShutdown);
        request.destroy();
        resolve(result);
      };
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Slotbook-Webhooks/1' },
        ...(this.options.allowPrivateUrls ? {} : { lookup: safeLookup }),
      });
      const timer = setTimeout(() => settle({ kind: 'failed', error: `no answer within ${this.options.timeoutMs / 1000} s` }), this.options.timeoutMs);
      const onShutdown = () => settle({ kind: 'aborted' });
      this.shutdown.signal.addEventListener('abort', onShutdown);
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
