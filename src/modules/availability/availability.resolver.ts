import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { DateTimeScalar, LocalDateScalar } from '../../common/scalars';
import { AvailabilityService } from './availability.service';
import { OneTimeWindow, RecurringWindow, WindowException } from './window.entity';
import { OneTimeWindowInput, RecurringWindowInput, RecurringWindowPatch } from './window.inputs';

@Resolver(() => RecurringWindow)
export class AvailabilityResolver {
  @Mutation(() => OneTimeWindow, { description: 'Owner only.' })
  addOneTimeWindow(@Arg('input', () => OneTimeWindowInput) input: OneTimeWindowInput, @Ctx() ctx: RequestContext): Promise<OneTimeWindow> {
    return new AvailabilityService(ctx).addOneTimeWindow(input);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only.' })
  addRecurringWindow(@Arg('input', () => RecurringWindowInput) input: RecurringWindowInput, @Ctx() ctx: RequestContext): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).addRecurringWindow(input);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: changes every occurrence; exceptions are kept.' })
  updateRecurringWindow(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => RecurringWindowPatch) input: RecurringWindowPatch,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).updateRecurringWindow(id, input);
  }

  @Mutation(() => ID, { description: 'Owner only: removes a window; existing bookings stay.' })
  removeWindow(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return new AvailabilityService(ctx).removeWindow(id);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: no availability from that date’s occurrence.' })
  cancelOccurrence(
    @Arg('windowId', () => ID) windowId: string,
    @Arg('date', () => LocalDateScalar) date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).cancelOccurrence(windowId, date);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: replaces that date’s occurrence with [startsAt, endsAt).' })
  moveOccurrence(
    @Arg('windowId', () => ID) windowId: string,
    @Arg('date', () => LocalDateScalar) date: string,
    @Arg('startsAt', () => DateTimeScalar) startsAt: Date,
    @Arg('endsAt', () => DateTimeScalar) endsAt: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).moveOccurrence(windowId, date, startsAt, endsAt);
  }

  @Mutation(() => RecurringWindow, { description: 'Owner only: undoes a cancel or move of that date.' })
  restoreOccurrence(
    @Arg('windowId', () => ID) windowId: string,
    @Arg('date', () => LocalDateScalar) date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RecurringWindow> {
    return new AvailabilityService(ctx).restoreOccurrence(windowId, date);
  }

  @FieldResolver(() => [WindowException])
  exceptions(@Root() window: RecurringWindow, @Ctx() ctx: RequestContext): Promise<WindowException[]> {
    return ctx.loaders.exceptionsByWindowId.load(window.id);
  }
}
