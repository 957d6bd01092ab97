/*
 * Bookings written back into the owner's CalDAV calendar (docs/api.md, Part 3, 31), against real
 * Radicale (with credentials) and Xandikos: a booking's event appears with its UID, SEQUENCE and
 * times; a reschedule replaces it in place (same UID, SEQUENCE + 1); a cancel removes it; the
 * next sync does not count Slotbook's own event as busy; an event edited in the calendar
 * meanwhile is replaced; a source without writeBookings gets
 * nothing. The outbox sends the writes in the background (calendar-writes.ts).
 */
import { startTestApp, type TestApp } from '../support/app';
import { missingCalDavServers, useCalendarServers } from '../support/caldav-servers';
import { putEvent, readCalDavEvents, type CalDavCalendar, type CalendarObject } from '../../src/modules/calendar-source/caldav-client';
import {
  AddCalendarSourceDocument, BookSlotDocument, CancelBookingDocument, FreeSlotsDocument, RescheduleBookingDocument, SyncCalendarSourceDocument,
} from '../generated/graphql';
import { feedOf } from './feeds';
import { at, DAY, eventsIn, invitee, ownerWithDay, settledWrites, writesOf } from './write-back-support';

const missing = missingCalDavServers();
const withServers = missing ? describe.skip : describe;
if (missing) test.skip(missing, () => undefined);

const servers = useCalendarServers();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ calendarSources: { allowPrivateUrls: true, secretKey: 'test-secret-key' }, calendarWrites: { pollIntervalMs: 50 } });
});
afterAll(() => t?.close());

const freeHours = async (ownerId: string) =>
  (await t.ok(FreeSlotsDocument, { ownerId, from: at('00:00'), to: at('23:59') })).freeSlots.map((s) => s.startsAt.slice(11, 16));

withServers.each(['Radicale', 'Xandikos'] as const)('writing bookings back to %s', (name) => {
  async function calendarWithSource(writeBookings: boolean) {
    const server = servers.caldav[name]!;
    const url = await server.newCalendar(`write-back-${writeBookings}-${Date.now()}`);
    const calendar: CalDavCalendar = { url, credentials: server.credentials, allowPrivate: true };
    const owner = await ownerWithDay(t);
    const { addCalendarSource: source } = await t.ok(AddCalendarSourceDocument, { input: { kind: 'CALDAV', url, writeBookings, ...(server.credentials ?? {}) } }, owner.token);
    return { calendar, owner, source };
  }

  test('a booking is written, moved in place, and removed on cancel; its own event is never busy', async () => {
    const { calendar, owner, source } = await calendarWithSource(true);
    // Someone else's event at 15:00, so the sync below demonstrably reads the calendar.
    await putEvent(calendar, 'dentist', feedOf([at('15:00')]).replace(`UID:event-0-${at('15:00')}@tests`, 'UID:dentist'), null);

    const booked = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, eventTypeId: owner.eventTypeId, startsAt: at('10:00'), invitee } })).bookSlot;
    const uid = `${booked.booking.id}@slotbook`;
    expect(await settledWrites(t, booked.booking.id, 1)).toMatchObject([{ action: 'PUT', status: 'WRITTEN', sequence: 0 }]);
    const written = (await eventsIn(calendar)).filter((e) => e.uid === uid);
    // No ATTENDEE: a scheduling server would mail the invitee a second invitation.
    expect(written).toEqual([{ uid, sequence: 0, start: `${DAY}T10:00:00.000Z`, end: `${DAY}T11:00:00.000Z`, summary: `Consultation: ${invitee.name}`, attendees: 0, status: 'CONFIRMED' }]);

    // The next sync reads both events; only the dentist is busy.
    const synced = await t.ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
    expect(synced.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 1 });
    expect(await freeHours(owner.id)).toEqual(['09:00', '11:00', '12:00', '13:00', '14:00', '16:00']);

    await t.ok(RescheduleBookingDocument, { id: booked.booking.id, startsAt: at('12:00'), manageToken: booked.manageToken });
    expect(await settledWrites(t, booked.booking.id, 2)).toMatchObject([{ status: 'WRITTEN' }, { action: 'PUT', status: 'WRITTEN', sequence: 1 }]);
    expect((await eventsIn(calendar)).filter((e) => e.uid === uid)).toEqual([{ ...written[0], sequence: 1, start: `${DAY}T12:00:00.000Z`, end: `${DAY}T13:00:00.000Z` }]);
    const resynced = await t.ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
    expect(resynced.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 1 });
    expect(await freeHours(owner.id)).toEqual(['09:00', '10:00', '11:00', '13:00', '14:00', '16:00']);

    await t.ok(CancelBookingDocument, { id: booked.booking.id, manageToken: booked.manageToken });
    expect(await settledWrites(t, booked.booking.id, 3)).toMatchObject([{}, {}, { action: 'DELETE', status: 'WRITTEN' }]);
    expect((await eventsIn(calendar)).map((e) => e.uid)).toEqual(['dentist']);
  });

  test('an event changed in the calendar meanwhile (412 on If-Match) is read again and replaced', async () => {
    const { calendar, owner } = await calendarWithSource(true);
    const booked = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, eventTypeId: owner.eventTypeId, startsAt: at('10:00'), invitee } })).bookSlot;
    await settledWrites(t, booked.booking.id, 1);
    const uid = `${booked.booking.id}@slotbook`;
    // The owner edits the event in their calendar app: the ETag Slotbook kept no longer matches.
    const [object] = (await readCalDavEvents(calendar, { start: Date.parse(at('00:00')), end: Date.parse(at('23:59')) }, null) as { objects: CalendarObject[] }).objects;
    await putEvent(calendar, uid, object!.data.replace(/SUMMARY:[^\r\n]*/, 'SUMMARY:Edited by the owner'), object!.etag);

    await t.ok(RescheduleBookingDocument, { id: booked.booking.id, startsAt: at('12:00'), manageToken: booked.manageToken });
    expect(await settledWrites(t, booked.booking.id, 2)).toMatchObject([{ status: 'WRITTEN' }, { status: 'WRITTEN', attempts: 1 }]);
    expect((await eventsIn(calendar)).filter((e) => e.uid === uid)).toMatchObject([{ sequence: 1, start: `${DAY}T12:00:00.000Z`, summary: `Consultation: ${invitee.name}` }]);
  });

  test('a source without writeBookings gets nothing', async () => {
    const { calendar, owner } = await calendarWithSource(false);
    const booked = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, eventTypeId: owner.eventTypeId, startsAt: at('10:00'), invitee } })).bookSlot;
    await t.ok(CancelBookingDocument, { id: booked.booking.id, manageToken: booked.manageToken });
    expect(await writesOf(t, booked.booking.id)).toEqual([]);
    expect(await eventsIn(calendar)).toEqual([]);
  });
});
