import { getIntrospectionQuery, print, type GraphQLFormattedError } from 'graphql';
import sqlite3 from 'sqlite3';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app';
import { loadConfig, ConfigError } from '../../src/config';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/query-limits';
import { SlotService } from '../../src/modules/slot/slot.service';
import { OwnerService } from '../../src/modules/owner/owner.service';
import { BookingService } from '../../src/modules/booking/booking.service';
import { CreateOwnerDocument } from '../generated/graphql';

// Query limits (src/graphql/query-limits.ts): GraphQL Armor's depth, alias and directive rules
// and the read-priced cost rule (query-cost.ts, tested in query-cost.test.ts) answer
// GRAPHQL_VALIDATION_FAILED, the token limit GRAPHQL_PARSE_FAILED; the freeSlots range cost,
// which depends on variables, answers BAD_USER_INPUT. All are refused before any resolver runs.

const NOW = new Date('2030-01-07T08:00:00Z');

function start(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({ now: NOW, ...options });
}

async function run(t: TestApp, query: string, variables: Record<string, unknown> = {}, token: string | null = null) {
  const response = await t.app.server.executeOperation({ query, variables }, { contextValue: t.app.contextFor(token) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { http: response.http.status, ...response.body.singleResult } as { http?: number; data?: unknown; errors?: readonly GraphQLFormattedError[] };
}

const codes = (r: { errors?: readonly GraphQLFormattedError[] }) => [...new Set((r.errors ?? []).map((e) => e.extensions?.code))];

/** Spies on every resolver entry point that touches data, so a test can say "nothing ran". */
function spyOnResolvers() {
  const spies: jest.SpyInstance[] = [
    jest.spyOn(SlotService.prototype, 'freeSlots'),
    jest.spyOn(OwnerService.prototype, 'getOwnerHead'),
    jest.spyOn(OwnerService.prototype, 'findOwner'),
    jest.spyOn(BookingService.prototype, 'upcomingBookings'),
  ];
  for (const spy of spies) spy.mockClear();
  return spies;
}

const calls = (spies: jest.SpyInstance[]) => spies.reduce((n, s) => n + s.mock.calls.length, 0);

function aliasedFreeSlots(n: number, ownerId: string, from: string, to: string): string {
  const fields = Array.from({ length: n }, (_, i) => `s${i}: freeSlots(ownerId: "${ownerId}", from: "${from}", to: "${to}") { startsAt }`);
  return `query Flood { ${fields.join(' ')} }`;
}

let app: TestApp;
let ownerId: string;
let statements: number;

beforeAll(async () => {
  app = await start();
  const created = await run(app, print(CreateOwnerDocument), { input: { name: 'Ada', timeZone: 'Europe/Berlin' } });
  ownerId = (created.data as { createOwner: { owner: { id: string } } }).createOwner.owner.id;
  // Every SQL statement the ORM runs passes through the connection's execute; on a SQLite file
  // the hot reads and writes run on sqlite3 connections of their own, whose statements are counted
  // where sqlite3 runs them (the ORM's too, counted twice: only "none ran" is asserted).
  const connection = app.app.orm.em.getConnection();
  const execute = connection.execute.bind(connection);
  statements = 0;
  jest.spyOn(connection, 'execute').mockImplementation(((...args: Parameters<typeof execute>) => {
    statements += 1;
    return execute(...args);
  }) as typeof connection.execute);
  for (const method of ['all', 'run', 'get', 'each'] as const) {
    const original = sqlite3.Statement.prototype[method] as (...args: unknown[]) => sqlite3.Statement;
    jest.spyOn(sqlite3.Statement.prototype, method).mockImplementation(function (this: sqlite3.Statement, ...args: unknown[]) {
      statements += 1;
      return original.apply(this, args);
    } as never);
  }
});
afterAll(() => app.close());
afterEach(() => jest.clearAllMocks());

describe('defaults', () => {
  test('are the documented ones', () => {
    expect(DEFAULT_QUERY_LIMITS).toEqual({ maxDepth: 10, maxAliases: 15, maxTokens: 1000, maxDirectives: 50, maxCost: 5000, maxFreeSlotDays: 1000, maxFreeSlots: 10_000 });
  });

  test('a query with 500 aliased freeSlots is refused before any resolver or SQL statement runs', async () => {
    const spies = spyOnResolvers();
    const before = statements;
    const result = await run(app, aliasedFreeSlots(500, ownerId, '2030-01-07T00:00:00Z', '2030-01-08T00:00:00Z'));
    expect(result.data).toBeUndefined();
    // Over 1000 tokens, so the parser stops it even before the alias rule would.
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.http).toBe(400);
    expect(calls(spies)).toBe(0);
    expect(statements).toBe(before);
  });

  test('the Sandbox introspection query passes every limit', async () => {
    const result = await run(app, getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
    expect(result.errors).toBeUndefined();
  });

  test('a deep query through booking → owner → bookings is refused with GRAPHQL_VALIDATION_FAILED', async () => {
    const nest = (depth: number): string => (depth === 0 ? 'id' : `id bookings { edges { node { owner { ${nest(depth - 1)} } } } }`);
    const ok = await run(app, `query { owner(id: "${ownerId}") { ${nest(1)} } }`);
    expect(codes(ok)).not.toContain('GRAPHQL_VALIDATION_FAILED');
    const spies = spyOnResolvers();
    const deep = await run(app, `query { owner(id: "${ownerId}") { ${nest(3)} } }`);
    expect(codes(deep)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(deep.errors![0]!.message).toMatch(/depth/i);
    expect(calls(spies)).toBe(0);
  });

  test('more than 15 aliases are refused; 15 pass', async () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: owner(id: "${ownerId}") { id }`).join(' ');
    expect((await run(app, `{ ${fields(15)} }`)).errors).toBeUndefined();
    const refused = await run(app, `{ ${fields(16)} }`);
    expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refused.errors![0]!.message).toMatch(/alias/i);
  });

  test('more than 50 directives are refused', async () => {
    const directives = Array.from({ length: 51 }, () => '@include(if: true)').join(' ');
    const refused = await run(app, `{ owner(id: "${ownerId}") { id ${directives} } }`);
    expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refused.errors![0]!.message).toMatch(/directive/i);
  });

  test('a document of more than 1000 tokens is refused with a 400 and a clear message', async () => {
    const spies = spyOnResolvers();
    const fields = Array.from({ length: 600 }, () => 'id name').join(' ');
    const refused = await run(app, `{ owner(id: "${ownerId}") { ${fields} } }`);
    expect(refused.data).toBeUndefined();
    expect(refused.http).toBe(400);
    expect(codes(refused)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(refused.errors![0]!.message).toMatch(/token/i);
    expect(calls(spies)).toBe(0);
  });
});

describe('freeSlots costs its range', () => {
  const year = { from: '2030-01-07T00:00:00Z', to: '2031-01-08T00:00:00Z' }; // 366 days

  test('two full-year ranges pass, three are refused with BAD_USER_INPUT before any resolver runs', async () => {
    const q = (n: number) =>
      `query Y($id: ID!, $from: DateTime!, $to: DateTime!) { ${Array.from({ length: n }, (_, i) => `y${i}: freeSlots(ownerId: $id, from: $from, to: $to) { startsAt }`).join(' ')} }`;
    expect((await run(app, q(2), { id: ownerId, ...year })).errors).toBeUndefined();
    const spies = spyOnResolvers();
    const refused = await run(app, q(3), { id: ownerId, ...year });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.http).toBe(400);
    expect(refused.errors![0]!.message).toMatch(/1098 days.*limit is 1000/);
    expect(calls(spies)).toBe(0);
  });

  test('Owner.freeSlots counts too, through fragments and literals', async () => {
    const query = `
      query O { a: owner(id: "${ownerId}") { ...S } b: owner(id: "${ownerId}") { ...S } c: owner(id: "${ownerId}") { ... on Owner { freeSlots(from: "${year.from}", to: "${year.to}") { startsAt } } } }
      fragment S on Owner { freeSlots(from: "${year.from}", to: "${year.to}") { startsAt } }`;
    const refused = await run(app, query);
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
  });

  test('Owner.freeSlots under a page of bookings is multiplied by the page size', async () => {
    const query = `query P($first: Int) { upcomingBookings(first: $first) { edges { node { owner { freeSlots(from: "2030-01-07T00:00:00Z", to: "2030-01-21T00:00:00Z") { startsAt } } } } } }`;
    // 14 days × 100 bookings = 1400 > 1000, refused even without a token (nothing runs).
    expect(codes(await run(app, query, { first: 100 }))).toEqual(['BAD_USER_INPUT']);
    // 14 days × 50 = 700 passes the cost check and reaches authorization.
    expect(codes(await run(app, query, { first: 50 }))).toEqual(['UNAUTHENTICATED']);
  });

  test('with aliases and tokens allowed, 500 aliased week-long freeSlots still fall to the cost limit', async () => {
    const lax = await start({ queryLimits: { maxAliases: 1000, maxTokens: 100_000, maxCost: 1_000_000 } });
    try {
      const spies = spyOnResolvers();
      const refused = await run(lax, aliasedFreeSlots(500, ownerId, '2030-01-07T00:00:00Z', '2030-01-14T00:00:00Z'));
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.message).toMatch(/3500 days/);
      expect(calls(spies)).toBe(0);
    } finally {
      await lax.close();
    }
  });

  test('a malformed range costs a day and is then refused by the scalar, not by the cost check', async () => {
    const result = await run(app, `query { freeSlots(ownerId: "${ownerId}", from: "yesterday", to: "2030-01-08T00:00:00Z") { startsAt } }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toMatch(/DateTime/);
  });
});

describe('free slots one request may produce (GRAPHQL_MAX_FREE_SLOTS)', () => {
  // An owner with 5-minute slots, available around the clock: 288 slots a day.
  let busy: TestApp;
  let fiveMinuteOwner: string;
  const range = (days: number) => ({ from: '2030-01-08T00:00:00Z', to: new Date(Date.parse('2030-01-08T00:00:00Z') + days * 86_400_000).toISOString() });
  const slotsQuery = (id: string, days: number, alias = 'slots') => `${alias}: freeSlots(ownerId: "${id}", from: "${range(days).from}", to: "${range(days).to}") { startsAt }`;

  beforeAll(async () => {
    busy = await start({ queryLimits: { maxFreeSlots: 1000 } });
    const created = await run(busy, print(CreateOwnerDocument), { input: { name: 'Tiny slots', timeZone: 'UTC', slotMinutes: 5 } });
    const { owner, token } = (created.data as { createOwner: { owner: { id: string }; token: string } }).createOwner;
    fiveMinuteOwner = owner.id;
    const window = await run(busy, 'mutation { addRecurringWindow(input: { frequency: DAILY, startTime: "00:00", endTime: "24:00", startsOn: "2030-01-01" }) { id } }', {}, token);
    expect(window.errors).toBeUndefined();
  });
  afterAll(() => busy.close());

  test('a range within the budget answers in full (3 days: 864 slots)', async () => {
    const result = await run(busy, `{ ${slotsQuery(fiveMinuteOwner, 3)} }`);
    expect(result.errors).toBeUndefined();
    expect((result.data as { slots: unknown[] }).slots).toHaveLength(864);
  });

  test('a range holding more slots than the budget is refused with BAD_USER_INPUT naming to', async () => {
    const result = await run(busy, `{ ${slotsQuery(fiveMinuteOwner, 366)} }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions).toMatchObject({ field: 'to' });
    expect(result.errors![0]!.message).toContain('GRAPHQL_MAX_FREE_SLOTS');
  });

  test('the budget is per request: two fields within it alone but over it together are refused; each alone passes', async () => {
    const together = await run(busy, `{ ${slotsQuery(fiveMinuteOwner, 3, 'a')} ${slotsQuery(fiveMinuteOwner, 3, 'b')} }`);
    expect(codes(together)).toEqual(['BAD_USER_INPUT']);
    for (const alias of ['a', 'b']) {
      const alone = await run(busy, `{ ${slotsQuery(fiveMinuteOwner, 3, alias)} }`);
      expect(alone.errors).toBeUndefined();
    }
  });

  test('a refused range is not cached: the same range in a later request is refused again', async () => {
    expect(codes(await run(busy, `{ ${slotsQuery(fiveMinuteOwner, 10)} }`))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(busy, `{ ${slotsQuery(fiveMinuteOwner, 10)} }`))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('configuration', () => {
  test('GRAPHQL_MAX_* come from the environment and are checked', () => {
    const config = loadConfig({ GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_FREE_SLOT_DAYS: '30', GRAPHQL_MAX_FREE_SLOTS: '500' });
    expect(config.queryLimits).toEqual({ ...DEFAULT_QUERY_LIMITS, maxDepth: 4, maxFreeSlotDays: 30, maxFreeSlots: 500 });
    expect(() => loadConfig({ GRAPHQL_MAX_ALIASES: 'many' })).toThrow(new ConfigError('GRAPHQL_MAX_ALIASES must be a positive integer, got "many"'));
    expect(() => loadConfig({ GRAPHQL_MAX_COST: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ GRAPHQL_MAX_TOKENS: '1e3' })).toThrow(ConfigError);
  });

  test('GRAPHQL_INTROSPECTION=false turns introspection off; anything not boolean is refused', () => {
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).introspection).toBe(false);
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'nope' })).toThrow(ConfigError);
  });

  test('limits passed to createApp apply', async () => {
    const strict = await start({ queryLimits: { maxDepth: 2, maxFreeSlotDays: 7 } });
    try {
      expect(codes(await run(strict, `{ owner(id: "${ownerId}") { bookings { edges { node { id } } } } }`))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(codes(await run(strict, `{ freeSlots(ownerId: "${ownerId}", from: "2030-01-07T00:00:00Z", to: "2030-01-15T00:00:00Z") { startsAt } }`))).toEqual(['BAD_USER_INPUT']);
    } finally {
      await strict.close();
    }
  });
});
