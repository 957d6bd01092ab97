import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/** src/ (or dist/ when this file runs compiled). */
const SOURCE_ROOT = resolve(__dirname, '..');

/**
 * The compiled worker file `name` (a `.js`) of the module in directory `here`: beside it in dist/,
 * or, when `here` is under src/ (jest compiles TypeScript in-process, which a worker thread cannot
 * load), the build's copy at the same place under dist/.
 */
export function compiledWorkerFile(here: string, name: string): string {
  const beside = resolve(here, name);
  return existsSync(beside) ? beside : resolve(SOURCE_ROOT, '..', 'dist', relative(SOURCE_ROOT, here), name);
}
