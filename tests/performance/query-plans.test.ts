import {
  BookingDocument, BookingEventTypeDocument, BookSlotDocument, CancelBookingDocument, CompleteBookingDocument, CreateEventTypeDocument,
  EventTypeBySlugDocument, FreeSlotsDocument, MeDocument, OwnerBookingsDocument, OwnerBusyDocument, OwnerEventTypesDocument, OwnerWindowsDocument,
  RescheduleBookingDocument, UpcomingBookingsDocument, UpdateEventTypeDocument,
  BookSeatDocument, CancelSeatDocument, CreateSeatEventTypeDocument, SeatBookingDocument, SeatSlotsDocument,
} from '../generated/graphql';
import type { App } from '../../src/app';
import type { Dialect } from '../../src/db/dialect';
import { postgresUrlFor, testDialect, withAdminClient } from '../support/database';
import { ownerWithBookings, recordStatements, startClient, type Client, type Statement } from './client';

const TABLES = ['owner', 'one_time_window', 'recurring_window', 'window_exception', 'event_type', 'booking', 'booking_cell', 'booking_manage_token', 'event_type_day', 'email', 'webhook_delivery', 'busy_interval', 'seat_slot'];

/**
 * One step of a query plan in its dialect's own words (`detail`), sorted into what these tests
 * care about: reading a whole table or a whole index (`scan`), looking rows up by an index
 * (`search`), sorting rows (`sort`).
 */
interface PlanStep {
  kind: 'scan' | 'search' | 'sort' | 'other';
  detail: string;
}

interface ForeignKey {
  columns: string[];
  parent: string;
}

/** How each dialect explains a statement and describes its keys and indexes. */
interface Inspector {
  /** The SQL of a page of bookings: a select from booking in some order. */
  bookingPage: RegExp;
  planOf(statement: Statement): Promise<PlanStep[]>;
  primaryKey(table: string): Promise<string[]>;
  foreignKeys(table: string): Promise<ForeignKey[]>;
  /** The columns, in order, of each index that can serve any lookup on `table` (a partial index cannot). */
  indexes(table: string): Promise<string[][]>;
}

interface SqlitePlanRow {
  detail: string;
}

function sqliteStep(detail: string, derived: ReadonlySet<string>): PlanStep {
  // Walking a subquery's own rows (a co-routine or a materialized result) reads no table.
  const scanned = /^SCAN (\S+)/.exec(detail)?.[1];
  if (scanned !== undefined && detail !== 'SCAN CONSTANT ROW' && !/^\(subquery-\d+\)$/.test(scanned) && !derived.has(scanned)) return { kind: 'scan', detail };
  if (/^SEARCH .* USING (INDEX|COVERING INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)/.test(detail)) return { kind: 'search', detail };
  if (/TEMP B-TREE/.test(detail)) return { kind: 'sort', detail };
  return { kind: 'other', detail };
}

function sqliteInspector(app: App): Inspector {
  const conn = () => app.orm.em.fork().getConnection();
  return {
    bookingPage: /from `booking`.*order by/is,
    async planOf(statement) {
      const rows: SqlitePlanRow[] = await conn().execute(`explain query plan ${statement.sql}`, statement.bindings);
      const derived = new Set(rows.map((r) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)$/.exec(r.detail)?.[1]).filter((name): name is string => name !== undefined));
      return rows.map((r) => sqliteStep(r.detail, derived));
    },
    async primaryKey(table) {
      const indexes: Array<{ name: string; origin: string }> = await conn().execute(`pragma index_list('${table}')`);
      const key = indexes.find((i) => i.origin === 'pk');
      if (!key) return [];
      const columns: Array<{ name: string }> = await conn().execute(`pragma index_info('${key.name}')`);
      return columns.map((c) => c.name);
    },
    async foreignKeys(table) {
      // One row per column; `id` groups the columns of one key, `seq` orders them.
      const rows: Array<{ id: number; seq: number; from: string; table: string }> = await conn().execute(`pragma foreign_key_list('${table}')`);
      const keys = new Map<number, ForeignKey>();
      for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
        const key = keys.get(row.id) ?? { columns: [], parent: row.table };
        key.columns.push(row.from);
        keys.set(row.id, key);
      }
      return [...keys.values()];
    },
    async indexes(table) {
      const indexes: Array<{ name: string; partial: number }> = await conn().execute(`pragma index_list('${table}')`);
      return Promise.all(
        indexes.filter((i) => !i.partial).map(async (i) => ((await conn().execute(`pragma index_info('${i.name}')`)) as Array<{ name: string }>).map((c) => c.name)),
      );
    },
  };
}

