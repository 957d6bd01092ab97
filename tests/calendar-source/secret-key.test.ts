/*
 * Without SECRET_KEY (docs/api.md Part 3, 30), credentials are sealed with a key the first
 * process generates and keeps in the database: a later process (or another one sharing the
 * database) opens them, a process with another key cannot and says so in lastError.
 */
import { startTestApp } from '../support/app';
import { freshDatabaseUrl } from '../support/database';
import { discardSharedDatabase } from '../support/shared-database';
import { startIcsServer, type IcsServer } from '../support/ics-server';
import { AddCalendarSourceDocument, SyncCalendarSourceDocument } from '../generated/graphql';
import { feedOf } from './feeds';

let ics: IcsServer;
let databaseUrl: string;
beforeAll(async () => {
  ics = await startIcsServer();
  ics.requireCredentials('keyed-user', 'keyed-password-77');
  ics.publish('keyed', feedOf(['2030-01-08T09:00:00Z']));
  databaseUrl = await freshDatabaseUrl({ shared: true });
});
afterAll(async () => {
  await ics.close();
  if (databaseUrl) discardSharedDatabase(databaseUrl);
});

const url = () => ics.url('keyed').replace('/keyed', '/private/keyed');

test('a generated key kept in the database opens credentials in the next process; another SECRET_KEY cannot', async () => {
  const first = await startTestApp({ databaseUrl, calendarSources: { allowPrivateUrls: true } });
  let owner: { id: string; token: string };
  let sourceId: string;
  try {
    owner = await first.createOwner();
    const added = await first.ok(AddCalendarSourceDocument, { input: { kind: 'ICS', url: url(), username: 'keyed-user', password: 'keyed-password-77' } }, owner.token);
    sourceId = added.addCalendarSource.id;
    expect((await first.ok(SyncCalendarSourceDocument, { id: sourceId }, owner.token)).syncCalendarSource).toMatchObject({ status: 'OK', busyIntervals: 1 });
    const conn = first.app.orm.em.fork().getConnection();
    expect(await conn.execute('select count(*) as n from app_secret')).toEqual([{ n: expect.anything() }]);
    const [row] = await conn.execute<Array<{ password_sealed: string }>>('select password_sealed from calendar_source where id = ?', [sourceId]);
    expect(row!.password_sealed).toMatch(/^v1\./);
  } finally {
    await first.close();
  }

  const second = await startTestApp({ databaseUrl, calendarSources: { allowPrivateUrls: true } });
  try {
    expect((await second.ok(SyncCalendarSourceDocument, { id: sourceId }, owner.token)).syncCalendarSource).toMatchObject({ status: 'OK', lastError: null });
  } finally {
    await second.close();
  }

  const rekeyed = await startTestApp({ databaseUrl, calendarSources: { allowPrivateUrls: true, secretKey: 'another key' } });
  try {
    const failed = await rekeyed.ok(SyncCalendarSourceDocument, { id: sourceId }, owner.token);
    expect(failed.syncCalendarSource).toMatchObject({ status: 'FAILING', busyIntervals: 1, lastError: expect.stringMatching(/SECRET_KEY/) });
  } finally {
    await rekeyed.close();
  }
});
