import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The layers of src/ and the one direction their imports may point (README, Layout):
// http → graphql → modules → db, scheduling, shared. The top level (main, app, config and the
// CLI entry points) composes everything; nothing imports it but itself.

const SRC = path.resolve(__dirname, '..', 'src');
const RANK: Record<string, number> = { shared: 0, scheduling: 0, db: 1, modules: 2, graphql: 3, http: 4, top: 5 };
/** Layers a layer may import besides the ones ranked below it. */
const SAME_RANK_ALLOWED: Record<string, string[]> = { shared: ['scheduling'], scheduling: [], db: [], modules: [], graphql: [], http: [], top: [] };

function layerOf(file: string): string {
  const first = path.relative(SRC, file).split(path.sep)[0]!;
  return first in RANK ? first : 'top';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1]!));
}

test('imports point down the layers only', () => {
  const upward: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      if (from === to) continue;
      if (RANK[to]! < RANK[from]! || SAME_RANK_ALLOWED[from]!.includes(to)) continue;
      upward.push(`${path.relative(SRC, file)} (${from}) imports ${path.relative(SRC, target)} (${to})`);
    }
  }
  expect(upward).toEqual([]);
});

test('the slot engine imports nothing outside itself but date-fns', () => {
  const outside: string[] = [];
  for (const file of sourceFiles(path.join(SRC, 'scheduling'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1]!;
      const local = spec.startsWith('.') && layerOf(path.resolve(path.dirname(file), spec)) === 'scheduling';
      if (!local && !/^(date-fns|@date-fns\/tz)(\/|$)/.test(spec)) outside.push(`${path.relative(SRC, file)}: ${spec}`);
    }
  }
  expect(outside).toEqual([]);
});

test('the pages (src/web) and the server import nothing of each other', () => {
  const WEB = path.join(SRC, 'web');
  const inWeb = (file: string) => file === WEB || file.startsWith(WEB + path.sep);
  const webFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? webFiles(full) : /\.tsx?$/.test(name) ? [full] : [];
    });
  const crossing: string[] = [];
  for (const file of webFiles(WEB)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1]!;
      const ok = spec.startsWith('.') ? inWeb(path.resolve(path.dirname(file), spec)) : /^(react|react-dom|graphql-ws\/client|@graphql-typed-document-node\/core)(\/|$)/.test(spec);
      if (!ok) crossing.push(`${path.relative(SRC, file)}: ${spec}`);
    }
  }
  for (const file of sourceFiles(SRC).filter((f) => !inWeb(f))) {
    for (const target of importsOf(file)) if (inWeb(target)) crossing.push(`${path.relative(SRC, file)}: ${path.relative(SRC, target)}`);
  }
  expect(crossing).toEqual([]);
});
