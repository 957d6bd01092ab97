import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The latest modification time (ms) of `file` or of anything below it: how the scripts tell whether a build is current. */
export function newestChange(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newestChange(path.join(file, name))));
}
