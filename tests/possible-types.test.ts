import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isAbstractType, type GraphQLAbstractType } from 'graphql';
import introspection from './generated/possible-types';

// Apollo Client matches a fragment on an interface only against the concrete types that
// InMemoryCache's possibleTypes lists; codegen's fragment-matcher writes that map to
// tests/generated/possible-types.ts (README, "Using the API from a frontend"). It must say what
// schema.graphql says, which tests/schema.test.ts holds to the code.

const schema = buildSchema(readFileSync(path.resolve(__dirname, '..', 'schema.graphql'), 'utf8'));

test('possibleTypes lists OneTimeWindow and RecurringWindow for AvailabilityWindow', () => {
  expect([...introspection.possibleTypes.AvailabilityWindow!].sort()).toEqual(['OneTimeWindow', 'RecurringWindow']);
});

test('possibleTypes lists exactly the implementations of every interface and union in schema.graphql', () => {
  const fromSchema = Object.fromEntries(
    Object.values(schema.getTypeMap())
      .filter((type): type is GraphQLAbstractType => isAbstractType(type) && !type.name.startsWith('__'))
      .map((type) => [type.name, schema.getPossibleTypes(type).map((t) => t.name).sort()]),
  );
  const generated = Object.fromEntries(Object.entries(introspection.possibleTypes).map(([name, types]) => [name, [...types].sort()]));
  expect(generated).toEqual(fromSchema);
});
