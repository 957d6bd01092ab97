import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { startTestApp, type TestApp } from './support/app';
import { spawnServer, waitUntilHealthy, type ServerProcess } from './support/server-process';

// The README's "First ten minutes" with curl, and docs/tour.md's Sandbox tour, run as written.

const ROOT = path.resolve(__dirname, '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The text of the section that starts with `heading` (a whole line), up to the next heading of its level or above. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" in the README`);
  const level = heading.indexOf(' ');
  const next = text.slice(start + heading.length + 2).search(new RegExp(`\\n#{1,${level}} `));
  return next < 0 ? text.slice(start) : text.slice(start, start + heading.length + 2 + next);
}

describe('"First ten minutes": the curl steps', () => {
  let server: ServerProcess | undefined;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'slotbook-readme-'));
    server = await spawnServer('readme', `sqlite:${path.join(folder, 'slotbook.sqlite')}`);
    await waitUntilHealthy(server);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(folder, { recursive: true, force: true });
  });

  test('every ```sh block, run in order by bash against a real server, is answered without errors and leaves the booking cancelled', async () => {
    const blocks = [...section(section(readme, '## First ten minutes'), '### The same with curl').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    // The README's server is http://127.0.0.1:4000; this one listens on a free port.
    const script = [
      'set -euo pipefail',
      ...blocks.map((block, i) => `echo "::block ${i}"\n${block.replaceAll('http://127.0.0.1:4000', server!.origin)}`),
      'echo "::values $OWNER $START $BOOKING $MANAGE"',
    ].join('\n');
    const { code, stdout, stderr } = await run('bash', ['-c', script]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    // Every line an answer printed is JSON with data and no errors: one per curl command.
    const answers = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { data?: Record<string, any>; errors?: unknown });
    expect(answers).toHaveLength(blocks.join('\n').match(/\bcurl /g)!.length);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toBeTruthy();
    }
    const fields = Object.assign({}, ...answers.map((a) => a.data));
    expect(fields.bookSlot.booking.status).toBe('CONFIRMED');
    expect(fields.me.bookings.edges).toHaveLength(1);
    expect(fields.booking.status).toBe('CONFIRMED');
    expect(fields.cancelBooking).toEqual({ status: 'CANCELLED' });

    // What the steps left behind, read back through the API: the booking cancelled, its slot free again.
    const [owner, start, booking, manage] = /::values (\S+) (\S+) (\S+) (\S+)/.exec(stdout)!.slice(1) as [string, string, string, string];
    expect(start).toBe(fields.freeSlots[0].startsAt);
    const after = await post(`{ booking(id: "${booking}", manageToken: "${manage}") { status startsAt }
      freeSlots(ownerId: "${owner}", from: "${start}", to: "${new Date(Date.parse(start) + 3_600_000).toISOString()}") { startsAt } }`);
    expect(after).toEqual({ data: { booking: { status: 'CANCELLED', startsAt: start }, freeSlots: [{ startsAt: start }] } });
  }, 60_000);

  function post(query: string): Promise<unknown> {
    return fetch(server!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((r) => r.json());
  }
});

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// docs/tour.md, the Sandbox tour: each ```graphql block in order, with the ids and tokens earlier
// steps returned in place of its <placeholders>. Its dates lie in March 2032 (weekdays and New
// York offsets as in March 2027), so the app's clock stands before them.
describe('docs/tour.md', () => {
  const tour = readFileSync(path.join(ROOT, 'docs', 'tour.md'), 'utf8');
  const blocks = [...tour.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

  /** The one block whose operation (its top-level field) is `operation`. */
  function block(operation: string): string {
    const found = blocks.filter((b) => new RegExp(`^\\s*(?:query|mutation)\\s*\\{\\s*${operation}\\(`).test(b));
    if (found.length !== 1) throw new Error(`expected one block with ${operation} in docs/tour.md, found ${found.length}`);
    return found[0]!;
  }

  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2032-03-01T12:00:00Z') });
  });
  afterAll(() => app?.close());

  test('every step works when followed literally', async () => {
    const values: Record<string, string> = {};
    /** Runs a block with its placeholders filled in; fails on any error. */
    async function step(text: string, token?: string): Promise<Record<string, any>> {
      const query = text.replace(/<([a-z ]+)>/g, (_, name: string) => {
        if (!(name in values)) throw new Error(`no value yet for <${name}> in:\n${text}`);
        return values[name]!;
      });
      return app.ok(parse(query) as TypedDocumentNode<Record<string, any>, Record<string, never>>, {}, token);
    }

    // 1-2: an owner, its availability.
    const { createOwner } = await step(block('createOwner'));
    values['owner id'] = createOwner.owner.id;
    const token = createOwner.token as string;
    values['window id'] = (await step(block('addRecurringWindow'), token)).addRecurringWindow.id;
    await step(block('addOneTimeWindow'), token);

    // 3-4: free slots, a booking.
    const slotsBefore = (await step(block('freeSlots'))).freeSlots.map((s: { startsAt: string }) => s.startsAt);
    expect(slotsBefore).toContain('2032-03-15T15:00:00.000Z');
    const booking = block('bookSlot');
    const { bookSlot } = await step(booking);
    values['booking id'] = bookSlot.booking.id;
    values['manage token'] = bookSlot.manageToken;

    // 5: the invitee moves it and reads it back.
    expect((await step(block('rescheduleBooking'))).rescheduleBooking).toEqual({ startsAt: '2032-03-15T14:00:00.000Z', status: 'CONFIRMED' });
    expect((await step(block('booking'))).booking.status).toBe('CONFIRMED');

    // 6: the owner lists, cancels an occurrence, completes the booking.
    expect((await step(block('upcomingBookings'), token)).upcomingBookings.edges).toHaveLength(1);
    await step(block('cancelOccurrence'), token);
    expect((await step(block('completeBooking'), token)).completeBooking.status).toBe('COMPLETED');

    // 7: step 4 again at 11:00 with a new key, then cancel that booking; its slot is free at once.
    const again = booking.replace(/startsAt: "[^"]*"/, 'startsAt: "2032-03-15T11:00:00-04:00"').replace(/idempotencyKey: "[^"]*"/, 'idempotencyKey: "0b9e3f4c-6a1d-4c2e-8f5b-7d3a9e1c2b40"');
    expect(again).not.toBe(booking);
    const second = (await step(again)).bookSlot;
    values['new booking id'] = second.booking.id;
    values['new manage token'] = second.manageToken;
    expect((await step(block('cancelBooking'))).cancelBooking.status).toBe('CANCELLED');
    expect((await step(block('freeSlots'))).freeSlots.map((s: { startsAt: string }) => s.startsAt)).toContain('2032-03-15T15:00:00.000Z');

    // 8: an event type and its free slots: 11:00 on Monday (New York), every 15 minutes from 10:00 to 13:00 on Saturday.
    const created = (await step(block('createEventType'), token)).createEventType;
    expect(created).toMatchObject({ durations: [30, 60], defaultDuration: 30 });
    values['event type id'] = created.id;
    const { eventType } = await step(block('eventType'));
    const saturday = Array.from({ length: 13 }, (_, k) => new Date(Date.parse('2032-03-20T14:00:00Z') + k * 15 * 60_000).toISOString());
    expect(eventType.freeSlots.map((s: { startsAt: string }) => s.startsAt)).toEqual(['2032-03-15T15:00:00.000Z', ...saturday]);
    expect(eventType.freeSlots[0].endsAt).toBe('2032-03-15T16:00:00.000Z');
  });
});
