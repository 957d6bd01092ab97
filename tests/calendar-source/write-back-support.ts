/*
 * What the write-back tests share: an owner free on DAY with an event type, reading the events
 * Slotbook wrote back into a CalDAV calendar (tsdav's calendar-query, parsed with ical.js), and
 * the calendar_write rows of a booking (docs/api.md, Part 3, 31).
 */
import ICAL from 'ical.js';
import type { TestApp } from '../support/app';
import { pollUntil } from '../support/poll';
import { readCalDavEvents, type CalDavCalendar } from '../../src/modules/calendar-source/caldav-client';
import { AddOneTimeWindowDocument, CreateEventTypeDocument } from '../generated/graphql';

export const DAY = '2030-01-08';
export const at = (hhmm: string): string => `${DAY}T${hhmm}:00Z`;
export const invitee = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** An owner (UTC, 60-minute slots) free on DAY from 09:00 to 17:00, with the event type "Consultation". */
export async function ownerWithDay(t: TestApp) {
  const owner = await t.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: at('09:00'), endsAt: at('17:00') } }, owner.token);
  const eventType = (await t.ok(CreateEventTypeDocument, { input: { slug: 'consultation', title: 'Consultation', durations: [60] } }, owner.token)).createEventType;
  return { ...owner, eventTypeId: eventType.id };
}

export interface WrittenEvent {
  uid: string;
  sequence: number;
  start: string;
  end: string;
  summary: string;
  attendees: number;
  status: string | null;
}

/** Every event in the calendar, as ical.js reads each object. */
export async function eventsIn(calendar: CalDavCalendar): Promise<WrittenEvent[]> {
  const read = await readCalDavEvents(calendar, { start: Date.parse('2029-01-01T00:00:00Z'), end: Date.parse('2031-01-01T00:00:00Z') }, null);
  if (!read.changed) throw new Error('a read without validators always reads');
  return read.objects.flatMap((object) =>
    new ICAL.Component(ICAL.parse(object.data)).getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        sequence: event.sequence,
        start: event.startDate.toJSDate().toISOString(),
        end: event.endDate.toJSDate().toISOString(),
        summary: event.summary,
        attendees: event.attendees.length,
        status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      };
    }),
  );
}

export interface WriteRow {
  action: string;
  status: string;
  attempts: number;
  last_error: string | null;
  sequence: number;
  step: number;
}

/** The booking's calendar_write rows, in order. */
export async function writesOf(t: TestApp, bookingId: string): Promise<WriteRow[]> {
  const rows = await t.app.orm.em.fork().getConnection().execute<WriteRow[]>(
    'select action, status, attempts, last_error, sequence, step from calendar_write where booking_id = ? order by step',
    [bookingId],
    'all',
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts), sequence: Number(r.sequence), step: Number(r.step) }));
}

/** Waits until the booking has `count` writes, none pending; answers them. */
export function settledWrites(t: TestApp, bookingId: string, count: number, ms = 15_000): Promise<WriteRow[]> {
  return pollUntil(
    () => writesOf(t, bookingId),
    (rows) => rows.length === count && rows.every((r) => r.status !== 'PENDING'),
    (rows) => `${count} settled writes of ${bookingId}, have ${JSON.stringify(rows)}`,
    { ms },
  );
}
