// Builds the pages (src/web/ → dist/web/) with Vite, as `npm run build` does after tsc, and
// skips the build when dist/web/ is newer than every input: like `tsc -b`, a build with nothing
// changed costs only a look at timestamps (the tests' global setup runs `npm run build` on every
// jest run). A new build is written beside dist/web/ and renamed into place, so a server or
// test reading the pages meanwhile never sees a half-written folder.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestChange } from './newest-change.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
const stamp = path.join(out, '.built');
const inputs = [path.join(root, 'src', 'web'), path.join(root, 'vite.config.mts'), path.join(root, 'package-lock.json')];

const force = process.argv.includes('--force');
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...inputs.filter(existsSync).map(newestChange))) process.exit(0);

// Always React's production build: Vite takes NODE_ENV from the environment when it is set, and
// jest's global setup (NODE_ENV=test) or a NODE_ENV=development server would otherwise ship
// React's development build, with its warnings and its cost.
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
const next = `${out}.next-${process.pid}`;
const previous = `${out}.old-${process.pid}`;
try {
  await build({ root: path.join(root, 'src', 'web'), configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
  writeFileSync(path.join(next, '.built'), '');
  if (existsSync(out)) renameSync(out, previous);
  try {
    renameSync(next, out);
  } catch (err) {
    // Another build (a second jest run) put its dist/web/ in place meanwhile, from the same sources.
    if (!existsSync(out)) throw err;
  }
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}
