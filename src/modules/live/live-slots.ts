import type { RequestContext } from '../context';
import { DomainError, ErrorCode } from '../../shared/errors';
import { MAX_RANGE_DAYS } from '../../shared/grid';
import type { OwnerChangeFeed, OwnerChanged } from './change-feed';
import { SlotService } from '../slot/slot.service';
import type { Slot } from '../slot/slot.type';
import { LiveSubscriber, keyOf, type Computed } from './live-subscriber';

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
  /** The client address the socket came from (TRUST_PROXY applied). */
  clientAddress?: string;
}

/** The ceilings LiveSlots enforces (SUBSCRIPTIONS_PER_PROCESS, SUBSCRIPTIONS_PER_ADDRESS, SUBSCRIPTION_RANGES_PER_OWNER). */
export interface LiveSlotsLimits {
  maxPerProcess: number;
  maxPerAddress: number;
  maxRangesPerOwner: number;
}

export interface LiveSlotsOptions {
  /** Opens the change feed that calls `onChange` (change-feed.ts). */
  openFeed(onChange: OwnerChanged): Promise<OwnerChangeFeed>;
  /** A context of its own for each recomputation: fresh loaders, the app clock, the full free-slot budget. */
  newContext(): RequestContext;
  limits: LiveSlotsLimits;
  /** The key a client address is counted under (an IPv6 /64 as one: client-address.ts clientKey). */
  addressKey(clientAddress: string): string;
  /**
   * Charges query cost to a client address (the per-address budget of HTTP requests), answering
   * the refusal past the budget; null when rate limits are off.
   */
  chargeCost: ((clientAddress: string, points: number) => Promise<Error | null>) | null;
  logger: { error(obj: unknown, msg?: string): void };
}

const DAY_MS = 86_400_000;

/** The subscribers of one owner and arguments: one recomputation serves them all. */
class Group {
  readonly subscribers = new Set<LiveSubscriber>();
  /** Recomputations started so far; a subscriber takes only those started after it joined. */
  started = 0;
  /** The key of the last list computed, shared by every subscriber holding an equal one (a key is a few KiB). */
  lastKey = '';
  running: Promise<void> | null = null;
  rerun = false;
  /** Whether the next recomputation follows a change, and so is charged to its subscribers. */
  charged = false;
  /** What a recomputation costs each subscriber, as Query.freeSlots with these arguments costs a request: 1 plus its days. */
  readonly cost: number;

  constructor(
    readonly key: string,
    readonly args: FreeSlotsArgs,
    /** The calendars whose changes it follows: the owner, or every member of a team's event type. */
    readonly calendars: readonly string[],
    readonly unwatch: () => void,
  ) {
    this.cost = 1 + Math.min(MAX_RANGE_DAYS, Math.max(1, Math.ceil((args.to.getTime() - args.from.getTime()) / DAY_MS)));
  }
}

/**
 * Live free slots (freeSlotsChanged): subscribers grouped by owner and arguments, each group
 * recomputed once when the change feed reports its owner (or, for a team's event type, any of the
 * team's members), through the same SlotService as
 * Query.freeSlots (so its cache, rules and budget), and each subscriber sent the new list only
 * when it differs from the last one it was sent.
 *
 * What one client or one owner can make it do is bounded: a client address holds at most
 * `maxPerAddress` subscriptions; an owner's subscriptions follow at most `maxRangesPerOwner`
 * distinct argument sets, so a change of the owner costs at most that many computations (each of
 * at most 366 days) however many subscriptions are open; and every recomputation is charged to
 * each subscriber's address as the same freeSlots over HTTP would be (1 plus its days, once per
 * address and group): a subscription whose address is out of budget ends with RATE_LIMITED
 * before anything is computed for it.
 */
