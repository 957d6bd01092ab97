import { freshDatabaseUrl, testDialect } from './support/database';
import { dayAhead, executeWithStatus, ok, spawnServer, waitUntilHealthy, type GraphQLBody, type ServerProcess } from './support/server-process';
import { bookingInvariants, discardSharedDatabase, liveBookings, withDatabase } from './support/shared-database';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CreateEventTypeDocument,
  CreateOwnerDocument,
  EventTypeFreeSlotsDocument,
  type BookSlotMutation,
  type EventTypeInput,
} from './generated/graphql';

// Semantics 10-11 across real server processes (dist/main.js, built by the jest globalSetup) on
// one database: two on SQLite (a shared file), four on PostgreSQL. However many requests race,
// through whichever processes, no day holds more bookings of an event type than its cap and no
// booking lies inside another's buffers. The servers read the real clock: every window lies on
// days a year past today (dayAhead).

const PROCESSES = testDialect === 'postgresql' ? 4 : 2;
const RACERS = 40;
const CAP = 3;
const DAY0 = dayAhead(0);
const DAY1 = dayAhead(1);
const MINUTE_MS = 60_000;

type Answer = { server: number; startsAt: string; status: number; body: GraphQLBody<BookSlotMutation> };

const minutesFrom = (start: string, step: number, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(start) + i * step * MINUTE_MS).toISOString());

const codesOf = (answer: Answer) => (answer.body.errors ?? []).map((e) => String(e.extensions?.code));

