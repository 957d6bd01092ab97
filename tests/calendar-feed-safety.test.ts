import ICAL from 'ical.js';
import { capturedLogger } from './support/log-capture';
import { startTestApp, type ServedTestApp } from './support/app';
import { AddOneTimeWindowDocument, BookSlotDocument, CreateCalendarFeedDocument, CreateEventTypeDocument } from './generated/graphql';

// Issue 21: the non-GraphQL routes refuse malformed ids, secrets and tokens before the database
// (a NUL used to reach the driver: a 500 logging the SQL), and every property the .ics files
// write is escaped, the owner's name in X-WR-CALNAME and NAME included (it used to inject lines).

const { logger, lines } = capturedLogger();
let t: ServedTestApp;
beforeAll(async () => { t = await startTestApp({ listen: true, logger, now: new Date('2030-01-07T08:00:00Z') }); });
afterAll(() => t.close());

// ical.js reads properties it does not know as raw values; these two are TEXT (RFC 7986 NAME, and
// X-WR-CALNAME as calendar apps read it), so it is told to unescape them as such.
const design = ICAL.design.icalendar.property as Record<string, { defaultType: string }>;
design.name = { defaultType: 'text' };
design['x-wr-calname'] = { defaultType: 'text' };

const errorLines = () => lines.filter((l) => (l.level ?? 0) >= 50);

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.origin}${path}`);
  return { status: res.status, text: await res.text() };
}

describe('malformed ids, secrets and tokens', () => {
  const TOKEN = `sbm_${'A'.repeat(43)}`;
  const UUID = '0190a0b0-0000-7000-8000-000000000000';
  test.each([
    ['a NUL as the booking id', `/bookings/%00.ics?manageToken=${TOKEN}`],
    ['a NUL inside a UUID', `/bookings/${UUID.slice(0, 10)}%00${UUID.slice(11)}.ics?manageToken=${TOKEN}`],
    ['a NUL in the manage token', `/bookings/${UUID}.ics?manageToken=sbm_%00${'A'.repeat(42)}`],
    ['a NUL in the feed secret', `/feeds/sbf_%00${'A'.repeat(42)}.ics`],
    ['an over-long id', `/bookings/${'a'.repeat(199)}.ics?manageToken=${TOKEN}`],
    ['an id that is no UUID', `/bookings/not-a-booking.ics?manageToken=${TOKEN}`],
    ['an upper-case UUID', `/bookings/${UUID.toUpperCase()}.ics?manageToken=${TOKEN}`],
    ['a UUID with junk after it', `/bookings/${UUID}%27--.ics?manageToken=${TOKEN}`],
    ['percent-encoded junk', `/bookings/%E2%80%AE%F0%9F%98%80%0D%0A.ics?manageToken=${TOKEN}`],
    ['a broken percent-encoding', `/bookings/%E0%A4%A.ics?manageToken=${TOKEN}`],
    ['an over-long manage token', `/bookings/${UUID}.ics?manageToken=sbm_${'A'.repeat(5000)}`],
    ['a token of the wrong kind', `/bookings/${UUID}.ics?manageToken=sbo_${'A'.repeat(43)}`],
    ['no manage token', `/bookings/${UUID}.ics`],
    ['a feed secret of control characters', `/feeds/%01%02%03%7F.ics`],
  ])('%s: the 404 of an unknown one, nothing logged as an error', async (_what, path) => {
    const before = errorLines().length;
    const res = await get(path);
    expect(res).toEqual({ status: 404, text: 'not found\n' });
    expect(errorLines().slice(before)).toEqual([]);
  });

  test.each([
    ['a NUL booking id and token', '/manage/%00?token=%00'],
    ['a NUL owner id', '/book/%00'],
    ['a NUL slug', '/book/%00/%00'],
    ['an over-long booking id', `/manage/${'x'.repeat(5000)}?token=x`],
  ])('the pages never read the database: %s answers the page as for an unknown id, nothing logged as an error', async (_what, path) => {
      const before = errorLines().length;
      const [odd, unknown] = await Promise.all([get(path), get('/manage/some-booking?token=x')]);
      expect(odd.status).toBe(unknown.status);
      expect(odd.status).toBeLessThan(500);
      expect(errorLines().slice(before)).toEqual([]);
  });
});

describe('every property written is escaped (RFC 5545 3.3.11)', () => {
  const NAMES = [
    'Evil\r\nATTENDEE:mailto:evil@example.com\r\nX-INJ:1',
    'Lone LF\nX-INJ:2 and lone CR\rX-INJ:3',
    'Semi;colon, comma, back\\slash and "quotes" ^caret',
    'Bell\u0007 NUL-free control\u001b characters',
  ];

  async function ownerNamed(name: string) {
    // Written straight into the row: names from before input was checked (another change refuses control characters at input).
    const owner = await t.createOwner({ name: 'placeholder', timeZone: 'UTC', slotMinutes: 60 });
    await t.app.orm.em.fork().getConnection().execute('update owner set name = ? where id = ?', [name, owner.id]);
    await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
    const eventType = (await t.ok(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro; call, \\ now', durations: [60], defaultDuration: 60 } }, owner.token)).createEventType;
    const booked = (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', eventTypeId: eventType.id, invitee: { name: 'Grace; Hopper, \\ Jr', email: 'grace@example.com' } } })).bookSlot;
    const feed = (await t.ok(CreateCalendarFeedDocument, {}, owner.token)).createCalendarFeed.url;
    return { feed, booking: `/bookings/${booked.booking.id}.ics?manageToken=${encodeURIComponent(booked.manageToken)}` };
  }

  /** Fetches an .ics and checks its raw lines: unfolded (RFC 5545 3.1), each is a property, none injected, no control character. */
  async function icsWithoutInjection(path: string): Promise<ICAL.Component> {
    const res = await get(path);
    expect(res.status).toBe(200);
    const contentLines = res.text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
    expect(contentLines.filter((l) => /^(ATTENDEE|X-INJ)/.test(l))).toEqual([]);
    // Every line is a property (NAME[;params]:value), never a stray fragment of a name.
    for (const l of contentLines) expect(l).toMatch(/^[A-Z][A-Z0-9-]*[;:]/);
    expect(res.text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
    return new ICAL.Component(ICAL.parse(res.text));
  }
  const expectedName = (name: string) => name.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').replace(/\r\n|\r/g, '\n');

  test.each(NAMES)('the owner feed of an owner named %j: no injected line, and ical.js reads the name back', async (name) => {
    const calendar = await icsWithoutInjection((await ownerNamed(name)).feed);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(expectedName(name));
    expect(calendar.getFirstPropertyValue('name')).toBe(expectedName(name));
    expect(calendar.getFirstSubcomponent('vevent')!.getFirstPropertyValue('summary')).toBe('Intro; call, \\ now: Grace; Hopper, \\ Jr');
  });

  test.each(NAMES)("the invitee's .ics of an owner named %j: no injected line; SUMMARY and ORGANIZER's CN read back", async (name) => {
    const event = (await icsWithoutInjection((await ownerNamed(name)).booking)).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('summary')).toBe(`Intro; call, \\ now with ${expectedName(name)}`);
    expect(event.getFirstProperty('organizer')!.getParameter('cn')).toBe(expectedName(name));
  });
});
