import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { renderEmail, toMailOptions, type BookingEmailFacts, type BookingEmailKind, type RenderedEmail } from '../src/modules/email/render';

// The email renderer (docs/api.md, Part 3, 26) over every kind: the recipient's zone, the manage
// link exactly where the rules put it, escaping, and the iTIP invitation read back by Mozilla's
// ical.js; then the nodemailer options composed into a real MIME message and parsed by mailparser.
// The renderer reads no clock, so fixed dates cannot rot.

const NASTY = '<script>alert(1)</script> & "Ada"';
const NASTY_HTML = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ada&quot;';
const MANAGE_URL = 'http://127.0.0.1:4000/manage/bk_1?token=tok_secret';

interface KindCase {
  kind: BookingEmailKind;
  audience: 'invitee' | 'owner';
  method: 'REQUEST' | 'CANCEL' | null;
  manageLink: boolean;
  subjectStart: string;
}

const KINDS: KindCase[] = [
  { kind: 'BOOKING_CONFIRMED', audience: 'invitee', method: 'REQUEST', manageLink: true, subjectStart: 'Confirmed: ' },
  { kind: 'BOOKING_RESCHEDULED', audience: 'invitee', method: 'REQUEST', manageLink: true, subjectStart: 'Rescheduled: ' },
  { kind: 'BOOKING_CANCELLED', audience: 'invitee', method: 'CANCEL', manageLink: false, subjectStart: 'Cancelled: ' },
  { kind: 'BOOKING_REMINDER', audience: 'invitee', method: null, manageLink: true, subjectStart: 'Reminder: ' },
  { kind: 'OWNER_NEW_BOOKING', audience: 'owner', method: 'REQUEST', manageLink: false, subjectStart: 'New booking: ' },
  { kind: 'OWNER_BOOKING_RESCHEDULED', audience: 'owner', method: 'REQUEST', manageLink: false, subjectStart: 'Rescheduled booking: ' },
  { kind: 'OWNER_BOOKING_CANCELLED', audience: 'owner', method: 'CANCEL', manageLink: false, subjectStart: 'Cancelled booking: ' },
];

// The US spring-forward night of 2032 (Sun 14 Mar, 02:00 → 03:00 in New York): an hour booked from
// 06:30Z reads 01:30 EST to 03:30 EDT there, and 12:00 to 13:00 in Kolkata (no DST).
const STARTS = new Date('2032-03-14T06:30:00Z');
const ENDS = new Date('2032-03-14T07:30:00Z');
const PREVIOUS = new Date('2032-03-12T15:00:00Z');
const ZONES = [
  { zone: 'America/New_York', span: 'Sun 14 Mar 2032, 01:30 – 03:30 (America/New_York)', start: 'Sun 14 Mar 2032, 01:30 (America/New_York)', previous: 'Fri 12 Mar 2032, 10:00 (America/New_York)' },
  { zone: 'Asia/Kolkata', span: 'Sun 14 Mar 2032, 12:00 – 13:00 (Asia/Kolkata)', start: 'Sun 14 Mar 2032, 12:00 (Asia/Kolkata)', previous: 'Fri 12 Mar 2032, 20:30 (Asia/Kolkata)' },
];

function factsFor(c: KindCase, zone: string, overrides: Partial<BookingEmailFacts> = {}): BookingEmailFacts {
  const invitee = { name: NASTY, email: 'ada@invitee.test' };
  const owner = { name: 'Dr. Grace <Hopper>' };
  return {
    kind: c.kind,
    recipient: c.audience === 'invitee' ? { ...invitee, timeZone: zone } : { name: owner.name, email: 'grace@clinic.test', timeZone: zone },
    owner,
    organizer: { name: owner.name, email: 'grace@clinic.test' },
    invitee,
    eventTypeTitle: 'Consultation & "care"',
    booking: { id: 'bk_1', startsAt: STARTS, endsAt: ENDS, sequence: 3, cancelled: c.method === 'CANCEL', previousStartsAt: PREVIOUS },
    // Given for every kind: the renderer itself keeps it out of the emails the rules exclude.
    manageUrl: MANAGE_URL,
    reminderMinutes: c.kind === 'BOOKING_REMINDER' ? 90 : null,
    recordedAt: new Date('2032-03-01T10:00:00Z'),
    ...overrides,
  };
}