describe(`event type policies over ${PROCESSES} server processes on one database (${testDialect})`, () => {
  let databaseUrl: string;
  let servers: ServerProcess[] = [];
  let owner: { id: string; token: string };

  async function createEventType(input: Partial<EventTypeInput> & { slug: string }): Promise<string> {
    return (await ok(servers[0]!, CreateEventTypeDocument, { input: { title: input.slug, ...input } }, owner.token)).createEventType.id;
  }

  /** Request n goes to process n mod PROCESSES: requests sent side by side through every process. */
  function race(eventTypeId: string, starts: string[], first = 0): Promise<Answer[]> {
    return Promise.all(
      starts.map((startsAt, i) => {
        const n = first + i;
        const server = n % PROCESSES;
        const input = { ownerId: owner.id, eventTypeId, startsAt, invitee: { name: `Invitee ${n}`, email: `invitee${n}@example.com` } };
        return executeWithStatus(servers[server]!, BookSlotDocument, { input }).then(({ status, body }) => ({ server, startsAt, status, body }));
      }),
    );
  }

  /** Every answer a 200 with data or SLOT_UNAVAILABLE alone; returns the winners. */
  function winnersOf(answers: Answer[]): Answer[] {
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const losers = answers.filter((a) => a.body.errors?.length);
    expect(losers.map((a) => ({ codes: codesOf(a), data: a.body.data ?? null })).filter((l) => l.codes.join() !== 'SLOT_UNAVAILABLE' || l.data !== null)).toEqual([]);
    return answers.filter((a) => !a.body.errors?.length);
  }

  async function freeStarts(server: ServerProcess, eventTypeId: string, day: string): Promise<string[]> {
    const data = await ok(server, EventTypeFreeSlotsDocument, { ownerId: owner.id, from: `${day}T00:00:00Z`, to: `${day}T23:55:00Z`, eventTypeId });
    return data.freeSlots.map((s) => s.startsAt);
  }

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    servers = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => spawnServer(`P${i + 1}`, databaseUrl)));
    await Promise.all(servers.map(waitUntilHealthy));
    const created = await ok(servers[0]!, CreateOwnerDocument, { input: { name: 'Racing owner', timeZone: 'UTC', slotMinutes: 60 } });
    owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
    await ok(servers[0]!, AddOneTimeWindowDocument, { input: { startsAt: `${DAY0}T08:00:00Z`, endsAt: `${DAY0}T20:00:00Z` } }, owner.token);
    await ok(servers[0]!, AddOneTimeWindowDocument, { input: { startsAt: `${DAY1}T09:00:00Z`, endsAt: `${DAY1}T12:00:00Z` } }, owner.token);
  });

  afterAll(async () => {
    await Promise.all(
      servers.map((server) => {
        if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
        return server.exited;
      }),
    );
    if (databaseUrl) discardSharedDatabase(databaseUrl);
  });

  describe(`the daily cap: ${RACERS} racing bookSlot for distinct slots of one day, cap ${CAP}`, () => {
    let eventTypeId: string;
    let winners: Answer[];
    // 15-minute slots from 08:00: 48 in the window, the first 40 asked for at once.
    const starts = minutesFrom(`${DAY0}T08:00:00Z`, 15, RACERS);

    beforeAll(async () => {
      eventTypeId = await createEventType({ slug: 'capped', durations: [15], maxBookingsPerDay: CAP });
      // Every process lists (and caches) the slots first, so each must notice the others' bookings.
      for (const server of servers) expect(await freeStarts(server, eventTypeId, DAY0)).toEqual(expect.arrayContaining(starts));
      const answers = await race(eventTypeId, starts);
      winners = winnersOf(answers);
      const byProcess = servers.map((s, i) => `${s.name} ${winners.filter((w) => w.server === i).length}`).join(', ');
      console.log(
        `daily cap race (${testDialect}): ${RACERS} bookSlot for distinct slots of one day, cap ${CAP}, over ${PROCESSES} processes: ` +
          `${winners.length} CONFIRMED (${byProcess}), ${answers.length - winners.length} SLOT_UNAVAILABLE`,
      );
    });

    test(`exactly ${CAP} CONFIRMED, every other answer SLOT_UNAVAILABLE; the database holds ${CAP} and counts ${CAP}`, async () => {
      expect(winners).toHaveLength(CAP);
      await withDatabase(databaseUrl, async (orm) => {
        expect(await liveBookings(orm, owner.id)).toHaveLength(CAP);
        const counts = await orm.em.getConnection().execute<Array<{ local_date: string; booked: number | string }>>(
          'select local_date, booked from event_type_day where event_type_id = ?', [eventTypeId],
        );
        expect(counts.map((c) => [c.local_date, Number(c.booked)])).toEqual([[DAY0, CAP]]);
        expect(await bookingInvariants(orm)).toEqual({ overlaps: [], missingCells: [], strayCells: [] });
      });
    });

    test('every process now lists no slot of that day', async () => {
      for (const server of servers) expect(await freeStarts(server, eventTypeId, DAY0)).toEqual([]);
    });

    test('a cancel through one process releases one seat, which exactly one of the next racers gets', async () => {
      const cancelled = winners[0]!;
      await ok(servers[PROCESSES - 1]!, CancelBookingDocument, { id: cancelled.body.data!.bookSlot.booking.id, manageToken: cancelled.body.data!.bookSlot.manageToken });
      const taken = new Set(winners.slice(1).map((w) => w.startsAt));
      const rest = starts.filter((s) => !taken.has(s)).slice(0, 2 * PROCESSES + 2);
      const again = winnersOf(await race(eventTypeId, rest, RACERS));
      console.log(`after one cancel (${testDialect}): ${rest.length} racing bookSlot over ${PROCESSES} processes: ${again.length} CONFIRMED`);
      expect(again).toHaveLength(1);
      await withDatabase(databaseUrl, async (orm) => {
        expect(await liveBookings(orm, owner.id)).toHaveLength(CAP);
      });
    });
  });

  test(`buffers: ${RACERS} racing bookSlot for 12 starts inside each other's occupied spans give exactly one booking`, async () => {
    // 30 minutes and a 30-minute after-buffer on a 5-minute step: each occupies an hour, so any two
    // of 10:00, 10:05, …, 10:55 overlap.
    const eventTypeId = await createEventType({ slug: 'buffered', durations: [30], slotStepMinutes: 5, bufferAfterMinutes: 30 });
    const starts = minutesFrom(`${DAY1}T10:00:00Z`, 5, 12);
    for (const server of servers) expect(await freeStarts(server, eventTypeId, DAY1)).toEqual(expect.arrayContaining(starts));
    const winners = winnersOf(await race(eventTypeId, Array.from({ length: RACERS }, (_, n) => starts[n % starts.length]!)));
    console.log(`buffer race (${testDialect}): ${RACERS} bookSlot for 12 mutually overlapping starts over ${PROCESSES} processes: ${winners.length} CONFIRMED`);
    expect(winners).toHaveLength(1);
    await withDatabase(databaseUrl, async (orm) => {
      const day1 = (await liveBookings(orm, owner.id)).filter((b) => b.startsAt.startsWith(DAY1));
      expect(day1.map((b) => [b.bufferBeforeMinutes, b.bufferAfterMinutes])).toEqual([[0, 30]]);
      expect(await bookingInvariants(orm)).toEqual({ overlaps: [], missingCells: [], strayCells: [] });
    });
  });
});
