import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { startTestApp, type TestApp } from './support/app';

// The README's "Try it in Sandbox" walkthrough, run as written: each ```graphql block in order,
// with the ids and tokens earlier steps returned in place of its <placeholders>. Its dates lie in
// March 2032 (weekdays and New York offsets as in March 2027), so the app's clock stands before them.

const readme = readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
const start = readme.indexOf('## Try it in Sandbox');
const walkthrough = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...walkthrough.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The one block whose operation (its top-level field) is `operation`. */
function block(operation: string): string {
  const found = blocks.filter((b) => new RegExp(`^\\s*(?:query|mutation)\\s*\\{\\s*${operation}\\(`).test(b));
  if (found.length !== 1) throw new Error(`expected one README block with ${operation}, found ${found.length}`);
  return found[0]!;
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ now: new Date('2032-03-01T12:00:00Z') });
});
afterAll(() => app?.close());

test('every step of "Try it in Sandbox" works when followed literally', async () => {
  const values: Record<string, string> = {};
  /** Runs a README block with its placeholders filled in; fails on any error. */
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
