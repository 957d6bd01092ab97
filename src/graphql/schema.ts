import { isInterfaceType, isObjectType, lexicographicSortSchema, printSchema, type GraphQLArgument, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { OwnerResolver } from '../modules/owner/owner.resolver';
import { AvailabilityResolver, OwnerWindowsResolver } from '../modules/availability/availability.resolver';
import { EventTypeSlotResolver, SlotResolver } from '../modules/slot/slot.resolver';
import { LiveSlotsResolver, NO_PUB_SUB } from '../modules/live/live-slots.resolver';
import { BookingResolver, OwnerBookingsResolver } from '../modules/booking/booking.resolver';
import { OneTimeWindow, RecurringWindow } from '../modules/availability/window.entity';
import { CalendarFeedResolver } from '../modules/calendar-feed/calendar-feed.resolver';
import { OwnerWebhooksResolver, WebhookResolver } from '../modules/webhook/webhook.resolver';
import { EmailResolver, OwnerEmailsResolver } from '../modules/email/email.resolver';
import { BookingEventTypeResolver, EventTypeResolver, OwnerEventTypesResolver } from '../modules/event-type/event-type.resolver';

let cached: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global anyway). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [
      OwnerResolver,
      AvailabilityResolver,
      OwnerWindowsResolver,
      SlotResolver,
      EventTypeSlotResolver,
      LiveSlotsResolver,
      BookingResolver,
      OwnerBookingsResolver,
      EventTypeResolver,
      OwnerEventTypesResolver,
      BookingEventTypeResolver,
      CalendarFeedResolver,
      WebhookResolver,
      OwnerWebhooksResolver,
      OwnerEmailsResolver,
      EmailResolver,
    ],
    orphanedTypes: [OneTimeWindow, RecurringWindow],
    pubSub: NO_PUB_SUB,
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  });
  return cached;
}

/**
 * The SDL committed as schema.graphql: types and fields sorted, so it changes only when the API
 * does; arguments in the order the resolvers declare them, which is the contract's
 * (`freeSlots(ownerId, from, to)`), as Sandbox and generated docs show them.
 */
export async function printAppSchema(): Promise<string> {
  const schema = await buildAppSchema();
  const sorted = lexicographicSortSchema(schema);
  for (const type of Object.values(sorted.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const declared = schema.getType(type.name);
    if (!declared || (!isObjectType(declared) && !isInterfaceType(declared))) continue;
    for (const field of Object.values(type.getFields())) {
      // type-graphql registers a method's parameters last to first; tests/schema.test.ts holds the
      // contract's order of every operation. The sorted copy is this function's own to reorder.
      const order = (declared.getFields()[field.name]?.args.map((a) => a.name) ?? []).reverse();
      (field.args as GraphQLArgument[]).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    }
  }
  return `${printSchema(sorted)}\n`;
}
