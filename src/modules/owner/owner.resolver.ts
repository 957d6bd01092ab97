import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { MAX_RANGE_DAYS } from '../../shared/grid';
import { DateTimeScalar } from '../../shared/scalars';
import { AvailabilityWindow } from '../availability/window.entity';
import { AvailabilityService } from '../availability/availability.service';
import { DEFAULT_MAX_FREE_SLOTS, SlotService } from '../availability/slot.service';
import { Slot } from '../availability/slot.type';
import { AFTER_CURSOR, PAGE_SIZE, BookingConnection } from '../booking/booking.types';
import { BookingStatus } from '../booking/booking.entity';
import { BookingService } from '../booking/booking.service';
import { Owner } from './owner.entity';
import { CreateOwnerInput, CreateOwnerPayload, UpdateOwnerInput } from './owner.inputs';
import { OwnerService } from './owner.service';

const FREE_SLOTS_FROM = 'Slots starting at or after this instant are returned.';
const FREE_SLOTS_TO = `Slots starting before this instant are returned; after from, at most ${MAX_RANGE_DAYS} days later (else BAD_USER_INPUT). One request returns at most ${DEFAULT_MAX_FREE_SLOTS} slots over all its freeSlots fields by default (GRAPHQL_MAX_FREE_SLOTS): ask for a shorter range past that.`;

@Resolver(() => Owner)
export class OwnerResolver {
  @Query(() => Owner, { nullable: true, description: 'An owner by id (public fields); null when unknown.' })
  owner(@Arg('id', () => ID, { description: "The owner's id." }) id: string, @Ctx() ctx: RequestContext): Promise<Owner | null> {
    return new OwnerService(ctx).findOwner(id);
  }

  @Query(() => Owner, { description: "Owner only: the token's owner." })
  me(@Ctx() ctx: RequestContext): Promise<Owner> {
    return new OwnerService(ctx).me();
  }

  @Query(() => [Slot], { description: 'Free slots of an owner whose start lies in [from, to); at most 366 days.' })
  async freeSlots(
    @Arg('ownerId', () => ID, { description: 'The owner whose free slots to list; unknown: NOT_FOUND.' }) ownerId: string,
    @Arg('from', () => DateTimeScalar, { description: FREE_SLOTS_FROM }) from: Date,
    @Arg('to', () => DateTimeScalar, { description: FREE_SLOTS_TO }) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Slot[]> {
    const owner = await new OwnerService(ctx).getOwnerHead(ownerId);
    return new SlotService(ctx).freeSlots(owner, from, to);
  }

  @Mutation(() => CreateOwnerPayload, { description: 'Open: creates an owner and returns its token once.' })
  createOwner(@Arg('input', () => CreateOwnerInput, { description: "The new owner's name, time zone and slot length." }) input: CreateOwnerInput, @Ctx() ctx: RequestContext): Promise<CreateOwnerPayload> {
    return new OwnerService(ctx).createOwner(input);
  }

  @Mutation(() => Owner, { description: "Owner only: changes the token owner's name, time zone or slot length; existing bookings keep their times." })
  updateOwner(@Arg('input', () => UpdateOwnerInput, { description: 'The fields to change; omitted or null ones keep their value.' }) input: UpdateOwnerInput, @Ctx() ctx: RequestContext): Promise<Owner> {
    return new OwnerService(ctx).updateOwner(input);
  }

  @Mutation(() => CreateOwnerPayload, { description: 'Owner only: a new token; the old one stops working.' })
  rotateOwnerToken(@Ctx() ctx: RequestContext): Promise<CreateOwnerPayload> {
    return new OwnerService(ctx).rotateToken();
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

  @FieldResolver(() => [AvailabilityWindow], { description: 'Owner only.' })
  windows(@Root() owner: Owner, @Ctx() ctx: RequestContext): Promise<AvailabilityWindow[]> {
    return new AvailabilityService(ctx).listWindows(owner);
  }

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
