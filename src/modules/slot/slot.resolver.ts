import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { MAX_RANGE_DAYS } from '../../shared/grid';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';
import { EventType } from '../event-type/event-type.entity';
import { DEFAULT_MAX_FREE_SLOTS, SlotService } from './slot.service';
import { Slot } from './slot.type';
import { TeamSlots } from './team-slots';

const FREE_SLOTS_FROM = 'Slots starting at or after this instant are returned.';
const FREE_SLOTS_TO = `Slots starting before this instant are returned; after from, at most ${MAX_RANGE_DAYS} days later (else BAD_USER_INPUT). One request returns at most ${DEFAULT_MAX_FREE_SLOTS} slots over all its freeSlots fields by default (GRAPHQL_MAX_FREE_SLOTS): ask for a shorter range past that.`;
const DURATION = "The slot length in minutes: one of the event type's durations (else BAD_USER_INPUT); omitted: its defaultDuration.";

/** Free slots: Query.freeSlots and Owner.freeSlots. */
@Resolver(() => Owner)
export class SlotResolver {
  @Query(() => [Slot], {
    description:
      "Free slots of an owner whose start lies in [from, to); at most 366 days. Without eventTypeId: slots of the owner's slotMinutes, no policies; with it: that event type's slots under its policies (none while it is inactive).",
  })
  freeSlots(
    @Arg('ownerId', () => ID, { description: 'The owner whose free slots to list; unknown: NOT_FOUND.' }) ownerId: string,
    @Arg('from', () => DateTimeScalar, { description: FREE_SLOTS_FROM }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: FREE_SLOTS_TO }) to: Date,
    @Arg('eventTypeId', () => ID, { nullable: true, description: "One of the owner's event types (another owner's or an unknown one: NOT_FOUND); omitted: Part 1's slots." })
    eventTypeId: string | null | undefined,
    @Arg('duration', () => Int, { nullable: true, description: `${DURATION} Only with eventTypeId.` }) duration: number | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    return new SlotService(ctx).freeSlotsOfOwner(ownerId, from, to, eventTypeId, duration);
  }

  @Query(() => [Slot], {
    description:
      'Public: free slots of a team event type whose start lies in [from, to); at most 366 days. Round robin: starts free for at least one member; collective: starts free for every member. None while it is inactive.',
  })
  teamFreeSlots(
    @Arg('teamSlug', () => String, { description: "The team's slug; unknown: NOT_FOUND." }) teamSlug: string,
    @Arg('eventTypeSlug', () => String, { description: "The team event type's slug; unknown: NOT_FOUND." }) eventTypeSlug: string,
    @Arg('from', () => DateTimeScalar, { description: FREE_SLOTS_FROM }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: FREE_SLOTS_TO }) to: Date,
    @Arg('duration', () => Int, { nullable: true, description: DURATION }) duration: number | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    return new TeamSlots(ctx).freeSlotsBySlugs(teamSlug, eventTypeSlug, from, to, duration);
  }

  @FieldResolver(() => [Slot], { name: 'freeSlots', description: "Public: free slots of the owner's slotMinutes, no policies, whose start lies in [from, to); at most 366 days." })
  slots(
    @Root() owner: Owner,
    @Arg('from', () => DateTimeScalar, { description: FREE_SLOTS_FROM }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: FREE_SLOTS_TO }) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    return new SlotService(ctx).freeSlots(owner, from, to);
  }
}

/** EventType.freeSlots: the availability module's field of EventType. */
@Resolver(() => EventType)
export class EventTypeSlotResolver {
  @FieldResolver(() => [Slot], {
    name: 'freeSlots',
    description: 'Public: free slots of this event type under its policies whose start lies in [from, to); at most 366 days. None while it is inactive.',
  })
  slots(
    @Root() eventType: EventType,
    @Arg('from', () => DateTimeScalar, { description: FREE_SLOTS_FROM }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: FREE_SLOTS_TO }) to: Date,
    @Arg('duration', () => Int, { nullable: true, description: DURATION }) duration: number | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    return new SlotService(ctx).freeSlotsOfEventType(eventType, from, to, duration);
  }
}
