/**
 * The outbox (STYLE.md, "Every side effect leaves through one outbox"): one runner per server
 * process for every kind of side effect. Rows are written in the transaction of the change that
 * causes them, each due at some time (a reminder is a row due later); the runner claims due rows
 * with a lease (so processes sharing a database never attempt one row at once, and a killed
 * process's claims expire), fairly across owners, has the kind send each, and records the outcome:
 * done, the next attempt per the kind's retry schedule, or failed after the last. Everything it
 * needs is in the database, so sending resumes after a restart. Each kind supplies only its table,
 * how a row is sent and its retry schedule.
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AttemptState, OutboxStore, OutboxTable } from './outbox.store';

/** What a kind's send came to. */
export type SendOutcome =
  /** Done: sent, or settled without sending (`status`, e.g. an email's NOT_SENT). */
  | { kind: 'done'; status?: string; columns?: Record<string, unknown> }
  /** Failed: retried per the schedule, unless `final` (a permanent refusal). */
  | { kind: 'failed'; error: string; final?: boolean; columns?: Record<string, unknown> }
  /** Shutdown cut it short: the claim is released uncounted, and the attempt made again later. */
  | { kind: 'aborted' };

/** A claimed row: its id and the attempts it has had so far. */
export interface OutboxItem {
  id: string;
  attempts: number;
}

/** How one kind is paced. */
export interface OutboxPacing {
  /** Waits after each failed attempt; a row gets at most 1 + this many attempts. */
  retryDelaysMs: readonly number[];
  /** Most attempts of this kind in flight in this process at once. */
  concurrency: number;
  /** Most attempts of this kind in flight per owner across every process: one owner's slow receivers cannot hold the rest. */
  perOwnerInFlight: number;
  /** An attempt not over within this is a failure; the lease outlasts it. */
  timeoutMs: number;
  /**
   * Most attempts in flight while requests keep this process busy (RequestLoad): work that can
   * wait (an email) yields the CPU to them and goes on at this pace, then at `concurrency` again
   * once they let up. Absent: `concurrency` always.
   */
  concurrencyWhenBusy?: number;
}

/**
 * Whether requests keep this process's event loop busy: more than BUSY_UTILIZATION of it used
 * over the last BUSY_WINDOW_MS or more (Node's event loop utilization, sampled when asked).
 */
export class RequestLoad {
  private last = performance.eventLoopUtilization();
  private sampledAt = performance.now();
  private busyNow = false;

  busy(): boolean {
    const now = performance.now();
    if (now - this.sampledAt >= BUSY_WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      this.busyNow = performance.eventLoopUtilization(current, this.last).utilization > BUSY_UTILIZATION;
      this.last = current;
      this.sampledAt = now;
    }
    return this.busyNow;
  }
}

const BUSY_WINDOW_MS = 250;
const BUSY_UTILIZATION = 0.9;

export interface OutboxKind<Item extends OutboxItem = OutboxItem> {
  /** For logs: `webhook`, `email`. */
  name: string;
  table: OutboxTable;
  /** The statuses a row ends in. */
  statuses: { done: string; failed: string };
  pacing: OutboxPacing;
  /** The clock due times are compared with. */
  now(): Date;
  /** The rows `claim` took, with what their attempts need. */
  load(claim: string): Promise<Item[]>;
  send(item: Item, signal: AbortSignal): Promise<SendOutcome>;
  /** Removes settled rows older than `before`; returns how many. */
  purge(before: Date): Promise<number>;
  /** Lets go of what sending holds open (an SMTP pool), once every attempt is over. */
  close?(): Promise<void>;
  /**
   * A recurring job (a calendar source's sync): a row is never settled. After a success it is due
   * again `everyMs` later; after its n-th failure in a row, `backoffMs(n)` later, forever.
   */
  recurring?: { everyMs: number; backoffMs(failures: number): number };
}

