import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from './support/app';
import { pollUntil } from './support/poll';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CreateEventTypeWithRemindersDocument,
  CreateOwnerWithEmailDocument,
  OwnerEmailsDocument,
  OwnerEmailWholeDocument,
  RescheduleBookingDocument,
  type EmailKind,
} from './generated/graphql';

// docs/api.md, Part 3, 25-27, on the dialect under test, with a real SMTP server (smtp-server on
// 127.0.0.1, messages parsed by mailparser, invitations by Mozilla's ical.js: implementations
// nobody here wrote). The app's clock starts at the real time, as the database's (which stamps
// the rows the triggers write); reminder tests move it. The outbox reads every 50 ms; waits have
// deadlines and measure nothing.

const PUBLIC_URL = 'https://book.example.test';
const HOUR = 3_600_000;
/** 00:00Z three days ahead: bookings lie there, their reminders days away. */
const DAY = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR + 3 * 24 * HOUR;
const at = (hours: number) => new Date(DAY + hours * HOUR).toISOString();

let smtp: TestSmtpServer;
let t: TestApp;
beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({
    now: new Date(),
    emails: { smtpUrl: smtp.url, mailFrom: 'Slotbook <bookings@slotbook.test>', publicUrl: PUBLIC_URL, pollIntervalMs: 50, retryDelaysMs: [200, 200, 200] },
  });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});
beforeEach(() => {
  smtp.answer = 'accept';
  t.clock.now = new Date();
});

async function ownerWithEventType(reminderMinutes: number[], windowFrom = at(0), windowTo = at(24)) {
  const { createOwner } = await t.ok(CreateOwnerWithEmailDocument, { input: { name: 'Dr <Ada> & Co', timeZone: 'Europe/Berlin', email: 'owner@example.com' } });
  const owner = { id: createOwner.owner.id, token: createOwner.token };
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: windowFrom, endsAt: windowTo } }, owner.token);
  const { createEventType } = await t.ok(CreateEventTypeWithRemindersDocument, { input: { slug: 'intro', title: 'Intro call', durations: [30], reminderMinutes } }, owner.token);
  return { ...owner, eventTypeId: createEventType.id };
}

async function book(owner: { id: string; eventTypeId: string }, startsAt: string, email = 'grace@example.com') {
  const { bookSlot } = await t.ok(BookSlotDocument, { input: { ownerId: owner.id, eventTypeId: owner.eventTypeId, startsAt, invitee: { name: 'Grace Hopper', email, timeZone: 'America/New_York' } } });
  return { id: bookSlot.booking.id, manageToken: bookSlot.manageToken };
}

async function emailsOf(owner: { id: string; token: string }) {
  const data = await t.ok(OwnerEmailsDocument, { ownerId: owner.id, first: 50 }, owner.token);
  return data.owner!.emails.edges.map((e) => e.node);
}

/** The message of `kind` about `bookingId` the SMTP server got, found by its Message-ID. */
async function received(owner: { id: string; token: string }, bookingId: string, kind: EmailKind): Promise<ParsedMail> {
  const emails = await pollUntil(
    () => emailsOf(owner),
    (list) => list.some((e) => e.kind === kind && e.booking?.id === bookingId && e.status === 'SENT'),
    (list) => `a SENT ${kind}; the owner's emails are ${JSON.stringify(list, null, 2)}`,
  );
  const email = emails.find((e) => e.kind === kind && e.booking?.id === bookingId)!;
  const message = smtp.received.filter((m) => m.messageId?.startsWith(`<${email.id}@`));
  expect(message).toHaveLength(1);
  expect(message[0]!.messageId).toBe(`<${email.id}@slotbook.test>`);
  return message[0]!;
}

/** The invitation part (text/calendar), parsed by ical.js. */
function invitationOf(message: ParsedMail) {
  const part = message.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(part).toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    status: event.getFirstPropertyValue('status'),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    organizer: String(event.getFirstPropertyValue('organizer')).toLowerCase(),
    attendee: String(event.getFirstPropertyValue('attendee')).toLowerCase(),
  };
}

