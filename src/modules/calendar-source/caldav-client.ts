/*
 * A CalDAV calendar collection (RFC 4791) as a busy source and a write-back target (docs/api.md
 * Part 3, 28, 30, 31), through tsdav with the safe fetch. Reads ask for the raw VEVENTs in the
 * kept range (calendar-query with a time-range filter, no <expand>): the server's expansion
 * and free-busy answers are not trusted, ics-expand.ts expands. getctag and sync-token, read
 * first with a depth-0 PROPFIND, skip the download when neither changed.
 */
import { calendarQuery, createCalendarObject, deleteCalendarObject, propfind, updateCalendarObject, type DAVResponse } from 'tsdav';
import type { Interval } from '../../scheduling';
import { basicAuthorization, createSafeFetch, statusFailure, type Credentials, type FetchLimits } from './safe-fetch';

export interface CalDavCalendar {
  /** The calendar collection's URL. */
  url: string;
  credentials?: Credentials | null;
  allowPrivate: boolean;
  limits?: FetchLimits;
}

/** The collection's validators; null where the server has none. */
export interface CollectionState {
  ctag: string | null;
  syncToken: string | null;
}

export interface CalendarObject {
  url: string;
  etag: string | null;
  data: string;
}

export type CalDavReadResult = { changed: false; state: CollectionState } | { changed: true; state: CollectionState; objects: CalendarObject[] };

function connection(calendar: CalDavCalendar): { headers: Record<string, string>; fetch: typeof fetch } {
  return {
    headers: calendar.credentials ? { authorization: basicAuthorization(calendar.credentials) } : {},
    fetch: createSafeFetch({ allowPrivate: calendar.allowPrivate, limits: calendar.limits }),
  };
}

/** tsdav answers a failed request as one response with ok false (it does not throw). */
function checked(responses: DAVResponse[]): DAVResponse[] {
  const failed = responses.find((r) => !r.ok && r.status >= 300 && r.raw !== undefined);
  if (failed) throw statusFailure(failed.status);
  return responses;
}

const text = (value: unknown): string | null => (value === undefined || value === null || value === '' ? null : String(value));

export async function readCollectionState(calendar: CalDavCalendar): Promise<CollectionState> {
  const [response] = checked(await propfind({ url: calendar.url, props: { 'cs:getctag': {}, 'd:sync-token': {} }, depth: '0', ...connection(calendar) }));
  const props = (response?.props ?? {}) as Record<string, unknown>;
  return { ctag: text(props.getctag), syncToken: text(props.syncToken) };
}

const unchanged = (before: CollectionState | null, now: CollectionState): boolean =>
  before !== null && ((now.syncToken !== null && now.syncToken === before.syncToken) || (now.ctag !== null && now.ctag === before.ctag));

const icalendarUtc = (instant: number): string => `${new Date(instant).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/**
 * The calendar's VEVENT objects overlapping `range`, or `changed: false` when its getctag or
 * sync-token equals the one in `previous` (the state of the last successful read).
 *
 * A time-range filter makes the server evaluate recurrence, which is not trusted (Xandikos
 * leaves out a yearly series begun years ago): the series themselves (every VEVENT with an
 * RRULE or an RDATE) are asked for without a range, and merged with the ranged answer by URL.
 */
export async function readCalDavEvents(calendar: CalDavCalendar, range: Interval, previous: CollectionState | null): Promise<CalDavReadResult> {
  const state = await readCollectionState(calendar);
  if (unchanged(previous, state)) return { changed: false, state };
  const timeRange = { 'time-range': { _attributes: { start: icalendarUtc(range.start), end: icalendarUtc(range.end) } } };
  const answers = await Promise.all(
    [timeRange, { 'prop-filter': { _attributes: { name: 'RRULE' } } }, { 'prop-filter': { _attributes: { name: 'RDATE' } } }].map((filter) => queryEvents(calendar, filter)),
  );
  const byUrl = new Map<string, CalendarObject>();
  for (const object of answers.flat()) byUrl.set(object.url, object);
  return { changed: true, state, objects: [...byUrl.values()] };
}

/** calendar-query for the VEVENT objects matching `filter`, with their raw data. */
async function queryEvents(calendar: CalDavCalendar, filter: Record<string, unknown>): Promise<CalendarObject[]> {
  const responses = checked(
    await calendarQuery({
      url: calendar.url,
      props: { 'd:getetag': {}, 'c:calendar-data': {} },
      filters: { 'comp-filter': { _attributes: { name: 'VCALENDAR' }, 'comp-filter': { _attributes: { name: 'VEVENT' }, ...filter } } },
      depth: '1',
      ...connection(calendar),
    }),
  );
  const objects: CalendarObject[] = [];
  for (const response of responses) {
    const props = (response.props ?? {}) as Record<string, unknown>;
    const data = props.calendarData as string | { _cdata?: string } | undefined;
    const ics = typeof data === 'string' ? data : data?._cdata;
    if (!ics) continue; // the collection itself, or an object the server would not render
    objects.push({ url: new URL(response.href ?? '', calendar.url).href, etag: text(props.getetag), data: ics });
  }
  return objects;
}

/** Where write-back keeps the event of one UID: `<uid>.ics` in the collection. */
const objectUrl = (calendar: CalDavCalendar, uid: string): string =>
  new URL(`${encodeURIComponent(uid)}.ics`, calendar.url.endsWith('/') ? calendar.url : `${calendar.url}/`).href;

/**
 * Writes the event of `uid`: created with If-None-Match: * when `etag` is null (a 412 if it
 * exists), else replaced with If-Match: etag (a 412 if it changed since). Answers the new ETag
 * when the server gives one.
 */
export async function putEvent(calendar: CalDavCalendar, uid: string, ics: string, etag: string | null): Promise<{ etag: string | null }> {
  const url = objectUrl(calendar, uid);
  const response =
    etag === null
      ? await createCalendarObject({ calendar: { url: calendar.url }, filename: url.slice(url.lastIndexOf('/') + 1), iCalString: ics, ...connection(calendar) })
      : await updateCalendarObject({ calendarObject: { url, etag, data: ics }, ...connection(calendar) });
  if (!response.ok) throw statusFailure(response.status);
  return { etag: response.headers.get('etag') };
}

/** The current ETag of the event of `uid` (a depth-0 PROPFIND), or null when there is none. */
export async function eventEtag(calendar: CalDavCalendar, uid: string): Promise<string | null> {
  const [response] = await propfind({ url: objectUrl(calendar, uid), props: { 'd:getetag': {} }, depth: '0', ...connection(calendar) });
  if (!response || response.status === 404) return null;
  checked([response]);
  return text(((response.props ?? {}) as Record<string, unknown>).getetag);
}

/** Deletes the event of `uid` (If-Match when `etag` is given); an event already gone is fine. */
export async function deleteEvent(calendar: CalDavCalendar, uid: string, etag: string | null): Promise<void> {
  const response = await deleteCalendarObject({ calendarObject: { url: objectUrl(calendar, uid), etag: etag ?? undefined }, ...connection(calendar) });
  if (!response.ok && response.status !== 404) throw statusFailure(response.status);
}
