// What `npm start` runs first (package.json "prestart"). With the build tools installed (a clone
// after `npm install`) it is `npm run build`, which rebuilds only what changed. Without them (an
// install with `--omit=dev`, or `npm prune --omit=dev` after a build) it cannot build: it lets a
// built dist/ start as it is, and otherwise says in one line what to run, and exits non-zero
// instead of failing on "vite" or "tsc: not found".
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestChange } from './newest-change.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/** Whether `name` is installed where the build would look for it. */
function installed(name) {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

const missingTools = ['vite', 'typescript'].filter((name) => !installed(name));
if (missingTools.length === 0) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(build.status ?? 1);
}

const built = ['main.js', path.join('web', 'index.html')].every((file) => existsSync(path.join(root, 'dist', file)));
if (built) {
  // A deployment may keep src/ beside dist/: sources changed since the build (a pull without a
  // rebuild) run as the old build, which is worth one line, not a refusal.
  const source = path.join(root, 'src');
  if (existsSync(source) && newestChange(source) > statSync(path.join(root, 'dist', 'main.js')).mtimeMs) {
    console.error('slotbook: src/ changed since dist/ was built, and the build tools are not installed: starting the old build (run `npm ci && npm run build` to rebuild)');
  }
  process.exit(0);
}

console.error(
  `slotbook: dist/ is not built and the build tools (${missingTools.join(', ')}) are not installed (dev dependencies); ` +
    'build once with the dev dependencies: `npm ci && npm run build`, then `npm prune --omit=dev` and `npm start` (or `node dist/main.js`)',
);
process.exit(1);
