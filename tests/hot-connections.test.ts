import { ForeignKeyConstraintViolationException, SyntaxErrorException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Orm } from '../src/db/database';
import { openAppDatabase } from '../src/app';
import { parseDatabaseUrl } from '../src/config';
import { openReadConnection, type ReadConnection } from '../src/db/connections';
import { openWriteConnection, type WriteConnection } from '../src/db/write-connection';
import { Owner } from '../src/modules/owner/owner.entity';
import { freshDatabaseUrl, testDialect } from './support/database';
import { discardSharedDatabase } from './support/shared-database';

// The read and write connections serve the hottest statements (on a SQLite file: sqlite3
// connections of their own with prepared statements). A statement that fails must reject its
// caller and leave the connection usable: nothing may surface as an unhandled error that ends
// the process. The write connection refuses with MikroORM's exceptions, as the ORM would.

let orm: Orm;
let reads: ReadConnection;
let writes: WriteConnection;
/** A temp folder on SQLite, removed after the tests. */
let databaseUrl: string | undefined;

beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl({ shared: true });
  orm = await openAppDatabase(databaseUrl);
  reads = await openReadConnection(parseDatabaseUrl(databaseUrl), orm.em);
  writes = await openWriteConnection(parseDatabaseUrl(databaseUrl), orm.em);
});
afterAll(async () => {
  await reads?.close();
  await writes?.close();
  await orm?.close(true);
  if (databaseUrl) discardSharedDatabase(databaseUrl);
});

const INSERT_OWNER = 'insert into owner (id, name, time_zone, slot_minutes, token_hash, data_version, created_at) values (?, ?, ?, ?, ?, ?, ?)';
const ownerRow = (id: string, tokenHash: string) => [id, 'Writer', 'UTC', 60, tokenHash, 0, testDialect === 'sqlite' ? 1_900_000_000_000 : new Date(1_900_000_000_000)];

test('the write connection writes, and its refusals are MikroORM exceptions that leave it usable', async () => {
  await writes.run(INSERT_OWNER, ownerRow('w1', 'hash-w1'));
  expect((await orm.em.fork().findOneOrFail(Owner, { id: 'w1' })).name).toBe('Writer');

  await expect(writes.run(INSERT_OWNER, ownerRow('w2', 'hash-w1'))).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  await expect(writes.run('inser into owner values (?)', ['x'])).rejects.toBeInstanceOf(SyntaxErrorException);
  // Foreign keys are on for this connection too (SQLite turns them on per connection).
  await expect(
    writes.run('insert into booking_manage_token (token_hash, booking_id) values (?, ?)', ['t', 'no-such-booking']),
  ).rejects.toBeInstanceOf(ForeignKeyConstraintViolationException);

  await writes.run(INSERT_OWNER, ownerRow('w2', 'hash-w2'));
  expect(await orm.em.fork().count(Owner, { id: { $in: ['w1', 'w2'] } })).toBe(2);
});

test.each([
  ['a table that does not exist', 'select id from no_such_table where id = ?', ['x'], /no_such_table/],
  ['a syntax error', 'selec id from owner', [], /syntax/i],
])('%s rejects, twice in a row, and the connection still answers', async (_name, sql, params, message) => {
  await expect(reads.all(sql, params)).rejects.toThrow(message);
  await expect(reads.all(sql, params)).rejects.toThrow(message);
  expect(await reads.all<{ n: number | string }>('select count(*) as n from owner where id = ?', ['nobody'])).toEqual([{ n: expect.anything() }]);
});

test('on a SQLite file the read connection refuses writes; elsewhere it is the ORM connection', async () => {
  const write = reads.all("update owner set name = 'x' where id = ?", ['nobody']);
  if (testDialect === 'sqlite') await expect(write).rejects.toThrow(/readonly/);
  else await expect(write).resolves.toEqual([]);
});

test('many concurrent reads, some failing, each get their own answer', async () => {
  const calls = Array.from({ length: 200 }, (_, i) =>
    i % 10 === 9
      ? reads.all('select id from no_such_table where id = ?', [String(i)]).then(
          () => 'resolved',
          (err: Error) => (/no_such_table/.test(err.message) ? `refused ${i}` : err.message),
        )
      : reads.all<{ n: number | string }>('select ? + 0 as n', [i]).then((rows) => Number(rows[0]!.n)),
  );
  expect(await Promise.all(calls)).toEqual(Array.from({ length: 200 }, (_, i) => (i % 10 === 9 ? `refused ${i}` : i)));
});

const nameOf = async (id: string) => (await orm.em.fork().findOne(Owner, { id }))?.name ?? null;

test("the write connection's transaction commits when its work resolves, rolls back when it throws, and refuses with MikroORM's exceptions", async () => {
  const kept = await writes.transaction(async (tx) => {
    await tx.run(INSERT_OWNER, ownerRow('t1', 'hash-t1'));
    return tx.all<{ name: string }>('select name from owner where id = ?', ['t1']);
  });
  expect(kept).toEqual([{ name: 'Writer' }]);
  expect(await nameOf('t1')).toBe('Writer');

  await expect(
    writes.transaction(async (tx) => {
      await tx.run(INSERT_OWNER, ownerRow('t2', 'hash-t2'));
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  expect(await nameOf('t2')).toBeNull();

  await expect(writes.transaction((tx) => tx.run(INSERT_OWNER, ownerRow('t3', 'hash-t1')))).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  await writes.transaction((tx) => tx.run(INSERT_OWNER, ownerRow('t3', 'hash-t3')));
  expect(await nameOf('t3')).toBe('Writer');
});

test('concurrent transactions that lock what they read run one after another: no update is lost', async () => {
  await writes.run(INSERT_OWNER, ownerRow('counter', 'hash-counter'));
  // On SQLite the transaction holds the write lock from its start; PostgreSQL needs the row lock.
  const read = `select slot_minutes from owner where id = ?${testDialect === 'postgresql' ? ' for update' : ''}`;
  await Promise.all(
    Array.from({ length: 20 }, () =>
      writes.transaction(async (tx) => {
        const [row] = await tx.all<{ slot_minutes: number | string }>(read, ['counter']);
        await tx.run('update owner set slot_minutes = ? where id = ?', [Number(row!.slot_minutes) + 1, 'counter']);
      }),
    ),
  );
  expect((await orm.em.fork().findOneOrFail(Owner, { id: 'counter' }, { refresh: true })).slotMinutes).toBe(80);
});

test("a single write made while another caller's transaction is open is not rolled back with it", async () => {
  let single: Promise<void> | undefined;
  await expect(
    writes.transaction(async (tx) => {
      await tx.run(INSERT_OWNER, ownerRow('rolled-back', 'hash-rolled-back'));
      single = writes.run(INSERT_OWNER, ownerRow('single', 'hash-single'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  await single;
  expect(await nameOf('rolled-back')).toBeNull();
  expect(await nameOf('single')).toBe('Writer');
});
