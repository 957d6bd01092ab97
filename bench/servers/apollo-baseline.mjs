// Phase B: a plain Apollo Server as Apollo ships it (startStandaloneServer: node:http, body-parser,
// CORS, CSRF prevention; Slotbook's HTTP layer is the same) answering the freeSlots
// query from a precomputed list: the cost of GraphQL over HTTP with no database, no ORM and no
// type-graphql. Phase T asks it the trivial `{ ok }`.
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLScalarType, buildSchema } from 'graphql';

const slots = JSON.parse(readFileSync(process.argv[2], 'utf8')).data.freeSlots.map((s) => ({ startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) }));
const schema = buildSchema(`
  scalar DateTime
  type Slot { startsAt: DateTime!  endsAt: DateTime! }
  type Query { freeSlots(ownerId: ID!, from: DateTime!, to: DateTime!): [Slot!]!  ok: Boolean! }
`);
const dateTime = schema.getType('DateTime');
Object.assign(dateTime, new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => v.toISOString(),
  parseValue: (v) => new Date(v),
}));
schema.getQueryType().getFields().freeSlots.resolve = () => slots;
// Phase T: `{ ok }`, the floor of Apollo's pipeline (parse cache, validation cache, execution, JSON).
schema.getQueryType().getFields().ok.resolve = () => true;

const server = new ApolloServer({ schema, csrfPrevention: true });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(url).port) })}\n`);
