import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startTestApp } from './support/app';
import { MeDocument } from './generated/graphql';
import { testDialect } from './support/database';

// Tests run the app the way production does: tests/support/app.ts's startTestApp builds every
// test app, on SQLite a file in a temp folder (what `npm start` runs), and removes what it made.

const TESTS = __dirname;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'support' || name === 'generated' ? [] : testFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Quoted text on one line, whose words are no call. */
const STRINGS = /'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g;
const CALL = new RegExp('(?<![\\w.$])' + 'createApp' + '\\s*\\(');

/** Whether a line of TypeScript calls createApp: outside strings and comments, not as a method. */
function callsCreateApp(line: string): boolean {
  const code = line.replace(STRINGS, "''").replace(/\/\/.*$/, '').replace(/^\s*(\/\*|\*).*$/, '');
  return CALL.test(code);
}

test('no test builds an app by calling createApp itself: startTestApp (tests/support/app.ts) does', () => {
  const callers = testFiles(TESTS).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (callsCreateApp(line) ? [`${path.relative(TESTS, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(callers).toEqual([]);
});

test('the guard above tells a call from a mention', () => {
  expect(callsCreateApp('  const app = await createApp({ databaseUrl });')).toBe(true);
  expect(callsCreateApp('  return createApp ({ databaseUrl }).then(listen); // a test app')).toBe(true);
  expect(callsCreateApp("describe('createApp({ introspection: false }) over HTTP', () => {")).toBe(false);
  expect(callsCreateApp('  // createApp(options) would skip the temp folder')).toBe(false);
  expect(callsCreateApp(' * Unlike createApp(options), it removes its folder.')).toBe(false);
  expect(callsCreateApp("import { createApp, type App } from '../src/app';")).toBe(false);
  expect(callsCreateApp('  await t.createApp(options);')).toBe(false);
});

(testDialect === 'sqlite' ? describe : describe.skip)('on SQLite', () => {
  test('a test app runs on a file in a temp folder of its own, which close() removes', async () => {
    const t = await startTestApp();
    const dbName = t.app.orm.config.get('dbName')!;
    expect(dbName).not.toBe(':memory:');
    expect(path.basename(path.dirname(dbName))).toMatch(/^slotbook-test-/);
    expect(existsSync(dbName)).toBe(true);
    const owner = await t.createOwner();
    expect(owner.id).toBeTruthy();
    await t.close();
    expect(existsSync(path.dirname(dbName))).toBe(false);
  });

  test("sqlite: 'memory' runs on sqlite::memory:", async () => {
    const t = await startTestApp({ sqlite: 'memory' });
    try {
      expect(t.app.orm.config.get('dbName')).toBe(':memory:');
    } finally {
      await t.close();
    }
  });
});

test('listen: true serves on 127.0.0.1 at a free port; close() stops it', async () => {
  const t = await startTestApp({ listen: true });
  expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  expect(t.origin).toBe(new URL(t.url).origin);
  expect((await fetch(`${t.origin}/health`)).status).toBe(200);
  await t.close();
  expect(t.app.httpServer.listening).toBe(false);
});

test("over: 'http' sends typed operations as POSTs to the listening server, the token as a bearer header", async () => {
  const t = await startTestApp({ over: 'http' });
  try {
    const http = jest.spyOn(t.app.server, 'executeHTTPGraphQLRequest');
    const direct = jest.spyOn(t.app.server, 'executeOperation');
    const owner = await t.createOwner({ name: 'Over HTTP' });
    expect(http).toHaveBeenCalledTimes(1);
    const me = await t.run(MeDocument, {}, owner.token);
    expect(me.data?.me.name).toBe('Over HTTP');
    expect(http).toHaveBeenCalledTimes(2);
    expect(direct).not.toHaveBeenCalled();
  } finally {
    await t.close();
  }
});
