// Phase B: a plain Apollo Server on the same HTTP stack as Slotbook (Express 5 + expressMiddleware,
// CSRF prevention, JSON body parser) answering the freeSlots query from a precomputed list: the cost
// of GraphQL over HTTP with no database, no ORM and no type-graphql.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLScalarType, buildSchema } from 'graphql';

const slots = JSON.parse(readFileSync(process.argv[2], 'utf8')).data.freeSlots.map((s) => ({ startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) }));
const schema = buildSchema(`
  scalar DateTime
  type Slot { startsAt: DateTime!  endsAt: DateTime! }
  type Query { freeSlots(ownerId: ID!, from: DateTime!, to: DateTime!): [Slot!]! }
`);
const dateTime = schema.getType('DateTime');
Object.assign(dateTime, new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => v.toISOString(),
  parseValue: (v) => new Date(v),
}));
schema.getQueryType().getFields().freeSlots.resolve = () => slots;

const app = express();
const httpServer = http.createServer(app);
const server = new ApolloServer({ schema, csrfPrevention: true });
await server.start();
app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server));
httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: httpServer.address().port })}\n`));
