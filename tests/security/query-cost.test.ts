import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { startTestApp, type ServedTestApp, type TestApp } from '../support/app';
import { buildAppSchema } from '../../src/graphql/schema';
import { fragmentsOf } from '../../src/graphql/query-limits';
import { operationCost as budgetCost } from '../../src/http/rate-limits';
import { CreateOwnerDocument } from '../generated/graphql';

// GRAPHQL_MAX_COST (src/graphql/query-cost.ts): every documented page with all its scalars and
// one level of related objects passes; pages nested in pages are refused before anything runs,
// GRAPHQL_VALIDATION_FAILED saying "Query cost N exceeds the limit of M". And every root
// mutation field is charged to the per-address cost budget (rate-limits.ts).

const NOW = new Date('2030-01-07T08:00:00Z');
const YEAR = { from: '2030-01-07T00:00:00Z', to: '2031-01-08T00:00:00Z' }; // 366 days: the longest range

type Result = { http?: number; data?: unknown; errors?: readonly GraphQLFormattedError[] };

async function run(t: TestApp, query: string, variables: Record<string, unknown> = {}, token: string | null = null): Promise<Result> {
  const response = await t.app.server.executeOperation({ query, variables }, { contextValue: t.app.contextFor(token) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { http: response.http.status, ...response.body.singleResult } as Result;
}

const codes = (r: Result) => [...new Set((r.errors ?? []).map((e) => e.extensions?.code))];

const fieldsOf = (type: GraphQLNamedType) => (isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : []);
const isPage = (field: GraphQLField<unknown, unknown>) => field.args.some((a) => a.name === 'first');
const isListOrPage = (field: GraphQLField<unknown, unknown>) => isPage(field) || (isListType(getNullableType(field.type)) && !isLeafType(getNamedType(field.type)));

/** Required arguments filled with values that pass validation and the range limits. */
function argumentsOf(field: GraphQLField<unknown, unknown>, ids: { ownerId: string }, page = false): string {
  const args = field.args.flatMap((arg) => {
    if (page && arg.name === 'first') return ['first: 100'];
    if (!isNonNullType(arg.type)) return [];
    const type = getNamedType(arg.type).name;
    if (type === 'ID') return [`${arg.name}: "${ids.ownerId}"`];
    if (type === 'DateTime') return [`${arg.name}: "${arg.name === 'from' ? YEAR.from : YEAR.to}"`];
    return [`${arg.name}: "x"`];
  });
  return args.length ? `(${args.join(', ')})` : '';
}

/** Every scalar of `type` (and of each implementation of an interface), and `related` levels of objects. */
function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, related: number, ids: { ownerId: string }): string {
  const own = (t: GraphQLNamedType): string[] =>
    fieldsOf(t).flatMap((f) => {
      if (isLeafType(getNamedType(f.type))) return f.args.some((a) => isNonNullType(a.type)) ? [] : [f.name];
      // Related objects: one level, no pages within the page (those are tested as pages of their own).
      if (related === 0 || f.args.some((a) => a.name === 'first')) return [];
      return [`${f.name}${argumentsOf(f, ids)} { ${selectionOf(schema, getNamedType(f.type), related - 1, ids)} }`];
    });
  const implementations = isInterfaceType(type) ? schema.getPossibleTypes(type).map((t) => `... on ${t.name} { ${own(t).join(' ')} }`) : [];
  return [...own(type), ...implementations, '__typename'].join(' ');
}

/** The item type of a connection: the type of its edges' node. */
function nodeTypeOf(connection: GraphQLNamedType): GraphQLNamedType {
  const edge = getNamedType(fieldsOf(connection).find((f) => f.name === 'edges')!.type);
  return getNamedType(fieldsOf(edge).find((f) => f.name === 'node')!.type);
}

/** The shortest path of fields from Query to each list or page, and the query asking its largest page. */
function largestPages(schema: GraphQLSchema, ids: { ownerId: string }): Array<{ coordinate: string; query: string }> {
  const queries: Array<{ coordinate: string; query: string }> = [];
  const seen = new Set<string>();
  const queue: Array<{ type: GraphQLNamedType; wrap: (inner: string) => string }> = [{ type: schema.getQueryType()!, wrap: (inner) => `query { ${inner} }` }];
  while (queue.length) {
    const { type, wrap } = queue.shift()!;
    for (const field of fieldsOf(type)) {
      const coordinate = `${type.name}.${field.name}`;
      if (seen.has(coordinate)) continue;
      seen.add(coordinate);
      const child = getNamedType(field.type);
      if (isLeafType(child)) continue;
      if (isInterfaceType(child)) {
        // The implementations' own fields (a recurring window's exceptions) are reached through it.
        const call = `${field.name}${argumentsOf(field, ids)}`;
        for (const implementation of schema.getPossibleTypes(child)) queue.push({ type: implementation, wrap: (inner) => wrap(`${call} { ... on ${implementation.name} { ${inner} } }`) });
      }
      const call = `${field.name}${argumentsOf(field, ids, true)}`;
      const item = isPage(field) ? nodeTypeOf(child) : child;
      if (isListOrPage(field)) {
        const items = selectionOf(schema, item, 1, ids);
        queries.push({ coordinate, query: wrap(`${call} { ${isPage(field) ? `edges { cursor node { ${items} } } pageInfo { hasNextPage endCursor }` : items} }`) });
      }
      // On through the items of lists and pages too, so pages under lists are found.
      queue.push({ type: item, wrap: (inner) => wrap(`${call} { ${isPage(field) ? `edges { node { ${inner} } }` : `__typename ${inner}`} }`) });
    }
  }
  return queries;
}

let t: ServedTestApp;
let owner: { id: string; token: string };

beforeAll(async () => {
  t = await startTestApp({ now: NOW, listen: true });
  const created = await run(t, print(CreateOwnerDocument), { input: { name: 'Ada', timeZone: 'Europe/Berlin' } });
  const { owner: o, token } = (created.data as { createOwner: { owner: { id: string }; token: string } }).createOwner;
  owner = { id: o.id, token };
});
afterAll(() => t.close());

test("the owner's own page of 100 bookings with invitee, event type and owner passes, over HTTP", async () => {
  const query = 'query { me { bookings(first: 100) { edges { node { id startsAt endsAt status createdAt invitee { name email } eventType { id } owner { id } } } } } }';
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as Result;
  expect(body.errors).toBeUndefined();
  expect(response.status).toBe(200);
});

test('every list and page reachable from Query and Owner, at its largest with every scalar and one level of related objects, passes the limits', async () => {
  const schema = await buildAppSchema();
  const pages = largestPages(schema, { ownerId: owner.id });
  // The schema's lists and pages today; new ones are generated the same way.
  expect(pages.map((p) => p.coordinate)).toEqual(expect.arrayContaining(['Query.upcomingBookings', 'Owner.bookings', 'Owner.eventTypes', 'Owner.windows', 'Owner.webhookEndpoints', 'WebhookEndpoint.deliveries', 'Query.freeSlots', 'Owner.freeSlots', 'RecurringWindow.exceptions']));
  for (const { coordinate, query } of pages) {
    if (process.env.DEBUG_PAGES) console.log(coordinate, query);
    const result = await run(t, query, {}, owner.token);
    // Resolvers may refuse a made-up id (NOT_FOUND); no limit may refuse the query.
    expect({ coordinate, codes: codes(result).filter((c) => c === 'GRAPHQL_VALIDATION_FAILED' || c === 'BAD_USER_INPUT' || c === 'GRAPHQL_PARSE_FAILED'), errors: (result.errors ?? []).filter((e) => e.extensions?.code !== 'NOT_FOUND') }).toEqual({ coordinate, codes: [], errors: [] });
  }
});

test('a page of bookings each with its owner\'s page of bookings is refused, saying its cost', async () => {
  const query = `query { owner(id: "${owner.id}") { bookings(first: 100) { edges { node { owner { bookings(first: 100) { edges { node { id } } } } } } } } }`;
  const refused = await run(t, query);
  expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(refused.http).toBe(400);
  expect(refused.errors![0]!.message).toMatch(/^Query cost \d+ exceeds the limit of 5000$/);
  expect(refused.errors![0]!.message).not.toMatch(/syntax/i);
  // A variable `first` without a default may be the largest page.
  const byVariable = await run(t, `query P($n: Int) { owner(id: "${owner.id}") { bookings(first: $n) { edges { node { owner { bookings(first: $n) { edges { node { id } } } } } } } } }`, { n: 1 });
  expect(codes(byVariable)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  // Small pages nested twice pass.
  const small = await run(t, `query { owner(id: "${owner.id}") { bookings(first: 10) { edges { node { owner { bookings(first: 10) { edges { node { id } } } } } } } } }`, {}, owner.token);
  expect(small.errors).toBeUndefined();
});

test('each root mutation field costs its own unit of the per-address budget; a query costs 1 plus its range days', async () => {
  const schema = await buildAppSchema();
  const costOf = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    return budgetCost({ schema, operation, fragments: fragmentsOf(document), variables });
  };
  const reschedule = (i: number) => `r${i}: rescheduleBooking(id: "b", startsAt: "2030-01-08T09:00:00Z", manageToken: "t") { id }`;
  expect(costOf(`mutation { ${Array.from({ length: 15 }, (_, i) => reschedule(i)).join(' ')} }`)).toBe(15);
  expect(costOf(`mutation { ...M ...M } fragment M on Mutation { ${reschedule(0)} ${reschedule(1)} }`)).toBe(4);
  expect(costOf(`mutation { ${reschedule(0)} }`)).toBe(1);
  expect(costOf('query { me { id } a: me { id } }')).toBe(1);

  const limited = await startTestApp({ now: NOW, listen: true, rateLimits: { createOwnerPerHour: 100, bookSlotPerMinute: 100, manageTokenPerMinute: 100, costPerMinute: 20 } });
  try {
    const send = () =>
      fetch(limited.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { ${Array.from({ length: 15 }, (_, i) => reschedule(i)).join(' ')} }` }),
      });
    // 15 of the 20 a minute, then 15 more do not fit.
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(codes((await refused.json()) as Result)).toEqual(['RATE_LIMITED']);
  } finally {
    await limited.close();
  }
});
