import { startTestApp, type TestApp } from '../support/app';
import type { Interval } from '../../src/scheduling';
import type { BusyIntervalStore } from '../../src/modules/calendar-source/busy-interval.store';

// BusyIntervalStore on the dialect under test: the calendar-source sync stores each source's
// expanded busy intervals through it, and Owner.busy reads them back (docs/api.md, Part 3, 28-29).

const H = 3_600_000;
/** Hours after 2030-01-10T00:00Z, as epoch ms. */
const at = (hours: number) => Date.UTC(2030, 0, 10) + hours * H;
const iv = (from: number, to: number): Interval => ({ start: at(from), end: at(to) });

let t: TestApp;
let store: BusyIntervalStore;
let owner: { id: string };
let other: { id: string };

async function dataVersion(ownerId: string): Promise<number> {
  const [row] = await t.app.orm.em.fork().execute<Array<{ data_version: number }>>('select data_version from owner where id = ?', [ownerId]);
  return Number(row!.data_version);
}

beforeAll(async () => {
  t = await startTestApp();
  store = t.app.contextFor().stores.busyIntervals;
  owner = await t.createOwner({ timeZone: 'UTC' });
  other = await t.createOwner({ timeZone: 'UTC' });
});
afterAll(() => t?.close());

describe('busyOf: overlapping [from, to), unclipped, overlapping or touching ones merged, ascending', () => {
  beforeAll(async () => {
    await store.replaceSource(owner.id, 'source-a', [iv(9, 10), iv(12, 13), iv(30, 31), iv(-200, -100)]);
    // Overlaps 12-13, touches 9-10 (merged either way); a holiday longer than the short search's reach; an empty one.
    await store.replaceSource(owner.id, 'source-b', [iv(12.5, 14), iv(10, 11), iv(-24 * 10, 24 * 5), iv(50, 50)]);
    await store.replaceSource(other.id, 'source-c', [iv(9, 17)]);
  });

  test.each([
    ['one day: each source, merged, the holiday unclipped', iv(0, 24), [iv(-24 * 10, 24 * 5)]],
    ['an hour between the short ones: the holiday alone', iv(11, 12), [iv(-24 * 10, 24 * 5)]],
    ['after the holiday', iv(24 * 5, 24 * 6), []],
    ['ending where an interval starts', iv(24 * 5 - 1000, 24 * 5), [iv(-24 * 10, 24 * 5)]],
    ['long before anything', iv(-24 * 100, -24 * 50), []],
    ['a past interval inside the holiday: merged into it', iv(-150, -149), [iv(-24 * 10, 24 * 5)]],
  ])('%s', async (_name, range, expected) => {
    expect(await store.busyOf(owner.id, range)).toEqual(expected);
  });

  test('without the holiday, overlapping and touching intervals merge and stay unclipped', async () => {
    await store.replaceSource(owner.id, 'source-b', [iv(12.5, 14), iv(10, 11)]);
    expect(await store.busyOf(owner.id, iv(9.5, 12.75))).toEqual([iv(9, 11), iv(12, 14)]);
    expect(await store.busyOf(owner.id, iv(11, 12))).toEqual([]);
    expect(await store.busyOf(owner.id, iv(0, 48))).toEqual([iv(9, 11), iv(12, 14), iv(30, 31)]);
    // Another owner's busy time is not this owner's.
    expect(await store.busyOf(other.id, iv(0, 48))).toEqual([iv(9, 17)]);
  });

  test('countBySource counts stored intervals per source, before merging; empty ones are not stored', async () => {
    await store.replaceSource(owner.id, 'source-d', [iv(1, 2), iv(1, 2), iv(3, 3), iv(5, 4)]);
    expect(await store.countBySource(['source-a', 'source-b', 'source-c', 'source-d', 'unknown'])).toEqual(
      new Map([['source-a', 4], ['source-b', 2], ['source-c', 1], ['source-d', 2], ['unknown', 0]]),
    );
  });
});

describe('replaceSource and removeSource', () => {
  test.each([
    ['storing intervals', async (id: string) => store.replaceSource(id, 's1', [iv(1, 2), iv(3, 4)]), 1],
    ['replacing them', async (id: string) => store.replaceSource(id, 's1', [iv(5, 6)]), 1],
    ['replacing them with the same, read again (a feed without ETag)', async (id: string) => store.replaceSource(id, 's1', [iv(5, 6)]), 0],
    ['removing the source', async (id: string) => store.removeSource(id, 's1'), 1],
    ['removing it again: nothing changed', async (id: string) => store.removeSource(id, 's1'), 0],
    ['storing nothing in place of nothing', async (id: string) => store.replaceSource(id, 's2', []), 0],
  ])('%s bumps the data version the times given', async (_name, change, bumps) => {
    const before = await dataVersion(owner.id);
    const otherBefore = await dataVersion(other.id);
    await change(owner.id);
    expect(await dataVersion(owner.id)).toBe(before + bumps);
    expect(await dataVersion(other.id)).toBe(otherBefore);
  });

  test('removeSource leaves the other sources', async () => {
    await store.replaceSource(owner.id, 's3', [iv(100, 101)]);
    await store.replaceSource(owner.id, 's4', [iv(102, 103)]);
    await store.removeSource(owner.id, 's3');
    expect(await store.busyOf(owner.id, iv(99, 104))).toEqual([iv(102, 103)]);
  });

  test("removeSource in the caller's transaction commits and rolls back with it", async () => {
    await store.replaceSource(owner.id, 's6', [iv(200, 201)]);
    const before = await dataVersion(owner.id);
    const failing = t.app.orm.em.fork().transactional(async (tx) => {
      await store.removeSource(owner.id, 's6', tx);
      throw new Error('the caller fails after the removal');
    });
    await expect(failing).rejects.toThrow('the caller fails');
    expect(await store.countBySource(['s6'])).toEqual(new Map([['s6', 1]]));
    expect(await dataVersion(owner.id)).toBe(before);
    await t.app.orm.em.fork().transactional((tx) => store.removeSource(owner.id, 's6', tx));
    expect(await store.countBySource(['s6'])).toEqual(new Map([['s6', 0]]));
    expect(await dataVersion(owner.id)).toBe(before + 1);
  });

  test('100,000 intervals are replaced in one transaction, with one bump (npm run bench:busy times it)', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ start: at(1000) + i * 10 * 60_000, end: at(1000) + i * 10 * 60_000 + 5 * 60_000 }));
    const before = await dataVersion(owner.id);
    await store.replaceSource(owner.id, 'big', many);
    await store.replaceSource(owner.id, 'big', many.slice(1));
    expect(await dataVersion(owner.id)).toBe(before + 2);
    expect((await store.countBySource(['big'])).get('big')).toBe(99_999);
    expect(await store.busyOf(owner.id, { start: many[0]!.start, end: many[2]!.start })).toEqual([many[1]]);
    await store.removeSource(owner.id, 'big');
  });

  test('deleting the owner deletes its busy intervals', async () => {
    const gone = await t.createOwner({ timeZone: 'UTC' });
    await store.replaceSource(gone.id, 's5', [iv(1, 2)]);
    await t.app.orm.em.fork().execute('delete from owner where id = ?', [gone.id], 'run');
    expect(await store.countBySource(['s5'])).toEqual(new Map([['s5', 0]]));
  });
});
