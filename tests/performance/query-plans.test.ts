import {
  BookingDocument, BookSlotDocument, CancelBookingDocument, CompleteBookingDocument, FreeSlotsDocument, MeDocument,
  OwnerBookingsDocument, OwnerWindowsDocument, RescheduleBookingDocument, UpcomingBookingsDocument,
} from '../generated/graphql';
import { ownerWithBookings, recordStatements, startClient, type Client, type Statement } from './client';

const TABLES = ['owner', 'one_time_window', 'recurring_window', 'window_exception', 'booking', 'booking_cell', 'booking_manage_token'];

interface PlanRow {
  detail: string;
}

let t: Client;
let hot: Statement[];

async function planOf(statement: Statement): Promise<string[]> {
  const rows: PlanRow[] = await t.app.orm.em.fork().getConnection().execute(`explain query plan ${statement.sql}`, statement.bindings);
  return rows.map((r) => r.detail);
}

beforeAll(async () => {
  t = await startClient();
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
  });
});
afterAll(() => t.app.close());

test('the hot paths were recorded, the one-statement free-slot load among them', () => {
  expect(hot.length).toBeGreaterThan(30);
  expect(hot.some((s) => s.sql.includes("'busy'"))).toBe(true);
});

test('every hot read, update and delete searches an index of each table it touches; none scans a table', async () => {
  const offenders: string[] = [];
  for (const statement of hot) {
    if (!/^\s*(select|update|delete|with)\b/i.test(statement.sql)) continue;
    const plan = await planOf(statement);
    const scans = plan.filter((d) => /^SCAN /.test(d) && d !== 'SCAN CONSTANT ROW');
    const searches = plan.filter((d) => /^SEARCH .* USING (INDEX|COVERING INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)/.test(d));
    if (scans.length > 0 || searches.length === 0) offenders.push(`${statement.sql}\n  ${plan.join('\n  ')}`);
  }
  expect(offenders).toEqual([]);
});

test('booking pages come out of an index in order: no sort of the rows', async () => {
  const pages = hot.filter((s) => /from `booking`/.test(s.sql) && /order by/i.test(s.sql));
  expect(pages.length).toBeGreaterThanOrEqual(5);
  for (const page of pages) {
    expect(await planOf(page)).not.toContainEqual(expect.stringMatching(/TEMP B-TREE/));
  }
});

test('inserts hit a unique index, and every foreign key has an index on its child columns (cascades and parent deletes never scan)', async () => {
  const conn = t.app.orm.em.fork().getConnection();
  const cellIndexes: Array<{ name: string; unique: number; origin: string }> = await conn.execute("pragma index_list('booking_cell')");
  const cellKey = cellIndexes.find((i) => i.origin === 'pk');
  expect(cellKey).toBeDefined();
  const cellKeyColumns: Array<{ name: string }> = await conn.execute(`pragma index_info('${cellKey!.name}')`);
  expect(cellKeyColumns.map((c) => c.name)).toEqual(['owner_id', 'cell']);

  const unindexed: string[] = [];
  for (const table of TABLES) {
    const keys: Array<{ from: string; table: string }> = await conn.execute(`pragma foreign_key_list('${table}')`);
    const indexes: Array<{ name: string }> = await conn.execute(`pragma index_list('${table}')`);
    const leading = await Promise.all(indexes.map(async (i) => ((await conn.execute(`pragma index_info('${i.name}')`)) as Array<{ name: string }>)[0]?.name));
    for (const key of keys) if (!leading.includes(key.from)) unindexed.push(`${table}.${key.from} → ${key.table}`);
  }
  expect(unindexed).toEqual([]);
});