export class LiveSlots {
  private readonly groups = new Map<string, Group>();
  /** Groups by the owner their arguments name: what SUBSCRIPTION_RANGES_PER_OWNER counts. */
  private readonly groupsByOwner = new Map<string, Set<Group>>();
  /** Groups by each calendar they follow: what a change of that calendar recomputes. */
  private readonly groupsByCalendar = new Map<string, Set<Group>>();
  private readonly subscribersByAddress = new Map<string, number>();
  private feed!: OwnerChangeFeed;
  private subscriberCount = 0;
  private closed = false;

  private constructor(private readonly options: LiveSlotsOptions) {}

  static async open(options: LiveSlotsOptions): Promise<LiveSlots> {
    const live = new LiveSlots(options);
    live.feed = await options.openFeed((calendarId) => live.calendarChanged(calendarId));
    return live;
  }

  /** Subscriptions open now in this process. */
  get size(): number {
    return this.subscriberCount;
  }

  /**
   * The free slots `args` ask for now, then every new list. Refuses as Query.freeSlots does
   * (BAD_USER_INPUT naming the field, NOT_FOUND) before anything is sent, and RATE_LIMITED past
   * the process's, the address's or the owner's most subscriptions.
   */
  async subscribe(args: FreeSlotsArgs, ctx: RequestContext & LiveSlotsContext): Promise<AsyncIterableIterator<Slot[]>> {
    const { limits } = this.options;
    if (this.closed) throw new DomainError(ErrorCode.RateLimited, 'the server is shutting down; subscribe again on another');
    if (this.subscriberCount >= limits.maxPerProcess) {
      throw new DomainError(ErrorCode.RateLimited, 'this server serves as many live subscriptions as it may (SUBSCRIPTIONS_PER_PROCESS); try again later');
    }
    const address = this.options.addressKey(ctx.clientAddress ?? 'unknown');
    const ofAddress = this.subscribersByAddress.get(address) ?? 0;
    if (ofAddress >= limits.maxPerAddress) {
      throw new DomainError(ErrorCode.RateLimited, `at most ${limits.maxPerAddress} live subscriptions per client address (SUBSCRIPTIONS_PER_ADDRESS); complete one first`);
    }
    const { ownerId, from, to, eventTypeId, duration } = args;
    const key = [ownerId, from.getTime(), to.getTime(), eventTypeId ?? '', duration ?? ''].join('\u0000');
    this.refuseNewRange(key, ownerId);
    this.subscriberCount++;
    this.subscribersByAddress.set(address, ofAddress + 1);
    let joined = false;
    try {
      // A context of its own, dropped once the list is read: the subscription's context lives as
      // long as the subscription, and what a read loads would stay in it.
      const service = new SlotService(this.options.newContext());
      const slots = await service.freeSlotsOfOwner(ownerId, from, to, eventTypeId, duration);
      const calendars = await service.calendarsBehind(ownerId, eventTypeId, duration);
      if (this.closed) throw new DomainError(ErrorCode.RateLimited, 'the server is shutting down; subscribe again on another');
      let group = this.groups.get(key);
      if (!group) {
        this.refuseNewRange(key, ownerId);
        const unwatch = calendars.map((id) => this.feed.watch(id));
        group = new Group(key, { ownerId, from, to, eventTypeId, duration }, calendars, () => unwatch.forEach((stop) => stop()));
        this.groups.set(key, group);
        for (const id of calendars) {
          let followers = this.groupsByCalendar.get(id);
          if (!followers) this.groupsByCalendar.set(id, (followers = new Set()));
          followers.add(group);
        }
        let ofOwner = this.groupsByOwner.get(ownerId);
        if (!ofOwner) this.groupsByOwner.set(ownerId, (ofOwner = new Set()));
        ofOwner.add(group);
      }
      const ownKey = keyOf(slots);
      const subscriber = new LiveSubscriber(group.started + 1, ownKey === group.lastKey ? group.lastKey : ownKey, slots, address, () => this.leave(group, subscriber));
      group.subscribers.add(subscriber);
      joined = true;
      // A change committed between the read above and the watch would otherwise go unseen.
      this.recompute(group, false);
      return subscriber;
    } finally {
      if (!joined) this.forget(address);
    }
  }

