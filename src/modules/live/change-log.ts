/**
 * What the HTTP validators ask of the change feed (src/graphql/http-cache.ts): whether any of some
 * owners may have changed since a mark was taken, answered from what the feed has reported,
 * without a read.
 */
export interface OwnerChangeClock {
  /** A mark of everything reported so far; null when the feed is not known to be current (then read the database). */
  mark(): number | null;
  /** True when any of `ownerIds` may have changed since `mark` was taken (always, when unsure). */
  changedSince(mark: number, ownerIds: readonly string[]): boolean;
  /**
   * This process committed a change (a mutation answered): the feed reports it only a moment
   * later (the next SQLite poll, the NOTIFY's arrival), so every mark taken before is void now,
   * and a client that reads after its own write never gets the answer from before it.
   */
  committedHere(): void;
}

/** Owners remembered as changed at most; past it the log forgets them all and voids every mark. */
const MAX_REMEMBERED = 100_000;

/**
 * The feed's log of reported changes: a counter that moves with each, the count at which each
 * owner last changed, and the count before which every mark is void (the feed lost track: a lost
 * connection, a SQLite commit of unknown owners, the log full). `current` says whether the feed
 * is known to be reporting now.
 */
export class ChangeLog implements OwnerChangeClock {
  private count = 0;
  private voidBefore = 0;
  private readonly changedAt = new Map<string, number>();

  constructor(private readonly current: () => boolean) {}

  mark(): number | null {
    return this.current() ? this.count : null;
  }

  changedSince(mark: number, ownerIds: readonly string[]): boolean {
    if (mark < this.voidBefore || !this.current()) return true;
    return ownerIds.some((id) => (this.changedAt.get(id) ?? -1) > mark);
  }

  committedHere(): void {
    this.anyMayHaveChanged();
  }

  /** The feed reported `ownerId`. */
  ownerChanged(ownerId: string): void {
    this.changedAt.delete(ownerId);
    this.changedAt.set(ownerId, ++this.count);
    if (this.changedAt.size > MAX_REMEMBERED) this.anyMayHaveChanged();
  }

  /** Something changed, or may have, and the feed cannot say which owners: every mark so far is void. */
  anyMayHaveChanged(): void {
    this.changedAt.clear();
    this.voidBefore = ++this.count;
  }
}
