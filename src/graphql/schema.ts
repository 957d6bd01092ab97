import { isInterfaceType, isObjectType, lexicographicSortSchema, printSchema, type GraphQLArgument, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { OwnerResolver } from '../modules/owner/owner.resolver';
import { AvailabilityResolver, OwnerWindowsResolver } from '../modules/availability/availability.resolver';
import { EventTypeSlotResolver, SlotResolver } from '../modules/slot/slot.resolver';
import { LiveSlotsResolver, NO_PUB_SUB } from '../modules/live/live-slots.resolver';
import { BookingResolver, OwnerBookingsResolver } from '../modules/booking/booking.resolver';
import { OneTimeWindow, RecurringWindow } from '../modules/availability/window.entity';
import { CalendarFeedResolver } from '../modules/calendar-feed/calendar-feed.resolver';
import { OwnerWebhooksResolver, WebhookResolver } from '../modules/webhook/webhook.resolver';
import { EmailResolver, OwnerEmailsResolver } from '../modules/email/email.resolver';
import { AccountResolver, CalendarMembershipResolver } from '../modules/account/account.resolver';
import { CalendarSourceResolver, OwnerCalendarSourcesResolver } from '../modules/calendar-source/calendar-source.resolver';
import { BookingEventTypeResolver, EventTypeResolver, OwnerEventTypesResolver } from '../modules/event-type/event-type.resolver';
import { OwnerBusyTimeResolver } from '../modules/calendar-source/busy-time.resolver';
import { AccountTeamsResolver, BookingHostsResolver, EventTypeTeamResolver, TeamMemberResolver, TeamResolver } from '../modules/team/team.resolver';

let cached: Promise<GraphQLSchema> | undefined;

/**
 * TypeScript applies a method's parameter decorators last to first, so type-graphql records each
 * `@Arg` in reverse and builds a field's arguments in that order (`freeSlots(duration, …,
 * ownerId)`), which introspection then serves. Its resolvers pass arguments by parameter index,
 * so ordering the records by index changes nothing but the order clients see: the declared one,
 * which is the contract's (docs/api.md, `freeSlots(ownerId, from, to, eventTypeId, duration)`).
 */
function orderParametersAsDeclared(): void {
  const { params } = getMetadataStorage();
  const byMethod = new Map<unknown, Map<string, number[]>>();
  params.forEach((param, at) => {
    let ofTarget = byMethod.get(param.target);
    if (!ofTarget) byMethod.set(param.target, (ofTarget = new Map()));
    const positions = ofTarget.get(param.methodName) ?? [];
    ofTarget.set(param.methodName, [...positions, at]);
  });
  // Each method's records go back into the positions they held, in index order.
  for (const ofTarget of byMethod.values()) {
    for (const positions of ofTarget.values()) {
      const sorted = positions.map((at) => params[at]!).sort((a, b) => a.index - b.index);
      positions.forEach((at, i) => (params[at] = sorted[i]!));
    }
  }
}

/** The executable schema; built once per process (type-graphql metadata is global anyway). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  if (!cached) orderParametersAsDeclared();
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
      OwnerBusyTimeResolver,
      AccountResolver,
      CalendarMembershipResolver,
      EmailResolver,
      CalendarSourceResolver,
      OwnerCalendarSourcesResolver,
      TeamResolver,
      TeamMemberResolver,
      EventTypeTeamResolver,
      BookingHostsResolver,
      AccountTeamsResolver,
    ],
    orphanedTypes: [OneTimeWindow, RecurringWindow],
    pubSub: NO_PUB_SUB,
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  });
  return cached;
}

/**
 * `schema` as SDL with its types and fields sorted, so the text changes only when the API does,
 * and each field's arguments in the schema's own order (graphql-js's sort would make them
 * alphabetical), which is what introspection serves and the contract's order. tests/schema.test.ts
 * prints the served schema (introspected) through this too and compares it with schema.graphql.
 */
export function printSortedSchema(schema: GraphQLSchema): string {
  const sorted = lexicographicSortSchema(schema);
  for (const type of Object.values(sorted.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const served = schema.getType(type.name);
    if (!served || (!isObjectType(served) && !isInterfaceType(served))) continue;
    for (const field of Object.values(type.getFields())) {
      const order = served.getFields()[field.name]?.args.map((a) => a.name) ?? [];
      // The sorted copy is this function's own to reorder.
      (field.args as GraphQLArgument[]).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    }
  }
  return `${printSchema(sorted)}\n`;
}

/** The SDL committed as schema.graphql (`npm run schema:emit`). */
export async function printAppSchema(): Promise<string> {
  return printSortedSchema(await buildAppSchema());
}
