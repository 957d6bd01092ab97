import WebSocket from 'ws';
import pino from 'pino';
import type { GraphQLFormattedError } from 'graphql';
import { startTestApp, type ServedTestApp, type TestAppOptions } from '../support/app';
import { testDialect } from '../support/database';
import { SlotService } from '../../src/modules/slot/slot.service';
import { AddOneTimeWindowDocument, BookSlotDocument, CancelBookingDocument } from '../generated/graphql';
import { liveClient, waitFor, watch, type FreeSlotsChangedVariables, type LiveClient } from './live-client';

// What one client can make live updates (docs/api.md Part 2, 19) do, over real sockets with
// graphql-ws's client: bad variables answer as over HTTP; sockets and subscriptions per client
// address are capped (addresses told apart by X-Forwarded-For, TRUST_PROXY=loopback); a
// subscribe and each recomputation spend the address's query-cost budget; an owner's
// subscriptions follow a bounded number of distinct ranges, so a change costs bounded work.

const DAY = { from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };
const NINE = '2030-01-08T09:00:00.000Z';
const HIGH_LIMITS = { createOwnerPerHour: 1000, bookSlotPerMinute: 1000, manageTokenPerMinute: 1000, costPerMinute: 100_000 };

const apps: ServedTestApp[] = [];
const clients: LiveClient[] = [];

async function serve(options: TestAppOptions = {}): Promise<ServedTestApp> {
  const app = await startTestApp({ trustProxy: ['loopback'], ...options, subscriptions: { pollIntervalMs: 50, ...options.subscriptions }, listen: true });
  apps.push(app);
  return app;
}

/** A graphql-ws client whose sockets come from `address` (as a proxy on loopback says). */
function clientFrom(app: ServedTestApp, address: string): LiveClient {
  class FromAddress extends WebSocket {
    constructor(url: string | URL | null, protocols?: string | string[]) {
      super(url!, protocols, { headers: { 'x-forwarded-for': address } });
    }
  }
  const live = liveClient(app.url, { webSocketImpl: FromAddress as typeof WebSocket });
  clients.push(live);
  return live;
}

async function ownerWithMorning(app: ServedTestApp): Promise<{ id: string; token: string }> {
  const owner = await app.createOwner({ timeZone: 'UTC' });
  await app.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
  return owner;
}

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

