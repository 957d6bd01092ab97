/**
 * The email store: the email table, and what rendering an email needs (its booking, owner, event
 * type and manage link). Emails are written by the booking triggers (Migration20261207041000),
 * never here; the outbox (src/modules/outbox/outbox.store.ts) claims and records them.
 */
import type { BookingCursor } from '../../shared/pagination';
import type { StoreDeps } from '../stores';
import type { OutboxTable } from '../outbox/outbox.store';
import { Booking } from '../booking/booking.entity';
import { Owner } from '../owner/owner.entity';
import { Email, EmailStatus } from './email.entity';

/** Emails in the outbox's terms: due at due_at, counted against their owner's fair share. */
export const EMAILS: OutboxTable = {
  table: 'email',
  dueColumn: 'due_at',
  join: '',
  partitionKey: 't.owner_id',
  scanColumn: 'owner_id',
  eligible: null,
  doneAtColumn: 'sent_at',
  clearsDueWhenSettled: false,
};

/** An email with what its content is rendered from. */
export interface EmailWithContext {
  email: Email;
  owner: Owner;
  booking: Booking | null;
  /** The manage token its invitee links carry; null when the booking has none kept (booking_email_link). */
  manageToken: string | null;
}

export class EmailStore {
  constructor(private readonly deps: StoreDeps) {}

  /** The emails the outbox's claim `claim` took, with their context. */
  async claimed(claim: string): Promise<EmailWithContext[]> {
    return this.withContext(await this.deps.em().find(Email, { claimedBy: claim }));
  }

  /** Up to `first` of the owner's emails after `after`, newest first, and whether more follow. */
  async page(ownerId: string, after: BookingCursor | null, first: number): Promise<{ emails: Email[]; hasMore: boolean }> {
    const rows = await this.deps.em().find(
      Email,
      {
        owner: ownerId,
        ...(after ? { $or: [{ createdAt: { $lt: new Date(after.startsAt) } }, { createdAt: new Date(after.startsAt), id: { $lt: after.id } }] } : {}),
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 },
    );
    return { emails: rows.slice(0, first), hasMore: rows.length > first };
  }

  async contextOf(email: Email): Promise<EmailWithContext | null> {
    return (await this.withContext([email]))[0] ?? null;
  }

  /** Removes settled emails created before `before`; returns how many. */
  async purgeSettledBefore(before: Date): Promise<number> {
    return this.deps.em().nativeDelete(Email, { createdAt: { $lt: before }, status: { $ne: EmailStatus.PENDING } });
  }

  private async withContext(emails: Email[]): Promise<EmailWithContext[]> {
    if (emails.length === 0) return [];
    const em = this.deps.em();
    const bookingIds = [...new Set(emails.flatMap((e) => (e.bookingId ? [e.bookingId] : [])))];
    const [owners, bookings, links] = await Promise.all([
      em.find(Owner, { id: { $in: [...new Set(emails.map((e) => e.owner.id))] } }),
      bookingIds.length ? em.find(Booking, { id: { $in: bookingIds } }, { populate: ['eventType'] }) : Promise.resolve([]),
      bookingIds.length
        ? em.getConnection().execute<Array<{ booking_id: string; manage_token: string }>>(
            `select booking_id, manage_token from booking_email_link where booking_id in (${bookingIds.map(() => '?').join(', ')})`,
            bookingIds,
            'all',
          )
        : Promise.resolve([]),
    ]);
    const ownerById = new Map(owners.map((o) => [o.id, o]));
    const bookingById = new Map(bookings.map((b) => [b.id, b]));
    const tokenOf = new Map(links.map((l) => [l.booking_id, l.manage_token]));
    return emails.flatMap((email) => {
      const owner = ownerById.get(email.owner.id);
      if (!owner) return [];
      const booking = email.bookingId ? (bookingById.get(email.bookingId) ?? null) : null;
      return [{ email, owner, booking, manageToken: email.bookingId ? (tokenOf.get(email.bookingId) ?? null) : null }];
    });
  }
}
