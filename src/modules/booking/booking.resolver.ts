import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { notFound } from '../../shared/errors';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';
import { Booking, BookingStatus } from './booking.entity';
import { BookSlotInput, BookSlotPayload, Invitee } from './booking.inputs';
import { BookingService } from './booking.service';
import { AFTER_CURSOR, PAGE_SIZE, BookingConnection } from './booking.types';

const BOOKING_ID = "The booking's id.";
const MANAGE_TOKEN = "The booking's manageToken (bookSlot returned it); not needed with the owner's token. Without either: NOT_FOUND.";

@Resolver(() => Booking)
export class BookingResolver {
  @Query(() => Booking, { description: "The booking's owner, or anyone with its manageToken." })
  booking(
    @Arg('id', () => ID, { description: BOOKING_ID }) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('manageToken', () => String, { nullable: true, description: MANAGE_TOKEN }) manageToken?: string | null,
  ): Promise<Booking> {
    return new BookingService(ctx).getBooking(id, manageToken);
  }

  @Query(() => BookingConnection, { description: "Owner only: the token owner's CONFIRMED bookings that have not ended, ascending by start." })
  upcomingBookings(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: PAGE_SIZE }) first: number | null = 20,
    @Arg('after', () => String, { nullable: true, description: AFTER_CURSOR }) after?: string | null,
  ): Promise<BookingConnection> {
    return new BookingService(ctx).upcomingBookings(first, after);
  }

  @Mutation(() => BookSlotPayload, { description: 'Open: books the free slot starting at startsAt; SLOT_UNAVAILABLE otherwise.' })
  bookSlot(@Arg('input', () => BookSlotInput, { description: "The owner, the slot's start and the invitee." }) input: BookSlotInput, @Ctx() ctx: RequestContext): Promise<BookSlotPayload> {
    return new BookingService(ctx).bookSlot(input);
  }

  @Mutation(() => Booking, { description: "The booking's owner, or anyone with its manageToken: cancels a CONFIRMED booking and frees its time at once." })
  cancelBooking(
    @Arg('id', () => ID, { description: BOOKING_ID }) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('manageToken', () => String, { nullable: true, description: MANAGE_TOKEN }) manageToken?: string | null,
  ): Promise<Booking> {
    return new BookingService(ctx).cancelBooking(id, manageToken);
  }

  @Mutation(() => Booking, {
    description: "The booking's owner, or anyone with its manageToken: moves a CONFIRMED booking to another free slot atomically; unchanged on SLOT_UNAVAILABLE.",
  })
  rescheduleBooking(
    @Arg('id', () => ID, { description: BOOKING_ID }) id: string,
    @Arg('startsAt', () => DateTimeScalar, { description: 'The new start, on the 5-minute grid: the start of a free slot now, else SLOT_UNAVAILABLE.' }) startsAt: Date,
    @Ctx() ctx: RequestContext,
    @Arg('manageToken', () => String, { nullable: true, description: MANAGE_TOKEN }) manageToken?: string | null,
  ): Promise<Booking> {
    return new BookingService(ctx).rescheduleBooking(id, startsAt, manageToken);
  }

  @Mutation(() => Booking, { description: 'Owner only: marks a CONFIRMED booking COMPLETED.' })
  completeBooking(@Arg('id', () => ID, { description: "A booking of the token's owner; any other: NOT_FOUND." }) id: string, @Ctx() ctx: RequestContext): Promise<Booking> {
    return new BookingService(ctx).completeBooking(id);
  }

  @FieldResolver(() => Owner, { description: 'The owner booked.' })
  async owner(@Root() booking: Booking, @Ctx() ctx: RequestContext): Promise<Owner> {
    const owner = await ctx.loaders.ownerById.load(booking.owner.id);
    if (!owner) throw notFound('owner');
    return owner;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'For a booking of a group event: how many bookings that are not CANCELLED share its start, itself included; null for any other booking.',
  })
  seatsTaken(@Root() booking: Booking, @Ctx() ctx: RequestContext): Promise<number | null> {
    return new BookingService(ctx).seatsTaken(booking);
  }

  @FieldResolver(() => Invitee, { description: 'Who booked.' })
  invitee(@Root() booking: Booking): Invitee {
    return { name: booking.inviteeName, email: booking.inviteeEmail };
  }
}

/** Owner.bookings: the booking module's field of Owner. */
@Resolver(() => Owner)
export class OwnerBookingsResolver {
  @FieldResolver(() => BookingConnection, { description: 'Owner only: bookings starting in [from, to), ascending by start.' })
  bookings(
    @Root() owner: Owner,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => BookingStatus, { nullable: true, description: 'Only bookings with this status; omitted: any status.' }) status?: BookingStatus | null,
    @Arg('from', () => DateTimeScalar, { nullable: true, description: 'Only bookings starting at or after this instant.' }) from?: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true, description: 'Only bookings starting before this instant; after from when both are given.' }) to?: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: PAGE_SIZE }) first: number | null = 20,
    @Arg('after', () => String, { nullable: true, description: AFTER_CURSOR }) after?: string | null,
  ): Promise<BookingConnection> {
    return new BookingService(ctx).ownerBookings(owner, { status, from, to }, first, after);
  }
}
