import { dropTestDatabases, removeTemporaryFolders } from './database';

/**
 * Drops the PostgreSQL databases the run created and removes the temp folders of its SQLite
 * files that are still there: a test app removes its own on close(), so one left here means a
 * test did not close what it started (or crashed before it could), and is named.
 */
export default async function globalTeardown(): Promise<void> {
  await dropTestDatabases();
  const left = removeTemporaryFolders();
  if (left.length) console.warn(`\nremoved ${left.length} temp folder(s) a test left behind: ${left.join(', ')}`);
}
