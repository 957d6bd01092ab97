import type { StoreDeps } from '../stores';
import { Booking } from '../booking/booking.entity';
import { CalendarFeedSecret } from './calendar-feed.entity';

/** Calendar feeds: the owners' feed secrets (hashed) and the bookings a feed lists. */
export class CalendarFeedStore {
  constructor(private readonly deps: StoreDeps) {}

  /** Sets the owner's feed secret hash, replacing the previous one in one statement. */
  async replaceSecret(ownerId: string, secretHash: string, createdAt: Date): Promise<void> {
    await this.deps.em().upsert(CalendarFeedSecret, { owner: ownerId, secretHash, createdAt });
  }

  /** The id and name of the owner whose feed secret hashes to `secretHash`, or null. */
  async ownerOfSecret(secretHash: string): Promise<{ id: string; name: string } | null> {
    const feed = await this.deps.em().findOne(CalendarFeedSecret, { secretHash }, { populate: ['owner'] });
    return feed ? { id: feed.owner.id, name: feed.owner.name } : null;
  }

  /** The owner's bookings, whatever their status, that end after `endsAfter`, by start, with their event types. */
  bookingsEndingAfter(ownerId: string, endsAfter: Date): Promise<Booking[]> {
    return this.deps.em().find(Booking, { owner: ownerId, endsAt: { $gt: endsAfter } }, { populate: ['eventType'], orderBy: { startsAt: 'asc', id: 'asc' } });
  }

  /** Deletes the owner's feed secret, if any: its URL stops working. */
  async deleteSecret(ownerId: string): Promise<void> {
    await this.deps.em().nativeDelete(CalendarFeedSecret, { owner: ownerId });
  }

  /** A booking with its event type and owner, or null. */
  bookingWithEventType(id: string): Promise<Booking | null> {
    return this.deps.em().findOne(Booking, { id }, { populate: ['eventType', 'owner'] });
  }
}
