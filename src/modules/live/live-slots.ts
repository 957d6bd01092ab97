import type { RequestContext } from '../context';
import { DomainError, ErrorCode } from '../../shared/errors';
import type { OwnerChangeFeed, OwnerChanged } from './change-feed';
import { SlotService } from '../slot/slot.service';
import type { Slot } from '../slot/slot.type';

/** freeSlotsChanged's arguments: Query.freeSlots's. */
export interface FreeSlotsArgs {
  ownerId: string;
  from: Date;
  to: Date;
  eventTypeId?: string | null;
  duration?: number | null;
}

/** What a subscription's resolver finds in its context besides the request's own. */
export interface LiveSlotsContext {
  /** Present in the context of WebSocket operations only. */
  liveSlots?: LiveSlots;
}

export interface LiveSlotsOptions {
  /** Opens the change feed that calls `onChange` (change-feed.ts). */
  openFeed(onChange: OwnerChanged): Promise<OwnerChangeFeed>;
  /** A context of its own for each recomputation: fresh loaders, the app clock, the full free-slot budget. */
  newContext(): RequestContext;
  /** Live subscriptions this process serves at most (SUBSCRIPTIONS_PER_PROCESS). */
  maxSubscribers: number;
  logger: { error(obj: unknown, msg?: string): void };
}

/** A list and what tells it from another: its starts and ends in ms. */
type Computed = { slots: Slot[]; key: string } | { error: unknown };

function keyOf(slots: readonly Slot[]): string {
  let key = '';
  for (const s of slots) key += `${s.startsAt.getTime()},${s.endsAt.getTime()};`;
  return key;
}

/** The subscribers of one owner and arguments: one recomputation serves them all. */
class Group {
  readonly subscribers = new Set<LiveSubscriber>();
  /** Recomputations started so far; a subscriber takes only those started after it joined. */
  started = 0;
  /** The key of the last list computed, shared by every subscriber holding an equal one (a key is a few KiB). */
  lastKey = '';
  running: Promise<void> | null = null;
  rerun = false;

  constructor(
    readonly key: string,
    readonly args: FreeSlotsArgs,
    readonly unwatch: () => void,
  ) {}
}

/**
 * Live free slots (freeSlotsChanged): subscribers grouped by owner and arguments, each group
 * recomputed once when the change feed reports its owner, through the same SlotService as
 * Query.freeSlots (so its cache, rules and budget), and each subscriber sent the new list only
 * when it differs from the last one it was sent.
 */
export class LiveSlots {
  private readonly groups = new Map<string, Group>();
  private readonly groupsByOwner = new Map<string, Set<Group>>();
  private feed!: OwnerChangeFeed;
  private subscriberCount = 0;
  private closed = false;

  private constructor(private readonly options: LiveSlotsOptions) {}

  static async open(options: LiveSlotsOptions): Promise<LiveSlots> {
    const live = new LiveSlots(options);
    live.feed = await options.openFeed((ownerId) => live.ownerChanged(ownerId));
    return live;
  }

  /** Subscriptions open now in this process. */
  get size(): number {
    return this.subscriberCount;
  }

