import { TZDate } from '@date-fns/tz';
// One function per module: the date-fns index loads all of date-fns (about 0.3 s at start-up).
import { format } from 'date-fns/format';
import { formatDuration } from 'date-fns/formatDuration';
import { isValidTimeZone } from '../../../scheduling/time-zone';
import type { BookingEmailFacts, BookingEmailKind, PasswordResetFacts } from './email-facts';

/**
 * What an email says, before any markup: one shape for every kind, so the HTML and text of all
 * of them come from one template (docs/api.md, Part 3, 26). Values are plain strings; escaping is
 * the template's job.
 */
export interface EmailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  details: { label: string; value: string }[];
  link: { label: string; url: string } | null;
  footnote: string | null;
}

interface KindWording {
  audience: 'invitee' | 'owner';
  /** Starts the subject: "Confirmed: …", "New booking: …". */
  label: string;
  heading: string;
  /** The first paragraph, after the greeting. */
  news(names: { owner: string; invitee: string }): string;
}

const WORDING: Record<BookingEmailKind, KindWording> = {
  BOOKING_CONFIRMED: { audience: 'invitee', label: 'Confirmed', heading: 'Your booking is confirmed', news: (n) => `your booking with ${n.owner} is confirmed.` },
  BOOKING_RESCHEDULED: { audience: 'invitee', label: 'Rescheduled', heading: 'Your booking has a new time', news: (n) => `your booking with ${n.owner} has moved to a new time.` },
  BOOKING_CANCELLED: { audience: 'invitee', label: 'Cancelled', heading: 'Your booking is cancelled', news: (n) => `your booking with ${n.owner} is cancelled.` },
  BOOKING_REMINDER: { audience: 'invitee', label: 'Reminder', heading: 'A reminder of your booking', news: (n) => `a reminder of your booking with ${n.owner}.` },
  OWNER_NEW_BOOKING: { audience: 'owner', label: 'New booking', heading: 'New booking', news: (n) => `${n.invitee} booked a time with you.` },
  OWNER_BOOKING_RESCHEDULED: { audience: 'owner', label: 'Rescheduled booking', heading: 'A booking has a new time', news: (n) => `the booking of ${n.invitee} has moved to a new time.` },
  OWNER_BOOKING_CANCELLED: { audience: 'owner', label: 'Cancelled booking', heading: 'A booking is cancelled', news: (n) => `the booking of ${n.invitee} is cancelled.` },
};

/** A cancellation email, or any email about a booking cancelled since it was recorded. */
export function isCancellation(facts: BookingEmailFacts): boolean {
  return facts.kind === 'BOOKING_CANCELLED' || facts.kind === 'OWNER_BOOKING_CANCELLED' || facts.booking.cancelled;
}

export function audienceOf(kind: BookingEmailKind): 'invitee' | 'owner' {
  return WORDING[kind].audience;
}

/** The manage link goes only to the invitee, about a booking that can still be managed (docs/api.md, Part 3, 26). */
export function manageLinkOf(facts: BookingEmailFacts): string | null {
  return audienceOf(facts.kind) === 'invitee' && !isCancellation(facts) ? facts.manageUrl : null;
}

const DAY_AND_TIME = 'EEE d MMM yyyy, HH:mm';

/** A zone the runtime does not know (never stored, but rendering must not fail on it) shows UTC. */
function displayZone(zone: string): string {
  return isValidTimeZone(zone) ? zone : 'UTC';
}

/** "Mon 15 Mar 2032, 09:00 (America/New_York)". */
export function formatStart(instant: Date, zone: string): string {
  return `${format(new TZDate(instant.getTime(), zone), DAY_AND_TIME)} (${zone})`;
}

/** "Mon 15 Mar 2032, 09:00 – 09:30 (America/New_York)"; the end repeats the day when it falls on another one. */
export function formatSpan(start: Date, end: Date, zone: string): string {
  const from = new TZDate(start.getTime(), zone);
  const to = new TZDate(end.getTime(), zone);
  const sameDay = format(from, 'yyyy-MM-dd') === format(to, 'yyyy-MM-dd');
  return `${format(from, DAY_AND_TIME)} – ${format(to, sameDay ? 'HH:mm' : DAY_AND_TIME)} (${zone})`;
}

/** "1 hour", "1 day 2 hours 30 minutes". */
function formatMinutes(total: number): string {
  return formatDuration({ days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 });
}

/** Header lines must stay one line whatever a name holds. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function bookingContent(facts: BookingEmailFacts): EmailContent {
  const wording = WORDING[facts.kind];
  const zone = displayZone(facts.recipient.timeZone);
  const { booking, eventTypeTitle: title } = facts;
  const owner = facts.owner.name;
  const invitee = facts.invitee.name;
  const when = formatStart(booking.startsAt, zone);
  const subject =
    wording.audience === 'invitee'
      ? `${wording.label}: ${title ?? 'booking'} with ${owner} on ${when}`
      : `${wording.label}: ${invitee}${title ? `, ${title}` : ''} on ${when}`;

  const paragraphs = [`Hello ${facts.recipient.name}, ${wording.news({ owner, invitee })}`];
  if (facts.kind === 'BOOKING_REMINDER' && facts.reminderMinutes !== null && facts.reminderMinutes > 0) {
    paragraphs.push(`It starts in ${formatMinutes(facts.reminderMinutes)}.`);
  }

  const details: EmailContent['details'] = [];
  if (title) details.push({ label: 'What', value: title });
  details.push({ label: 'When', value: formatSpan(booking.startsAt, booking.endsAt, zone) });
  if (booking.previousStartsAt && (facts.kind === 'BOOKING_RESCHEDULED' || facts.kind === 'OWNER_BOOKING_RESCHEDULED')) {
    details.push({ label: 'Was', value: formatStart(booking.previousStartsAt, zone) });
  }
  if (wording.audience === 'invitee') details.push({ label: 'With', value: owner });
  else details.push({ label: 'Calendar', value: owner }, { label: 'Invitee', value: `${invitee} <${facts.invitee.email}>` });

  const manageUrl = manageLinkOf(facts);
  const hasInvitation = facts.kind !== 'BOOKING_REMINDER';
  return {
    subject: oneLine(subject),
    heading: wording.heading,
    paragraphs,
    details,
    link: manageUrl ? { label: 'Change or cancel this booking', url: manageUrl } : null,
    footnote: hasInvitation
      ? isCancellation(facts)
        ? 'The attached invitation removes it from your calendar.'
        : 'The attached invitation adds it to your calendar.'
      : null,
  };
}

/** PASSWORD_RESET carries its link and nothing about any calendar (docs/api.md, Part 3, 26 and 32). */
export function passwordResetContent(facts: PasswordResetFacts): EmailContent {
  return {
    subject: 'Reset your Slotbook password',
    heading: 'Reset your password',
    paragraphs: [
      `Hello ${facts.recipient.name}, someone asked to reset the password of the Slotbook account ${facts.recipient.email}.`,
      'To choose a new password, open this link. It works once, within one hour.',
    ],
    details: [],
    link: { label: 'Choose a new password', url: facts.resetUrl },
    footnote: 'If you did not ask for this, ignore this email: your password stays as it is.',
  };
}