export interface OutboxOptions {
  /** How often the outbox is read when nothing woke it. */
  pollIntervalMs: number;
  /** How long stop() lets in-flight attempts run before aborting them and releasing their claims. */
  stopGraceMs: number;
}

/** How long settled rows are kept for the owner to see (and webhooks to redeliver). */
export const RETENTION_MS = 30 * 24 * 3600_000;

/** How often a process removes rows past retention. */
const PURGE_EVERY_MS = 3600_000;

/** Length of a stored last_error. */
const MAX_ERROR_LENGTH = 500;

/** The row's state after its `attempt`-th attempt (counting from 1) came to `outcome`. */
export function stateAfter(kind: Pick<OutboxKind, 'statuses' | 'pacing' | 'recurring'>, attempt: number, outcome: Exclude<SendOutcome, { kind: 'aborted' }>, now: Date): AttemptState {
  if (kind.recurring) {
    const every = kind.recurring;
    if (outcome.kind === 'done') return { status: kind.statuses.done, error: null, nextAttemptAt: new Date(now.getTime() + every.everyMs), doneAt: now, columns: outcome.columns, resetAttempts: true };
    return { status: kind.statuses.failed, error: outcome.error.slice(0, MAX_ERROR_LENGTH), nextAttemptAt: new Date(now.getTime() + every.backoffMs(attempt)), doneAt: null, columns: outcome.columns };
  }
  if (outcome.kind === 'done') return { status: outcome.status ?? kind.statuses.done, error: null, nextAttemptAt: null, doneAt: outcome.status ? null : now, columns: outcome.columns };
  const error = outcome.error.slice(0, MAX_ERROR_LENGTH);
  const delay = kind.pacing.retryDelaysMs[attempt - 1];
  if (delay === undefined || outcome.final) return { status: kind.statuses.failed, error, nextAttemptAt: null, doneAt: null, columns: outcome.columns };
  return { status: 'PENDING', error, nextAttemptAt: new Date(now.getTime() + delay), doneAt: null, columns: outcome.columns };
}

export class Outbox {
  private readonly inFlight = new Map<OutboxKind, Set<Promise<void>>>();
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** When this process last removed old rows (0: not yet, so the first round does). */
  private purgedAt = 0;
  private stopped = false;
  private readonly load = new RequestLoad();

  constructor(
    /** Forks its own EntityManager for every statement: one store serves every round and attempt. */
    private readonly store: OutboxStore,
    private readonly kinds: readonly OutboxKind<any>[],
    private readonly logger: Logger,
    private readonly options: OutboxOptions,
  ) {
    for (const kind of kinds) this.inFlight.set(kind, new Set());
    // Every attempt in flight listens for shutdown on this one signal, and lets go when it ends:
    // more listeners than attempts can be in flight would be a leak, which Node then reports.
    setMaxListeners(kinds.reduce((n, kind) => n + kind.pacing.concurrency, 0) + 1, this.shutdown.signal);
  }

