import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Brings dist/ up to date with src/ once per jest run, so tests that start the real server
 * binary (`node dist/main.js`, tests/multiprocess.test.ts) work on a fresh clone without a manual
 * build. It is `npm run build`, the incremental build `npm start` runs too: when nothing in
 * src/ changed it only compares timestamps, so a run of one test file does not wait for tsc.
 */
export default function globalSetup(): void {
  // Workers inherit the environment: names this run's PostgreSQL test databases (tests/support/database.ts).
  process.env.SLOTBOOK_TEST_RUN = randomBytes(4).toString('hex');
  if (process.env.TEST_DATABASE_URL) console.log(`\nrunning the suite on PostgreSQL (TEST_DATABASE_URL)`);
  const root = path.resolve(__dirname, '..', '..');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw result.error;
  if (result.status === 0) return;
  const output = `npm run build exited ${result.status}:\n${result.stdout}${result.stderr}`;
  // tsc still emits on type errors, and `npm run typecheck` is what fails the build for them;
  // blocking every unrelated test here would only hide which tests the change really breaks.
  if (!existsSync(path.join(root, 'dist', 'main.js'))) throw new Error(output);
  console.warn(`\n${output}\n(continuing with the emitted dist/)`);
}
