// Used only by the MikroORM CLI to generate migrations: `npm run migration:create`. The dialect
// follows DATABASE_URL: unset, a scratch SQLite file; a postgres:// URL names a scratch database
// on which the committed PostgreSQL migrations are applied first. Each dialect has its own folder.
import type { Options } from '@mikro-orm/core';
import { loadConfig } from './config';
import { ormOptions } from './db/database';
import { parseDatabaseUrl } from './config';
import { entities } from './modules/entities';

const { databaseUrl: configured } = loadConfig();
const databaseUrl = configured.startsWith('sqlite:') ? 'sqlite:./data/migration-scratch.sqlite' : configured;
const target = parseDatabaseUrl(databaseUrl);
const dialect = target.dialect;
const base = ormOptions(target, { entities });
const folder = `./src/db/migrations/${dialect}`;

const config: Options = {
  ...base,
  migrations: {
    ...base.migrations,
    migrationsList: undefined,
    path: folder,
    pathTs: folder,
    glob: 'Migration*.ts',
    emit: 'ts',
    snapshot: true,
    snapshotName: 'schema-snapshot',
  },
};
export default config;