  /** How many attempts listen for shutdown (each in flight holds one): tests see none is left behind. */
  get shutdownListeners(): number {
    return getEventListeners(this.shutdown.signal, 'abort').length;
  }

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
    await Promise.allSettled([...this.inFlight.values()].flatMap((set) => [...set]));
    clearTimeout(grace);
    await Promise.allSettled(this.kinds.map((kind) => kind.close?.()));
  }

  /**
   * Makes an attempt of one row of `kindName` now, due or not (syncCalendarSource), under a claim
   * of its own. Answers false, attempting nothing, while another claim holds the row (another
   * process's attempt, or this one's): the caller waits for that attempt's outcome instead.
   */
  async attemptNow(kindName: string, id: string): Promise<boolean> {
    const kind = this.kinds.find((k) => k.name === kindName);
    if (!kind) throw new Error(`no outbox kind ${kindName} in this process`);
    const now = kind.now();
    const claim = await this.store.claimOne(kind.table, id, now, this.leaseUntil(kind, now));
    if (claim === null) return false;
    const [item] = await kind.load(claim);
    if (!item) return false;
    const inFlight = this.inFlight.get(kind)!;
    const attempt = this.attempt(kind, claim, item).finally(() => inFlight.delete(attempt));
    inFlight.add(attempt);
    await attempt;
    return true;
  }

  private leaseUntil(kind: OutboxKind, now: Date): Date {
    return new Date(now.getTime() + kind.pacing.timeoutMs + Math.max(5_000, this.options.stopGraceMs));
  }

  /** Forgets settled rows older than RETENTION_MS, at most once per PURGE_EVERY_MS. */
  private async purge(): Promise<void> {
    const now = Date.now();
    if (now - this.purgedAt < PURGE_EVERY_MS) return;
    this.purgedAt = now;
    for (const kind of this.kinds) {
      try {
        const removed = await kind.purge(new Date(kind.now().getTime() - RETENTION_MS));
        if (removed > 0) this.logger.info({ kind: kind.name, removed }, 'outbox rows past retention removed');
      } catch (err) {
        this.logger.error({ err, kind: kind.name }, 'outbox could not remove old rows');
      }
    }
  }

  /** Claims, for each kind, what fits beside its attempts in flight, and starts them. */
  private async round(): Promise<void> {
    await this.purge();
    for (const kind of this.kinds) {
      const inFlight = this.inFlight.get(kind)!;
      const { concurrency, concurrencyWhenBusy } = kind.pacing;
      const room = (concurrencyWhenBusy !== undefined && this.load.busy() ? concurrencyWhenBusy : concurrency) - inFlight.size;
      if (room <= 0) continue;
      let claimed: { claim: string; items: OutboxItem[] } | null;
      try {
        claimed = await this.claim(kind, room);
      } catch (err) {
        this.logger.error({ err, kind: kind.name }, 'outbox could not be read');
        continue;
      }
      for (const item of claimed?.items ?? []) {
        const attempt = this.attempt(kind, claimed!.claim, item).finally(() => {
          inFlight.delete(attempt);
          // A claim reads every due row to share them fairly: claiming in batches (once half the
          // slots are free; the poll tops up the rest) keeps that read off the path of each send.
          if (inFlight.size <= kind.pacing.concurrency / 2) this.wake();
        });
        inFlight.add(attempt);
      }
    }
  }

  private async claim(kind: OutboxKind, room: number): Promise<{ claim: string; items: OutboxItem[] } | null> {
    const now = kind.now();
    const claim = await this.store.claimDue(kind.table, { now, leaseUntil: this.leaseUntil(kind, now), limit: room, perPartition: kind.pacing.perOwnerInFlight });
    return claim === null ? null : { claim, items: await kind.load(claim) };
  }

  /** One attempt of a row this process holds under `claim`. */
  private async attempt(kind: OutboxKind, claim: string, item: OutboxItem): Promise<void> {
    const outcome = await kind.send(item, this.shutdown.signal).catch(
      (err: unknown): SendOutcome => ({ kind: 'failed', error: `could not send: ${err instanceof Error ? err.message : String(err)}` }),
    );
    try {
      if (outcome.kind === 'aborted') {
        await this.store.release(kind.table, item.id, claim);
        return;
      }
      const state = stateAfter(kind, item.attempts + 1, outcome, kind.now());
      await this.store.recordAttempt(kind.table, item.id, claim, state);
      this.logger.info({ kind: kind.name, id: item.id, attempt: item.attempts + 1, status: state.status, ...(state.error ? { error: state.error } : {}) }, 'outbox attempt');
    } catch (err) {
      // The claim expires with its lease, and the attempt is made again: at least once.
      this.logger.error({ err, kind: kind.name, id: item.id }, 'outbox could not record an attempt');
    }
  }
}
