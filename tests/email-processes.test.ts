import type { ParsedMail } from 'mailparser';
import { freshDatabaseUrl, testDialect } from './support/database';
import { dayAhead, ok, spawnServer, waitUntilHealthy, type ServerProcess } from './support/server-process';
import { discardSharedDatabase } from './support/shared-database';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server';
import { AddOneTimeWindowDocument, BookSlotDocument, CreateOwnerDocument } from './generated/graphql';

// docs/api.md, Part 3, 27 (recorded in the change's transaction, sent at least once, never twice at
// once): real server processes (dist/main.js) on one database of the dialect under test, sending
// to a real SMTP server on 127.0.0.1, counted there. Servers read the real clock, so windows lie a
// year ahead (dayAhead). Waits have deadlines and measure nothing.

const DAY = dayAhead(11);

async function running(name: string, databaseUrl: string, smtp: TestSmtpServer): Promise<ServerProcess> {
  // Retries every 0.2 s for 20 s: a refused connection is retried, never given up on, within the test.
  const server = await spawnServer(name, databaseUrl, 'silent', { SMTP_URL: smtp.url, MAIL_FROM: 'bookings@slotbook.test', EMAIL_RETRY_DELAYS: Array(100).fill('0.2').join(',') });
  await waitUntilHealthy(server);
  return server;
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/** An owner (no address of its own: only invitee emails) with `count` hour-long slots on DAY, each booked; returns the invitees' addresses. */
async function bookAll(servers: ServerProcess[], count: number): Promise<string[]> {
  const created = await ok(servers[0]!, CreateOwnerDocument, { input: { name: 'Mailed', timeZone: 'UTC', slotMinutes: 60 } });
  const owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
  const end = new Date(Date.parse(`${DAY}T00:00:00Z`) + count * 3_600_000).toISOString();
  await ok(servers[0]!, AddOneTimeWindowDocument, { input: { startsAt: `${DAY}T00:00:00Z`, endsAt: end } }, owner.token);
  await Promise.all(
    Array.from({ length: count }, (_, n) =>
      ok(servers[n % servers.length]!, BookSlotDocument, {
        input: { ownerId: owner.id, startsAt: new Date(Date.parse(`${DAY}T00:00:00Z`) + n * 3_600_000).toISOString(), invitee: { name: `Invitee ${n}`, email: `i${n}@example.com` } },
      }),
    ),
  );
  return Array.from({ length: count }, (_, n) => `i${n}@example.com`);
}

const recipient = (m: ParsedMail) => (m.to && !Array.isArray(m.to) ? m.to.value[0]!.address! : '');

/** How often each Message-ID arrived. */
function messageIdCounts(messages: ParsedMail[]): number[] {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.messageId!, (counts.get(m.messageId!) ?? 0) + 1);
  return [...counts.values()];
}

describe(`emails across server processes (${testDialect})`, () => {
  let databaseUrl: string;
  let servers: ServerProcess[] = [];
  let smtp: TestSmtpServer | undefined;

  beforeEach(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
  });
  afterEach(async () => {
    await Promise.all(servers.map(stop));
    servers = [];
    await smtp?.close();
    discardSharedDatabase(databaseUrl);
  });

  test('kill -9 right after 20 acknowledged bookings while SMTP refuses connections, then a restart: 20 confirmations, each Message-ID once', async () => {
    smtp = await startSmtpServer();
    await smtp.refuse();
    const a = await running('A', databaseUrl, smtp);
    servers.push(a);
    const invitees = await bookAll([a], 20);
    a.child.kill('SIGKILL');
    await a.exited;
    await smtp.accept();

    const restarted = await running('A, restarted', databaseUrl, smtp);
    servers.push(restarted);
    await smtp.waitFor((got) => got.length >= 20, 45_000);
    // The outbox polls every second: two more rounds would have sent any duplicate.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(smtp.received.map(recipient).sort()).toEqual([...invitees].sort());
    expect(messageIdCounts(smtp.received)).toEqual(Array(20).fill(1));
  });

  test('two processes on one database send each email once', async () => {
    smtp = await startSmtpServer();
    const [a, b] = await Promise.all([running('A', databaseUrl, smtp), running('B', databaseUrl, smtp)]);
    servers.push(a, b);
    const invitees = await bookAll([a, b], 24);
    await smtp.waitFor((got) => got.length >= 24, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(smtp.received.map(recipient).sort()).toEqual([...invitees].sort());
    expect(messageIdCounts(smtp.received)).toEqual(Array(24).fill(1));
  });
});