const toAddress = (m: ParsedMail) => (m.to && !Array.isArray(m.to) ? m.to.value[0]!.address : undefined);

describe('who gets what, with the right zone, links and invitation', () => {
  test('book, reschedule, cancel: the invitee and the owner each get their email; reminders are written, moved and dropped', async () => {
    const owner = await ownerWithEventType([60, 1440]);
    const booking = await book(owner, at(10));
    const manageUrl = `${PUBLIC_URL}/manage/${booking.id}?token=${booking.manageToken}`;

    const confirmed = await received(owner, booking.id, 'BOOKING_CONFIRMED');
    expect(toAddress(confirmed)).toBe('grace@example.com');
    expect(confirmed.text).toContain('America/New_York');
    expect(confirmed.text).toContain(manageUrl);
    expect(confirmed.html).toBeTruthy();
    expect(invitationOf(confirmed)).toEqual({
      method: 'REQUEST', uid: `${booking.id}@slotbook`, sequence: 0, status: 'CONFIRMED', start: at(10),
      organizer: 'mailto:owner@example.com', attendee: 'mailto:grace@example.com',
    });
    const notice = await received(owner, booking.id, 'OWNER_NEW_BOOKING');
    expect(toAddress(notice)).toBe('owner@example.com');
    expect(notice.text).toContain('Europe/Berlin');
    expect(notice.text).not.toContain(booking.manageToken);
    expect(invitationOf(notice).method).toBe('REQUEST');

    const reminders = (list: Awaited<ReturnType<typeof emailsOf>>) => list.filter((e) => e.kind === 'BOOKING_REMINDER').map((e) => [e.dueAt, e.status]).sort();
    expect(reminders(await emailsOf(owner))).toEqual([[new Date(DAY + 10 * HOUR - 1440 * 60_000).toISOString(), 'PENDING'], [at(9), 'PENDING']]);

    await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: at(14), manageToken: booking.manageToken });
    const moved = await received(owner, booking.id, 'BOOKING_RESCHEDULED');
    expect(toAddress(moved)).toBe('grace@example.com');
    expect(moved.text).toContain(manageUrl);
    expect(invitationOf(moved)).toMatchObject({ method: 'REQUEST', sequence: 1, start: at(14) });
    expect(toAddress(await received(owner, booking.id, 'OWNER_BOOKING_RESCHEDULED'))).toBe('owner@example.com');
    expect(reminders(await emailsOf(owner))).toEqual([[new Date(DAY + 14 * HOUR - 1440 * 60_000).toISOString(), 'PENDING'], [at(13), 'PENDING']]);

    await t.ok(CancelBookingDocument, { id: booking.id, manageToken: booking.manageToken });
    const cancelled = await received(owner, booking.id, 'BOOKING_CANCELLED');
    expect(toAddress(cancelled)).toBe('grace@example.com');
    expect(cancelled.text).not.toContain(booking.manageToken);
    expect(invitationOf(cancelled)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', uid: `${booking.id}@slotbook`, sequence: 1 });
    expect(toAddress(await received(owner, booking.id, 'OWNER_BOOKING_CANCELLED'))).toBe('owner@example.com');
    expect(reminders(await emailsOf(owner))).toEqual([]);
  });

  test('the owner page reads an email whole: subject, recipient, HTML (names escaped) and invitation', async () => {
    const owner = await ownerWithEventType([]);
    await book(owner, at(11));
    await pollUntil(() => emailsOf(owner), (list) => list.length === 2, (list) => `two emails; got ${JSON.stringify(list)}`);
    const data = await t.ok(OwnerEmailWholeDocument, { ownerId: owner.id }, owner.token);
    const email = data.owner!.emails.edges[0]!.node;
    expect(email.subject).not.toBe('');
    expect(email.html).toMatch(/Dr (&lt;|&#60;|&#x3C;)Ada(&gt;|&#62;|&#x3E;) (&amp;|&#38;|&#x26;) Co/i);
    expect(email.html).not.toContain('<Ada>');
    expect(email.invitation?.ics).toContain('BEGIN:VEVENT');
  });
});

describe('reminders', () => {
  test('none for a time already past; the rest go out at their due time, by the injected clock', async () => {
    const now = Date.now();
    const start = Math.ceil((now + 90 * 60_000) / (5 * 60_000)) * 5 * 60_000;
    const owner = await ownerWithEventType([60, 120], new Date(start).toISOString(), new Date(start + 2 * HOUR).toISOString());
    const booking = await book(owner, new Date(start).toISOString());
    const listed = await emailsOf(owner);
    // 120 minutes before the start has passed: only the 60-minute reminder is written.
    expect(listed.filter((e) => e.kind === 'BOOKING_REMINDER').map((e) => e.dueAt)).toEqual([new Date(start - HOUR).toISOString()]);
    await received(owner, booking.id, 'BOOKING_CONFIRMED');

    t.clock.now = new Date(start - HOUR - 1_000);
    // Several outbox rounds (every 50 ms) with the clock a second early: nothing is sent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await emailsOf(owner)).find((e) => e.kind === 'BOOKING_REMINDER')!.status).toBe('PENDING');
    t.clock.now = new Date(start - HOUR + 1_000);
    const reminder = await received(owner, booking.id, 'BOOKING_REMINDER');
    expect(toAddress(reminder)).toBe('grace@example.com');
    expect(reminder.text).toContain('America/New_York');
    const sent = (await emailsOf(owner)).find((e) => e.kind === 'BOOKING_REMINDER')!;
    expect(Date.parse(sent.sentAt!) - Date.parse(sent.dueAt)).toBeLessThan(60_000);
  });
});

describe('SMTP refusals', () => {
  test('a temporary refusal (4xx) is retried until accepted', async () => {
    const owner = await ownerWithEventType([]);
    smtp.answer = 'temporary';
    const offeredBefore = smtp.offered;
    const booking = await book(owner, at(12), 'retry@example.com');
    await pollUntil(() => smtp.offered, (n) => n >= offeredBefore + 2, (n) => `two refused offers; the server got ${n - offeredBefore}`);
    smtp.answer = 'accept';
    await received(owner, booking.id, 'BOOKING_CONFIRMED');
    const email = (await emailsOf(owner)).find((e) => e.kind === 'BOOKING_CONFIRMED')!;
    expect(email.attempts).toBeGreaterThan(1);
  });

  test('a permanent refusal (5xx) ends FAILED at once, its lastError free of credentials', async () => {
    const owner = await ownerWithEventType([]);
    smtp.answer = 'permanent';
    await book(owner, at(13), 'gone@example.com');
    const [failed] = await pollUntil(
      async () => (await emailsOf(owner)).filter((e) => e.to === 'gone@example.com'),
      (list) => list[0]?.status === 'FAILED',
      (list) => `a FAILED email; got ${JSON.stringify(list)}`,
    );
    expect(failed!.attempts).toBe(1);
    expect(failed!.lastError).toContain('550');
    expect(failed!.lastError).not.toContain(smtp.password);
    expect(failed!.lastError).not.toContain(smtp.user);
  });
});

describe('a long-running process', () => {
  test('sending keeps SMTP connections open and leaves no listener behind on the outbox\'s shutdown signal', async () => {
    // Each send listens for shutdown on the outbox's one signal, which lives as long as the
    // process; one left behind per email would pile up for the life of the process. The SMTP pool
    // keeps at most 16 connections (the sends in flight) and sends each one's next email over it.
    const owner = await ownerWithEventType([]);
    const sentBefore = smtp.received.length;
    const connectionsBefore = smtp.connections;
    // 20 bookings, 2 emails each (invitee and owner): more than the 16 sends kept in flight.
    for (let i = 0; i < 20; i++) await book(owner, at(i * 0.5), `many${i}@example.com`);
    await smtp.waitFor((received) => received.length >= sentBefore + 40);
    expect(smtp.connections - connectionsBefore).toBeLessThanOrEqual(16);
    await pollUntil(
      () => t.app.outbox!.shutdownListeners,
      (n) => n === 0,
      (n) => `no listener once every send is over; ${n} are left`,
    );
  });
});
