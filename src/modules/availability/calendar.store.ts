import type { StoreDeps } from '../stores';

/** Availability: windows, exceptions, and the calendar the slot engine reads (windows plus busy time) in one statement. */
export class CalendarStore {
  constructor(private readonly deps: StoreDeps) {
    void this.deps;
  }
}
