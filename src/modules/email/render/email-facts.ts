/**
 * What an email is about, as the outbox hands it to the renderer (docs/api.md, Part 3, 25-27).
 * Plain data: the renderer reads no clock, no environment and no database.
 */

export type EmailKind =
  | 'BOOKING_CONFIRMED'
  | 'BOOKING_RESCHEDULED'
  | 'BOOKING_CANCELLED'
  | 'BOOKING_REMINDER'
  | 'OWNER_NEW_BOOKING'
  | 'OWNER_BOOKING_CANCELLED'
  | 'OWNER_BOOKING_RESCHEDULED'
  | 'PASSWORD_RESET';

export type BookingEmailKind = Exclude<EmailKind, 'PASSWORD_RESET'>;

export interface BookingEmailFacts {
  kind: BookingEmailKind;
  /** Times are shown in this zone, with its IANA id (the invitee's zone, or the owner's for owner notices). */
  recipient: { name: string; email: string; timeZone: string };
  owner: { name: string };
  /** The invitation's ORGANIZER: Owner.email, else MAIL_FROM. */
  organizer: { name: string; email: string };
  invitee: { name: string; email: string };
  eventTypeTitle: string | null;
  /** `sequence` is the invitation's SEQUENCE (docs/api.md, Part 2, 17: how many times it was rescheduled). */
  booking: { id: string; startsAt: Date; endsAt: Date; sequence: number; cancelled: boolean; previousStartsAt: Date | null };
  /** The manage page, for invitee emails about a booking that can still be managed; null otherwise. */
  manageUrl: string | null;
  /** BOOKING_REMINDER only: how long before the start the reminder is due. */
  reminderMinutes: number | null;
  /**
   * When the email was recorded (Email.createdAt): the invitation's DTSTAMP, which calendar apps use
   * to order two messages of equal SEQUENCE (a cancellation after its confirmation). Without it the
   * booking's start stands in, so rendering stays deterministic.
   */
  recordedAt?: Date;
}

export interface PasswordResetFacts {
  kind: 'PASSWORD_RESET';
  recipient: { name: string; email: string };
  resetUrl: string;
}

export type EmailFacts = BookingEmailFacts | PasswordResetFacts;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** The iTIP message (RFC 5546) as iCalendar text; null for reminders and password resets. */
  invitation: { method: 'REQUEST' | 'CANCEL'; ics: string } | null;
}