describe(`live updates under abuse (${testDialect})`, () => {
  test('bad variables answer exactly as over HTTP (BAD_USER_INPUT), and nothing is logged at error level', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = await serve({ logger });
    const owner = await ownerWithMorning(app);
    const http = async (variables: Record<string, unknown>) => {
      const query = 'query FreeSlots($ownerId: ID!, $from: DateTime!, $to: DateTime!, $eventTypeId: ID, $duration: Int) { freeSlots(ownerId: $ownerId, from: $from, to: $to, eventTypeId: $eventTypeId, duration: $duration) { startsAt endsAt } }';
      const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return ((await response.json()) as { errors: GraphQLFormattedError[] }).errors;
    };
    const live = clientFrom(app, '203.0.113.1');
    const cases: Array<Record<string, unknown>> = [
      { o: {} },
      { from: DAY.from, to: DAY.to },
      { ownerId: owner.id, ...DAY, duration: 'abc' },
      { ownerId: owner.id, ...DAY, duration: 1e20 },
      { ownerId: owner.id, from: 'yesterday', to: DAY.to },
    ];
    for (const variables of cases) {
      const overHttp = (await http(variables)).map(({ message, extensions }) => ({ message, extensions }));
      const w = watch(live, variables as unknown as FreeSlotsChangedVariables);
      await w.failure();
      const overWs = w.errors.map(({ message, extensions }) => ({ message, extensions }));
      expect(overWs).toEqual(overHttp);
      expect(overWs.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
    }
    // The socket is still open and serves a good subscription.
    expect(await watch(live, { ownerId: owner.id, ...DAY }).nth(1)).toHaveLength(3);
    expect(live.closeCodes).toEqual([]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  test('one address cannot take every subscription of the process: its sockets and subscriptions are capped, another address is served', async () => {
    const app = await serve({ subscriptions: { maxPerProcess: 6, maxPerConnection: 10, maxSocketsPerAddress: 2, maxPerAddress: 4 } });
    const owner = await ownerWithMorning(app);
    const attacker = [clientFrom(app, '198.51.100.7'), clientFrom(app, '198.51.100.7'), clientFrom(app, '198.51.100.7')];
    const watches = attacker.flatMap((c) => [1, 2, 3].map(() => watch(c, { ownerId: owner.id, ...DAY })));
    await waitFor(() => watches.every((w) => w.lists.length > 0 || w.errors.length > 0), 'every subscribe of the attacker to be answered or refused');
    // Its third socket is refused at the upgrade (HTTP 429); of the six subscriptions on its two sockets, four are served.
    expect(watches.filter((w) => w.lists.length > 0)).toHaveLength(4);
    expect(watches.slice(0, 6).flatMap((w) => w.errors.map((e) => e.extensions?.code))).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(attacker[2]!.connections).toBe(0);
    // Another address still gets its list.
    expect(await watch(clientFrom(app, '192.0.2.20'), { ownerId: owner.id, ...DAY }).nth(1)).toHaveLength(3);
  });

  test('a subscribe and each recomputation are charged to the address; out of budget it is refused with RATE_LIMITED and the socket stays usable', async () => {
    // A day's range costs 2 (1 plus one day), as the same freeSlots over HTTP: 5 of 7 are left
    // after the subscribe. Its first recomputation is in that price (on SQLite the feed's first
    // read of the owner is one, change or not); each later one costs 2 more: two fit, so at most
    // three more lists come before a recomputation is refused and ends the subscription.
    const app = await serve({ rateLimits: { ...HIGH_LIMITS, costPerMinute: 7 } });
    const owner = await ownerWithMorning(app);
    const live = clientFrom(app, '198.51.100.8');
    const w = watch(live, { ownerId: owner.id, ...DAY });
    await w.nth(1);
    let booked: { booking: { id: string }; manageToken: string } | null = null;
    for (let change = 0; change < 6 && w.errors.length === 0; change++) {
      const lists = w.lists.length;
      if (booked) {
        await app.ok(CancelBookingDocument, { id: booked.booking.id, manageToken: booked.manageToken });
        booked = null;
      } else {
        booked = (await app.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: NINE, invitee: { name: 'Grace', email: 'grace@example.com' } } })).bookSlot;
      }
      await waitFor(() => w.lists.length > lists || w.errors.length > 0, `change ${change + 1} to be sent or refused`);
    }
    expect(w.errors.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(w.lists.length).toBeLessThanOrEqual(4);
    // Out of budget: a subscribe is refused, and the socket stays open for later ones.
    const refused = watch(live, { ownerId: owner.id, ...DAY });
    expect((await refused.failure()).extensions?.code).toBe('RATE_LIMITED');
    expect(live.closeCodes).toEqual([]);
    expect(live.connections).toBe(1);
    // Another address's budget is its own.
    expect(await watch(clientFrom(app, '192.0.2.21'), { ownerId: owner.id, ...DAY }).nth(1)).toHaveLength(booked ? 2 : 3);
  });

  test('pages behind one address on one range pay once per recomputation, not once per page', async () => {
    // Three subscribes of a day's range cost 6 of 9: each recomputation (2) is charged to the
    // address once, so all three get the same lists and end together when the budget runs out.
    const app = await serve({ rateLimits: { ...HIGH_LIMITS, costPerMinute: 9 } });
    const owner = await ownerWithMorning(app);
    const live = clientFrom(app, '198.51.100.10');
    const pages = [1, 2, 3].map(() => watch(live, { ownerId: owner.id, ...DAY }));
    for (const page of pages) await page.nth(1);
    let booked: { booking: { id: string }; manageToken: string } | null = null;
    for (let change = 0; change < 6 && pages.every((p) => p.errors.length === 0); change++) {
      const lists = pages.map((p) => p.lists.length);
      if (booked) {
        await app.ok(CancelBookingDocument, { id: booked.booking.id, manageToken: booked.manageToken });
        booked = null;
      } else {
        booked = (await app.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: NINE, invitee: { name: 'Grace', email: 'grace@example.com' } } })).bookSlot;
      }
      await waitFor(() => pages.every((p, i) => p.lists.length > lists[i]! || p.errors.length > 0), `change ${change + 1} to be sent or refused`);
    }
    expect(pages.map((p) => p.errors.map((e) => e.extensions?.code))).toEqual([['RATE_LIMITED'], ['RATE_LIMITED'], ['RATE_LIMITED']]);
    expect(new Set(pages.map((p) => p.lists.length)).size).toBe(1);
    expect(pages[0]!.lists.length).toBeGreaterThanOrEqual(2);
  });

  test("a change with many distinct ranges open recomputes the owner's slots a bounded number of times", async () => {
    const app = await serve({ subscriptions: { maxRangesPerOwner: 4 } });
    const owner = await ownerWithMorning(app);
    const live = clientFrom(app, '198.51.100.9');
    // Ten distinct ranges (each ending an hour later), on one socket.
    const ranges = Array.from({ length: 10 }, (_, i) => ({ ownerId: owner.id, from: DAY.from, to: new Date(Date.parse(DAY.to) + i * 3_600_000).toISOString() }));
    const watches = ranges.map((range) => watch(live, range));
    await waitFor(() => watches.every((w) => w.lists.length > 0 || w.errors.length > 0), 'every subscribe to be answered or refused');
    expect(watches.filter((w) => w.lists.length > 0)).toHaveLength(4);
    expect(new Set(watches.flatMap((w) => w.errors.map((e) => e.extensions?.code)))).toEqual(new Set(['RATE_LIMITED']));
    // Let the catch-up recomputations after each subscribe finish, then count one change's.
    await new Promise((r) => setTimeout(r, 300));
    const computations = jest.spyOn(SlotService.prototype, 'freeSlotsOfOwner');
    await app.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: NINE, invitee: { name: 'Grace', email: 'grace@example.com' } } });
    const served = watches.filter((w) => w.lists.length > 0);
    await waitFor(() => served.every((w) => w.lists.length > 1), 'every served subscription to get the change');
    await new Promise((r) => setTimeout(r, 300));
    expect(computations.mock.calls.filter(([id]) => id === owner.id).length).toBe(4);
  });
});
