import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { startTestApp, type ServedTestApp } from './support/app';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CompleteBookingDocument,
  CreateCalendarFeedDocument,
  CreateEventTypeDocument,
  RescheduleBookingDocument,
  RotateOwnerTokenDocument,
  RotateOwnerTokenRevokingFeedDocument,
  type BookSlotInput,
} from './generated/graphql';

// docs/api.md, Part 2, 17-18: the owner's secret feed and the invitee's single-booking .ics,
// fetched over real HTTP and parsed with Mozilla's ical.js (a parser nobody here wrote). The test
// clock starts on Monday 2030-01-07 08:00Z; the feed's 30-day look-back is measured on it.

let t: ServedTestApp;
beforeAll(async () => { t = await startTestApp({ listen: true, over: 'http' }); });
afterAll(() => t.close());

/** Over 75 octets in any encoding, full of accents, multi-octet emoji and a ZWJ family: folding must not split a character. */
const LONG_NAME = 'Zoë Ångström-Nuñez 😀🎉 Łukasz Žižek Çelik 👩‍👩‍👧‍👦 Ærøskøbing Þórdís ĉu ŝi 🇳🇴🇯🇵 élève naïve façade — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀😀😀';

const sql = <Row = Record<string, unknown>>(statement: string, params: unknown[] = []): Promise<Row[]> =>
  t.app.orm.em.fork().getConnection().execute(statement, params);

interface Fetched {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  bytes: Buffer;
  text: string;
}

async function get(path: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Fetched> {
  const res = await fetch(`${t.origin}${path}`, { method });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, contentType: res.headers.get('content-type'), cacheControl: res.headers.get('cache-control'), bytes, text: bytes.toString('utf8') };
}

interface ParsedEvent {
  uid: string;
  summary: string;
  status: string;
  sequence: number;
  start: string;
  end: string;
  startIsUtc: boolean;
  stamp: string;
}

function parse(text: string): { calendar: ICAL.Component; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  const events = calendar.getAllSubcomponents('vevent').map((e) => {
    const start = e.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = e.getFirstPropertyValue('dtend') as ICAL.Time;
    return {
      uid: e.getFirstPropertyValue('uid') as string,
      summary: e.getFirstPropertyValue('summary') as string,
      status: e.getFirstPropertyValue('status') as string,
      sequence: e.getFirstPropertyValue('sequence') as unknown as number,
      start: start.toJSDate().toISOString(),
      end: end.toJSDate().toISOString(),
      startIsUtc: start.zone === ICAL.Timezone.utcTimezone && end.zone === ICAL.Timezone.utcTimezone,
      stamp: (e.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    };
  });
  return { calendar, events };
}

/** RFC 5545 3.1: every line ends in CRLF, no line is longer than 75 octets, and a fold never splits a UTF-8 sequence. */
function expectWellFormedLines(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.slice(0, -2).split('\r\n').some((l) => l.includes('\n') || l.includes('\r'))).toBe(false);
  const lines: string[] = [];
  let from = 0;
  for (let at = bytes.indexOf('\r\n', from); at !== -1; at = bytes.indexOf('\r\n', from)) {
    const line = bytes.subarray(from, at);
    expect(line.length).toBeLessThanOrEqual(75);
    // fatal: a line that ends or starts inside a multi-octet character does not decode.
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(line);
    expect(decoded).not.toContain('\uFFFD'); // nor was a surrogate pair split before encoding
    lines.push(decoded);
    from = at + 2;
  }
  return lines;
}

async function newOwner(name: string) {
  const owner = await t.createOwner({ name, timeZone: 'UTC', slotMinutes: 60 });
  for (const [startsAt, endsAt] of [
    ['2030-01-08T09:00:00Z', '2030-01-08T12:00:00Z'],
    ['2030-02-08T09:00:00Z', '2030-02-08T17:00:00Z'],
  ]) {
    await t.ok(AddOneTimeWindowDocument, { input: { startsAt: startsAt!, endsAt: endsAt! } }, owner.token);
  }
  return owner;
}

async function book(ownerId: string, startsAt: string, extra: Partial<BookSlotInput> = {}, name = 'Grace Hopper') {
  const { bookSlot } = await t.ok(BookSlotDocument, { input: { ownerId, startsAt, invitee: { name, email: 'grace@example.com' }, ...extra } });
  return { id: bookSlot.booking.id, manageToken: bookSlot.manageToken };
}

