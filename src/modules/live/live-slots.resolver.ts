import { GraphQLError } from 'graphql';
import { Arg, ID, Int, Resolver, Root, Subscription, type PubSub } from 'type-graphql';
import type { RequestContext } from '../context';
import { MAX_RANGE_DAYS } from '../../shared/grid';
import { DateTimeScalar } from '../../shared/scalars';
import type { FreeSlotsArgs, LiveSlotsContext } from './live-slots';
import { Slot } from '../slot/slot.type';

type SubscriptionContext = RequestContext & LiveSlotsContext;

/**
 * type-graphql refuses to build a Subscription type without a PubSub, even when every
 * subscription brings its own `subscribe` (as freeSlotsChanged does: LiveSlots is its source).
 * Nothing publishes through this one.
 */
export const NO_PUB_SUB: PubSub = {
  publish() {
    throw new Error('Slotbook publishes nothing through type-graphql: live updates come from LiveSlots');
  },
  subscribe() {
    throw new Error('Slotbook subscribes to nothing through type-graphql: live updates come from LiveSlots');
  },
};

/** Subscription.freeSlotsChanged: Query.freeSlots kept up to date over WebSocket. */
@Resolver()
export class LiveSlotsResolver {
  @Subscription(() => [Slot], {
    description: `Query.freeSlots with the same arguments and rules, kept up to date: the current list at once, then the new list after every committed change that alters it (a booking made, cancelled or moved, availability, the owner or an event type changed), made through any process sharing the database. Served over WebSocket (graphql-transport-ws) at /graphql. Range at most ${MAX_RANGE_DAYS} days.`,
    subscribe: ({ args, context }: { args: Record<string, unknown>; context: SubscriptionContext }) => {
      if (!context.liveSlots) throw new GraphQLError('subscriptions are served over WebSocket (graphql-transport-ws) at /graphql', { extensions: { code: 'BAD_REQUEST' } });
      return context.liveSlots.subscribe(args as unknown as FreeSlotsArgs, context);
    },
  })
  freeSlotsChanged(
    @Root() slots: Slot[],
    @Arg('ownerId', () => ID, { description: 'The owner whose free slots to follow; unknown: NOT_FOUND.' }) _ownerId: string,
    @Arg('from', () => DateTimeScalar, { description: 'Slots starting at or after this instant are listed.' }) _from: Date,
    @Arg('to', () => DateTimeScalar, { description: `Slots starting before this instant are listed; after from, at most ${MAX_RANGE_DAYS} days later (else BAD_USER_INPUT).` }) _to: Date,
    @Arg('eventTypeId', () => ID, { nullable: true, description: "One of the owner's event types (another owner's or an unknown one: NOT_FOUND); omitted: Part 1's slots." })
    _eventTypeId: string | null | undefined,
    @Arg('duration', () => Int, { nullable: true, description: "The slot length in minutes: one of the event type's durations (else BAD_USER_INPUT); omitted: its defaultDuration. Only with eventTypeId." })
    _duration: number | null | undefined,
  ): Slot[] {
    return slots;
  }
}
