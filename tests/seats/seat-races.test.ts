import { freshDatabaseUrl, testDialect } from '../support/database';
import { dayAhead, executeWithStatus, killServers, ok, spawnServer, waitUntilHealthy, type GraphQLBody, type ServerProcess } from '../support/server-process';
import { discardSharedDatabase, withDatabase } from '../support/shared-database';
import {
  AddOneTimeWindowDocument,
  BookSeatDocument,
  CancelSeatDocument,
  CreateOwnerDocument,
  CreateSeatEventTypeDocument,
  SeatSlotsDocument,
  type BookSeatMutation,
} from '../generated/graphql';

// docs/api.md, Part 3, 38 with the processes and clock of tests/event-type-races.test.ts (2
// servers on a SQLite file, 4 on PostgreSQL, a window a year ahead): however many requests race
// through whichever processes, no start holds more live seats than seatsPerSlot, and a group's
// time is never shared with another event type's booking.

const PROCESSES = testDialect === 'postgresql' ? 4 : 2;
const RACERS = 40;
const SEATS = 5;
const DAY = dayAhead(0);
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

type Answer = { status: number; body: GraphQLBody<BookSeatMutation> };

describe(`seats over ${PROCESSES} server processes on one database (${testDialect})`, () => {
  let databaseUrl: string;
  let servers: ServerProcess[] = [];
  let owner: { id: string; token: string };
  let group: string;
  let other: string;

  /** Request n goes to process n mod PROCESSES, all sent at once; `eventTypeOf(n)` picks each one's event type. */
  function race(startsAt: string, count: number, eventTypeOf: (n: number) => string, first = 0): Promise<Answer[]> {
    return Promise.all(
      Array.from({ length: count }, (_, i) => {
        const n = first + i;
        const input = { ownerId: owner.id, eventTypeId: eventTypeOf(n), startsAt, invitee: { name: `Invitee ${n}`, email: `invitee${n}@example.com` } };
        return executeWithStatus(servers[n % PROCESSES]!, BookSeatDocument, { input });
      }),
    );
  }

  /** Every answer a 200 with a booking or SLOT_UNAVAILABLE alone; returns the winners. */
  function winnersOf(answers: Answer[]): Answer[] {
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const codes = answers.flatMap((a) => (a.body.errors ?? []).map((e) => String(e.extensions?.code)));
    expect(codes.filter((c) => c !== 'SLOT_UNAVAILABLE')).toEqual([]);
    return answers.filter((a) => !a.body.errors?.length);
  }

  /** Live bookings per (event type, start), and booking_cell rows per start, read with plain SQL. */
  async function stored(startsAt: string): Promise<{ live: Record<string, number>; cells: number; cellsOfLiveSeats: number }> {
    return withDatabase(databaseUrl, async (orm) => {
      const connection = orm.em.getConnection();
      const start = testDialect === 'postgresql' ? new Date(startsAt) : Date.parse(startsAt);
      const rows = await connection.execute<Array<{ event_type_id: string }>>(
        `select event_type_id from booking where owner_id = ? and starts_at = ? and status <> 'CANCELLED'`,
        [owner.id, start],
      );
      const live: Record<string, number> = {};
      for (const row of rows) live[row.event_type_id === group ? 'group' : 'other'] = (live[row.event_type_id === group ? 'group' : 'other'] ?? 0) + 1;
      const cell = Date.parse(startsAt) / 300_000;
      const [{ n: cells }] = await connection.execute<Array<{ n: number }>>(`select count(*) as n from booking_cell where owner_id = ? and cell >= ? and cell < ?`, [owner.id, cell, cell + 12]);
      const [{ n: cellsOfLiveSeats }] = await connection.execute<Array<{ n: number }>>(
        `select count(*) as n from booking_cell c join booking b on b.id = c.booking_id where c.owner_id = ? and c.cell >= ? and c.cell < ? and b.status <> 'CANCELLED' and b.starts_at = ?`,
        [owner.id, cell, cell + 12, start],
      );
      return { live, cells: Number(cells), cellsOfLiveSeats: Number(cellsOfLiveSeats) };
    });
  }

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    servers = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => spawnServer(`S${i + 1}`, databaseUrl)));
    await Promise.all(servers.map(waitUntilHealthy));
    const created = await ok(servers[0]!, CreateOwnerDocument, { input: { name: 'Racing teacher', timeZone: 'UTC', slotMinutes: 60 } });
    owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
    await ok(servers[0]!, AddOneTimeWindowDocument, { input: { startsAt: at('08:00'), endsAt: at('20:00') } }, owner.token);
    group = (await ok(servers[0]!, CreateSeatEventTypeDocument, { input: { slug: 'class', title: 'Class', durations: [60], seatsPerSlot: SEATS } }, owner.token)).createEventType.id;
    other = (await ok(servers[0]!, CreateSeatEventTypeDocument, { input: { slug: 'private', title: 'Private', durations: [60] } }, owner.token)).createEventType.id;
  });

  afterAll(async () => {
    await killServers(servers);
    if (databaseUrl) discardSharedDatabase(databaseUrl);
  });

  test(`${RACERS} racing bookings for ${SEATS} seats of one start: exactly ${SEATS} succeed; cancelling one frees exactly one`, async () => {
    // Every process lists (and caches) the slot first, so each must notice the others' seats.
    for (const server of servers) {
      const slots = await ok(server, SeatSlotsDocument, { ownerId: owner.id, from: at('08:00'), to: at('20:00'), eventTypeId: group });
      expect(slots.freeSlots.find((s) => s.startsAt === at('10:00'))?.seatsLeft).toBe(SEATS);
    }
    const winners = winnersOf(await race(at('10:00'), RACERS, () => group));
    console.log(`seat race (${testDialect}, ${PROCESSES} processes): ${winners.length} of ${RACERS} succeeded for ${SEATS} seats`);
    expect(winners).toHaveLength(SEATS);
    expect(new Set(winners.map((w) => w.body.data!.bookSlot.booking.id)).size).toBe(SEATS);
    expect(await stored(at('10:00'))).toEqual({ live: { group: SEATS }, cells: 12, cellsOfLiveSeats: 12 });
    for (const server of servers) {
      const slots = await ok(server, SeatSlotsDocument, { ownerId: owner.id, from: at('08:00'), to: at('20:00'), eventTypeId: group });
      expect(slots.freeSlots.map((s) => s.startsAt)).not.toContain(at('10:00'));
    }

    // The first seat booked goes: one seat is free again, the time stays the group's.
    const first = winners.map((w) => w.body.data!.bookSlot).sort((a, b) => a.booking.id.localeCompare(b.booking.id))[0]!;
    await ok(servers[1]!, CancelSeatDocument, { id: first.booking.id, manageToken: first.manageToken });
    const again = winnersOf(await race(at('10:00'), RACERS, () => group, RACERS));
    console.log(`seat race after one cancel (${testDialect}): ${again.length} of ${RACERS} succeeded`);
    expect(again).toHaveLength(1);
    expect(await stored(at('10:00'))).toEqual({ live: { group: SEATS }, cells: 12, cellsOfLiveSeats: 12 });
  });

  test(`seats and another event type racing for one empty start never share it`, async () => {
    // Half the racers ask for a seat, half for the other event type, interleaved over every process.
    const answers = await race(at('14:00'), RACERS, (n) => (n % 2 ? other : group), 2 * RACERS);
    const winners = winnersOf(answers);
    const byType = { group: 0, other: 0 };
    answers.forEach((a, i) => {
      if (!a.body.errors?.length) byType[i % 2 ? 'other' : 'group']++;
    });
    console.log(`mixed race (${testDialect}): seats ${byType.group}, other ${byType.other}`);
    expect(winners.length).toBeGreaterThan(0);
    // Either the other event type took the start alone, or seats did (up to SEATS) and nothing else.
    expect(byType.other === 1 ? byType.group : byType.other).toBe(0);
    expect(byType.group).toBeLessThanOrEqual(SEATS);
    const after = await stored(at('14:00'));
    expect(after.cells).toBe(12);
    expect(after.cellsOfLiveSeats).toBe(12);
    expect(Object.keys(after.live)).toHaveLength(1);
  });
});
