/**
 * The email store: the email table, and what rendering an email needs (its booking, owner, event
 * type and manage link). Booking emails are written by the booking triggers (Migration20261207041000);
 * a password reset's here, in the transaction of the account store that makes the reset token; the outbox (src/modules/outbox/outbox.store.ts) claims and records them.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { BookingCursor } from '../../shared/pagination';
import type { StoreDeps } from '../stores';
import type { OutboxTable } from '../outbox/outbox.store';
import { Booking } from '../booking/booking.entity';
import { Owner } from '../owner/owner.entity';
import { Email, EmailKind, EmailStatus, PasswordResetEmailLink } from './email.entity';

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
  /** Null for a PASSWORD_RESET, which belongs to no calendar. */
  owner: Owner | null;
  booking: Booking | null;
  /** A PASSWORD_RESET's token, until the email settles; null otherwise. */
  resetToken?: string | null;
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

  /**
   * Adds a PASSWORD_RESET email to `tx`'s unit of work (docs/api.md, Part 3, 32): the caller's
   * transaction writes it with the reset token, or neither. Due at once.
   */
  addPasswordReset(tx: EntityManager, reset: { to: string; toName: string; token: string; now: Date }): void {
    const email = tx.create(Email, {
      id: randomBytes(16).toString('hex'),
      owner: null,
      kind: EmailKind.PASSWORD_RESET,
      to: reset.to,
      toName: reset.toName,
      timeZone: 'UTC',
      dueAt: reset.now,
      createdAt: reset.now,
    });
    tx.create(PasswordResetEmailLink, { email, token: reset.token });
  }

  /** The reset token is needed no more once its email settled: only the token's hash stays (password_reset). */
  async forgetResetToken(emailId: string): Promise<void> {
    await this.deps.em().nativeDelete(PasswordResetEmailLink, { email: emailId });
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
    const ownerIds = [...new Set(emails.flatMap((e) => (e.owner ? [e.owner.id] : [])))];
    const resetIds = emails.flatMap((e) => (e.kind === EmailKind.PASSWORD_RESET ? [e.id] : []));
    const [owners, bookings, links, resetLinks] = await Promise.all([
      ownerIds.length ? em.find(Owner, { id: { $in: ownerIds } }) : Promise.resolve([]),
      bookingIds.length ? em.find(Booking, { id: { $in: bookingIds } }, { populate: ['eventType'] }) : Promise.resolve([]),
      bookingIds.length
        ? em.getConnection().execute<Array<{ booking_id: string; manage_token: string }>>(
            `select booking_id, manage_token from booking_email_link where booking_id in (${bookingIds.map(() => '?').join(', ')})`,
            bookingIds,
            'all',
          )
        : Promise.resolve([]),
      resetIds.length ? em.find(PasswordResetEmailLink, { email: { $in: resetIds } }) : Promise.resolve([]),
    ]);
    const ownerById = new Map(owners.map((o) => [o.id, o]));
    const bookingById = new Map(bookings.map((b) => [b.id, b]));
    const tokenOf = new Map(links.map((l) => [l.booking_id, l.manage_token]));
    const resetTokenOf = new Map(resetLinks.map((l) => [l.email.id, l.token]));
    return emails.flatMap((email): EmailWithContext[] => {
      if (!email.owner) return [{ email, owner: null, booking: null, manageToken: null, resetToken: resetTokenOf.get(email.id) ?? null }];
      const owner = ownerById.get(email.owner.id);
      if (!owner) return [];
      const booking = email.bookingId ? (bookingById.get(email.bookingId) ?? null) : null;
      return [{ email, owner, booking, manageToken: email.bookingId ? (tokenOf.get(email.bookingId) ?? null) : null }];
    });
  }
}
