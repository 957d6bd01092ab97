import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from '../owner/owner.entity';
import { DateTimeScalar } from '../../shared/scalars';
import { MAX_RANGE_DAYS } from '../../shared/grid';
import { BusyIntervalType } from './busy-interval.type';
import { BusyTimeService } from './busy-time.service';

/** Owner.busy: the busy time synced from the owner's other calendars. */
@Resolver(() => Owner)
export class OwnerBusyTimeResolver {
  @FieldResolver(() => [BusyIntervalType], {
    description: "Owner only: the busy intervals synced from the owner's other calendars (not Slotbook's bookings) that overlap [from, to), unclipped, overlapping or touching ones merged, ascending.",
  })
  busy(
    @Root() owner: Owner,
    @Arg('from', () => DateTimeScalar, { description: 'Intervals ending after this instant.' }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: `Intervals starting before this instant; after from, at most ${MAX_RANGE_DAYS} days later (else BAD_USER_INPUT).` }) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<BusyIntervalType[]> {
    return new BusyTimeService(ctx).busyOf(owner, from, to);
  }
}
