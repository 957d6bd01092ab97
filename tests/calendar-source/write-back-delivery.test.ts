/*
 * Delivering the write-back (docs/api.md, Part 3, 31, with the outbox guarantees of 15 and 27),
 * against real Radicale and Xandikos behind a switchable proxy (tests/support/caldav-proxy.ts):
 * a server that is down gets the writes once it is back, in order (a booking's later write waits
 * for its earlier one); writes for a source removed or no longer writing bookings settle without
 * a request; two processes on one database send each write once (the outbox lease).
 */
import { startTestApp, type TestApp } from '../support/app';
import { freshDatabaseUrl } from '../support/database';
import { discardSharedDatabase } from '../support/shared-database';
import { missingCalDavServers, useCalendarServers } from '../support/caldav-servers';
import { startCalDavProxy, type CalDavProxy } from '../support/caldav-proxy';
import { pollUntil } from '../support/poll';
import type { CalDavCalendar } from '../../src/modules/calendar-source/caldav-client';
import { AddCalendarSourceDocument, BookSlotDocument, RemoveCalendarSourceDocument, RescheduleBookingDocument, UpdateCalendarSourceDocument } from '../generated/graphql';
import { at, DAY, eventsIn, invitee, ownerWithDay, settledWrites, writesOf } from './write-back-support';

const missing = missingCalDavServers();
const withServers = missing ? describe.skip : describe;
if (missing) test.skip(missing, () => undefined);

const servers = useCalendarServers();
const settings = { calendarSources: { allowPrivateUrls: true, secretKey: 'test-secret-key' } };