/** A node of `EXPLAIN (FORMAT JSON)`, with the fields read here. */
interface PostgresPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PostgresPlanNode[];
}

const POSTGRES_INDEX_ACCESS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];

/** An index access without an Index Cond walks the whole index: SQLite's `SCAN t USING INDEX i`. */
function postgresSteps(node: PostgresPlanNode): PlanStep[] {
  const type = node['Node Type'];
  const on = [node['Index Name'] && `using ${node['Index Name']}`, node['Relation Name'] && `on ${node['Relation Name']}`].filter(Boolean).join(' ');
  const detail = [type, on, node['Index Cond'] && `(${node['Index Cond']})`].filter(Boolean).join(' ');
  let kind: PlanStep['kind'] = 'other';
  if (type === 'Seq Scan') kind = 'scan';
  else if (POSTGRES_INDEX_ACCESS.includes(type)) kind = node['Index Cond'] ? 'search' : 'scan';
  else if (/Sort$/.test(type)) kind = 'sort';
  return [{ kind, detail }, ...(node.Plans ?? []).flatMap(postgresSteps)];
}

const POSTGRES_PRIMARY_KEY_SQL = `
  select a.attname as name
    from pg_index i
    cross join lateral unnest(i.indkey) with ordinality as k(attnum, position)
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
   where i.indrelid = $1::regclass and i.indisprimary
   order by k.position`;

const POSTGRES_FOREIGN_KEYS_SQL = `
  select c.confrelid::regclass::text as parent,
         array(select a.attname from unnest(c.conkey) with ordinality as k(attnum, position)
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
                order by k.position)::text[] as columns
    from pg_constraint c
   where c.conrelid = $1::regclass and c.contype = 'f'`;

// An expression (attnum 0) matches no attribute and stays in its place as null, so it never counts as a column.
const POSTGRES_INDEXES_SQL = `
  select array(select a.attname from unnest(i.indkey) with ordinality as k(attnum, position)
                 left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                order by k.position)::text[] as columns
    from pg_index i
   where i.indrelid = $1::regclass and i.indpred is null and i.indisvalid`;

function postgresInspector(app: App): Inspector {
  // The app's database, on a connection of our own: the session settings below never reach the app's pool.
  const url = postgresUrlFor(app.orm.config.get('dbName'));
  const query = async <Row>(sql: string, values: unknown[]): Promise<Row[]> => withAdminClient(async (client) => (await client.query(sql, values)).rows, url);
  return {
    bookingPage: /from "booking".*order by/is,
    async planOf(statement) {
      // The tables are tiny, so a sequential scan is the planner's honest choice; with it priced out,
      // one that remains means no index can answer the statement.
      const plan = await withAdminClient(async (client) => {
        await client.query('set enable_seqscan = off');
        // MikroORM inlines values; a binding knex did report comes with a native $n placeholder, which pg binds as is.
        const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PostgresPlanNode }> }>(`explain (format json) ${statement.sql}`, statement.bindings);
        return rows[0]!['QUERY PLAN'][0]!.Plan;
      }, url);
      return postgresSteps(plan);
    },
    async primaryKey(table) {
      return (await query<{ name: string }>(POSTGRES_PRIMARY_KEY_SQL, [table])).map((r) => r.name);
    },
    async foreignKeys(table) {
      return query<ForeignKey>(POSTGRES_FOREIGN_KEYS_SQL, [table]);
    },
    async indexes(table) {
      return (await query<{ columns: string[] }>(POSTGRES_INDEXES_SQL, [table])).map((r) => r.columns);
    },
  };
}

const INSPECTORS: Record<Dialect, (app: App) => Inspector> = { sqlite: sqliteInspector, postgresql: postgresInspector };

function described(statement: Statement, plan: PlanStep[]): string {
  return `${statement.sql}\n  ${plan.map((s) => s.detail).join('\n  ')}`;
}

let t: Client;
let db: Inspector;
let hot: Statement[];

