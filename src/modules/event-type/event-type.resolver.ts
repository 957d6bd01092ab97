import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from '../owner/owner.entity';
import { Booking } from '../booking/booking.entity';
import { EventType } from './event-type.entity';
import { EventTypeInput, EventTypePatch } from './event-type.inputs';
import { EventTypeService } from './event-type.service';

@Resolver(() => EventType)
export class EventTypeResolver {
  @Query(() => EventType, { nullable: true, description: 'An event type by its owner and slug; null when unknown, or inactive and the caller is not its owner.' })
  eventType(
    @Arg('ownerId', () => ID, { description: "The owner's id." }) ownerId: string,
    @Arg('slug', () => String, { description: "The event type's slug." }) slug: string,
    @Ctx() ctx: RequestContext,
  ): Promise<EventType | null> {
    return new EventTypeService(ctx).findBySlug(ownerId, slug);
  }

  @Mutation(() => EventType, { description: 'Owner only: offers a new event type.' })
  createEventType(@Arg('input', () => EventTypeInput, { description: 'The slug, title and policies; defaults as listed.' }) input: EventTypeInput, @Ctx() ctx: RequestContext): Promise<EventType> {
    return new EventTypeService(ctx).createEventType(input);
  }

  @Mutation(() => EventType, { description: 'Owner only: changes an event type; future slots follow at once, existing bookings keep their times, durations and buffers. active: false hides it.' })
  updateEventType(
    @Arg('id', () => ID, { description: "An event type of the token's owner." }) id: string,
    @Arg('input', () => EventTypePatch, { description: 'The fields to change; omitted ones keep their value.' }) input: EventTypePatch,
    @Ctx() ctx: RequestContext,
  ): Promise<EventType> {
    return new EventTypeService(ctx).updateEventType(id, input);
  }

  @FieldResolver(() => Owner, { description: 'The owner who offers it.' })
  owner(@Root() eventType: EventType, @Ctx() ctx: RequestContext): Promise<Owner> {
    return new EventTypeService(ctx).ownerOf(eventType);
  }
}

/** Owner.eventTypes: the event-type module's field of Owner. */
@Resolver(() => Owner)
export class OwnerEventTypesResolver {
  @FieldResolver(() => [EventType], { description: 'Public: the active event types, by slug; the owner (with its token): all of them.' })
  eventTypes(@Root() owner: Owner, @Ctx() ctx: RequestContext): Promise<EventType[]> {
    return new EventTypeService(ctx).eventTypesOf(owner);
  }
}

/** Booking.eventType: the event-type module's field of Booking. */
@Resolver(() => Booking)
export class BookingEventTypeResolver {
  @FieldResolver(() => EventType, { nullable: true, description: 'The event type it was booked with, even if deactivated since; null when booked without one.' })
  eventType(@Root() booking: Booking, @Ctx() ctx: RequestContext): Promise<EventType | null> {
    return new EventTypeService(ctx).eventTypeOf(booking);
  }
}
