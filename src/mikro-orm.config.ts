// Used only by the MikroORM CLI to generate migrations: `npm run migration:create`.
import { defineConfig } from '@mikro-orm/sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './common/database';

export default defineConfig({
  dbName: './data/migration-scratch.sqlite',
  entities,
  extensions: [Migrator],
  migrations: { path: './src/migrations', pathTs: './src/migrations', glob: 'Migration*.ts', emit: 'ts', snapshot: true, snapshotName: 'schema-snapshot' },
});
