/** Owners being watched, with how many watches each has open and the version last seen of it. */
export class WatchedOwners {
  private readonly owners = new Map<string, { watches: number; version: number | null }>();

  get size(): number {
    return this.owners.size;
  }

  ids(): string[] {
    return [...this.owners.keys()];
  }

  /** Owners whose version has not been read since they started being watched. */
  unread(): string[] {
    return [...this.owners].filter(([, w]) => w.version === null).map(([id]) => id);
  }

  add(ownerId: string): () => void {
    const entry = this.owners.get(ownerId);
    if (entry) entry.watches++;
    else this.owners.set(ownerId, { watches: 1, version: null });
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const w = this.owners.get(ownerId);
      if (w && --w.watches === 0) this.owners.delete(ownerId);
    };
  }

  has(ownerId: string): boolean {
    return this.owners.has(ownerId);
  }

  /**
   * Records the version read of a watched owner; true when it differs from the last one seen,
   * including the first read after the watch started (a change may have slipped in between the
   * watcher's own read and this one).
   */
  saw(ownerId: string, version: number): boolean {
    const w = this.owners.get(ownerId);
    if (!w || w.version === version) return false;
    w.version = version;
    return true;
  }
}
