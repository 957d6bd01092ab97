import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  parse,
  print,
  visit,
  type GraphQLObjectType,
  type IntrospectionQuery,
  type GraphQLSchema,
} from 'graphql';
import { buildAppSchema, printAppSchema, printSortedSchema } from '../src/graphql/schema';
import { startTestApp } from './support/app';

const committed = () => readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');

test('schema.graphql is what the code emits (run `npm run schema:emit` after changing the API)', async () => {
  expect(await printAppSchema()).toBe(committed());
});

test('schema.graphql is what the server serves: introspected over HTTP, arguments in the served order', async () => {
  const served = await startTestApp({ listen: true });
  try {
    const response = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }) }),
    });
    const body = (await response.json()) as { data: IntrospectionQuery; errors?: unknown };
    expect(body.errors).toBeUndefined();
    // Types and fields are sorted (their order means nothing); arguments stay as served.
    expect(printSortedSchema(buildClientSchema(body.data))).toBe(committed());
  } finally {
    await served.close();
  }
});

test('the schema keeps every operation and argument of the contract, arguments in the contract\'s order', async () => {
  const sdl = await printAppSchema();
  const contract = [
    'owner(id: ID!): Owner',
    // Part 2 adds two optional arguments after Part 1's.
    'freeSlots(ownerId: ID!, from: DateTime!, to: DateTime!, eventTypeId: ID, duration: Int): [Slot!]!',
    'me: Owner!',
    'upcomingBookings(first: Int = 20, after: String): BookingConnection!',
    'booking(id: ID!, manageToken: String): Booking!',
    'createOwner(input: CreateOwnerInput!): CreateOwnerPayload!',
    'updateOwner(input: UpdateOwnerInput!): Owner!',
    'addOneTimeWindow(input: OneTimeWindowInput!): OneTimeWindow!',
    'addRecurringWindow(input: RecurringWindowInput!): RecurringWindow!',
    'updateRecurringWindow(id: ID!, input: RecurringWindowPatch!): RecurringWindow!',
    'removeWindow(id: ID!): ID!',
    'cancelOccurrence(windowId: ID!, date: LocalDate!): RecurringWindow!',
    'moveOccurrence(windowId: ID!, date: LocalDate!, startsAt: DateTime!, endsAt: DateTime!): RecurringWindow!',
    'restoreOccurrence(windowId: ID!, date: LocalDate!): RecurringWindow!',
    'bookSlot(input: BookSlotInput!): BookSlotPayload!',
    'cancelBooking(id: ID!, manageToken: String): Booking!',
    'rescheduleBooking(id: ID!, startsAt: DateTime!, manageToken: String): Booking!',
    'completeBooking(id: ID!): Booking!',
    // Issue 21 adds one optional argument: without it, the feed URL keeps working as before.
    'rotateOwnerToken(revokeCalendarFeed: Boolean! = false): CreateOwnerPayload!',
    'bookings(status: BookingStatus, from: DateTime, to: DateTime, first: Int = 20, after: String): BookingConnection!',
    'freeSlots(from: DateTime!, to: DateTime!): [Slot!]!',
    'windows: [AvailabilityWindow!]!',
    'freeSlots(from: DateTime!, to: DateTime!, duration: Int): [Slot!]!',
  ];
  // Without descriptions, printSchema puts each field's arguments on one line, as the contract does.
  const flattened = print(visit(parse(sdl), { enter: (node) => ('description' in node && node.description ? { ...node, description: undefined } : undefined) }));
  for (const line of contract) expect(flattened).toContain(line);
});

/**
 * What a Sandbox or generated-client user reads about each part of the schema: every type, field,
 * argument, input field and enum value says what it means. Built-in scalars and introspection
 * types describe themselves; the Query and Mutation root types are only containers.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (what: string, description: string | null | undefined): void => {
    if (!description?.trim()) missing.push(what);
  };
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (!roots.has(type as GraphQLObjectType)) check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}

test('every type, field, argument, input field and enum value has a description', async () => {
  expect(undescribed(await buildAppSchema())).toEqual([]);
});
