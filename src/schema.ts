import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { OwnerResolver } from './modules/owner/owner.resolver';
import { AvailabilityResolver } from './modules/availability/availability.resolver';
import { BookingResolver } from './modules/booking/booking.resolver';
import { OneTimeWindow, RecurringWindow } from './modules/availability/window.entity';

let cached: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global anyway). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [OwnerResolver, AvailabilityResolver, BookingResolver],
    orphanedTypes: [OneTimeWindow, RecurringWindow],
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  });
  return cached;
}

/** The SDL committed as schema.graphql: sorted, so it changes only when the API does. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
