import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { DateTimeScalar, LocalDateScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';
import { AvailabilityService } from './availability.service';
import { AvailabilityWindow, OneTimeWindow, RecurringWindow, WindowException } from './window.entity';
import { OneTimeWindowInput, RecurringWindowInput, RecurringWindowPatch } from './window.inputs';

const WINDOW_ID = "A recurring window of the token's owner.";
const OCCURRENCE_DATE = "A date the window's rule produces (owner's calendar); any other date is BAD_USER_INPUT.";

@Resolver(() => RecurringWindow)
export class AvailabilityResolver {
  @Mutation(() => OneTimeWindow, { description: 'Owner only.' })
  addOneTimeWindow(@Arg('input', () => OneTimeWindowInput, { description: "The window's start and end." }) input: OneTimeWindowInput, @Ctx() ctx: RequestContext): Promise<OneTimeWindow> {
    return new AvailabilityService(ctx).addOneTimeWindow(input);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only.' })
  addRecurringWindow(@Arg('input', () => RecurringWindowInput, { description: 'The rule; WEEKLY and every week unless given.' }) input: RecurringWindowInput, @Ctx() ctx: RequestContext): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).addRecurringWindow(input);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: changes every occurrence; exceptions are kept.' })
  updateRecurringWindow(
    @Arg('id', () => ID, { description: WINDOW_ID }) id: string,
    @Arg('input', () => RecurringWindowPatch, { description: 'The fields to change; the others keep their value.' }) input: RecurringWindowPatch,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).updateRecurringWindow(id, input);
  }

  @Mutation(() => ID, { description: 'Owner only: removes a window; existing bookings stay.' })
  removeWindow(@Arg('id', () => ID, { description: "A one-time or recurring window of the token's owner." }) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return new AvailabilityService(ctx).removeWindow(id);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: no availability from that date’s occurrence.' })
  cancelOccurrence(
    @Arg('windowId', () => ID, { description: WINDOW_ID }) windowId: string,
    @Arg('date', () => LocalDateScalar, { description: OCCURRENCE_DATE }) date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).cancelOccurrence(windowId, date);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: replaces that date’s occurrence with [startsAt, endsAt).' })
  moveOccurrence(
    @Arg('windowId', () => ID, { description: WINDOW_ID }) windowId: string,
    @Arg('date', () => LocalDateScalar, { description: OCCURRENCE_DATE }) date: string,
    @Arg('startsAt', () => DateTimeScalar, { description: 'Start of the replacement window, on the 5-minute grid.' }) startsAt: Date,
    @Arg('endsAt', () => DateTimeScalar, { description: 'End of the replacement window: after startsAt, at most 24 hours later, on the 5-minute grid.' }) endsAt: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).moveOccurrence(windowId, date, startsAt, endsAt);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: undoes a cancel or move of that date.' })
  restoreOccurrence(
    @Arg('windowId', () => ID, { description: WINDOW_ID }) windowId: string,
    @Arg('date', () => LocalDateScalar, { description: OCCURRENCE_DATE }) date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).restoreOccurrence(windowId, date);
  }

  @FieldResolver(() => [WindowException], { description: 'The dates whose occurrence is cancelled or moved.' })
  exceptions(@Root() window: RecurringWindow, @Ctx() ctx: RequestContext): Promise<WindowException[]> {
    return ctx.loaders.exceptionsByWindowId.load(window.id);
  }
}

/** Owner.windows: the owner's availability, served by this module. */
@Resolver(() => Owner)
export class OwnerWindowsResolver {
  @FieldResolver(() => [AvailabilityWindow], { description: 'Owner only.' })
  windows(@Root() owner: Owner, @Ctx() ctx: RequestContext): Promise<AvailabilityWindow[]> {
    return new AvailabilityService(ctx).listWindows(owner);
  }
}
