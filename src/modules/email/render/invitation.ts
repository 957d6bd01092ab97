import { ICalCalendarMethod } from 'ical-generator';
import type { BookingEmailFacts, RenderedEmail } from './email-facts';
import { audienceOf, isCancellation, manageLinkOf } from './email-content';
import { bookingEventIcs, ownerEventSummary } from '../../booking/booking-event';

/**
 * The iTIP message (RFC 5546) a booking email carries (docs/api.md, Part 3, 26): REQUEST, or CANCEL
 * with STATUS:CANCELLED, of the booking's one event (booking-event.ts, also written back to the
 * owner's CalDAV calendar), so the event the recipient's calendar already holds is updated, never
 * doubled. Reminders carry none. A booking already cancelled gets a CANCEL whatever the kind, so a
 * late confirmation cannot bring it back.
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
  const ics = bookingEventIcs(
    {
      booking: { ...booking, cancelled },
      stamp: facts.recordedAt ?? booking.startsAt,
      // The invitee sees whom they meet; the owner sees the same summary as in their feed.
      summary: forInvitee ? `${title ?? 'Booking'} with ${facts.owner.name}` : ownerEventSummary(title, facts.invitee.name),
      description: description.join('\n'),
      url: manageUrl,
      participants: { organizer: facts.organizer, invitee: facts.invitee },
    },
    method,
  );
  return { method, ics };
}
