/*
 * The conformance table (docs/api.md Part 3, 28): every case through the three kinds of source
 * a sync reads, with the same hand-worked busy intervals for each. ICS: an in-process feed
 * server, fetchIcsFeed. CalDAV: the events uploaded to a fresh calendar with putEvent (the
 * write-back primitive), read back with readCalDavEvents (calendar-query by time range, raw
 * VEVENTs), expanded by expandBusy, on real Radicale and Xandikos servers.
 */
import { CalendarSourceError } from '../../src/modules/calendar-source/calendar-source.errors';
import { readCalDavEvents, putEvent } from '../../src/modules/calendar-source/caldav-client';
import { expandBusy, keptRange } from '../../src/modules/calendar-source/ics-expand';
import { fetchIcsFeed } from '../../src/modules/calendar-source/ics-feed';
import { missingCalDavServers, useCalendarServers } from '../support/caldav-servers';
import { CASES, NOW, feedOf, objectsOf, type ConformanceCase } from './conformance-cases';

const missing = missingCalDavServers();
const iso = (ms: number): string => new Date(ms).toISOString();
const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const servers = useCalendarServers();
const results: string[] = [];
afterAll(() => console.log(`conformance results:\n${results.join('\n')}`));

/** Busy intervals (or the error's message) as the owner would get them from the data read. */
function busyOf(c: ConformanceCase, data: string | string[]): Array<[string, string]> | { error: string } {
  try {
    return expandBusy(data, { ownerTimeZone: c.ownerTimeZone, now: NOW }).intervals.map((i) => [iso(i.start), iso(i.end)]);
  } catch (error) {
    if (!(error instanceof CalendarSourceError)) throw error;
    return { error: error.message };
  }
}

function expectMatches(c: ConformanceCase, got: Array<[string, string]> | { error: string }): void {
  if ('error' in c.expected) {
    expect(got).toEqual({ error: expect.stringMatching(c.expected.error) });
  } else {
    expect(got).toEqual(c.expected);
  }
}

describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  test('ICS feed', async () => {
    servers.ics.publish(slug(c.name), feedOf(c));
    const feed = await fetchIcsFeed({ url: servers.ics.url(slug(c.name)), allowPrivate: true });
    if (!feed.changed) throw new Error('a first read must download');
    const got = busyOf(c, feed.text);
    expectMatches(c, got);
    results.push(`${c.name} | ICS | ${JSON.stringify(got)}`);
  });

  for (const name of ['Radicale', 'Xandikos'] as const) {
    (missing ? test.skip : test)(name, async () => {
      const server = servers.caldav[name]!;
      const calendar = { url: await server.newCalendar(slug(c.name)), credentials: server.credentials, allowPrivate: true };
      if ('error' in c.expected) {
        // Bad data either never gets in (the server validates the upload) or is read back and
        // refused by the expander with the same clear error as the feed's.
        const uploads = await Promise.all(objectsOf(c).map(({ uid, ics: data }) => putEvent(calendar, uid, data, null).then(() => null, (e: unknown) => e)));
        if (uploads.every((e) => e === null)) {
          const read = await readCalDavEvents(calendar, keptRange(NOW), null);
          const objects = read.changed ? read.objects.map((o) => o.data) : [];
          if (name === 'Xandikos') {
            // Xandikos quirk: it stores what it cannot parse, then leaves it out of every calendar-query.
            expect(objects).toEqual([]);
            results.push(`${c.name} | ${name} | upload accepted, never returned by calendar-query (no busy time, no error)`);
            return;
          }
          const got = busyOf(c, objects);
          results.push(`${c.name} | ${name} | upload accepted, read back: ${JSON.stringify(got)}`);
          return expectMatches(c, got);
        }
        expect(uploads.every((e) => e instanceof CalendarSourceError && /answered 4\d\d/.test(e.message))).toBe(true);
        results.push(`${c.name} | ${name} | upload refused: ${(uploads[0] as Error).message}`);
        return;
      }
      for (const { uid, ics: data } of objectsOf(c)) await putEvent(calendar, uid, data, null);
      const read = await readCalDavEvents(calendar, keptRange(NOW), null);
      if (!read.changed) throw new Error('a first read must download');
      const got = busyOf(c, read.objects.map((o) => o.data));
      results.push(`${c.name} | ${name} | ${JSON.stringify(got)}`);
      expectMatches(c, got);
    });
  }
});

describe('a feed over the size limit', () => {
  test('ICS feed: refused with a clear error at 10 MB', async () => {
    const body = Buffer.alloc(10 * 1024 * 1024 + 1, 'x');
    servers.ics.publish('huge', body);
    await expect(fetchIcsFeed({ url: servers.ics.url('huge'), allowPrivate: true })).rejects.toThrow(
      new CalendarSourceError('TOO_LARGE', "the calendar server's answer is larger than 10 MB"),
    );
    results.push(`a feed over the size limit | ICS | the calendar server's answer is larger than 10 MB`);
  });
});
