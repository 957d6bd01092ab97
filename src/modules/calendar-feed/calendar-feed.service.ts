import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { validate as isUuid } from 'uuid';
import type { RequestContext } from '../context';
import { generateToken, hashToken } from '../../shared/tokens';
import { type Booking, BookingStatus } from '../booking/booking.entity';
import type { CalendarFeed } from './calendar-feed.entity';
import { escapedText, organizerLine, withoutControls } from './ical-text';

/** How far back a feed reaches: bookings that ended longer ago are left out (docs/api.md, 17). */
const FEED_LOOKBACK_MS = 30 * 24 * 60 * 60_000;

/** How often calendar apps are asked to fetch the feed again (REFRESH-INTERVAL), in seconds. */
const REFRESH_SECONDS = 15 * 60;

/** A feed secret: 256 random bits, URL-safe, as owner tokens; only its hash is stored. */
const SECRET_PATTERN = /^sbf_[A-Za-z0-9_-]{43}$/;

/** A manage token as bookSlot hands it out (shared/tokens.ts). */
const MANAGE_TOKEN_PATTERN = /^sbm_[A-Za-z0-9_-]{43}$/;

const PRODID = { company: 'Slotbook', product: 'Slotbook', language: 'EN' };

/** Whether `secret` has the shape of a feed secret; any other string is no owner's. */
export function isFeedSecret(secret: string): boolean {
  return SECRET_PATTERN.test(secret);
}

/** Whether `id` is a booking id as the server makes them: a UUID, lower-case. */
export function isBookingId(id: string): boolean {
  return isUuid(id) && id === id.toLowerCase();
}

/** Whether `token` has the shape of a manage token. */
export function isManageToken(token: string): boolean {
  return MANAGE_TOKEN_PATTERN.test(token);
}

/** The feed path of a secret: /feeds/<secret>.ics. */
export function feedPath(secret: string): string {
  return `/feeds/${secret}.ics`;
}

function newCalendar(name?: string): ICalCalendar {
  // ttl writes REFRESH-INTERVAL;VALUE=DURATION and X-PUBLISHED-TTL; name writes X-WR-CALNAME and
  // NAME exactly as given, so it is escaped here (ical-generator escapes SUMMARY and the like itself).
  return ical({ prodId: PRODID, method: ICalCalendarMethod.PUBLISH, ...(name === undefined ? {} : { name: escapedText(name), ttl: REFRESH_SECONDS }) });
}

interface EventText {
  summary: string;
  description?: string;
  url?: string;
}

function addEvent(calendar: ICalCalendar, booking: Booking, stamp: Date, text: EventText): void {
  calendar.createEvent({
    id: `${booking.id}@slotbook`,
    stamp,
    start: booking.startsAt,
    end: booking.endsAt,
    sequence: booking.rescheduleCount,
    status: booking.status === BookingStatus.CANCELLED ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: withoutControls(text.summary),
    ...(text.description === undefined ? {} : { description: withoutControls(text.description) }),
    ...(text.url === undefined ? {} : { url: text.url }),
  });
}

/** The owner's view: who booked, and with which event type. */
function ownerSummary(booking: Booking): string {
  const title = booking.eventType?.title;
  return title ? `${title}: ${booking.inviteeName}` : booking.inviteeName;
}

/** RFC 5545 ends every content line, the last included, in CRLF; ical-generator omits the last one. */
function serialize(calendar: ICalCalendar, extraEventLines: string[] = []): string {
  let text = calendar.toString();
  if (extraEventLines.length) text = text.replace('\r\nEND:VEVENT', `\r\n${extraEventLines.join('\r\n')}\r\nEND:VEVENT`);
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

  /** Makes the owner's feed URL stop working, with no new one (rotateOwnerToken's revokeCalendarFeed). */
  async revokeFeed(ownerId: string): Promise<void> {
    await this.ctx.stores.calendarFeeds.deleteSecret(ownerId);
  }

  /** The owner's feed as iCalendar text, or null for a secret that is not (or no longer) any owner's. */
  async ownerFeed(secret: string): Promise<string | null> {
    if (!isFeedSecret(secret)) return null;
    const store = this.ctx.stores.calendarFeeds;
    const owner = await store.ownerOfSecret(hashToken(secret));
    if (!owner) return null;
    const now = this.ctx.now();
    const bookings = await store.bookingsEndingAfter(owner.id, new Date(now.getTime() - FEED_LOOKBACK_MS));
    const calendar = newCalendar(owner.name);
    for (const booking of bookings) addEvent(calendar, booking, now, { summary: ownerSummary(booking) });
    return serialize(calendar);
  }

  /**
   * One booking as iCalendar text for whoever holds one of its manage tokens; null otherwise,
   * alike for a wrong id or token. The invitee's view: titled with the event type and the owner,
   * with the manage page (at `origin`) as its URL and in its description, the owner as organizer.
   */
  async bookingFeed(bookingId: string, manageToken: string, origin: string): Promise<string | null> {
    if (!isBookingId(bookingId) || !isManageToken(manageToken)) return null;
    const booking = await this.ctx.stores.calendarFeeds.bookingWithEventType(bookingId);
    if (!booking || !(await this.ctx.stores.bookings.isManageTokenOf(booking.id, manageToken))) return null;
    const ownerName = booking.owner.name;
    const title = booking.eventType?.title;
    const manageUrl = `${origin}/manage/${booking.id}?token=${encodeURIComponent(manageToken)}`;
    const calendar = newCalendar();
    addEvent(calendar, booking, this.ctx.now(), {
      summary: title ? `${title} with ${ownerName}` : ownerName,
      description: `Reschedule or cancel: ${manageUrl}`,
      url: manageUrl,
    });
    return serialize(calendar, [organizerLine(ownerName, null)]);
  }
}
