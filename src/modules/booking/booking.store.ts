import type { StoreDeps } from '../stores';

/** Bookings: the one home of the no-overlap rule (booking_cell's primary key, booking_no_overlap on PostgreSQL) and every booking statement. */
export class BookingStore {
  constructor(private readonly deps: StoreDeps) {
    void this.deps;
  }
}
