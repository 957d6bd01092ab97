import { ApolloServer, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { GraphQLError, GraphQLScalarType, Kind, buildSchema, type GraphQLSchema } from 'graphql';
import { jitGateway } from '../src/graphql/jit-executor';

// Differential: the same requests through Apollo with graphql-js (`schema`) and with graphql-jit
// (`gateway: jitGateway(schema)`) must give the same response, byte for byte, status included.

interface Item {
  kind: 'book' | 'film';
  id: string;
  at: Date;
}

function makeSchema(log: string[]): GraphQLSchema {
  const schema = buildSchema(`
    scalar Instant
    interface Item { id: ID! at: Instant! }
    type Book implements Item { id: ID! at: Instant! pages: Int! }
    type Film implements Item { id: ID! at: Instant! minutes: Int! }
    type Query {
      items(first: Int!, after: Instant): [Item!]!
      item(id: ID!): Item
      refused: String
      broken: String
      mustNotBeNull: Item!
      slow(ms: Int!): Int!
    }
    type Mutation { step(n: Int!): Int! }
  `);
  const instant = schema.getType('Instant') as GraphQLScalarType;
  Object.assign(instant, new GraphQLScalarType({
    name: 'Instant',
    serialize: (v) => (v as Date).toISOString(),
    parseValue: (v) => {
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new GraphQLError('Instant must be an ISO 8601 string');
      return new Date(v);
    },
    parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : undefined),
  }));
  const items: Item[] = Array.from({ length: 6 }, (_, i) => ({ kind: i % 2 ? 'film' : 'book', id: `i${i}`, at: new Date(Date.UTC(2030, 0, 1 + i)) }));
  const withTypes = (item: Item) => Object.assign(Object.create({ __typename: item.kind === 'book' ? 'Book' : 'Film' }), item, { pages: 100, minutes: 90 });
  const itemType = schema.getType('Item') as unknown as { resolveType: (v: { __typename: string }) => string };
  itemType.resolveType = (v) => v.__typename;
  const q = schema.getQueryType()!.getFields();
  q.items!.resolve = (_r, { first, after }: { first: number; after?: Date }) =>
    items.filter((i) => !after || i.at > after).slice(0, first).map(withTypes);
  q.item!.resolve = async (_r, { id }: { id: string }) => {
    const item = items.find((i) => i.id === id);
    return item ? withTypes(item) : null;
  };
  q.refused!.resolve = () => {
    throw new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } });
  };
  q.broken!.resolve = async () => {
    throw new Error('database on fire');
  };
  q.mustNotBeNull!.resolve = () => null;
  q.slow!.resolve = (_r, { ms }: { ms: number }) => new Promise((resolve) => setTimeout(() => resolve(ms), ms));
  schema.getMutationType()!.getFields().step!.resolve = async (_r, { n }: { n: number }) => {
    await new Promise((resolve) => setTimeout(resolve, 10 - n));
    log.push(`step ${n}`);
    return n;
  };
  return schema;
}

/** Rewrites every error's message the way graphql-armor's field-suggestion mask does: errors must be writable. */
const rewritesMessages: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) error.message = error.message.replace('fire', '[masked]');
      },
    };
  },
};

const servers: Record<'js' | 'jit', { server: ApolloServer; log: string[] }> = {} as never;

beforeAll(async () => {
  for (const kind of ['js', 'jit'] as const) {
    const log: string[] = [];
    const schema = makeSchema(log);
    const server =
      kind === 'js'
        ? new ApolloServer({ schema, plugins: [rewritesMessages], includeStacktraceInErrorResponses: false })
        : new ApolloServer({ gateway: jitGateway(schema), plugins: [rewritesMessages], includeStacktraceInErrorResponses: false });
    await server.start();
    servers[kind] = { server, log };
  }
});
afterAll(async () => {
  for (const { server } of Object.values(servers)) await server.stop();
});

async function both(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const answer = async (kind: 'js' | 'jit') => {
    const response: GraphQLResponse = await servers[kind].server.executeOperation({ query, variables, operationName });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status ?? 200, body: JSON.stringify(response.body.singleResult) };
  };
  return { js: await answer('js'), jit: await answer('jit') };
}

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