async function newFeed(token: string | null): Promise<string> {
  return (await t.ok(CreateCalendarFeedDocument, {}, token)).createCalendarFeed.url;
}

describe('an owner\'s calendar feed', () => {
  let owner: { id: string; token: string };
  let feedUrl: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t.clock.now = new Date('2030-01-07T08:00:00Z');
    owner = await newOwner('Ada Lovelace Consulting');
    ids.old = (await book(owner.id, '2030-01-08T09:00:00Z')).id; // ends 10:00: 30 days before 2030-02-07T10:00Z
    ids.edge = (await book(owner.id, '2030-01-08T10:00:00Z')).id; // ends 11:00: 30 days before 2030-02-07T11:00Z
    await t.ok(CompleteBookingDocument, { id: ids.edge }, owner.token);
    t.clock.now = new Date('2030-02-07T10:30:00Z');
    const moved = await book(owner.id, '2030-02-08T09:00:00Z');
    ids.moved = moved.id;
    await t.ok(RescheduleBookingDocument, { id: moved.id, startsAt: '2030-02-08T10:00:00Z', manageToken: moved.manageToken });
    await t.ok(RescheduleBookingDocument, { id: moved.id, startsAt: '2030-02-08T11:00:00Z' }, owner.token);
    ids.cancelled = (await book(owner.id, '2030-02-08T13:00:00Z')).id;
    await t.ok(CancelBookingDocument, { id: ids.cancelled }, owner.token);
    const eventType = (await t.ok(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro call', durations: [30], defaultDuration: 30 } }, owner.token)).createEventType;
    ids.long = (await book(owner.id, '2030-02-08T14:00:00Z', { eventTypeId: eventType.id }, LONG_NAME)).id;
    feedUrl = await newFeed(owner.token);
  });

  test('createCalendarFeed answers a path /feeds/<secret>.ics', () => {
    expect(feedUrl).toMatch(/^\/feeds\/[A-Za-z0-9_-]{20,}\.ics$/);
  });

  test('serves text/calendar with the calendar properties, parsed by ical.js', async () => {
    const res = await get(feedUrl);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/calendar; charset=utf-8');
    expect(res.cacheControl).toBe('private, no-cache, max-age=0');
    const { calendar } = parse(res.text);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Ada Lovelace Consulting');
    expect(res.text).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n');
    expect(calendar.getFirstProperty('refresh-interval')?.type).toBe('duration'); // ical.js reads VALUE=DURATION as the type
    expect(String(calendar.getFirstPropertyValue('refresh-interval'))).toBe('PT15M');
  });

  test('one VEVENT per booking ending after now − 30 days, with UID, DTSTAMP, UTC times, SEQUENCE and STATUS', async () => {
    const { events } = parse((await get(feedUrl)).text);
    const byUid = new Map(events.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual([ids.edge, ids.moved, ids.cancelled, ids.long].map((id) => `${id}@slotbook`).sort());
    expect(byUid.has(`${ids.old}@slotbook`)).toBe(false); // ended 30 days and 30 minutes ago
    for (const e of events) {
      expect(e.startIsUtc).toBe(true);
      expect(e.stamp).toBe('2030-02-07T10:30:00.000Z');
    }
    expect(byUid.get(`${ids.edge}@slotbook`)).toMatchObject({ status: 'CONFIRMED', sequence: 0, start: '2030-01-08T10:00:00.000Z', end: '2030-01-08T11:00:00.000Z', summary: 'Grace Hopper' });
    expect(byUid.get(`${ids.moved}@slotbook`)).toMatchObject({ status: 'CONFIRMED', sequence: 2, start: '2030-02-08T11:00:00.000Z', end: '2030-02-08T12:00:00.000Z' });
    expect(byUid.get(`${ids.cancelled}@slotbook`)).toMatchObject({ status: 'CANCELLED', sequence: 0, start: '2030-02-08T13:00:00.000Z' });
    expect(byUid.get(`${ids.long}@slotbook`)).toMatchObject({ status: 'CONFIRMED', start: '2030-02-08T14:00:00.000Z', end: '2030-02-08T14:30:00.000Z' });
  });

  test('lines end in CRLF and a long name of emoji and accents folds at 75 octets without splitting a character, round-tripping exactly', async () => {
    const res = await get(feedUrl);
    const lines = expectWellFormedLines(res.bytes);
    const summaryAt = lines.findIndex((l) => l.startsWith('SUMMARY:Intro call'));
    expect(summaryAt).toBeGreaterThan(-1);
    expect(lines[summaryAt + 1]!.startsWith(' ')).toBe(true); // it was folded
    const { events } = parse(res.text);
    expect(events.find((e) => e.uid === `${ids.long}@slotbook`)!.summary).toBe(`Intro call: ${LONG_NAME}`);
  });

  test('HEAD answers the headers without a body', async () => {
    const res = await get(feedUrl, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/calendar; charset=utf-8');
    expect(res.bytes.length).toBe(0);
  });

  test('the secret is stored only as its SHA-256', async () => {
    const secret = /^\/feeds\/(.+)\.ics$/.exec(feedUrl)![1]!;
    const rows = await sql<Record<string, unknown>>('select * from calendar_feed where owner_id = ?', [owner.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret_hash).toBe(createHash('sha256').update(secret, 'utf8').digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  test('a new feed URL revokes the old one; an unknown secret is 404 alike', async () => {
    const other = await newOwner('Other owner');
    const othersFeed = await newFeed(other.token);
    const previous = await newFeed(owner.token);
    const next = await newFeed(owner.token);
    expect(next).not.toBe(previous);
    const gone = await get(previous);
    const unknown = await get('/feeds/sbf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics');
    expect([gone.status, unknown.status]).toEqual([404, 404]);
    expect(gone.text).toBe(unknown.text);
    expect(gone.contentType).toBe(unknown.contentType);
    expect((await get(next)).status).toBe(200);
    // Another owner's new feed revokes nothing of this owner's, and lists none of its bookings.
    const theirs = parse((await get(othersFeed)).text);
    expect(theirs.calendar.getFirstPropertyValue('x-wr-calname')).toBe('Other owner');
    expect(theirs.events).toEqual([]);
    feedUrl = next;
  });

  test('createCalendarFeed is the owner\'s only: no token or a bad one is UNAUTHENTICATED', async () => {
    await t.fails(CreateCalendarFeedDocument, {}, 'UNAUTHENTICATED', null);
    await t.fails(CreateCalendarFeedDocument, {}, 'UNAUTHENTICATED', 'sbo_not-a-token');
    expect((await get(feedUrl)).status).toBe(200);
  });
});

describe('a booking\'s own .ics', () => {
  test('with its manage token: the one VEVENT; a wrong token or id is the same 404', async () => {
    t.clock.now = new Date('2030-01-07T08:00:00Z');
    const owner = await newOwner('Single booking owner');
    const booked = await book(owner.id, '2030-01-08T11:00:00Z', {}, LONG_NAME);
    await t.ok(RescheduleBookingDocument, { id: booked.id, startsAt: '2030-01-08T10:00:00Z', manageToken: booked.manageToken });
    const path = (id: string, token: string) => `/bookings/${encodeURIComponent(id)}.ics?manageToken=${encodeURIComponent(token)}`;

    const res = await get(path(booked.id, booked.manageToken));
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/calendar; charset=utf-8');
    expectWellFormedLines(res.bytes);
    const { calendar, events } = parse(res.text);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    // The invitee's view: titled with the owner (no event type here), not with the invitee's own name.
    expect(events).toEqual([
      { uid: `${booked.id}@slotbook`, summary: 'Single booking owner', status: 'CONFIRMED', sequence: 1, start: '2030-01-08T10:00:00.000Z', end: '2030-01-08T11:00:00.000Z', startIsUtc: true, stamp: '2030-01-07T08:00:00.000Z' },
    ]);
    const event = calendar.getFirstSubcomponent('vevent')!;
    const manageUrl = `${t.origin}/manage/${booked.id}?token=${encodeURIComponent(booked.manageToken)}`;
    expect(event.getFirstPropertyValue('url')).toBe(manageUrl);
    expect(event.getFirstPropertyValue('description')).toBe(`Reschedule or cancel: ${manageUrl}`);
    expect(event.getFirstProperty('organizer')!.getParameter('cn')).toBe('Single booking owner');
    expect(event.getFirstPropertyValue('organizer')).toBe('invalid:nomail'); // owners have no e-mail address
    expect((await get(path(booked.id, booked.manageToken), 'HEAD')).status).toBe(200);

    await t.ok(CancelBookingDocument, { id: booked.id, manageToken: booked.manageToken });
    expect(parse((await get(path(booked.id, booked.manageToken))).text).events[0]!.status).toBe('CANCELLED');

    const other = await book(owner.id, '2030-01-08T09:00:00Z');
    const refusals = await Promise.all([
      get(path(booked.id, other.manageToken)), // another booking's token
      get(path(booked.id, 'sbm_wrong')),
      get(`/bookings/${booked.id}.ics`), // no token
      get(path('00000000-0000-7000-8000-000000000000', booked.manageToken)),
      get(path(owner.id, booked.manageToken)),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(new Set(refusals.map((r) => r.text)).size).toBe(1);
  });
});

describe('the .ics routes', () => {
  test('answer only GET and HEAD: other methods get 405 with Allow', async () => {
    const res = await fetch(`${t.origin}/feeds/sbf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics`, { method: 'POST', body: '' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  test('a malformed percent-encoding or an over-long id is the same 404, not a 500', async () => {
    const refusals = await Promise.all([get('/feeds/%E0%A4%A.ics'), get(`/bookings/${'x'.repeat(150)}.ics?manageToken=sbm_x`), get('/bookings/%ZZ.ics?manageToken=sbm_x')]);
    expect(refusals.map((r) => r.status)).toEqual([404, 404, 404]);
  });
});

describe("the invitee's .ics names the event type and the owner, and links the manage page", () => {
  test('"<event type title> with <owner name>"; links start with PUBLIC_URL when it is set', async () => {
    const withPublicUrl = await startTestApp({ listen: true, publicUrl: 'https://book.example.com' });
    try {
      withPublicUrl.clock.now = new Date('2030-01-07T08:00:00Z');
      const owner = await withPublicUrl.createOwner({ name: 'Ada Lovelace', timeZone: 'UTC', slotMinutes: 60 });
      await withPublicUrl.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
      const eventType = (await withPublicUrl.ok(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro call', durations: [30], defaultDuration: 30 } }, owner.token)).createEventType;
      const { bookSlot } = await withPublicUrl.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', eventTypeId: eventType.id, invitee: { name: 'Grace Hopper', email: 'grace@example.com' } } });
      const res = await fetch(`${withPublicUrl.origin}/bookings/${bookSlot.booking.id}.ics?manageToken=${encodeURIComponent(bookSlot.manageToken)}`);
      const event = new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent('vevent')!;
      expect(event.getFirstPropertyValue('summary')).toBe('Intro call with Ada Lovelace');
      const manageUrl = `https://book.example.com/manage/${bookSlot.booking.id}?token=${encodeURIComponent(bookSlot.manageToken)}`;
      expect(event.getFirstPropertyValue('url')).toBe(manageUrl);
      expect(event.getFirstPropertyValue('description')).toBe(`Reschedule or cancel: ${manageUrl}`);
      expect(event.getFirstProperty('organizer')!.getParameter('cn')).toBe('Ada Lovelace');
    } finally {
      await withPublicUrl.close();
    }
  });
});

describe('rotateOwnerToken and the feed URL', () => {
  test('by default the feed keeps working; revokeCalendarFeed: true stops it too, and createCalendarFeed makes a new one', async () => {
    t.clock.now = new Date('2030-01-07T08:00:00Z');
    const owner = await newOwner('Rotating owner');
    const feed = await newFeed(owner.token);
    const rotated = (await t.ok(RotateOwnerTokenDocument, {}, owner.token)).rotateOwnerToken.token;
    expect((await get(feed)).status).toBe(200);
    const revoked = (await t.ok(RotateOwnerTokenRevokingFeedDocument, {}, rotated)).rotateOwnerToken.token;
    expect((await get(feed)).status).toBe(404);
    await t.fails(RotateOwnerTokenRevokingFeedDocument, {}, 'UNAUTHENTICATED', rotated);
    const next = await newFeed(revoked);
    expect((await get(next)).status).toBe(200);
  });
});
