import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import type { RequestContext } from '../context';
import { generateToken, hashToken } from '../../shared/tokens';
import { type Booking, BookingStatus } from '../booking/booking.entity';
import type { CalendarFeed } from './calendar-feed.entity';

/** How far back a feed reaches: bookings that ended longer ago are left out (docs/api.md, 17). */
const FEED_LOOKBACK_MS = 30 * 24 * 60 * 60_000;

/** How often calendar apps are asked to fetch the feed again (REFRESH-INTERVAL), in seconds. */
const REFRESH_SECONDS = 15 * 60;

/** A feed secret: 256 random bits, URL-safe, as owner tokens; only its hash is stored. */
const SECRET_PATTERN = /^sbf_[A-Za-z0-9_-]{43}$/;

const PRODID = { company: 'Slotbook', product: 'Slotbook', language: 'EN' };

/** The feed path of a secret: /feeds/<secret>.ics. */
export function feedPath(secret: string): string {
  return `/feeds/${secret}.ics`;
}

function newCalendar(name?: string): ICalCalendar {
  // ttl writes REFRESH-INTERVAL;VALUE=DURATION and X-PUBLISHED-TTL; name writes X-WR-CALNAME (and NAME).
  return ical({ prodId: PRODID, method: ICalCalendarMethod.PUBLISH, ...(name === undefined ? {} : { name, ttl: REFRESH_SECONDS }) });
}

function addEvent(calendar: ICalCalendar, booking: Booking, stamp: Date): void {
  const title = booking.eventType?.title;
  calendar.createEvent({
    id: `${booking.id}@slotbook`,
    stamp,
    start: booking.startsAt,
    end: booking.endsAt,
    sequence: booking.rescheduleCount,
    status: booking.status === BookingStatus.CANCELLED ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: title ? `${title}: ${booking.inviteeName}` : booking.inviteeName,
  });
}

/** RFC 5545 ends every content line, the last included, in CRLF; ical-generator omits the last one. */
function serialize(calendar: ICalCalendar): string {
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** Calendar feeds (docs/api.md, Part 2, 17-18): the owner's secret feed and a booking's own .ics. */
export class CalendarFeedService {
  constructor(private readonly ctx: RequestContext) {}

  /** Owner only: a new secret feed URL; the previous one stops working. */
  async createFeed(): Promise<CalendarFeed> {
    const owner = await this.ctx.auth.requireOwner();
    const secret = generateToken('sbf');
    await this.ctx.stores.calendarFeeds.replaceSecret(owner.id, hashToken(secret), this.ctx.now());
    return { url: feedPath(secret) };
  }

  /** The owner's feed as iCalendar text, or null for a secret that is not (or no longer) any owner's. */
  async ownerFeed(secret: string): Promise<string | null> {
    if (!SECRET_PATTERN.test(secret)) return null;
    const store = this.ctx.stores.calendarFeeds;
    const owner = await store.ownerOfSecret(hashToken(secret));
    if (!owner) return null;
    const now = this.ctx.now();
    const bookings = await store.bookingsEndingAfter(owner.id, new Date(now.getTime() - FEED_LOOKBACK_MS));
    const calendar = newCalendar(owner.name);
    for (const booking of bookings) addEvent(calendar, booking, now);
    return serialize(calendar);
  }

  /** One booking as iCalendar text for whoever holds one of its manage tokens; null otherwise, alike for a wrong id or token. */
  async bookingFeed(bookingId: string, manageToken: string): Promise<string | null> {
    if (!manageToken || bookingId.length > 64) return null;
    const booking = await this.ctx.stores.calendarFeeds.bookingWithEventType(bookingId);
    if (!booking || !(await this.ctx.stores.bookings.isManageTokenOf(booking.id, manageToken))) return null;
    const calendar = newCalendar();
    addEvent(calendar, booking, this.ctx.now());
    return serialize(calendar);
  }
}
