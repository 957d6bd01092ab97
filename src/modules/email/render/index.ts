/**
 * TEMPORARY STAND-IN, to be replaced by helper "render"'s src/modules/email/render/ (same
 * signatures) when the lead merges: plain subject, text, escaped HTML and an iTIP invitation
 * (ical-generator), just enough for the outbox and its tests.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { SendMailOptions } from 'nodemailer';
import { tz } from '@date-fns/tz';
import { format } from 'date-fns';

export type EmailKind = 'BOOKING_CONFIRMED' | 'BOOKING_RESCHEDULED' | 'BOOKING_CANCELLED' | 'BOOKING_REMINDER' | 'OWNER_NEW_BOOKING' | 'OWNER_BOOKING_CANCELLED' | 'OWNER_BOOKING_RESCHEDULED' | 'PASSWORD_RESET';
export interface BookingEmailFacts {
  kind: Exclude<EmailKind, 'PASSWORD_RESET'>;
  recipient: { name: string; email: string; timeZone: string };
  owner: { name: string };
  organizer: { name: string; email: string };
  invitee: { name: string; email: string };
  eventTypeTitle: string | null;
  booking: { id: string; startsAt: Date; endsAt: Date; sequence: number; cancelled: boolean; previousStartsAt: Date | null };
  manageUrl: string | null;
  reminderMinutes: number | null;
}
export interface PasswordResetFacts { kind: 'PASSWORD_RESET'; recipient: { name: string; email: string }; resetUrl: string }
export interface RenderedEmail { subject: string; text: string; html: string; invitation: { method: 'REQUEST' | 'CANCEL'; ics: string } | null }

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const at = (d: Date, zone: string) => `${format(d, 'yyyy-MM-dd HH:mm', { in: tz(zone) })} (${zone})`;

export async function renderEmail(facts: BookingEmailFacts | PasswordResetFacts): Promise<RenderedEmail> {
  if (facts.kind === 'PASSWORD_RESET') return { subject: 'Reset your password', text: facts.resetUrl, html: `<p><a href="${escape(facts.resetUrl)}">Reset</a></p>`, invitation: null };
  const what = facts.eventTypeTitle ?? 'Booking';
  const subject = `${facts.kind.replace(/_/g, ' ').toLowerCase()}: ${what} with ${facts.owner.name}`;
  const lines = [subject, `${at(facts.booking.startsAt, facts.recipient.timeZone)} to ${at(facts.booking.endsAt, facts.recipient.timeZone)}`, ...(facts.manageUrl ? [`Manage: ${facts.manageUrl}`] : [])];
  const html = `<p>${lines.map(escape).join('</p><p>')}</p>`;
  if (facts.kind === 'BOOKING_REMINDER') return { subject, text: lines.join('\n'), html, invitation: null };
  const method = facts.booking.cancelled ? 'CANCEL' : 'REQUEST';
  const calendar = ical({ prodId: '//Slotbook//Slotbook//EN', method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST });
  calendar.createEvent({
    id: `${facts.booking.id}@slotbook`,
    start: facts.booking.startsAt,
    end: facts.booking.endsAt,
    sequence: facts.booking.sequence,
    status: facts.booking.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: `${what}: ${facts.owner.name}`,
    organizer: { name: facts.organizer.name, email: facts.organizer.email },
    attendees: [{ name: facts.invitee.name, email: facts.invitee.email }],
  });
  return { subject, text: lines.join('\n'), html, invitation: { method, ics: calendar.toString() } };
}

export function toMailOptions(rendered: RenderedEmail, envelope: { from: string; to: string; messageId: string }): SendMailOptions {
  const { invitation } = rendered;
  return {
    ...envelope,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    ...(invitation
      ? { icalEvent: { method: invitation.method, content: invitation.ics }, attachments: [{ filename: 'invite.ics', content: invitation.ics, contentType: `text/calendar; method=${invitation.method}` }] }
      : {}),
  };
}