  /**
   * The free slots `args` ask for now, then every new list. Refuses as Query.freeSlots does
   * (BAD_USER_INPUT naming the field, NOT_FOUND) before anything is sent, and RATE_LIMITED past
   * the process's most subscriptions.
   */
  async subscribe(args: FreeSlotsArgs, ctx: RequestContext): Promise<AsyncIterableIterator<Slot[]>> {
    if (this.closed) throw new DomainError(ErrorCode.RateLimited, 'the server is shutting down; subscribe again on another');
    if (this.subscriberCount >= this.options.maxSubscribers) {
      throw new DomainError(ErrorCode.RateLimited, 'this server serves as many live subscriptions as it may (SUBSCRIPTIONS_PER_PROCESS); try again later');
    }
    this.subscriberCount++;
    let joined = false;
    try {
      const { ownerId, from, to, eventTypeId, duration } = args;
      const slots = await new SlotService(ctx).freeSlotsOfOwner(ownerId, from, to, eventTypeId, duration);
      if (this.closed) throw new DomainError(ErrorCode.RateLimited, 'the server is shutting down; subscribe again on another');
      const key = [ownerId, from.getTime(), to.getTime(), eventTypeId ?? '', duration ?? ''].join('\u0000');
      let group = this.groups.get(key);
      if (!group) {
        group = new Group(key, { ownerId, from, to, eventTypeId, duration }, this.feed.watch(ownerId));
        this.groups.set(key, group);
        let ofOwner = this.groupsByOwner.get(ownerId);
        if (!ofOwner) this.groupsByOwner.set(ownerId, (ofOwner = new Set()));
        ofOwner.add(group);
      }
      const ownKey = keyOf(slots);
      const subscriber = new LiveSubscriber(group.started + 1, ownKey === group.lastKey ? group.lastKey : ownKey, slots, () => this.leave(group, subscriber));
      group.subscribers.add(subscriber);
      joined = true;
      // A change committed between the read above and the watch would otherwise go unseen.
      this.recompute(group);
      return subscriber;
    } finally {
      if (!joined) this.subscriberCount--;
    }
  }

  private ownerChanged(ownerId: string): void {
    for (const group of this.groupsByOwner.get(ownerId) ?? []) this.recompute(group);
  }

  /** Recomputes the group's list, or once more after the running recomputation when one runs. */
  private recompute(group: Group): void {
    if (group.running) {
      group.rerun = true;
      return;
    }
    group.running = (async () => {
      do {
        group.rerun = false;
        const started = ++group.started;
        const computed = await this.compute(group.args);
        if ('key' in computed) group.lastKey = computed.key === group.lastKey ? group.lastKey : computed.key;
        for (const subscriber of [...group.subscribers]) if (started >= subscriber.joinedAt) subscriber.offer(computed);
      } while (group.rerun && group.subscribers.size > 0 && !this.closed);
    })().finally(() => {
      group.running = null;
    });
  }

  private async compute({ ownerId, from, to, eventTypeId, duration }: FreeSlotsArgs): Promise<Computed> {
    try {
      const slots = await new SlotService(this.options.newContext()).freeSlotsOfOwner(ownerId, from, to, eventTypeId, duration);
      return { slots, key: keyOf(slots) };
    } catch (error) {
      if (!(error instanceof DomainError)) this.options.logger.error({ err: error }, 'live updates: could not recompute free slots');
      return { error };
    }
  }

  private leave(group: Group, subscriber: LiveSubscriber): void {
    if (!group.subscribers.delete(subscriber)) return;
    this.subscriberCount--;
    if (group.subscribers.size > 0) return;
    this.groups.delete(group.key);
    const ofOwner = this.groupsByOwner.get(group.args.ownerId);
    ofOwner?.delete(group);
    if (ofOwner?.size === 0) this.groupsByOwner.delete(group.args.ownerId);
    group.unwatch();
  }

  /** Ends every subscription, waits for running recomputations and closes the feed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.groups.values()].map((g) => g.running);
    for (const group of [...this.groups.values()]) for (const subscriber of [...group.subscribers]) void subscriber.return();
    await Promise.all(running);
    await this.feed.close();
  }
}

/**
 * One subscription's stream of lists. It holds at most one list not yet taken: a newer list
 * replaces it, since a client only needs the latest, so a slow reader costs one list, not a
 * queue of them.
 */
class LiveSubscriber implements AsyncIterableIterator<Slot[]> {
  private pending: Slot[] | null;
  private failure: { error: unknown } | null = null;
  private done = false;
  private waiting: ((result: IteratorResult<Slot[]>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;

  constructor(
    /** The first recomputation of its group whose list it takes. */
    readonly joinedAt: number,
    private lastKey: string,
    first: Slot[],
    private readonly onEnd: () => void,
  ) {
    this.pending = first;
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
