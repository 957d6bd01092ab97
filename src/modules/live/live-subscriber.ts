import { createHash } from 'node:crypto';
import type { Slot } from '../slot/slot.type';

/** A list and what tells it from another: a digest of its starts and ends. */
export type Computed = { slots: Slot[]; key: string } | { error: unknown };

/**
 * A digest of the list's starts and ends: each group and subscriber keeps one of these (27
 * characters) instead of the list's text, which for a year of hourly slots is about 100 KiB.
 */
export function keyOf(slots: readonly Slot[]): string {
  const hash = createHash('sha1');
  const times = new Float64Array(2 * Math.min(slots.length, 4096));
  for (let at = 0; at < slots.length; at += 4096) {
    const chunk = slots.slice(at, at + 4096);
    chunk.forEach((s, i) => {
      times[2 * i] = s.startsAt.getTime();
      times[2 * i + 1] = s.endsAt.getTime();
    });
    hash.update(times.subarray(0, 2 * chunk.length));
  }
  return hash.digest('base64url');
}

/**
 * One subscription's stream of lists. It holds at most one list not yet taken: a newer list
 * replaces it, since a client only needs the latest, so a slow reader costs one list, not a
 * queue of them.
 */
export class LiveSubscriber implements AsyncIterableIterator<Slot[]> {
  private pending: Slot[] | null;
  private failure: { error: unknown } | null = null;
  private done = false;
  private waiting: ((result: IteratorResult<Slot[]>) => void) | null = null;
  private freeRecomputation = true;
  private failWaiting: ((error: unknown) => void) | null = null;

  constructor(
    /** The first recomputation of its group whose list it takes. */
    readonly joinedAt: number,
    private lastKey: string,
    first: Slot[],
    /** The key of the client address it is counted and charged under. */
    readonly address: string,
    private readonly onEnd: () => void,
  ) {
    this.pending = first;
  }

  /** True once: the first recomputation charged to its group is not charged to it. */
  takeFreeRecomputation(): boolean {
    const free = this.freeRecomputation;
    this.freeRecomputation = false;
    return free;
  }

  /** A recomputed list (sent when it differs from the last one sent), or the error that ends the subscription. */
  offer(computed: Computed): void {
    if (this.done) return;
    if ('error' in computed) {
      this.end();
      if (this.failWaiting) this.failWaiting(computed.error);
      else this.failure = computed;
      this.waiting = this.failWaiting = null;
      return;
    }
    const unchanged = computed.key === this.lastKey;
    // Adopt the group's string either way: one copy for every subscriber.
    this.lastKey = computed.key;
    if (unchanged) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: computed.slots, done: false });
    } else {
      this.pending = computed.slots;
    }
  }

  next(): Promise<IteratorResult<Slot[]>> {
    if (this.pending) {
      const value = this.pending;
      this.pending = null;
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<Slot[]>> {
    this.end();
    this.pending = null;
    this.failure = null;
    const resolve = this.waiting;
    this.waiting = this.failWaiting = null;
    resolve?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Slot[]> {
    return this;
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.onEnd();
  }
}
