/*
 * The readers' validators, write-back, limits and secrecy (docs/api.md Part 3, 30-31) against
 * the in-process feed server and real Radicale and Xandikos servers.
 */
import http from 'node:http';
import type net from 'node:net';
import { CalendarSourceError } from '../../src/modules/calendar-source/calendar-source.errors';
import { deleteEvent, putEvent, readCalDavEvents, type CalDavCalendar } from '../../src/modules/calendar-source/caldav-client';
import { expandBusy, keptRange } from '../../src/modules/calendar-source/ics-expand';
import { fetchIcsFeed } from '../../src/modules/calendar-source/ics-feed';
import { FETCH_LIMITS } from '../../src/modules/calendar-source/safe-fetch';
import { missingCalDavServers, useCalendarServers } from '../support/caldav-servers';

const NOW = Date.parse('2027-03-01T12:00:00Z');
const missing = missingCalDavServers();
const withServers = missing ? describe.skip : describe;

const vcalendar = (uid: string, start: string, end: string): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Slotbook tests//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20270101T000000Z', `DTSTART:${start}`, `DTEND:${end}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

const servers = useCalendarServers();

describe('ICS feeds', () => {
  test('the limits are those of docs/api.md Part 3, 30', () => {
    expect(FETCH_LIMITS).toEqual({ timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024 });
  });

  test('an unchanged feed answers 304 to its ETag and is not downloaded again', async () => {
    servers.ics.publish('etag', vcalendar('e1', '20270310T090000Z', '20270310T100000Z'));
    const first = await fetchIcsFeed({ url: servers.ics.url('etag'), allowPrivate: true });
    if (!first.changed) throw new Error('a first read must download');
    expect(first.etag).toMatch(/^".+"$/);
    expect(await fetchIcsFeed({ url: servers.ics.url('etag'), etag: first.etag, allowPrivate: true })).toEqual({ changed: false });
    expect(servers.ics.downloads('etag')).toBe(1);
    servers.ics.publish('etag', vcalendar('e1', '20270311T090000Z', '20270311T100000Z'));
    const changed = await fetchIcsFeed({ url: servers.ics.url('etag'), etag: first.etag, allowPrivate: true });
    expect(changed.changed && expandBusy(changed.text, { ownerTimeZone: 'UTC', now: NOW }).intervals).toEqual([
      { start: Date.parse('2027-03-11T09:00:00Z'), end: Date.parse('2027-03-11T10:00:00Z') },
    ]);
    expect(servers.ics.downloads('etag')).toBe(2);
  });

  test('a private address is refused unless allowed (the rules of 16)', async () => {
    servers.ics.publish('private', vcalendar('p', '20270310T090000Z', '20270310T100000Z'));
    const literal = fetchIcsFeed({ url: servers.ics.url('private'), allowPrivate: false });
    await expect(literal).rejects.toMatchObject({ failure: 'UNSAFE_ADDRESS', message: '127.0.0.1 is not a public address' });
    const named = fetchIcsFeed({ url: servers.ics.url('private').replace('127.0.0.1', 'localhost'), allowPrivate: false });
    await expect(named).rejects.toMatchObject({ failure: 'UNSAFE_ADDRESS', message: expect.stringMatching(/^localhost is not a public address$/) });
    expect(servers.ics.downloads('private')).toBe(0);
  });

  test('a server that does not answer in time is abandoned, saying so', async () => {
    const hanging = http.createServer(() => {}); // never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as net.AddressInfo;
    try {
      const read = fetchIcsFeed({ url: `http://127.0.0.1:${port}/feed.ics`, allowPrivate: true, limits: { timeoutMs: 300, maxBytes: 1000 } });
      const outcome = await Promise.race([read.then(() => 'answered', (e: unknown) => e), new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000))]);
      expect(outcome).toEqual(new CalendarSourceError('TIMEOUT', 'the calendar server did not answer within 0.3 seconds'));
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  test('credentials and the URL never appear in an error', async () => {
    servers.ics.requireCredentials('feed-user', 'feed-password-123');
    const secretUrl = servers.ics.url('secret-token-4f9a').replace('/secret', '/private/secret');
    const errors = await Promise.all([
      fetchIcsFeed({ url: secretUrl, credentials: { username: 'feed-user', password: 'wrong-password-456' }, allowPrivate: true }).catch((e: unknown) => e),
      fetchIcsFeed({ url: secretUrl, credentials: { username: 'feed-user', password: 'feed-password-123' }, allowPrivate: true }).catch((e: unknown) => e),
    ]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['the calendar server refused the credentials (401)', 'the calendar server answered 404']);
    for (const error of errors) {
      const everything = JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, ...(error as object) });
      for (const secret of ['feed-user', 'password', 'secret-token', 'Basic ']) expect(everything).not.toContain(secret);
    }
  });
});