beforeAll(async () => {
  t = await startClient({ outbox: true });
  db = INSPECTORS[testDialect](t.app);
  const owner = await ownerWithBookings(t, 12);
  const other = await ownerWithBookings(t, 3);
  const range = { ownerId: owner.id, from: '2030-01-07T00:00:00Z', to: '2030-02-06T00:00:00Z' };
  // Every hot path once: free slots (cold), booking, token lookups, pages with cursors, owner-only reads, changes.
  hot = await recordStatements(t.app, async () => {
    await t.ok(FreeSlotsDocument, range);
    const slots = (await t.ok(FreeSlotsDocument, { ...range, ownerId: other.id })).freeSlots;
    const booked = await t.ok(BookSlotDocument, { input: { ownerId: other.id, startsAt: slots[0]!.startsAt, invitee: { name: 'Ada', email: 'ada@example.com' }, idempotencyKey: 'k1' } });
    await t.ok(BookSlotDocument, { input: { ownerId: other.id, startsAt: slots[0]!.startsAt, invitee: { name: 'Ada', email: 'ada@example.com' }, idempotencyKey: 'k1' } });
    const { id } = booked.bookSlot.booking;
    await t.ok(BookingDocument, { id, manageToken: booked.bookSlot.manageToken });
    await t.ok(RescheduleBookingDocument, { id, startsAt: slots[1]!.startsAt, manageToken: booked.bookSlot.manageToken });
    await t.ok(CancelBookingDocument, { id, manageToken: booked.bookSlot.manageToken });
    await t.ok(MeDocument, {}, owner.token);
    await t.ok(OwnerWindowsDocument, { id: owner.id }, owner.token);
    const first = await t.ok(UpcomingBookingsDocument, { first: 5 }, owner.token);
    await t.ok(UpcomingBookingsDocument, { first: 5, after: first.upcomingBookings.pageInfo.endCursor }, owner.token);
    const page = await t.ok(OwnerBookingsDocument, { id: owner.id, first: 5 }, owner.token);
    await t.ok(OwnerBookingsDocument, { id: owner.id, first: 5, after: page.owner!.bookings.pageInfo.endCursor }, owner.token);
    await t.ok(OwnerBookingsDocument, { id: owner.id, status: 'CONFIRMED', from: '2030-01-08T00:00:00Z', to: '2030-01-20T00:00:00Z', first: 5 }, owner.token);
    await t.ok(CompleteBookingDocument, { id: page.owner!.bookings.edges[0]!.node.id }, owner.token);
    const eventType = await t.ok(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro' } }, owner.token);
    await t.ok(UpdateEventTypeDocument, { id: eventType.createEventType.id, input: { bufferAfterMinutes: 10, maxBookingsPerDay: 3 } }, owner.token);
    // A booking of the event type (its cap's count read, its day's counter written), moved and cancelled by its invitee.
    const typed = await t.ok(BookSlotDocument, { input: { ownerId: owner.id, eventTypeId: eventType.createEventType.id, startsAt: '2030-01-23T15:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
    const typedRef = { id: typed.bookSlot.booking.id, manageToken: typed.bookSlot.manageToken };
    await t.ok(RescheduleBookingDocument, { ...typedRef, startsAt: '2030-01-24T15:00:00Z' });
    await t.ok(CancelBookingDocument, typedRef);
    await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'intro' });
    await t.ok(OwnerEventTypesDocument, { id: owner.id });
    await t.ok(BookingEventTypeDocument, { id, manageToken: booked.bookSlot.manageToken });
    // Busy time as the calendar-source sync stores it (an hour and a holiday), read back, counted and read by freeSlots.
    const busyIntervals = t.app.contextFor().stores.busyIntervals;
    const hour = { start: Date.parse('2030-02-03T15:00:00Z'), end: Date.parse('2030-02-03T16:00:00Z') };
    await busyIntervals.replaceSource(owner.id, 'plan-source', [hour, { start: Date.parse('2030-02-04T00:00:00Z'), end: Date.parse('2030-02-08T00:00:00Z') }]);
    await busyIntervals.countBySource(['plan-source']);
    await t.ok(OwnerBusyDocument, { id: owner.id, from: range.from, to: range.to }, owner.token);
    await t.ok(FreeSlotsDocument, range);
    await busyIntervals.removeSource(owner.id, 'other-source');
    // A group event (docs/api.md, Part 3, 38): its seats read as groups, a seat booked, its seatsTaken read, cancelled.
    const group = (await t.ok(CreateSeatEventTypeDocument, { input: { slug: 'class', title: 'Class', seatsPerSlot: 3 } }, owner.token)).createEventType.id;
    const seatStart = (await t.ok(SeatSlotsDocument, { ...range, eventTypeId: group })).freeSlots[0]!.startsAt;
    const seat = await t.ok(BookSeatDocument, { input: { ownerId: owner.id, eventTypeId: group, startsAt: seatStart, invitee: { name: 'Ada', email: 'ada@example.com' } } });
    await t.ok(SeatSlotsDocument, { ...range, eventTypeId: group });
    await t.ok(SeatBookingDocument, { id: seat.bookSlot.booking.id, manageToken: seat.bookSlot.manageToken });
    await t.ok(CancelSeatDocument, { id: seat.bookSlot.booking.id, manageToken: seat.bookSlot.manageToken });
  });
});
afterAll(() => t.close());

test(`the hot paths were recorded, the one-statement free-slot load among them (${testDialect})`, () => {
  expect(hot.length).toBeGreaterThan(30);
  expect(hot.some((s) => s.sql.includes("'busy'"))).toBe(true);
  expect(hot.some((s) => s.sql.includes("'seats'"))).toBe(true);
  expect(hot.some((s) => /from seat_slot/.test(s.sql))).toBe(true);
});

test('every hot read, update and delete searches an index of each table it touches; none scans a table', async () => {
  const offenders: string[] = [];
  for (const statement of hot) {
    if (!/^\s*(select|update|delete|with)\b/i.test(statement.sql)) continue;
    // A CTE of inserts only (bookSlot's one statement on PostgreSQL) reads no table it could scan.
    if (/^\s*with\b/i.test(statement.sql) && !/\b(update|delete)\b|\bfrom\s+(?!generate_series\b)\w/i.test(statement.sql)) continue;
    const plan = await db.planOf(statement);
    const scans = plan.filter((s) => s.kind === 'scan');
    const searches = plan.filter((s) => s.kind === 'search');
    if (scans.length > 0 || searches.length === 0) offenders.push(described(statement, plan));
  }
  expect(offenders).toEqual([]);
});

test("busy time is found by bounded searches: by starts_at (intervals up to 2 days) or ends_at (the long ones' partial index), never all of an owner's", async () => {
  const steps: string[] = [];
  for (const statement of hot.filter((s) => /busy_interval/.test(s.sql) && /^\s*select\b/i.test(s.sql))) {
    steps.push(...(await db.planOf(statement)).map((s) => s.detail).filter((detail) => /busy_interval_owner/.test(detail)));
  }
  expect(steps.some((detail) => /busy_interval_owner_starts_idx/.test(detail))).toBe(true);
  expect(steps.some((detail) => /busy_interval_owner_long_idx/.test(detail))).toBe(true);
  expect(steps.filter((detail) => !/\b(starts_at|ends_at)\b\)?\s*[<>]/.test(detail))).toEqual([]);
});

test('booking pages come out of an index in order: no sort of the rows', async () => {
  const pages = hot.filter((s) => db.bookingPage.test(s.sql));
  expect(pages.length).toBeGreaterThanOrEqual(5);
  const sorted: string[] = [];
  for (const page of pages) {
    const plan = await db.planOf(page);
    if (plan.some((s) => s.kind === 'sort')) sorted.push(described(page, plan));
  }
  expect(sorted).toEqual([]);
});

test('inserts hit a unique index, and every foreign key has an index on its child columns (cascades and parent deletes never scan)', async () => {
  expect(await db.primaryKey('booking_cell')).toEqual(['owner_id', 'cell']);

  const unindexed: string[] = [];
  for (const table of TABLES) {
    const indexes = await db.indexes(table);
    for (const key of await db.foreignKeys(table)) {
      const leads = (columns: string[]) => key.columns.every((column, i) => columns[i] === column);
      if (!indexes.some(leads)) unindexed.push(`${table}(${key.columns.join(', ')}) → ${key.parent}`);
    }
  }
  expect(unindexed).toEqual([]);
});

test('no index is a leading part of another index of its table: every write would pay for it and no lookup needs it', async () => {
  const redundant: string[] = [];
  for (const table of TABLES) {
    const indexes = await db.indexes(table);
    indexes.forEach((columns, i) => {
      const coveredBy = indexes.find((other, j) => j !== i && other.length > columns.length && columns.every((column, k) => other[k] === column));
      if (coveredBy) redundant.push(`${table}(${columns.join(', ')}) is covered by (${coveredBy.join(', ')})`);
    });
  }
  expect(redundant).toEqual([]);
});