withServers.each(['Radicale', 'Xandikos'] as const)('delivering writes to %s', (name) => {
  let proxy: CalDavProxy;
  const opened: Array<TestApp> = [];
  const databases: string[] = [];
  beforeEach(async () => {
    proxy = await startCalDavProxy(new URL(await servers.caldav[name]!.newCalendar(`probe-${Date.now()}`)).origin);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((app) => app.close()));
    databases.splice(0).forEach(discardSharedDatabase);
    await proxy.close();
  });
  const start = async (options: Parameters<typeof startTestApp>[0] = {}) => {
    const app = await startTestApp({ ...settings, calendarWrites: { pollIntervalMs: 50 }, ...options });
    opened.push(app);
    return app;
  };
  const sharedDatabase = async () => {
    const url = await freshDatabaseUrl({ shared: true });
    databases.push(url);
    return url;
  };

  /** A new calendar on the server, reached through the proxy, as a source of a new owner of `t`. */
  async function proxiedSource(t: TestApp, writeBookings = true) {
    const server = servers.caldav[name]!;
    const url = proxy.urlFor(await server.newCalendar(`delivery-${Date.now()}-${Math.random().toString(36).slice(2)}`));
    const calendar: CalDavCalendar = { url, credentials: server.credentials, allowPrivate: true };
    const owner = await ownerWithDay(t);
    const { addCalendarSource: source } = await t.ok(AddCalendarSourceDocument, { input: { kind: 'CALDAV', url, writeBookings, ...(server.credentials ?? {}) } }, owner.token);
    return { calendar, owner, source };
  }

  const book = async (t: TestApp, owner: { id: string; eventTypeId: string }, hhmm: string) =>
    (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, eventTypeId: owner.eventTypeId, startsAt: at(hhmm), invitee } })).bookSlot;

  test('a server that is down gets the writes once it is back, in order', async () => {
    const t = await start();
    const { calendar, owner } = await proxiedSource(t);
    proxy.down = true;
    const booked = await book(t, owner, '10:00');
    const failed = await pollUntil(() => writesOf(t, booked.booking.id), (rows) => rows[0]?.attempts === 1, (rows) => `a failed attempt: ${JSON.stringify(rows)}`);
    expect(failed).toEqual([{ action: 'PUT', status: 'PENDING', attempts: 1, last_error: 'the calendar server answered 503', sequence: 0, step: 0 }]);

    await t.ok(RescheduleBookingDocument, { id: booked.booking.id, startsAt: at('12:00'), manageToken: booked.manageToken });
    // Another booking's write, due after the reschedule's: once it was attempted, so was every
    // write the claim could take, and the reschedule's was not one of them.
    const other = await book(t, owner, '14:00');
    await pollUntil(() => writesOf(t, other.booking.id), (rows) => rows[0]?.attempts === 1, (rows) => `the other booking's attempt: ${JSON.stringify(rows)}`);
    expect((await writesOf(t, booked.booking.id)).map((r) => [r.step, r.status, r.attempts])).toEqual([[0, 'PENDING', 1], [1, 'PENDING', 0]]);

    proxy.down = false;
    t.clock.now = new Date(t.clock.now.getTime() + 61_000); // past the first retry delay (1 min)
    expect((await settledWrites(t, booked.booking.id, 2)).map((r) => [r.status, r.attempts])).toEqual([['WRITTEN', 2], ['WRITTEN', 1]]);
    await settledWrites(t, other.booking.id, 1);
    const uid = `${booked.booking.id}@slotbook`;
    const puts = proxy.forwarded.filter((line) => line.startsWith('PUT') && line.includes(encodeURIComponent(uid)));
    expect(puts).toHaveLength(2);
    expect((await eventsIn(calendar)).filter((e) => e.uid === uid)).toMatchObject([{ sequence: 1, start: `${DAY}T12:00:00.000Z` }]);
  });

  test('writes for a source removed or no longer writing bookings settle without a request', async () => {
    const databaseUrl = await sharedDatabase();
    // This process records writes but sends none, so both changes below precede any send.
    const recorder = await start({ databaseUrl, calendarWrites: 'off' });
    const { calendar, owner, source } = await proxiedSource(recorder);
    const server = servers.caldav[name]!;
    const second = await recorder.ok(
      AddCalendarSourceDocument,
      { input: { kind: 'CALDAV', url: proxy.urlFor(await server.newCalendar(`removed-${Date.now()}`)), writeBookings: true, ...(server.credentials ?? {}) } },
      owner.token,
    );
    const booked = await book(recorder, owner, '10:00');
    expect(await writesOf(recorder, booked.booking.id)).toHaveLength(2);
    await recorder.ok(UpdateCalendarSourceDocument, { id: source.id, input: { writeBookings: false } }, owner.token);
    await recorder.ok(RemoveCalendarSourceDocument, { id: second.addCalendarSource.id }, owner.token);
    const sent = proxy.forwarded.length;

    const sender = await start({ databaseUrl });
    expect((await settledWrites(sender, booked.booking.id, 2)).map((r) => r.status)).toEqual(['SKIPPED', 'SKIPPED']);
    expect(proxy.forwarded.slice(sent).filter((line) => !line.startsWith('PROPFIND') && !line.startsWith('REPORT'))).toEqual([]);
    expect(await eventsIn(calendar)).toEqual([]);
  });

  test('two processes on one database send each write once', async () => {
    const databaseUrl = await sharedDatabase();
    const a = await start({ databaseUrl });
    const b = await start({ databaseUrl });
    const { calendar, owner } = await proxiedSource(a);
    const hours = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];
    const bookings = await Promise.all(hours.map((hhmm, n) => book(n % 2 ? a : b, owner, hhmm)));
    for (const booked of bookings) expect(await settledWrites(a, booked.booking.id, 1)).toMatchObject([{ status: 'WRITTEN', attempts: 1 }]);
    const puts = proxy.forwarded.filter((line) => line.startsWith('PUT'));
    expect(puts.sort()).toEqual(bookings.map((booked) => `PUT ${new URL(calendar.url).pathname}${encodeURIComponent(`${booked.booking.id}@slotbook`)}.ics`).sort());
    expect((await eventsIn(calendar)).map((e) => e.start).sort()).toEqual(hours.map((hhmm) => `${DAY}T${hhmm}:00.000Z`));
  });
});
