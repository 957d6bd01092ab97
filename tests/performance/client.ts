import type { App } from '../../src/app';
import { startTestApp, type TestApp } from '../support/app';
import { AddOneTimeWindowDocument, AddRecurringWindowDocument, BookSlotDocument, CancelOccurrenceDocument, CreateOwnerDocument, FreeSlotsDocument } from '../generated/graphql';

/** A test app whose static cost limit admits 50-edge pages nested three levels deep. */
export type Client = TestApp;

export function startClient({ outbox = false }: { outbox?: boolean } = {}): Promise<Client> {
  // sqlite::memory:, because recordStatements sees statements at the ORM's query builder: on a
  // SQLite file the hot reads and writes run on sqlite3 connections of their own, past it.
  // Without `outbox`, webhooks, emails and calendar syncs 'off': the outbox runner reads the outbox in the
  // background every second; those statements (and EntityManager forks) are nobody's request and
  // would land in statement counts. Query plans want them: the runner's claims are hot too.
  return startTestApp({ queryLimits: { maxCost: 100_000 }, sqlite: 'memory', ...(outbox ? {} : { webhooks: 'off' as const, emails: 'off' as const, calendarSources: 'off' as const }) });
}

export interface Statement {
  sql: string;
  bindings: unknown[];
}

/** SQL statements the app sends while running `work`, seen at the query builder that every ORM call and raw statement goes through. */
export async function recordStatements(app: App, work: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const knex = app.orm.em.getKnex();
  const listener = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.off('query', listener);
  }
  return seen;
}

/** An owner in America/New_York with weekday and Saturday rules, a cancelled date, a one-time window and `count` bookings from 2030-01-07 on. */
export async function ownerWithBookings(t: Client, count: number): Promise<{ id: string; token: string }> {
  const created = await t.ok(CreateOwnerDocument, { input: { name: 'Dr. Ada', timeZone: 'America/New_York' } });
  const owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
  const weekly = await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime: '09:00', endTime: '17:00', startsOn: '2030-01-01' } }, owner.token);
  await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['SATURDAY'], startTime: '10:00', endTime: '12:00', startsOn: '2030-01-01' } }, owner.token);
  await t.ok(CancelOccurrenceDocument, { windowId: weekly.addRecurringWindow.id, date: '2030-01-21' }, owner.token);
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-13T15:00:00Z', endsAt: '2030-01-13T17:00:00Z' } }, owner.token);
  const { freeSlots } = await t.ok(FreeSlotsDocument, { ownerId: owner.id, from: '2030-01-07T00:00:00Z', to: '2030-02-07T00:00:00Z' });
  for (const slot of freeSlots.slice(0, count)) {
    await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: slot.startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } });
  }
  return owner;
}

