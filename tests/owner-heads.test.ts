import { startTestApp, type TestApp } from './support/app';
import { freshDatabaseUrl } from './support/database';
import { discardSharedDatabase } from './support/shared-database';
import { AddOneTimeWindowDocument, BookSlotDocument, FreeSlotsDocument, UpdateOwnerDocument } from './generated/graphql';

// freeSlots reads the owner's cache-key parts (zone, slot length, data version) without the ORM:
// on a SQLite file through a read-only connection of its own. Two apps on one shared database
// stand in for two processes: each change made through one must show in the other's next
// answer at once, although the other had that answer cached.

let a: TestApp;
let b: TestApp;
let owner: { id: string; token: string };
/** A temp folder on SQLite, removed after the tests. */
let databaseUrl: string | undefined;
const day = { from: '2030-01-10T00:00:00Z', to: '2030-01-11T00:00:00Z' };

async function starts(app: TestApp): Promise<string[]> {
  return (await app.ok(FreeSlotsDocument, { ownerId: owner.id, ...day })).freeSlots.map((s) => s.startsAt);
}

beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl({ shared: true });
  a = await startTestApp({ databaseUrl });
  b = await startTestApp({ databaseUrl });
  owner = await a.createOwner({ name: 'Heads', timeZone: 'UTC' });
  await a.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-10T09:00:00Z', endsAt: '2030-01-10T12:00:00Z' } }, owner.token);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  if (databaseUrl) discardSharedDatabase(databaseUrl);
});

test('an owner created through one app is found by the other; an unknown id is NOT_FOUND', async () => {
  expect(await starts(b)).toEqual(['2030-01-10T09:00:00.000Z', '2030-01-10T10:00:00.000Z', '2030-01-10T11:00:00.000Z']);
  const error = await b.fails(FreeSlotsDocument, { ownerId: '00000000-0000-4000-8000-000000000000', ...day }, 'NOT_FOUND');
  expect(error.message).toMatch(/ownerId/);
});

test("a booking through A leaves B's cached answer at once", async () => {
  expect(await starts(b)).toContain('2030-01-10T10:00:00.000Z'); // cached in B now
  await a.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-10T10:00:00Z', invitee: { name: 'Ada', email: 'ada@example.com' } } });
  expect(await starts(b)).toEqual(['2030-01-10T09:00:00.000Z', '2030-01-10T11:00:00.000Z']);
});

test("a new slot length set through A shapes B's next answer", async () => {
  await a.ok(UpdateOwnerDocument, { input: { slotMinutes: 30 } }, owner.token);
  expect(await starts(b)).toEqual(['2030-01-10T09:00:00.000Z', '2030-01-10T09:30:00.000Z', '2030-01-10T11:00:00.000Z', '2030-01-10T11:30:00.000Z']);
});
