import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { BookingEmailFacts, RenderedEmail } from './email-facts';
import { audienceOf, isCancellation, manageLinkOf } from './email-content';

const PRODID = { company: 'Slotbook', product: 'Slotbook', language: 'EN' };

/**
 * A name as a CN parameter: parameter values cannot hold a double quote (RFC 5545, 3.1; ical-generator
 * writes it backslash-escaped, which parsers read as the end of the value) nor control characters.
 */
export function calendarName(name: string): string {
  return name.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/**
 * The iTIP message (RFC 5546) a booking email carries (docs/api.md, Part 3, 26): REQUEST, or CANCEL
 * with STATUS:CANCELLED, for the same UID as the calendar feeds (Part 2, 17), so the event the
 * recipient's calendar already holds is updated, never doubled. Reminders carry none. A booking
 * already cancelled gets a CANCEL whatever the kind, so a late confirmation cannot bring it back.
 * Times are UTC (DTSTART/DTEND with Z), which needs no VTIMEZONE.
 */
export function bookingInvitation(facts: BookingEmailFacts): RenderedEmail['invitation'] {
  if (facts.kind === 'BOOKING_REMINDER') return null;
  const cancelled = isCancellation(facts);
  const method = cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const { booking, eventTypeTitle: title } = facts;
  const forInvitee = audienceOf(facts.kind) === 'invitee';
  const manageUrl = manageLinkOf(facts);
  const description = forInvitee
    ? [`${title ?? 'Booking'} with ${facts.owner.name}.`, ...(manageUrl ? [`Change or cancel: ${manageUrl}`] : [])]
    : [`Invitee: ${facts.invitee.name} <${facts.invitee.email}>`];

  const calendar = ical({ prodId: PRODID, method });
  calendar.createEvent({
    id: `${booking.id}@slotbook`,
    sequence: booking.sequence,
    stamp: facts.recordedAt ?? booking.startsAt,
    start: booking.startsAt,
    end: booking.endsAt,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    // The invitee sees whom they meet; the owner sees the same summary as in their feed.
    summary: forInvitee ? `${title ?? 'Booking'} with ${facts.owner.name}` : title ? `${title}: ${facts.invitee.name}` : facts.invitee.name,
    description: description.join('\n'),
    url: manageUrl,
    organizer: { name: calendarName(facts.organizer.name), email: facts.organizer.email },
    // RSVP false: Slotbook reads no replies; the booking itself is the acceptance.
    attendees: [{ name: calendarName(facts.invitee.name), email: facts.invitee.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION, rsvp: false }],
  });
  // RFC 5545 ends every content line in CRLF, the last one included; ical-generator omits that one.
  const ics = calendar.toString().replace(/(?<!\r\n)$/, '\r\n');
  return { method, ics };
}
