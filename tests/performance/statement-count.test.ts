import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ownerWithBookings, recordStatements, startClient, type Client } from './client';
import { FreeSlotsDocument } from '../generated/graphql';

/** A dashboard that would fan out per booking without batching: every booking's owner, their windows and exceptions. */
const Dashboard = parse(`
  query Dashboard($id: ID!) {
    owner(id: $id) {
      id
      bookings(first: 50) {
        edges { node { id owner { id name windows { __typename id ... on RecurringWindow { exceptions { date cancelled } } } } } }
      }
    }
    upcomingBookings(first: 50) { edges { node { id owner { id name } } } }
  }
`) as TypedDocumentNode<{ owner: { bookings: { edges: unknown[] } }; upcomingBookings: { edges: unknown[] } }, { id: string }>;

/** bookSlot as the bench sends it: the booking's own fields, not its owner. */
const BookSlotLean = parse(`
  mutation BookSlotLean($input: BookSlotInput!) { bookSlot(input: $input) { manageToken booking { startsAt status } } }
`) as TypedDocumentNode<{ bookSlot: { booking: { startsAt: string; status: string } } }, { input: { ownerId: string; startsAt: string; invitee: { name: string; email: string } } }>;

let t: Client;
beforeAll(async () => { t = await startClient(); });
afterAll(() => t.close());

test('a page of bookings with their owners, windows and exceptions costs the same few statements for 5 bookings as for 50', async () => {
  const few = await ownerWithBookings(t, 5);
  const many = await ownerWithBookings(t, 50);

  const fewStatements = await recordStatements(t.app, async () => {
    const data = await t.ok(Dashboard, { id: few.id }, few.token);
    expect(data.owner.bookings.edges).toHaveLength(5);
    expect(data.upcomingBookings.edges).toHaveLength(5);
  });
  const manyStatements = await recordStatements(t.app, async () => {
    const data = await t.ok(Dashboard, { id: many.id }, many.token);
    expect(data.owner.bookings.edges).toHaveLength(50);
    expect(data.upcomingBookings.edges).toHaveLength(50);
  });

  // owner, token lookup, two booking pages, one-time and recurring windows, exceptions.
  expect(manyStatements.length).toBeLessThanOrEqual(8);
  expect(manyStatements.length).toBe(fewStatements.length);
});

test('freeSlots answered from the cache costs one statement (the owner and its dataVersion); a booking invalidates it', async () => {
  const owner = await ownerWithBookings(t, 3);
  const range = { ownerId: owner.id, from: '2030-01-07T00:00:00Z', to: '2030-02-06T00:00:00Z' };
  const first = await t.ok(FreeSlotsDocument, range);
  const forks = jest.spyOn(t.app.orm.em, 'fork');
  const cached = await recordStatements(t.app, () => t.ok(FreeSlotsDocument, range));
  expect(cached).toHaveLength(1);
  // Nor does it fork an EntityManager: the request context makes one only when a resolver asks.
  expect(forks).not.toHaveBeenCalled();
  forks.mockRestore();

  const taken = first.freeSlots[0]!.startsAt;
  // bookSlot without an idempotency key (and not asked for the owner) needs no EntityManager either:
  // hot reads, then one write statement.
  const bookingForks = jest.spyOn(t.app.orm.em, 'fork');
  const booked = await t.ok(BookSlotLean, { input: { ownerId: owner.id, startsAt: taken, invitee: { name: 'Ada', email: 'ada@example.com' } } });
  expect(booked.bookSlot.booking).toEqual({ startsAt: taken, status: 'CONFIRMED' });
  expect(bookingForks).not.toHaveBeenCalled();
  bookingForks.mockRestore();
  const after = await t.ok(FreeSlotsDocument, range);
  expect(after.freeSlots.map((s) => s.startsAt)).toEqual(first.freeSlots.slice(1).map((s) => s.startsAt));
});
