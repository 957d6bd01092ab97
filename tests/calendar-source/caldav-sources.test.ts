/*
 * CALDAV sources through GraphQL against real Radicale (with credentials) and Xandikos (docs/api.md
 * Part 3, 28 and 30): a sync reads the collection's events, an unchanged collection (getctag /
 * sync-token) is not read again, a new event shows up on the next sync, and a refused password
 * fails the sync without losing busy time or showing the password.
 */
import { startTestApp, type TestApp } from '../support/app';
import { missingCalDavServers, useCalendarServers } from '../support/caldav-servers';
import { putEvent } from '../../src/modules/calendar-source/caldav-client';
import { AddCalendarSourceDocument, SyncCalendarSourceDocument, UpdateCalendarSourceDocument } from '../generated/graphql';
import { feedOf } from './feeds';

const missing = missingCalDavServers();
const withServers = missing ? describe.skip : describe;
if (missing) test.skip(missing, () => undefined);

const servers = useCalendarServers();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ calendarSources: { allowPrivateUrls: true, secretKey: 'test-secret-key' } });
});
afterAll(() => t?.close());

/** The validators the last successful sync stored. */
const validators = async (id: string) => {
  const [row] = await t.app.orm.em.fork().getConnection().execute<Array<{ ctag: string | null; sync_token: string | null }>>('select ctag, sync_token from calendar_source where id = ?', [id]);
  return row!;
};

withServers.each(['Radicale', 'Xandikos'] as const)('a CALDAV source on %s', (name) => {
  test('syncs its events, skips an unchanged collection (getctag/sync-token), and sees a new event', async () => {
    const server = servers.caldav[name]!;
    const url = await server.newCalendar(`sources-${Date.now()}`);
    const calendar = { url, credentials: server.credentials, allowPrivate: true };
    await putEvent(calendar, 'first', feedOf(['2030-01-08T09:00:00Z']).replace('UID:event-0-2030-01-08T09:00:00Z@tests', 'UID:first'), null);
    const owner = await t.createOwner({ timeZone: 'Europe/Berlin' });
    const credentials = server.credentials ?? {};
    const { addCalendarSource: source } = await t.ok(AddCalendarSourceDocument, { input: { kind: 'CALDAV', url, ...credentials } }, owner.token);
    expect(source.url).toBe(url);

    const first = await t.ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
    expect(first.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 1, lastError: null });
    const stored = await validators(source.id);
    expect(stored.ctag ?? stored.sync_token).not.toBeNull();

    // Emptied behind Slotbook's back: a sync that skips the unchanged collection leaves it so.
    await t.app.orm.em.fork().getConnection().execute('delete from busy_interval where source_id = ?', [source.id], 'run');
    const again = await t.ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
    expect(again.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 0 });
    expect(await validators(source.id)).toEqual(stored);

    await putEvent(calendar, 'second', feedOf(['2030-01-09T09:00:00Z']).replace('UID:event-0-2030-01-09T09:00:00Z@tests', 'UID:second'), null);
    const changed = await t.ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
    expect(changed.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 2 });
    expect(await validators(source.id)).not.toEqual(stored);

    if (server.credentials) {
      await t.ok(UpdateCalendarSourceDocument, { id: source.id, input: { password: 'not-the-password' } }, owner.token);
      const failed = await t.ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
      expect(failed.syncCalendarSource).toMatchObject({ status: 'FAILING', busyIntervals: 2, lastError: 'the calendar server refused the credentials (401)' });
      expect(JSON.stringify(failed)).not.toContain('not-the-password');
    }
  });
});
