import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { MAX_RANGE_DAYS } from '../../shared/grid';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';
import { DEFAULT_MAX_FREE_SLOTS, SlotService } from './slot.service';
import { Slot } from './slot.type';

const FREE_SLOTS_FROM = 'Slots starting at or after this instant are returned.';
const FREE_SLOTS_TO = `Slots starting before this instant are returned; after from, at most ${MAX_RANGE_DAYS} days later (else BAD_USER_INPUT). One request returns at most ${DEFAULT_MAX_FREE_SLOTS} slots over all its freeSlots fields by default (GRAPHQL_MAX_FREE_SLOTS): ask for a shorter range past that.`;

/** Free slots: Query.freeSlots and Owner.freeSlots. */
@Resolver(() => Owner)
export class SlotResolver {
  @Query(() => [Slot], { description: 'Free slots of an owner whose start lies in [from, to); at most 366 days.' })
  freeSlots(
    @Arg('ownerId', () => ID, { description: 'The owner whose free slots to list; unknown: NOT_FOUND.' }) ownerId: string,
    @Arg('from', () => DateTimeScalar, { description: FREE_SLOTS_FROM }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: FREE_SLOTS_TO }) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    return new SlotService(ctx).freeSlotsOfOwner(ownerId, from, to);
  }

  @FieldResolver(() => [Slot], { name: 'freeSlots', description: 'Public: free slots whose start lies in [from, to); at most 366 days.' })
  slots(
    @Root() owner: Owner,
    @Arg('from', () => DateTimeScalar, { description: FREE_SLOTS_FROM }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: FREE_SLOTS_TO }) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    return new SlotService(ctx).freeSlots(owner, from, to);
  }
}
