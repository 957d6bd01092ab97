/** Moved to owner.store.ts; this re-export lasts until booking.service.ts imports it from there. */
export type { OwnerHead } from './owner.store';
