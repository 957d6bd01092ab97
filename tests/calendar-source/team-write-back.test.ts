/*
 * A collective booking is written back into every host's CalDAV calendar (docs/api.md, Part 3,
 * 31 and 37), against real Radicale: each of two members writes bookings back into a calendar of
 * its own; the booking's event appears in both, moves in both, and leaves both on cancel. A
 * round-robin booking goes to its host's calendar only. Run on the SQLite file by default, on
 * PostgreSQL with TEST_DATABASE_URL.
 */
import { startTestApp, type TestApp } from '../support/app';
import { missingCalDavServers, startRadicale, type CalDavServer } from '../support/caldav-servers';
import type { CalDavCalendar } from '../../src/modules/calendar-source/caldav-client';
import { AddCalendarSourceDocument, BookTeamSlotDocument, CancelBookingDocument, RescheduleBookingDocument, SyncCalendarSourceDocument } from '../generated/graphql';
import { at, invitee, openClinic, type Clinic } from '../teams/clinic';
import { DAY, eventsIn, settledWrites, writesOf } from './write-back-support';

const missing = missingCalDavServers();
const withServer = missing ? describe.skip : describe;
if (missing) test.skip(missing, () => undefined);

let t: TestApp;
let radicale: CalDavServer;
/** lead (priority 3: the collective booking's owner, round robin's first choice) and second (priority 1), each with its own calendar. */
const member = { lead: { id: '', sourceId: '', calendar: null as unknown as CalDavCalendar }, second: { id: '', sourceId: '', calendar: null as unknown as CalDavCalendar } };
let clinic: Clinic;
let collectiveId = '';
let roundRobinId = '';

withServer('a collective booking in every host\'s calendar', () => {
  beforeAll(async () => {
    radicale = await startRadicale();
    t = await startTestApp({ calendarSources: { allowPrivateUrls: true, secretKey: 'test-secret-key' }, calendarWrites: { pollIntervalMs: 50 } });
    clinic = await openClinic(t);
    for (const key of ['lead', 'second'] as const) {
      const id = await clinic.calendar(key);
      const url = await radicale.newCalendar(`team-${key}-${Date.now()}`);
      const { addCalendarSource: source } = await t.ok(AddCalendarSourceDocument, { input: { kind: 'CALDAV', url, writeBookings: true, ...(radicale.credentials ?? {}) } }, clinic.as(id));
      member[key] = { id, sourceId: source.id, calendar: { url, credentials: radicale.credentials, allowPrivate: true } };
    }
    const teamId = await clinic.team('clinic-calendars', [[member.lead.id, 3], [member.second.id, 1]]);
    collectiveId = await clinic.eventType(teamId, 'COLLECTIVE', 'together');
    roundRobinId = await clinic.eventType(teamId, 'ROUND_ROBIN', 'either');
  });
  afterAll(async () => {
    await t?.close();
    await radicale?.stop();
  });

  /** The event of booking `id` in `m`'s calendar, if any. */
  const eventOf = async (m: (typeof member)['lead'], id: string) => (await eventsIn(m.calendar)).filter((e) => e.uid === `${id}@slotbook`);

  test('written into both hosts\' calendars, moved in both, removed from both', async () => {
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: member.second.id, eventTypeId: collectiveId, startsAt: at(10), invitee } });
    const id = bookSlot.booking.id;
    expect(bookSlot.booking.owner.id).toBe(member.lead.id);
    // One PUT per host's source, each row its host's (the outbox's fair share).
    const created = await settledWrites(t, id, 2);
    expect(created).toMatchObject([{ action: 'PUT', status: 'WRITTEN', step: 0 }, { action: 'PUT', status: 'WRITTEN', step: 0 }]);
    const owners = await t.app.orm.em.fork().getConnection().execute<Array<{ owner_id: string }>>('select owner_id from calendar_write where booking_id = ? order by owner_id', [id], 'all');
    expect(owners.map((r) => r.owner_id)).toEqual([member.lead.id, member.second.id].sort());
    const event = { uid: `${id}@slotbook`, sequence: 0, start: `${DAY}T10:00:00.000Z`, end: `${DAY}T11:00:00.000Z`, summary: `Together: ${invitee.name}`, attendees: 0, status: 'CONFIRMED' };
    expect(await eventOf(member.lead, id)).toEqual([event]);
    expect(await eventOf(member.second, id)).toEqual([event]);
    // The extra host's next sync reads its copy and, by its UID, does not count it as busy time (rule 31).
    const synced = await t.ok(SyncCalendarSourceDocument, { id: member.second.sourceId }, clinic.as(member.second.id));
    expect(synced.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 0 });

    await t.ok(RescheduleBookingDocument, { id, startsAt: at(13), manageToken: bookSlot.manageToken });
    expect((await settledWrites(t, id, 4)).slice(2)).toMatchObject([{ action: 'PUT', status: 'WRITTEN', sequence: 1, step: 1 }, { action: 'PUT', status: 'WRITTEN', sequence: 1, step: 1 }]);
    const moved = { ...event, sequence: 1, start: `${DAY}T13:00:00.000Z`, end: `${DAY}T14:00:00.000Z` };
    expect(await eventOf(member.lead, id)).toEqual([moved]);
    expect(await eventOf(member.second, id)).toEqual([moved]);

    await t.ok(CancelBookingDocument, { id, manageToken: bookSlot.manageToken });
    expect((await settledWrites(t, id, 6)).slice(4)).toMatchObject([{ action: 'DELETE', status: 'WRITTEN', step: 2 }, { action: 'DELETE', status: 'WRITTEN', step: 2 }]);
    expect(await eventOf(member.lead, id)).toEqual([]);
    expect(await eventOf(member.second, id)).toEqual([]);
  });

  test('a round-robin booking is written into its host\'s calendar only', async () => {
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: member.second.id, eventTypeId: roundRobinId, startsAt: at(15), invitee } });
    const id = bookSlot.booking.id;
    expect(bookSlot.booking.owner.id).toBe(member.lead.id);
    expect(await settledWrites(t, id, 1)).toMatchObject([{ action: 'PUT', status: 'WRITTEN' }]);
    expect(await eventOf(member.lead, id)).toHaveLength(1);
    expect(await eventOf(member.second, id)).toEqual([]);
    expect(await writesOf(t, id)).toHaveLength(1);
  });
});
