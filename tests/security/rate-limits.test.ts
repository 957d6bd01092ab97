import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, parse, print, type FragmentDefinitionNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { App } from '../../src/app';
import { clientKey } from '../../src/http/client-address';
import { DEFAULT_RATE_LIMITS, RATE_LIMIT_TABLE, limitedCalls, operationCost, type RateLimits } from '../../src/http/rate-limits';
import { buildAppSchema } from '../../src/graphql/schema';
import { Owner } from '../../src/modules/owner/owner.entity';
import { Booking } from '../../src/modules/booking/booking.entity';
import { freshDatabaseUrl, testDialect } from '../support/database';
import { startTestApp, type ServedTestApp, type TestAppOptions } from '../support/app';
import { spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  BookingDocument,
  CancelBookingDocument,
  CreateOwnerDocument,
  FreeSlotsDocument,
  RescheduleBookingDocument,
} from '../generated/graphql';

// Rate limits (docs/api.md semantics 24, src/common/rate-limits.ts) over the real HTTP
// server: per client address, past a limit, HTTP 429 + Retry-After + RATE_LIMITED naming it.
// Each test builds its own app with small limits, so budgets never leak between tests.

const NOW = new Date('2030-01-07T08:00:00Z');
const DAY = '2030-01-08';
const NO_LIMITS: RateLimits = { createOwnerPerHour: 1000, bookSlotPerMinute: 1000, manageTokenPerMinute: 1000, costPerMinute: 100_000 };

type Served = ServedTestApp;

const served: Served[] = [];

async function serve(limits: Partial<RateLimits> | 'off', options: TestAppOptions = {}): Promise<Served> {
  const s = await startTestApp({ now: NOW, rateLimits: limits === 'off' ? 'off' : { ...NO_LIMITS, ...limits }, ...options, listen: true });
  served.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

interface Answer<TData> {
  status: number;
  retryAfter: string | null;
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

async function post<TData>(target: { url: string }, query: string, variables: unknown, headers: Record<string, string> = {}): Promise<Answer<TData>> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: TData | null; errors?: GraphQLFormattedError[] };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...body };
}

function send<TData, TVars>(target: { url: string }, doc: TypedDocumentNode<TData, TVars>, variables: TVars, headers: Record<string, string> = {}) {
  return post<TData>(target, print(doc), variables, headers);
}

const codes = (a: { errors?: readonly GraphQLFormattedError[] }) => (a.errors ?? []).map((e) => e.extensions?.code);

