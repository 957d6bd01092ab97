import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/sqlite';

export interface TableSnapshot {
  rows: number;
  sha256: string;
}

/**
 * Row count and a hash of the full contents of every table (migrations table included), read
 * straight from SQLite so nothing the ORM caches can hide a write. With `exceptOwner`, that
 * owner's own rows are left out (tables keyed by owner_id, and its owner row).
 */
export async function snapshotDatabase(orm: MikroORM, exceptOwner?: string): Promise<Record<string, TableSnapshot>> {
  const connection = orm.em.getConnection();
  const tables = await connection.execute<Array<{ name: string }>>(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  );
  const snapshot: Record<string, TableSnapshot> = {};
  for (const { name } of tables) {
    const columns = (await connection.execute<Array<{ name: string }>>(`pragma table_info(\`${name}\`)`)).map((c) => c.name);
    const filter = exceptOwner
      ? columns.includes('owner_id')
        ? ' where owner_id is not ?'
        : name === 'owner'
          ? ' where id is not ?'
          : ''
      : '';
    const params = filter ? [exceptOwner] : [];
    const order = columns.map((c) => `\`${c}\``).join(', ');
    const rows = await connection.execute<Array<Record<string, unknown>>>(`select * from \`${name}\`${filter} order by ${order}`, params);
    snapshot[name] = { rows: rows.length, sha256: createHash('sha256').update(JSON.stringify(rows)).digest('hex') };
  }
  return snapshot;
}
