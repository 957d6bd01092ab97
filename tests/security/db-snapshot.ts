import { createHash } from 'node:crypto';
import type { Orm } from '../../src/db/database';
import { testDialect } from '../support/database';

export interface TableSnapshot {
  rows: number;
  sha256: string;
}

const TABLES_SQL = {
  sqlite: "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  postgresql: "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name",
};
const COLUMNS_SQL = {
  sqlite: 'select name from pragma_table_info(?) order by cid',
  postgresql: 'select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = ? order by ordinal_position',
};

/**
 * Row count and a hash of the full contents of every table (migrations table included), read
 * straight from the database so nothing the ORM caches can hide a write. With `exceptOwner`,
 * that owner's own rows are left out (tables keyed by owner_id, and its owner row).
 */
export async function snapshotDatabase(orm: Orm, exceptOwner?: string): Promise<Record<string, TableSnapshot>> {
  const connection = orm.em.getConnection();
  const tables = await connection.execute<Array<{ name: string }>>(TABLES_SQL[testDialect]);
  const snapshot: Record<string, TableSnapshot> = {};
  for (const { name } of tables) {
    const columns = (await connection.execute<Array<{ name: string }>>(COLUMNS_SQL[testDialect], [name])).map((c) => c.name);
    const filter = exceptOwner
      ? columns.includes('owner_id')
        ? ' where owner_id is distinct from ?'
        : name === 'owner'
          ? ' where id is distinct from ?'
          : ''
      : '';
    const params = filter ? [exceptOwner] : [];
    const order = columns.map((c) => `"${c}"`).join(', ');
    const rows = await connection.execute<Array<Record<string, unknown>>>(`select * from "${name}"${filter} order by ${order}`, params);
    snapshot[name] = { rows: rows.length, sha256: createHash('sha256').update(JSON.stringify(rows)).digest('hex') };
  }
  return snapshot;
}
