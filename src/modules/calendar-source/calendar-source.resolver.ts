import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from '../owner/owner.entity';
import { CalendarSource } from './calendar-source.entity';
import { CalendarSourceInput, CalendarSourcePatch } from './calendar-source.inputs';
import { CalendarSourceService } from './calendar-source.service';

const SOURCE_ID = "A calendar source of the token's owner; unknown: NOT_FOUND, another owner's: FORBIDDEN.";

/** One count statement per request, however many sources it lists. */
const intervalCounts = new WeakMap<RequestContext, DataLoader<string, number>>();
function intervalCountsOf(ctx: RequestContext): DataLoader<string, number> {
  let loader = intervalCounts.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const counts = await ctx.stores.busyIntervals.countBySource(ids);
      return ids.map((id) => counts.get(id) ?? 0);
    });
    intervalCounts.set(ctx, loader);
  }
  return loader;
}

@Resolver(() => CalendarSource)
export class CalendarSourceResolver {
  @Mutation(() => CalendarSource, { description: "Owner only: adds one of the owner's other calendars as busy time; it syncs at once in the background (status SYNCING until then). At most 10 per owner." })
  addCalendarSource(@Arg('input', () => CalendarSourceInput, { description: 'The kind, URL and credentials.' }) input: CalendarSourceInput, @Ctx() ctx: RequestContext): Promise<CalendarSource> {
    return new CalendarSourceService(ctx).addSource(input);
  }

  @Mutation(() => CalendarSource, { description: 'Owner only: changes a source; a new URL or new credentials sync it again from scratch.' })
  updateCalendarSource(
    @Arg('id', () => ID, { description: SOURCE_ID }) id: string,
    @Arg('input', () => CalendarSourcePatch, { description: 'The fields to change; omitted ones keep their value.' }) input: CalendarSourcePatch,
    @Ctx() ctx: RequestContext,
  ): Promise<CalendarSource> {
    return new CalendarSourceService(ctx).updateSource(id, input);
  }

  @Mutation(() => ID, { description: 'Owner only: removes a source and its busy time; returns its id.' })
  removeCalendarSource(@Arg('id', () => ID, { description: SOURCE_ID }) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return new CalendarSourceService(ctx).removeSource(id);
  }

  @Mutation(() => CalendarSource, {
    description: 'Owner only: syncs the source now and answers when the sync has finished or failed: OK, or FAILING with lastError (not a GraphQL error). A sync already running elsewhere is waited for, not repeated.',
  })
  syncCalendarSource(@Arg('id', () => ID, { description: SOURCE_ID }) id: string, @Ctx() ctx: RequestContext): Promise<CalendarSource> {
    return new CalendarSourceService(ctx).syncSource(id);
  }

  @FieldResolver(() => Int, { description: "How many busy intervals the source's last successful sync stored (after expansion, before merging)." })
  busyIntervals(@Root() source: CalendarSource, @Ctx() ctx: RequestContext): Promise<number> {
    return intervalCountsOf(ctx).load(source.id);
  }
}

/** Owner.calendarSources: the calendar source module's field of Owner. */
@Resolver(() => Owner)
export class OwnerCalendarSourcesResolver {
  @FieldResolver(() => [CalendarSource], { description: "Owner only: the owner's calendar sources, oldest first." })
  calendarSources(@Root() owner: Owner, @Ctx() ctx: RequestContext): Promise<CalendarSource[]> {
    return new CalendarSourceService(ctx).sourcesOf(owner);
  }
}
