import { Field, ObjectType } from 'type-graphql';
import { MAX_PAGE_SIZE } from '../../shared/pagination';
import { PageInfo } from '../page-info';
import { Booking } from './booking.entity';

/** The descriptions of every booking list's `first` and `after` arguments. */
export const PAGE_SIZE = `How many bookings per page, 1 to ${MAX_PAGE_SIZE}; anything else is BAD_USER_INPUT.`;
export const AFTER_CURSOR = 'The endCursor of the previous page: this page starts after it. Omitted: the first page.';

@ObjectType({ description: 'One booking of a page, with its position in the list.' })
class BookingEdge {
  @Field({ description: 'Opaque position of this booking in the list; clients never parse it.' })
  cursor!: string;

  @Field(() => Booking, { description: 'The booking.' })
  node!: Booking;
}

@ObjectType({ description: 'One page of bookings, ascending by start; walking the pages returns every booking once.' })
export class BookingConnection {
  @Field(() => [BookingEdge], { description: 'The bookings of this page, in order.' })
  edges!: BookingEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them with.' })
  pageInfo!: PageInfo;
}