withServers.each(['Radicale', 'Xandikos'] as const)('CalDAV on %s', (name) => {
  let calendar: CalDavCalendar;
  beforeAll(async () => {
    const server = servers.caldav[name]!;
    calendar = { url: await server.newCalendar(`fetchers-${Date.now()}`), credentials: server.credentials, allowPrivate: true };
  });
  const busy = async () => {
    const read = await readCalDavEvents(calendar, keptRange(NOW), null);
    if (!read.changed) throw new Error('no previous state: must read');
    return expandBusy(read.objects.map((o) => o.data), { ownerTimeZone: 'UTC', now: NOW, ignoreUid: () => false }).intervals.map((i) => new Date(i.start).toISOString());
  };

  test('an unchanged getctag / sync-token skips the download; a change does not', async () => {
    await putEvent(calendar, 'state-1', vcalendar('state-1', '20270310T090000Z', '20270310T100000Z'), null);
    const first = await readCalDavEvents(calendar, keptRange(NOW), null);
    expect(first.state.ctag ?? first.state.syncToken).not.toBeNull();
    const again = await readCalDavEvents(calendar, keptRange(NOW), first.state);
    expect(again).toEqual({ changed: false, state: first.state });
    await putEvent(calendar, 'state-2', vcalendar('state-2', '20270311T090000Z', '20270311T100000Z'), null);
    const after = await readCalDavEvents(calendar, keptRange(NOW), first.state);
    expect(after.changed && after.objects.length).toBe(2);
  });

  test('write-back: create, refuse a second create, update by ETag, refuse a stale ETag, delete', async () => {
    const uid = 'b7c1d2@slotbook';
    const created = await putEvent(calendar, uid, vcalendar(uid, '20270320T090000Z', '20270320T100000Z'), null);
    expect(await busy()).toContain('2027-03-20T09:00:00.000Z');
    await expect(putEvent(calendar, uid, vcalendar(uid, '20270320T090000Z', '20270320T100000Z'), null)).rejects.toMatchObject({ failure: 'CONFLICT' });
    const read = await readCalDavEvents(calendar, keptRange(NOW), null);
    const etag = created.etag ?? (read.changed ? read.objects.find((o) => o.data.includes(uid))!.etag : null);
    const moved = await putEvent(calendar, uid, vcalendar(uid, '20270321T090000Z', '20270321T100000Z'), etag);
    expect(await busy()).toEqual(expect.arrayContaining(['2027-03-21T09:00:00.000Z']));
    expect(await busy()).not.toContain('2027-03-20T09:00:00.000Z');
    await expect(putEvent(calendar, uid, vcalendar(uid, '20270322T090000Z', '20270322T100000Z'), etag)).rejects.toMatchObject({ failure: 'CONFLICT' });
    await deleteEvent(calendar, uid, moved.etag);
    expect(await busy()).not.toContain('2027-03-21T09:00:00.000Z');
    await deleteEvent(calendar, uid, null); // already gone: fine
  });
});

(missing ? test.skip : test)('CalDAV credentials never appear in an error (Radicale, wrong password)', async () => {
  const server = servers.caldav.Radicale!;
  const url = await server.newCalendar(`secrets-${Date.now()}`);
  const error = await readCalDavEvents({ url, credentials: { username: 'alice', password: 'not-the-password-789' }, allowPrivate: true }, keptRange(NOW), null).catch((e: unknown) => e);
  expect(error).toMatchObject({ failure: 'UNAUTHORIZED', message: 'the calendar server refused the credentials (401)' });
  const everything = JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, ...(error as object) });
  for (const secret of ['alice', 'not-the-password', 'Basic ', url]) expect(everything).not.toContain(secret);
});
