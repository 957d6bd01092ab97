import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { DateTimeScalar } from '../../common/scalars';
import { AvailabilityWindow } from '../availability/window.entity';
import { AvailabilityService } from '../availability/availability.service';
import { SlotService } from '../availability/slot.service';
import { Slot } from '../availability/slot.type';
import { BookingConnection } from '../booking/booking.types';
import { BookingStatus } from '../booking/booking.entity';
import { BookingService } from '../booking/booking.service';
import { Owner } from './owner.entity';
import { CreateOwnerInput, CreateOwnerPayload, UpdateOwnerInput } from './owner.inputs';
import { OwnerService } from './owner.service';

@Resolver(() => Owner)
export class OwnerResolver {
  @Query(() => Owner, { nullable: true, description: 'An owner by id (public fields); null when unknown.' })
  owner(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Owner | null> {
    return new OwnerService(ctx).findOwner(id);
  }

  @Query(() => Owner, { description: "The token's owner." })
  me(@Ctx() ctx: RequestContext): Promise<Owner> {
    return new OwnerService(ctx).me();
  }

  @Query(() => [Slot], { description: 'Free slots of an owner whose start lies in [from, to); at most 366 days.' })
  async freeSlots(
    @Arg('ownerId', () => ID) ownerId: string,
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    const owner = await new OwnerService(ctx).getOwnerHead(ownerId);
    return new SlotService(ctx).freeSlots(owner, from, to);
  }

  @Mutation(() => CreateOwnerPayload, { description: 'Open: creates an owner and returns its token once.' })
  createOwner(@Arg('input', () => CreateOwnerInput) input: CreateOwnerInput, @Ctx() ctx: RequestContext): Promise<CreateOwnerPayload> {
    return new OwnerService(ctx).createOwner(input);
  }

  @Mutation(() => Owner)
  updateOwner(@Arg('input', () => UpdateOwnerInput) input: UpdateOwnerInput, @Ctx() ctx: RequestContext): Promise<Owner> {
    return new OwnerService(ctx).updateOwner(input);
  }

  @Mutation(() => CreateOwnerPayload, { description: 'Owner only: a new token; the old one stops working.' })
  rotateOwnerToken(@Ctx() ctx: RequestContext): Promise<CreateOwnerPayload> {
    return new OwnerService(ctx).rotateToken();
  }

  @FieldResolver(() => [Slot], { name: 'freeSlots', description: 'Public: free slots whose start lies in [from, to); at most 366 days.' })
  slots(
    @Root() owner: Owner,
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    return new SlotService(ctx).freeSlots(owner, from, to);
  }

  @FieldResolver(() => [AvailabilityWindow], { description: 'Owner only.' })
  windows(@Root() owner: Owner, @Ctx() ctx: RequestContext): Promise<AvailabilityWindow[]> {
    return new AvailabilityService(ctx).listWindows(owner);
  }

  @FieldResolver(() => BookingConnection, { description: 'Owner only: bookings starting in [from, to), ascending by start.' })
  bookings(
    @Root() owner: Owner,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => BookingStatus, { nullable: true }) status?: BookingStatus | null,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from?: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to?: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null = 20,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<BookingConnection> {
    return new BookingService(ctx).ownerBookings(owner, { status, from, to }, first, after);
  }
}
