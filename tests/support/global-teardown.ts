import { dropTestDatabases } from './database';

/** Drops the PostgreSQL databases the run created (nothing to do on SQLite: those were in memory or temp files). */
export default async function globalTeardown(): Promise<void> {
  await dropTestDatabases();
}
