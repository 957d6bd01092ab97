/*
 * Calendar sources through GraphQL (docs/api.md Part 3, 28-30): adding, the rules on input,
 * syncing an ICS feed with its ETag, failures that keep the last busy time, removal, and
 * credentials kept out of every answer and log line. The in-process feed server serves the feeds.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startTestApp, type TestApp } from '../support/app';
import { capturedLogger, type LogLine } from '../support/log-capture';
import { startIcsServer, type IcsServer } from '../support/ics-server';
import { type CalendarSourceInput, AddCalendarSourceDocument, AddRecurringWindowDocument, FreeSlotsDocument, OwnerBusyDocument, OwnerCalendarSourcesDocument, RemoveCalendarSourceDocument, SyncCalendarSourceDocument, UpdateCalendarSourceDocument } from '../generated/graphql';
import { feedOf } from './feeds';

const FEED_PASSWORD = 'feed-password-s3cret';
const WRONG_PASSWORD = 'wrong-password-9z8y';

let ics: IcsServer;
let t: TestApp;
let log: LogLine[];
const answers: unknown[] = [];

beforeAll(async () => {
  ics = await startIcsServer();
  ics.requireCredentials('feed-user', FEED_PASSWORD);
  const captured = capturedLogger();
  log = captured.lines;
  t = await startTestApp({ logger: captured.logger, calendarSources: { allowPrivateUrls: true, secretKey: 'test-secret-key' } });
});
afterAll(async () => {
  await t.close();
  await ics.close();
});

/** Runs and keeps every answer, for the secrecy check at the end. */
async function ok<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, token: string): Promise<TData> {
  const data = await t.ok(doc, variables, token);
  answers.push(data);
  return data;
}

const busyRows = async (sourceId: string): Promise<number> => {
  const [row] = await t.app.orm.em.fork().getConnection().execute<Array<{ n: number | string }>>('select count(*) as n from busy_interval where source_id = ?', [sourceId]);
  return Number(row!.n);
};

test('an ICS source syncs on demand; an unchanged feed is not downloaded again (ETag)', async () => {
  const owner = await t.createOwner({ timeZone: 'Europe/Berlin' });
  ics.publish('work', feedOf(['2030-01-08T09:00:00Z', '2030-01-09T09:00:00Z']));
  const added = await ok(AddCalendarSourceDocument, { input: { kind: 'ICS', url: ics.url('work'), name: 'Work' } }, owner.token);
  expect(added.addCalendarSource).toMatchObject({ kind: 'ICS', url: ics.url('work'), name: 'Work', status: 'SYNCING', writeBookings: false, lastError: null });
  const id = added.addCalendarSource.id;

  const synced = await ok(SyncCalendarSourceDocument, { id }, owner.token);
  expect(synced.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 2, lastError: null });
  expect(synced.syncCalendarSource.lastSyncedAt).not.toBeNull();
  const downloads = ics.downloads('work');

  const again = await ok(SyncCalendarSourceDocument, { id }, owner.token);
  expect(again.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 2 });
  expect(ics.downloads('work')).toBe(downloads);

  ics.publish('work', feedOf(['2030-01-08T09:00:00Z', '2030-01-09T09:00:00Z', '2030-01-10T09:00:00Z']));
  const changed = await ok(SyncCalendarSourceDocument, { id }, owner.token);
  expect(changed.syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 3 });
  expect(ics.downloads('work')).toBe(downloads + 1);
  const listed = await ok(OwnerCalendarSourcesDocument, { id: owner.id }, owner.token);
  expect(listed.owner!.calendarSources.map((s) => [s.id, s.busyIntervals])).toEqual([[id, 3]]);
});

test("a synced feed's events occupy the owner's time: freeSlots and Owner.busy", async () => {
  const owner = await t.createOwner({ timeZone: 'UTC' });
  await ok(AddRecurringWindowDocument, { input: { weekdays: ['TUESDAY'], startTime: '09:00', endTime: '13:00', startsOn: '2030-01-01' } }, owner.token);
  const range = { from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };
  const starts = async () => (await ok(FreeSlotsDocument, { ownerId: owner.id, ...range }, owner.token)).freeSlots.map((s) => s.startsAt);
  expect(await starts()).toEqual(['2030-01-08T09:00:00.000Z', '2030-01-08T10:00:00.000Z', '2030-01-08T11:00:00.000Z', '2030-01-08T12:00:00.000Z']);
  ics.publish('busy', feedOf(['2030-01-08T10:00:00Z']));
  const { addCalendarSource: source } = await ok(AddCalendarSourceDocument, { input: { kind: 'ICS', url: ics.url('busy') } }, owner.token);
  await ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
  expect(await starts()).toEqual(['2030-01-08T09:00:00.000Z', '2030-01-08T11:00:00.000Z', '2030-01-08T12:00:00.000Z']);
  const busy = await ok(OwnerBusyDocument, { id: owner.id, ...range }, owner.token);
  expect(busy.owner!.busy).toEqual([{ startsAt: '2030-01-08T10:00:00.000Z', endsAt: '2030-01-08T11:00:00.000Z' }]);
});

