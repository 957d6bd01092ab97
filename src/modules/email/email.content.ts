/**
 * What an email says, as facts for the renderer (src/modules/email/render): the row's snapshot of
 * the change (time, recipient, zone) with the booking's owner, event type and manage link read
 * when it is rendered, at send time and when the owner reads it.
 */
import { BookingStatus } from '../booking/booking.entity';
import { EmailKind } from './email.entity';
import type { EmailWithContext } from './email.store';
import type { BookingEmailFacts, EmailFacts, PasswordResetFacts } from './render';

/** Where emails come from and link to (SMTP_URL, MAIL_FROM, PUBLIC_URL). */
export interface EmailSettings {
  /** smtp:// or smtps:// with credentials; null: nothing leaves the machine (NOT_SENT). */
  smtpUrl: string | null;
  /** MAIL_FROM as given: `address` or `Name <address>`. */
  mailFrom: string;
  /** The pages' origin in links, without a trailing slash. */
  publicUrl: string;
}

const TO_INVITEE = new Set<EmailKind>([EmailKind.BOOKING_CONFIRMED, EmailKind.BOOKING_RESCHEDULED, EmailKind.BOOKING_CANCELLED, EmailKind.BOOKING_REMINDER]);
const CANCELLATIONS = new Set<EmailKind>([EmailKind.BOOKING_CANCELLED, EmailKind.OWNER_BOOKING_CANCELLED]);

/** MAIL_FROM's name and address. */
export function senderOf(mailFrom: string): { name: string | null; address: string } {
  const named = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(mailFrom);
  return named ? { name: named[1]!.replace(/^"|"$/g, '') || null, address: named[2]!.trim() } : { name: null, address: mailFrom.trim() };
}

/** A Message-ID stable per email (docs/api.md, Part 3, 26): every attempt, and a resend, carries the same. */
export function messageIdOf(emailId: string, mailFrom: string): string {
  const domain = senderOf(mailFrom).address.split('@')[1] ?? 'slotbook';
  return `<${emailId}@${domain}>`;
}

/** `"Name" <address>`, with what would break the header taken out of the name. */
export function mailbox(name: string, address: string): string {
  const safe = name.replace(/["\\\r\n]/g, '').trim();
  return safe ? `"${safe}" <${address}>` : address;
}

/** The renderer's facts of a booking email; null for a row without its booking. */
export function bookingFactsOf({ email, owner, booking, manageToken }: EmailWithContext, settings: EmailSettings): BookingEmailFacts | null {
  if (!booking || !owner || email.kind === EmailKind.PASSWORD_RESET || !email.startsAt || !email.endsAt) return null;
  const sender = senderOf(settings.mailFrom);
  const cancelled = CANCELLATIONS.has(email.kind);
  const manageable = TO_INVITEE.has(email.kind) && !cancelled && booking.status === BookingStatus.CONFIRMED && manageToken !== null;
  return {
    kind: email.kind,
    recipient: { name: email.toName, email: email.to, timeZone: email.timeZone },
    owner: { name: owner.name },
    organizer: owner.email ? { name: owner.name, email: owner.email } : { name: sender.name ?? owner.name, email: sender.address },
    invitee: { name: booking.inviteeName, email: booking.inviteeEmail },
    eventTypeTitle: booking.eventType?.title ?? null,
    booking: { id: booking.id, startsAt: email.startsAt, endsAt: email.endsAt, sequence: email.sequence, cancelled, previousStartsAt: email.previousStartsAt },
    manageUrl: manageable ? `${settings.publicUrl}/manage/${encodeURIComponent(booking.id)}?token=${encodeURIComponent(manageToken)}` : null,
    reminderMinutes: email.kind === EmailKind.BOOKING_REMINDER ? email.reminderMinutes : null,
  };
}

/** Where a password reset link leads: the owner page's reset form, with the token (docs/api.md, Part 3, 32). */
export function passwordResetUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/owner/reset-password?token=${encodeURIComponent(token)}`;
}

/** The renderer's facts of a PASSWORD_RESET; null once its token is gone (the email settled). */
export function passwordResetFactsOf({ email, resetToken }: EmailWithContext, settings: EmailSettings): PasswordResetFacts | null {
  if (email.kind !== EmailKind.PASSWORD_RESET || !resetToken) return null;
  return { kind: 'PASSWORD_RESET', recipient: { name: email.toName, email: email.to }, resetUrl: passwordResetUrl(settings.publicUrl, resetToken) };
}

/** The renderer's facts of any email; null when what it is rendered from is gone. */
export function emailFactsOf(item: EmailWithContext, settings: EmailSettings): EmailFacts | null {
  return item.email.kind === EmailKind.PASSWORD_RESET ? passwordResetFactsOf(item, settings) : bookingFactsOf(item, settings);
}