// Objects, not arrays: jest hands a test.each function with more parameters than a row's cells a `done` callback.
const cases: Case[] = [
  { name: 'a list through an interface, fragments and __typename', query: '{ items(first: 4) { __typename id at ... on Book { pages } ... on Film { minutes } } }' },
  { name: 'variables, a custom scalar argument and aliases', query: 'query Q($n: Int!, $after: Instant) { a: items(first: $n, after: $after) { id at } b: item(id: "i2") { id } }', variables: { n: 2, after: '2030-01-02T00:00:00.000Z' } },
  { name: '@skip and @include driven by variables', query: 'query Q($yes: Boolean!) { items(first: 2) { id at @include(if: $yes) ... on Book @skip(if: $yes) { pages } } }', variables: { yes: true } },
  { name: 'a missing item is null', query: '{ item(id: "nope") { id } }' },
  { name: 'a GraphQLError with a code from a resolver, beside data', query: '{ refused items(first: 1) { id } }' },
  { name: 'a plain Error from an async resolver, rewritten by a plugin', query: '{ broken }' },
  { name: 'null in a non-null field nulls the parent', query: '{ mustNotBeNull { id } }' },
  { name: 'a variable of the wrong type: HTTP 400', query: 'query Q($n: Int!) { items(first: $n) { id } }', variables: { n: 'three' } },
  { name: 'a required variable missing: HTTP 400', query: 'query Q($n: Int!) { items(first: $n) { id } }', variables: {} },
  { name: 'a scalar whose parseValue throws: HTTP 400', query: 'query Q($after: Instant) { items(first: 1, after: $after) { id } }', variables: { after: 'yesterday' } },
  { name: 'the operation named among several', query: 'query A { item(id: "i1") { id } } query B { item(id: "i3") { id } }', operationName: 'B' },
  { name: 'introspection of a type', query: '{ __type(name: "Item") { kind name possibleTypes { name } } }' },
  { name: 'concurrent async fields', query: '{ a: slow(ms: 15) b: slow(ms: 1) }' },
];

test.each(cases)('$name: the same response from graphql-js and graphql-jit', async ({ query, variables, operationName }) => {
  const { js, jit } = await both(query, variables, operationName);
  expect(jit).toEqual(js);
});

test('the differential cases include errors, HTTP 400 and data (a check that would pass on two empty answers cannot)', async () => {
  const outcomes = await Promise.all(cases.map((c) => both(c.query, c.variables, c.operationName)));
  const statuses = outcomes.map((o) => o.jit.status);
  expect(statuses.filter((s) => s === 400)).toHaveLength(3);
  expect(outcomes.filter((o) => o.jit.body.includes('"errors"')).length).toBeGreaterThanOrEqual(6);
  expect(outcomes[0]!.jit.body).toContain('"pages":100');
  expect(outcomes[5]!.jit.body).toContain('database on [masked]');
});

test('mutation fields run one after another, in document order, as graphql-js runs them', async () => {
  const query = 'mutation { a: step(n: 1) b: step(n: 2) c: step(n: 3) }';
  const { js, jit } = await both(query);
  expect(jit).toEqual(js);
  expect(servers.jit.log).toEqual(['step 1', 'step 2', 'step 3']);
});

test('compiled operations are bounded: the least recently used is dropped, and runs again when asked', async () => {
  const log: string[] = [];
  const gateway = jitGateway(makeSchema(log), 2);
  const server = new ApolloServer({ gateway });
  await server.start();
  try {
    const ids = async (id: string) => {
      const r = await server.executeOperation({ query: `{ item(id: "${id}") { id } }` });
      return r.body.kind === 'single' ? r.body.singleResult.data : null;
    };
    for (const id of ['i0', 'i1', 'i2', 'i3', 'i4']) expect(await ids(id)).toEqual({ item: { id } });
    expect(gateway.compiledCount()).toBe(2);
    expect(await ids('i0')).toEqual({ item: { id: 'i0' } });
    expect(gateway.compiledCount()).toBe(2);
  } finally {
    await server.stop();
  }
});
