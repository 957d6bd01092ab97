/**
 * The one iCalendar event of a booking that leaves Slotbook as an object of its own: the email
 * invitation (docs/api.md, Part 3, 26) and the event written back into the owner's CalDAV
 * calendar (Part 3, 31). `UID:<booking id>@slotbook` as in the feeds (Part 2, 17), so every copy
 * is one event to a calendar app and the sync recognises its own (ics-expand.ts); SEQUENCE is
 * the reschedule count; times are UTC (DTSTART/DTEND with Z), which needs no VTIMEZONE.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalEventStatus, type ICalCalendarMethod } from 'ical-generator';

const PRODID = { company: 'Slotbook', product: 'Slotbook', language: 'EN' };

/**
 * A name as a CN parameter: parameter values cannot hold a double quote (RFC 5545, 3.1; ical-generator
 * writes it backslash-escaped, which parsers read as the end of the value) nor control characters.
 */
export function calendarName(name: string): string {
  return name.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

export interface BookingEvent {
  booking: { id: string; startsAt: Date; endsAt: Date; sequence: number; cancelled: boolean };
  /** DTSTAMP: when this version of the event was recorded. */
  stamp: Date;
  summary: string;
  description: string;
  url?: string | null;
  /**
   * ORGANIZER and ATTENDEE: an invitation's only. An event stored on a CalDAV server with
   * attendees may be scheduled by that server (RFC 6638), which would mail the invitee a second
   * invitation; the written-back event carries neither.
   */
  participants?: { organizer: { name: string; email: string }; invitee: { name: string; email: string } };
}

/** The booking's event as a VCALENDAR: with `method` an iTIP message (RFC 5546), without one a calendar object (RFC 4791, 4.1). */
export function bookingEventIcs(event: BookingEvent, method: ICalCalendarMethod | null): string {
  const { booking, participants } = event;
  const calendar = ical({ prodId: PRODID, ...(method ? { method } : {}) });
  calendar.createEvent({
    id: `${booking.id}@slotbook`,
    sequence: booking.sequence,
    stamp: event.stamp,
    start: booking.startsAt,
    end: booking.endsAt,
    status: booking.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: event.summary,
    description: event.description,
    url: event.url ?? null,
    ...(participants
      ? {
          organizer: { name: calendarName(participants.organizer.name), email: participants.organizer.email },
          // RSVP false: Slotbook reads no replies; the booking itself is the acceptance.
          attendees: [{ name: calendarName(participants.invitee.name), email: participants.invitee.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION, rsvp: false }],
        }
      : {}),
  });
  // RFC 5545 ends every content line in CRLF, the last one included; ical-generator omits that one.
  return calendar.toString().replace(/(?<!\r\n)$/, '\r\n');
}

/** The owner's view of a booking: the event type's title and who booked (as in the owner's feed). */
export function ownerEventSummary(title: string | null | undefined, inviteeName: string): string {
  return title ? `${title}: ${inviteeName}` : inviteeName;
}
