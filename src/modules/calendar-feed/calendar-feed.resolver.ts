import { Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { CalendarFeed } from './calendar-feed.entity';
import { CalendarFeedService } from './calendar-feed.service';

@Resolver(() => CalendarFeed)
export class CalendarFeedResolver {
  @Mutation(() => CalendarFeed, { description: "Owner only: a new secret URL of the owner's iCalendar feed of bookings; the previous one stops working." })
  createCalendarFeed(@Ctx() ctx: RequestContext): Promise<CalendarFeed> {
    return new CalendarFeedService(ctx).createFeed();
  }
}
