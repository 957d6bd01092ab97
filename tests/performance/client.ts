import { freshDatabaseUrl } from '../support/database';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createApp, type App } from '../../src/app';
import { DEFAULT_NOW } from '../support/app';
import { AddOneTimeWindowDocument, AddRecurringWindowDocument, BookSlotDocument, CancelOccurrenceDocument, CreateOwnerDocument, FreeSlotsDocument } from '../generated/graphql';

/** Like tests/support/app.ts's TestApp, on an app whose static cost limit admits 50-edge pages nested three levels deep. */
export interface Client {
  app: App;
  ok<TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars, token?: string): Promise<TData>;
}

export async function startClient(): Promise<Client> {
  const app = await createApp({ databaseUrl: await freshDatabaseUrl(), now: () => DEFAULT_NOW, queryLimits: { maxCost: 100_000 } });
  return {
    app,
    async ok(doc, variables, token) {
      const response = await app.server.executeOperation(
        { query: print(doc), variables: variables as Record<string, unknown> },
        { contextValue: app.contextFor(token ?? null) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      if (errors?.length || !data) throw new Error(`unexpected errors: ${JSON.stringify(errors, null, 2)}`);
      return data as never;
    },
  };
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