function parseInvitation(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = calendar.getFirstSubcomponent('vevent')!;
  const prop = (name: string) => event.getFirstProperty(name)!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    status: event.getFirstPropertyValue('status'),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    end: (event.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
    stamp: (event.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    organizer: { value: String(prop('organizer').getFirstValue()).toLowerCase(), cn: prop('organizer').getParameter('cn') },
    attendees: event.getAllProperties('attendee').map((a) => ({
      value: String(a.getFirstValue()).toLowerCase(),
      cn: a.getParameter('cn'),
      partstat: a.getParameter('partstat'),
    })),
    description: String(event.getFirstPropertyValue('description') ?? ''),
  };
}

describe.each(ZONES)('in $zone', ({ zone, span, start, previous }) => {
  test.each(KINDS)('$kind shows the times in the zone, the names, the title, and the link only where due', async (c) => {
    const email = await renderEmail(factsFor(c, zone));
    expect(email.subject.startsWith(c.subjectStart)).toBe(true);
    expect(email.subject).toContain(start);
    for (const part of [email.text, email.html]) {
      expect(part).toContain(span);
      expect(part.includes(MANAGE_URL)).toBe(c.manageLink);
    }
    expect(email.text).toContain('Dr. Grace <Hopper>');
    expect(email.html).toContain('Dr. Grace &lt;Hopper&gt;');
    expect(email.text).toContain('Consultation & "care"');
    expect(email.html).toContain('Consultation &amp; &quot;care&quot;');
    const rescheduled = c.kind === 'BOOKING_RESCHEDULED' || c.kind === 'OWNER_BOOKING_RESCHEDULED';
    expect(email.text.includes(previous)).toBe(rescheduled);
    if (c.kind === 'BOOKING_REMINDER') expect(email.text).toContain('1 hour 30 minutes');
  });
});

test.each(KINDS)('$kind escapes names in HTML and keeps them literal in the text', async (c) => {
  const email = await renderEmail(factsFor(c, 'UTC'));
  expect(email.html).not.toContain('<script>');
  expect(email.html).toContain(NASTY_HTML);
  expect(email.text).toContain(NASTY);
});

test.each(KINDS)('$kind carries the invitation that matches the booking', async (c) => {
  const facts = factsFor(c, 'America/New_York');
  const email = await renderEmail(facts);
  if (c.method === null) {
    expect(email.invitation).toBeNull();
    return;
  }
  expect(email.invitation?.method).toBe(c.method);
  expect(email.invitation!.ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  const ics = parseInvitation(email.invitation!.ics);
  expect(ics).toMatchObject({
    method: c.method,
    uid: 'bk_1@slotbook',
    sequence: 3,
    status: c.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    start: STARTS.toISOString(),
    end: ENDS.toISOString(),
    stamp: '2032-03-01T10:00:00.000Z',
    organizer: { value: 'mailto:grace@clinic.test', cn: 'Dr. Grace <Hopper>' },
    attendees: [{ value: 'mailto:ada@invitee.test', cn: `<script>alert(1)</script> & 'Ada'`, partstat: 'NEEDS-ACTION' }],
  });
  expect(ics.description.includes(MANAGE_URL)).toBe(c.manageLink);
});

test('an email about a booking cancelled since carries a CANCEL and no manage link, whatever its kind', async () => {
  const facts = factsFor(KINDS[0]!, 'UTC', { booking: { id: 'bk_1', startsAt: STARTS, endsAt: ENDS, sequence: 0, cancelled: true, previousStartsAt: null } });
  const email = await renderEmail(facts);
  expect(parseInvitation(email.invitation!.ics)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED' });
  expect(email.text).not.toContain(MANAGE_URL);
});

test('without an event type title the subject and body still read, with no empty title', async () => {
  const email = await renderEmail(factsFor(KINDS[0]!, 'UTC', { eventTypeTitle: null }));
  expect(email.subject).toBe('Confirmed: booking with Dr. Grace <Hopper> on Sun 14 Mar 2032, 06:30 (UTC)');
  expect(email.text).not.toContain('What:');
  expect(parseInvitation(email.invitation!.ics).uid).toBe('bk_1@slotbook');
});

test('a zone the runtime does not know shows the times in UTC rather than failing', async () => {
  const email = await renderEmail(factsFor(KINDS[0]!, 'Mars/Olympus_Mons'));
  expect(email.text).toContain('Sun 14 Mar 2032, 06:30 – 07:30 (UTC)');
});

test('PASSWORD_RESET carries only its link', async () => {
  const resetUrl = 'http://127.0.0.1:4000/reset?token=rst_abc';
  const email = await renderEmail({ kind: 'PASSWORD_RESET', recipient: { name: NASTY, email: 'ada@invitee.test' }, resetUrl });
  expect(email.invitation).toBeNull();
  expect(email.subject).toBe('Reset your Slotbook password');
  expect(email.text.startsWith('Reset your password\n')).toBe(true); // the heading, not uppercased
  for (const part of [email.text, email.html]) {
    expect(part).toContain(resetUrl);
    expect(part).not.toMatch(/manage|2032/);
  }
  expect(email.html).toContain(NASTY_HTML);
  expect(email.html).not.toContain('<script>');
});

/** The raw MIME message nodemailer would send for these options, parsed back by mailparser. */
async function composeAndParse(email: RenderedEmail, messageId: string): Promise<{ raw: string; parsed: ParsedMail }> {
  const options = toMailOptions(email, { from: 'Slotbook <mail@slotbook.test>', to: 'ada@invitee.test', messageId });
  const raw = await new MailComposer(options).compile().build();
  return { raw: raw.toString('utf8'), parsed: await simpleParser(raw) };
}

test.each(KINDS)('$kind composes into text, HTML and, with an invitation, the calendar part and invite.ics', async (c) => {
  const email = await renderEmail(factsFor(c, 'Asia/Kolkata'));
  const messageId = `<email-${c.kind.toLowerCase()}@slotbook>`;
  const { raw, parsed } = await composeAndParse(email, messageId);
  expect(parsed.messageId).toBe(messageId);
  expect(parsed.subject).toBe(email.subject);
  expect(parsed.text?.trim()).toBe(email.text.trim());
  expect(parsed.html).toBe(email.html);
  expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

  const calendarParts = parsed.attachments.filter((a) => a.contentType === 'text/calendar');
  const inviteFiles = parsed.attachments.filter((a) => a.filename === 'invite.ics');
  if (c.method === null) {
    expect(parsed.attachments).toEqual([]);
    expect(raw).not.toMatch(/text\/calendar/i);
    return;
  }
  // The part beside text and HTML (multipart/alternative) with its method, as Gmail and Outlook read it.
  expect(calendarParts).toHaveLength(1);
  expect(raw).toMatch(new RegExp(`Content-Type: text/calendar; charset=utf-8; method=${c.method}`));
  expect(calendarParts[0]!.contentDisposition).toBeUndefined();
  expect(calendarParts[0]!.content.toString('utf8')).toBe(email.invitation!.ics);
  // One invite.ics attachment, the same invitation, for clients that read attachments only.
  expect(inviteFiles).toHaveLength(1);
  expect(inviteFiles[0]!.contentDisposition).toBe('attachment');
  expect(parseInvitation(inviteFiles[0]!.content.toString('utf8'))).toMatchObject({ method: c.method, uid: 'bk_1@slotbook', sequence: 3 });
});

test('PASSWORD_RESET composes into text and HTML with no attachment', async () => {
  const email = await renderEmail({ kind: 'PASSWORD_RESET', recipient: { name: 'Ada', email: 'ada@invitee.test' }, resetUrl: 'http://127.0.0.1:4000/reset?token=rst_abc' });
  const { raw, parsed } = await composeAndParse(email, '<email-reset@slotbook>');
  expect(parsed.messageId).toBe('<email-reset@slotbook>');
  expect(parsed.text).toContain('http://127.0.0.1:4000/reset?token=rst_abc');
  expect(parsed.html).toBe(email.html);
  expect(parsed.attachments).toEqual([]);
  expect(raw).not.toMatch(/text\/calendar/i);
});
