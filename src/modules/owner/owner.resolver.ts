import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from './owner.entity';
import { CreateOwnerInput, CreateOwnerPayload, UpdateOwnerInput } from './owner.inputs';
import { OwnerService } from './owner.service';

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

  @Mutation(() => CreateOwnerPayload, { description: 'Open: creates an owner and returns its token once.' })
  createOwner(@Arg('input', () => CreateOwnerInput, { description: "The new owner's name, time zone and slot length." }) input: CreateOwnerInput, @Ctx() ctx: RequestContext): Promise<CreateOwnerPayload> {
    return new OwnerService(ctx).createOwner(input);
  }

  @Mutation(() => Owner, { description: "Owner only: changes the token owner's name, time zone or slot length; existing bookings keep their times." })
  updateOwner(@Arg('input', () => UpdateOwnerInput, { description: 'The fields to change; omitted or null ones keep their value.' }) input: UpdateOwnerInput, @Ctx() ctx: RequestContext): Promise<Owner> {
    return new OwnerService(ctx).updateOwner(input);
  }

  @Mutation(() => CreateOwnerPayload, { description: 'Owner only: a new token; the old one stops working. The calendar feed URL keeps working unless revokeCalendarFeed is true.' })
  rotateOwnerToken(
    @Arg('revokeCalendarFeed', () => Boolean, {
      defaultValue: false,
      description: 'True: the calendar feed URL (createCalendarFeed) stops working too, as after a leaked token; createCalendarFeed makes a new one.',
    })
    revokeCalendarFeed: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateOwnerPayload> {
    return new OwnerService(ctx).rotateToken(revokeCalendarFeed);
  }
}
