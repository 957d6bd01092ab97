import type { StoreDeps } from '../stores';

/** Owners: the owner rows, their tokens and the head (zone, slot length, data version) free slots depend on. */
export class OwnerStore {
  constructor(private readonly deps: StoreDeps) {
    void this.deps;
  }
}
