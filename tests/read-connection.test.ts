import { openDatabase, type Orm } from '../src/common/database';
import { openReadConnection, type ReadConnection } from '../src/common/read-connection';
import { freshDatabaseUrl, testDialect } from './support/database';

// The read connection serves the hottest reads (on a SQLite file: its own read-only sqlite3
// connection with prepared statements). A statement that fails must reject its caller and
// leave the connection usable: nothing may surface as an unhandled error that ends the process.

let orm: Orm;
let reads: ReadConnection;

beforeAll(async () => {
  const databaseUrl = await freshDatabaseUrl({ shared: true });
  orm = await openDatabase(databaseUrl);
  reads = await openReadConnection(databaseUrl, orm.em);
});
afterAll(async () => {
  await reads?.close();
  await orm?.close(true);
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