/** A refusal as the contract says: 429, Retry-After in whole seconds within the window, RATE_LIMITED naming the limit and the wait. */
function expectRateLimited(answer: Answer<unknown>, limit: RegExp, windowSeconds: number): void {
  expect(answer.status).toBe(429);
  expect(answer.retryAfter).toMatch(/^\d+$/);
  const seconds = Number(answer.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  expect(codes(answer)).toEqual(['RATE_LIMITED']);
  expect(answer.data).toBeUndefined();
  expect(answer.errors![0]!.message).toMatch(limit);
  expect(answer.errors![0]!.message).toContain(`retry in ${seconds} s`);
}

const ownerInput = (name: string) => ({ input: { name, timeZone: 'UTC', slotMinutes: 30 } });

/** Runs an operation in-process (contextFor): its client is "in-process", whose budget is not the HTTP client's. */
async function inProcess<TData, TVars>(app: App, doc: TypedDocumentNode<TData, TVars>, variables: TVars, token: string | null = null): Promise<TData> {
  const response = await app.server.executeOperation<TData>({ query: print(doc), variables: variables as Record<string, unknown> }, { contextValue: app.contextFor(token) });
  if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error(JSON.stringify(response.body));
  return response.body.singleResult.data!;
}

/** An owner with a window on DAY, made in-process so that no HTTP budget is spent on it. */
async function ownerWithWindow(app: App): Promise<{ id: string; token: string }> {
  const created = await inProcess(app, CreateOwnerDocument, ownerInput('Ada'));
  const owner = { id: created.createOwner.owner.id, token: created.createOwner.token };
  await inProcess(app, AddOneTimeWindowDocument, { input: { startsAt: `${DAY}T08:00:00Z`, endsAt: `${DAY}T18:00:00Z` } }, owner.token);
  return owner;
}

const slotAt = (n: number) => new Date(Date.parse(`${DAY}T08:00:00Z`) + n * 30 * 60_000).toISOString();

function bookInput(ownerId: string, n: number) {
  return { input: { ownerId, startsAt: slotAt(n), invitee: { name: `Guest ${n}`, email: `guest${n}@example.com` } } };
}

describe('each limit trips with 429, Retry-After and RATE_LIMITED', () => {
  test('createOwner: past RATE_LIMIT_CREATE_OWNER_PER_HOUR the call is refused and creates nothing', async () => {
    const s = await serve({ createOwnerPerHour: 2 });
    for (const name of ['One', 'Two']) expect(codes(await send(s, CreateOwnerDocument, ownerInput(name)))).toEqual([]);
    const refused = await send(s, CreateOwnerDocument, ownerInput('Three'));
    expectRateLimited(refused, /at most 2 createOwner calls per hour from one client address/, 3600);
    expect(await s.app.orm.em.fork().count(Owner, {})).toBe(2);
  });

  test('bookSlot: past RATE_LIMIT_BOOK_PER_MINUTE; aliased calls in one request count one each', async () => {
    const s = await serve({ bookSlotPerMinute: 3 });
    const owner = await ownerWithWindow(s.app);
    const two = `mutation Two($a: BookSlotInput!, $b: BookSlotInput!) { a: bookSlot(input: $a) { manageToken } b: bookSlot(input: $b) { manageToken } }`;
    const pair = await post(s, two, { a: bookInput(owner.id, 0).input, b: bookInput(owner.id, 1).input });
    expect(codes(pair)).toEqual([]);
    expect(codes(await send(s, BookSlotDocument, bookInput(owner.id, 2)))).toEqual([]);
    const refused = await send(s, BookSlotDocument, bookInput(owner.id, 3));
    expectRateLimited(refused, /at most 3 bookSlot calls per minute/, 60);
    expect(await s.app.orm.em.fork().count(Booking, {})).toBe(3);
  });

  test('manageToken: every presented token counts, on booking, cancelBooking and rescheduleBooking, literal or variable, in fragments too; a null one does not', async () => {
    const s = await serve({ manageTokenPerMinute: 4 });
    const owner = await ownerWithWindow(s.app);
    const booked = await send(s, BookSlotDocument, bookInput(owner.id, 0));
    const id = booked.data!.bookSlot.booking.id;
    // Owners read bookings with their bearer token and no manageToken: never counted.
    for (let i = 0; i < 6; i++) expect(codes(await send(s, BookingDocument, { id, manageToken: null }, { authorization: `Bearer ${owner.token}` }))).toEqual([]);

    const twoLiterals = `query Two { a: booking(id: "${id}", manageToken: "guess-1") { id } ...B } fragment B on Query { b: booking(id: "${id}", manageToken: "guess-2") { id } }`;
    expect(codes(await post(s, twoLiterals, {}))).not.toContain('RATE_LIMITED');
    expect(codes(await send(s, CancelBookingDocument, { id, manageToken: 'guess-3' }))).not.toContain('RATE_LIMITED');
    expect(codes(await send(s, RescheduleBookingDocument, { id, startsAt: slotAt(5), manageToken: 'guess-4' }))).not.toContain('RATE_LIMITED');
    const refused = await send(s, BookingDocument, { id, manageToken: 'guess-5' });
    expectRateLimited(refused, /at most 4 requests presenting a manageToken per minute/, 60);
    // The right token is refused too: the limit is on presenting tokens, not on wrong ones.
    expectRateLimited(await send(s, BookingDocument, { id, manageToken: booked.data!.bookSlot.manageToken }), /manageToken/, 60);
  });

  test('query cost: past RATE_LIMIT_COST_PER_MINUTE, over POST and GET alike', async () => {
    const s = await serve({ costPerMinute: 70 });
    const owner = await ownerWithWindow(s.app);
    // A month of freeSlots costs 1 + 31 days.
    const month = { ownerId: owner.id, from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' };
    expect(codes(await send(s, FreeSlotsDocument, month))).toEqual([]);
    expect(codes(await send(s, FreeSlotsDocument, month))).toEqual([]);
    expectRateLimited(await send(s, FreeSlotsDocument, month), /at most 70 query cost per minute/, 60);

    const search = new URLSearchParams({ query: print(FreeSlotsDocument), variables: JSON.stringify(month) });
    const response = await fetch(`${s.url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
    const body = (await response.json()) as { errors?: GraphQLFormattedError[] };
    expectRateLimited({ status: response.status, retryAfter: response.headers.get('retry-after'), ...body }, /query cost/, 60);
  });

  test('an operation dearer than the whole cost budget passes at the start of a window and uses all of it', async () => {
    const s = await serve({ costPerMinute: 10 });
    const owner = await ownerWithWindow(s.app);
    const month = { ownerId: owner.id, from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' };
    expect(codes(await send(s, FreeSlotsDocument, month))).toEqual([]);
    expectRateLimited(await send(s, CreateOwnerDocument, ownerInput('Cheap')), /query cost/, 60);
  });

  test('past two limits at once, the message names both and Retry-After is the longer wait', async () => {
    const s = await serve({ createOwnerPerHour: 1, costPerMinute: 1 });
    expect(codes(await send(s, CreateOwnerDocument, ownerInput('One')))).toEqual([]);
    const refused = await send(s, CreateOwnerDocument, ownerInput('Two'));
    expectRateLimited(refused, /at most 1 query cost per minute and at most 1 createOwner calls per hour/, 3600);
    expect(Number(refused.retryAfter)).toBeGreaterThan(60);
  });
});

describe('the .ics routes count against the manage-token budget (RATE_LIMIT_MANAGE_TOKEN_PER_MINUTE)', () => {
  test('guessed manage tokens and feed secrets: 404 within the budget, then 429 with Retry-After, and the budget is the address\'s, GraphQL included', async () => {
    const s = await serve({ manageTokenPerMinute: 6 });
    const owner = await ownerWithWindow(s.app);
    const booked = await inProcess(s.app, BookSlotDocument, bookInput(owner.id, 0));
    const id = booked.bookSlot.booking.id;
    const guess = (n: number) => fetch(`${s.origin}/bookings/${id}.ics?manageToken=sbm_${String(n).padStart(43, 'A')}`);
    const feed = () => fetch(`${s.origin}/feeds/sbf_${'B'.repeat(43)}.ics`);
    const within = await Promise.all([guess(1), guess(2), guess(3), feed(), feed()]);
    expect(within.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    // The sixth presentation of the minute is a GraphQL one: the same budget.
    expect((await send(s, BookingDocument, { id, manageToken: booked.bookSlot.manageToken })).status).toBe(200);
    for (const refused of [await guess(7), await feed(), await fetch(`${s.origin}/bookings/${id}.ics?manageToken=${encodeURIComponent(booked.bookSlot.manageToken)}`)]) {
      expect(refused.status).toBe(429);
      const seconds = Number(refused.headers.get('retry-after'));
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(await refused.text()).toMatch(/^rate limit reached: at most 6 requests presenting a manageToken per minute from one client address; retry in \d+ s\n$/);
    }
  });

  test('rateLimits off: a hundred wrong tokens are a hundred 404s', async () => {
    const s = await serve('off');
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, n) => fetch(`${s.origin}/bookings/00000000-0000-7000-8000-000000000000.ics?manageToken=sbm_${n}`).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([404]));
  });
});

test('/health is never limited, even with every budget spent', async () => {
  const s = await serve({ createOwnerPerHour: 1, bookSlotPerMinute: 1, manageTokenPerMinute: 1, costPerMinute: 1 });
  await send(s, CreateOwnerDocument, ownerInput('One'));
  expect((await send(s, CreateOwnerDocument, ownerInput('Two'))).status).toBe(429);
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`${s.origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  }
});

test('rateLimits "off" (RATE_LIMITS=off) and an app without the option never limit', async () => {
  for (const s of [await serve('off'), await serve('off', { rateLimits: undefined })]) {
    for (let i = 0; i < 15; i++) expect(codes(await send(s, CreateOwnerDocument, ownerInput(`Owner ${i}`)))).toEqual([]);
  }
});

describe('TRUST_PROXY decides whose X-Forwarded-For names the client', () => {
  const create = (s: Served, forwardedFor: string) => send(s, CreateOwnerDocument, ownerInput('Someone'), { 'x-forwarded-for': forwardedFor });

  test('not trusted (the default): every request from this socket shares one budget, whatever it claims', async () => {
    const s = await serve({ createOwnerPerHour: 1 });
    expect(codes(await create(s, '203.0.113.1'))).toEqual([]);
    expectRateLimited(await create(s, '203.0.113.2'), /createOwner/, 3600);
  });

  test.each([
    ['one proxy hop (TRUST_PROXY=1)', 1],
    ['the proxy by address (TRUST_PROXY=loopback)', ['loopback']],
    ['the proxy by CIDR (TRUST_PROXY=127.0.0.0/8)', ['127.0.0.0/8']],
  ])('trusting %s: two forwarded clients get separate budgets', async (_name, trustProxy) => {
    const s = await serve({ createOwnerPerHour: 1 }, { trustProxy });
    expect(codes(await create(s, '203.0.113.1'))).toEqual([]);
    expect(codes(await create(s, '203.0.113.2'))).toEqual([]);
    expectRateLimited(await create(s, '203.0.113.1'), /createOwner/, 3600);
    // A client cannot buy a fresh budget by writing addresses left of what the proxy appended.
    expectRateLimited(await create(s, '198.51.100.7, 203.0.113.2'), /createOwner/, 3600);
  });

  test('IPv6 clients are counted by their /64', async () => {
    const s = await serve({ createOwnerPerHour: 1 }, { trustProxy: 1 });
    expect(codes(await create(s, '2001:db8:1:2::1'))).toEqual([]);
    expectRateLimited(await create(s, '2001:db8:1:2:ffff::2'), /createOwner/, 3600);
    expect(codes(await create(s, '2001:db8:1:3::1'))).toEqual([]);
  });
});

test('clientKey: IPv4 as is (IPv4-mapped too), IPv6 by /64, anything else shortened', () => {
  expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
  expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(clientKey('2001:0db8:0001:0002:bbbb:0:0:2')).toBe('2001:db8:1:2::/64');
  expect(clientKey('::1')).toBe('0:0:0:0::/64');
  expect(clientKey('x'.repeat(300))).toHaveLength(100);
});

describe('what an operation counts', () => {
  const analyse = (source: string, variables: Record<string, unknown> = {}) => {
    const document = parse(source);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    return { operation, fragments, variables };
  };
  const count = (source: string, variables: Record<string, unknown> = {}) => {
    const { operation, fragments } = analyse(source, variables);
    return limitedCalls(operation, fragments, variables);
  };

  test.each([
    ['mutation { createOwner(input: $i) { token } }', {}, { createOwner: 1, bookSlot: 0, manageToken: 0 }],
    ['mutation { a: bookSlot(input: $i) { manageToken } b: bookSlot(input: $i) { manageToken } ... on Mutation { c: bookSlot(input: $i) { manageToken } } }', {}, { createOwner: 0, bookSlot: 3, manageToken: 0 }],
    ['mutation { ...M ...M } fragment M on Mutation { bookSlot(input: $i) { manageToken } }', {}, { createOwner: 0, bookSlot: 2, manageToken: 0 }],
    ['query { booking(id: "1", manageToken: "t") { id } }', {}, { createOwner: 0, bookSlot: 0, manageToken: 1 }],
    ['query ($t: String) { booking(id: "1", manageToken: $t) { id } }', { t: 'x' }, { createOwner: 0, bookSlot: 0, manageToken: 1 }],
    ['query ($t: String) { booking(id: "1", manageToken: $t) { id } }', { t: null }, { createOwner: 0, bookSlot: 0, manageToken: 0 }],
    ['query ($t: String) { booking(id: "1", manageToken: $t) { id } }', {}, { createOwner: 0, bookSlot: 0, manageToken: 0 }],
    ['query ($t: String = "d") { booking(id: "1", manageToken: $t) { id } }', {}, { createOwner: 0, bookSlot: 0, manageToken: 1 }],
    ['query { booking(id: "1", manageToken: null) { id } }', {}, { createOwner: 0, bookSlot: 0, manageToken: 0 }],
    ['mutation { cancelBooking(id: "1", manageToken: "a") { id } rescheduleBooking(id: "1", startsAt: "x", manageToken: "b") { id } }', {}, { createOwner: 0, bookSlot: 0, manageToken: 2 }],
    // Only root mutation fields are calls; a query cannot call createOwner.
    ['query { createOwner { id } }', {}, { createOwner: 0, bookSlot: 0, manageToken: 0 }],
    // Account calls (docs/api.md, Part 3, 32) and the emails they name, lower-cased, literal or variable.
    ['mutation { login(email: " Ada@Example.com", password: "p") { accessToken } }', {}, { createOwner: 0, bookSlot: 0, manageToken: 0, account: 1, accountEmails: ['ada@example.com'] }],
    ['mutation ($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email: 'B@example.com' } }, { createOwner: 0, bookSlot: 0, manageToken: 0, account: 1, accountEmails: ['b@example.com'] }],
    ['mutation ($e: String!) { register(input: { email: $e, password: "p", name: "n" }) { accessToken } }', { e: 'c@example.com' }, { createOwner: 0, bookSlot: 0, manageToken: 0, account: 1, accountEmails: ['c@example.com'] }],
    ['mutation { ...R ...R } fragment R on Mutation { requestPasswordReset(email: "d@example.com") }', {}, { createOwner: 0, bookSlot: 0, manageToken: 0, account: 2, accountEmails: ['d@example.com', 'd@example.com'] }],
  ])('%s %j', (source, variables, expected) => {
    expect(count(source, variables)).toEqual({ account: 0, accountEmails: [], ...expected });
  });

  test('fragments spread twice at each of 40 levels are counted without walking 2^40 paths', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Query { booking(id: "1", manageToken: "t") { id } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    const counted = count(`query { ...F0 } ${fragments.join(' ')}`);
    expect(counted.manageToken).toBe(2 ** (levels - 1));
  });

  test('the default cost budget lets a booking page show a month of free slots every second for a minute', async () => {
    const schema = await buildAppSchema();
    const { operation, fragments, variables } = analyse(print(FreeSlotsDocument), { ownerId: 'x', from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' });
    const monthView = operationCost({ schema, operation, fragments, variables });
    expect(monthView).toBe(32);
    expect(60 * monthView).toBeLessThanOrEqual(DEFAULT_RATE_LIMITS.costPerMinute);
  });
});

describe('the real server binary (main.ts wires the config)', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    server = undefined;
  });

  test('limits are on by default and RATE_LIMIT_CREATE_OWNER_PER_HOUR sets one', async () => {
    server = await spawnServer('limited', await freshDatabaseUrl(), 'silent', { RATE_LIMITS: '', RATE_LIMIT_CREATE_OWNER_PER_HOUR: '1' });
    await waitUntilHealthy(server);
    expect(codes(await send(server, CreateOwnerDocument, ownerInput('One')))).toEqual([]);
    expectRateLimited(await send(server, CreateOwnerDocument, ownerInput('Two')), /at most 1 createOwner calls per hour/, 3600);
  });

  test('RATE_LIMITS=off turns every limit off', async () => {
    server = await spawnServer('unlimited', await freshDatabaseUrl(), 'silent', { RATE_LIMITS: 'off', RATE_LIMIT_CREATE_OWNER_PER_HOUR: '1' });
    await waitUntilHealthy(server);
    for (const name of ['One', 'Two', 'Three']) expect(codes(await send(server, CreateOwnerDocument, ownerInput(name)))).toEqual([]);
  });
});

(testDialect === 'postgresql' ? describe : describe.skip)('on PostgreSQL the counters live in the database', () => {
  test('two apps on one database share one budget per client', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const a = await serve({ createOwnerPerHour: 2 }, { databaseUrl });
    const b = await serve({ createOwnerPerHour: 2 }, { databaseUrl });
    expect(codes(await send(a, CreateOwnerDocument, ownerInput('Via A')))).toEqual([]);
    expect(codes(await send(b, CreateOwnerDocument, ownerInput('Via B')))).toEqual([]);
    expectRateLimited(await send(a, CreateOwnerDocument, ownerInput('A again')), /createOwner/, 3600);
    expectRateLimited(await send(b, CreateOwnerDocument, ownerInput('B again')), /createOwner/, 3600);
  });

  test('the counter table is UNLOGGED, and reads write nothing to it: the cost budget is counted in each process', async () => {
    const s = await serve({});
    const owner = await ownerWithWindow(s.app);
    for (let i = 0; i < 3; i++) expect(codes(await send(s, FreeSlotsDocument, { ownerId: owner.id, from: `${DAY}T00:00:00Z`, to: `${DAY}T23:00:00Z` }))).toEqual([]);
    expect(codes(await send(s, BookSlotDocument, bookInput(owner.id, 0)))).toEqual([]);
    const connection = s.app.orm.em.getConnection();
    expect(await connection.execute(`select relpersistence from pg_class where relname = ?`, [RATE_LIMIT_TABLE])).toEqual([{ relpersistence: 'u' }]);
    const keys = await connection.execute<Array<{ key: string; points: number }>>(`select key, points from ${RATE_LIMIT_TABLE} order by key`);
    // createOwner and addOneTimeWindow ran in-process (contextFor), bookSlot over HTTP.
    expect(keys).toEqual([
      { key: 'bookSlot:127.0.0.1', points: 1 },
      { key: 'createOwner:in-process', points: 1 },
    ]);
  });
});
