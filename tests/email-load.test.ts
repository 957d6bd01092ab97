import { startTestApp, type TestApp } from './support/app';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import { RequestLoad } from '../src/modules/outbox/outbox';
import { AddOneTimeWindowDocument, BookSlotDocument, CreateOwnerWithEmailDocument } from './generated/graphql';

// Emails yield to requests (outbox.ts, RequestLoad; email.sender.ts, concurrencyWhenBusy): while
// the process's event loop is kept busy, emails go out one at a time, over one SMTP connection,
// and still go out. The load is a loop of 5 ms of CPU work between turns of the event loop, so
// the app, its outbox and the SMTP server (in this process too) still run between them.

const HOUR = 3_600_000;
const DAY = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR + 3 * 24 * HOUR;
const at = (hours: number) => new Date(DAY + hours * HOUR).toISOString();

/** Keeps the event loop about 95% busy until stopped. */
function loadTheEventLoop(): () => Promise<void> {
  let running = true;
  const done = (async () => {
    while (running) {
      const until = performance.now() + 5;
      while (performance.now() < until) {
        // CPU work: nothing else runs meanwhile.
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return async () => {
    running = false;
    await done;
  };
}

test('RequestLoad: busy while the event loop is more than 90% used over its window, not once it idles', async () => {
  const load = new RequestLoad();
  const stop = loadTheEventLoop();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(load.busy()).toBe(true);
  await stop();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(load.busy()).toBe(false);
});

describe('emails while requests keep the process busy', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ now: new Date(), emails: { smtpUrl: smtp.url, mailFrom: 'Slotbook <bookings@slotbook.test>', pollIntervalMs: 50 } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  test('go out one at a time, over one SMTP connection, and all of them arrive', async () => {
    const { createOwner } = await t.ok(CreateOwnerWithEmailDocument, { input: { name: 'Ada', timeZone: 'UTC', email: 'owner@example.com' } });
    await t.ok(AddOneTimeWindowDocument, { input: { startsAt: at(0), endsAt: at(24) } }, createOwner.token);
    const stop = loadTheEventLoop();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      // 4 bookings, 2 emails each: without the limit, all 8 at once (perOwnerInFlight is 8).
      await Promise.all(Array.from({ length: 4 }, (_, i) => t.ok(BookSlotDocument, { input: { ownerId: createOwner.owner.id, startsAt: at(i), invitee: { name: 'Grace', email: `g${i}@example.com` } } })));
      await smtp.waitFor((received) => received.length >= 8);
    } finally {
      await stop();
    }
    expect(smtp.connections).toBe(1);
  });
});