test('credentials in the URL move out of it; a failing sync keeps the last busy time and says why, without secrets', async () => {
  const owner = await t.createOwner({ timeZone: 'UTC' });
  ics.publish('private-feed', feedOf(['2030-01-08T10:00:00Z']));
  const privateUrl = ics.url('private-feed').replace('/private-feed', '/private/private-feed');
  const withCredentials = privateUrl.replace('http://', `http://feed-user:${FEED_PASSWORD}@`);
  const added = await ok(AddCalendarSourceDocument, { input: { kind: 'ICS', url: withCredentials } }, owner.token);
  expect(added.addCalendarSource.url).toBe(privateUrl);
  const id = added.addCalendarSource.id;
  expect((await ok(SyncCalendarSourceDocument, { id }, owner.token)).syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 1 });

  await ok(UpdateCalendarSourceDocument, { id, input: { password: WRONG_PASSWORD } }, owner.token);
  const failed = await ok(SyncCalendarSourceDocument, { id }, owner.token);
  expect(failed.syncCalendarSource).toMatchObject({ status: 'FAILING', lastError: 'the calendar server refused the credentials (401)', busyIntervals: 1 });
  expect(await busyRows(id)).toBe(1);

  const [row] = await t.app.orm.em.fork().getConnection().execute<Array<Record<string, unknown>>>('select * from calendar_source where id = ?', [id]);
  expect(JSON.stringify(row)).not.toMatch(new RegExp(`${FEED_PASSWORD}|${WRONG_PASSWORD}|feed-user`));
});

test('the rules on input: writeBookings on a feed, a private address, a scheme, the URL length', async () => {
  const strict = await startTestApp({ calendarSources: 'off' });
  try {
    const owner = await strict.createOwner();
    const refusal = async (input: CalendarSourceInput) => {
      const error = await strict.fails(AddCalendarSourceDocument, { input }, 'BAD_USER_INPUT', owner.token);
      return error.extensions?.field;
    };
    expect(await refusal({ kind: 'ICS', url: 'https://93.184.215.14/cal.ics', writeBookings: true })).toBe('input.writeBookings');
    expect(await refusal({ kind: 'ICS', url: 'http://127.0.0.1/cal.ics' })).toBe('input.url');
    expect(await refusal({ kind: 'CALDAV', url: 'http://10.1.2.3/dav/' })).toBe('input.url');
    expect(await refusal({ kind: 'ICS', url: 'webcal://93.184.215.14/cal.ics' })).toBe('input.url');
    expect(await refusal({ kind: 'ICS', url: 'ftp://93.184.215.14/cal.ics' })).toBe('input.url');
    expect(await refusal({ kind: 'ICS', url: `https://93.184.215.14/${'a'.repeat(2100)}` })).toBe('input.url');
    const caldav = await strict.ok(AddCalendarSourceDocument, { input: { kind: 'CALDAV', url: 'https://93.184.215.14/dav/', writeBookings: true } }, owner.token);
    expect(caldav.addCalendarSource).toMatchObject({ kind: 'CALDAV', writeBookings: true, status: 'SYNCING' });
  } finally {
    await strict.close();
  }
});

test('another owner cannot see, change, sync or remove a source', async () => {
  const owner = await t.createOwner();
  const other = await t.createOwner();
  ics.publish('mine', feedOf([]));
  const { addCalendarSource: source } = await ok(AddCalendarSourceDocument, { input: { kind: 'ICS', url: ics.url('mine') } }, owner.token);
  await t.fails(OwnerCalendarSourcesDocument, { id: owner.id }, 'FORBIDDEN', other.token);
  await t.fails(UpdateCalendarSourceDocument, { id: source.id, input: { name: 'x' } }, 'FORBIDDEN', other.token);
  await t.fails(SyncCalendarSourceDocument, { id: source.id }, 'FORBIDDEN', other.token);
  await t.fails(RemoveCalendarSourceDocument, { id: source.id }, 'FORBIDDEN', other.token);
  await t.fails(OwnerCalendarSourcesDocument, { id: owner.id }, 'UNAUTHENTICATED', null);
});

test('removing a source removes its busy intervals', async () => {
  const owner = await t.createOwner();
  ics.publish('gone', feedOf(['2030-01-08T09:00:00Z', '2030-01-08T12:00:00Z']));
  const { addCalendarSource: source } = await ok(AddCalendarSourceDocument, { input: { kind: 'ICS', url: ics.url('gone') } }, owner.token);
  await ok(SyncCalendarSourceDocument, { id: source.id }, owner.token);
  expect(await busyRows(source.id)).toBe(2);
  expect((await ok(RemoveCalendarSourceDocument, { id: source.id }, owner.token)).removeCalendarSource).toBe(source.id);
  expect(await busyRows(source.id)).toBe(0);
  expect((await ok(OwnerCalendarSourcesDocument, { id: owner.id }, owner.token)).owner!.calendarSources).toEqual([]);
});

test('no answer and no log line holds a credential', () => {
  const everything = JSON.stringify(answers) + JSON.stringify(log);
  expect(answers.length).toBeGreaterThan(10);
  for (const secret of [FEED_PASSWORD, WRONG_PASSWORD, 'feed-user']) expect(everything).not.toContain(secret);
});