  /** Refuses a subscription that would make its owner's subscriptions follow one argument set too many. */
  private refuseNewRange(key: string, ownerId: string): void {
    if (this.groups.has(key) || (this.groupsByOwner.get(ownerId)?.size ?? 0) < this.options.limits.maxRangesPerOwner) return;
    throw new DomainError(
      ErrorCode.RateLimited,
      `this owner's live subscriptions follow ${this.options.limits.maxRangesPerOwner} distinct ranges already, each recomputed on every change (SUBSCRIPTION_RANGES_PER_OWNER); subscribe to one of those or try again later`,
    );
  }

  private forget(address: string): void {
    this.subscriberCount--;
    const left = (this.subscribersByAddress.get(address) ?? 1) - 1;
    if (left > 0) this.subscribersByAddress.set(address, left);
    else this.subscribersByAddress.delete(address);
  }

  private calendarChanged(calendarId: string): void {
    for (const group of this.groupsByCalendar.get(calendarId) ?? []) this.recompute(group, true);
  }

  /**
   * Recomputes the group's list, or once more after the running recomputation when one runs.
   * `charged`: it follows a change, so each subscriber's address pays for it first.
   */
  private recompute(group: Group, charged: boolean): void {
    group.charged ||= charged;
    if (group.running) {
      group.rerun = true;
      return;
    }
    group.running = (async () => {
      do {
        group.rerun = false;
        if (group.charged) {
          group.charged = false;
          await this.chargeSubscribers(group);
          if (group.subscribers.size === 0) break;
        }
        const started = ++group.started;
        const computed = await this.compute(group.args);
        if ('key' in computed) group.lastKey = computed.key === group.lastKey ? group.lastKey : computed.key;
        for (const subscriber of [...group.subscribers]) if (started >= subscriber.joinedAt) subscriber.offer(computed);
      } while (group.rerun && group.subscribers.size > 0 && !this.closed);
    })().finally(() => {
      group.running = null;
    });
  }

  /**
   * Charges a recomputation to each address with subscribers in the group, once per address (one
   * computation serves all of them: an office behind one address with fifty pages on one range
   * pays once); an address out of budget has its subscriptions in the group end with RATE_LIMITED.
   */
  private async chargeSubscribers(group: Group): Promise<void> {
    const charge = this.options.chargeCost;
    if (!charge) return;
    const byAddress = new Map<string, LiveSubscriber[]>();
    for (const subscriber of group.subscribers) byAddress.set(subscriber.address, [...(byAddress.get(subscriber.address) ?? []), subscriber]);
    // A subscriber's first recomputation is in its subscribe's price: the change feed reports a
    // newly watched owner once when it first reads its version (SQLite's poll), change or not.
    const payers = [...byAddress].filter(([, subscribers]) => !subscribers.map((s) => s.takeFreeRecomputation()).every(Boolean));
    const refusals = await Promise.all(payers.map(([address]) => charge(address, group.cost).catch((err: unknown) => err as Error)));
    refusals.forEach((refusal, i) => {
      if (!refusal) return;
      for (const subscriber of payers[i]![1]) subscriber.offer({ error: new DomainError(ErrorCode.RateLimited, refusal.message) });
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
    this.forget(subscriber.address);
    if (group.subscribers.size > 0) return;
    this.groups.delete(group.key);
    const ofOwner = this.groupsByOwner.get(group.args.ownerId);
    ofOwner?.delete(group);
    if (ofOwner?.size === 0) this.groupsByOwner.delete(group.args.ownerId);
    for (const id of group.calendars) {
      const followers = this.groupsByCalendar.get(id);
      followers?.delete(group);
      if (followers?.size === 0) this.groupsByCalendar.delete(id);
    }
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
