import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RequestContext } from '../modules/context';
import { CalendarFeedService, isBookingId, isFeedSecret, isManageToken } from '../modules/calendar-feed/calendar-feed.service';
import { chargeCall, type RateLimiters } from './rate-limits';

const FEED_PATH = /^\/feeds\/([^/]{1,200})\.ics$/;
const BOOKING_PATH = /^\/bookings\/([^/]{1,200})\.ics$/;

/** The iCalendar routes this handler serves: GET /feeds/<secret>.ics and GET /bookings/<id>.ics?manageToken=…. */
export function isCalendarPath(path: string): boolean {
  return FEED_PATH.test(path) || BOOKING_PATH.test(path);
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function send(res: ServerResponse, method: string | undefined, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  // The feed changes with every booking and its URL is a secret: calendar apps fetch it anew
  // (REFRESH-INTERVAL says how often), and no shared cache keeps a copy.
  res.setHeader('cache-control', 'private, no-cache, max-age=0');
  res.setHeader('content-length', Buffer.byteLength(body, 'utf8'));
  res.end(method === 'HEAD' ? undefined : body);
}

/** What a calendar request asks for, read from its URL alone; null when any part is malformed. */
type CalendarRequest = { kind: 'feed'; secret: string } | { kind: 'booking'; id: string; manageToken: string; origin: string };

/**
 * The request's parts, checked against the shapes the server hands out (a feed secret, a UUID, a
 * manage token) before anything reaches the database: a NUL, an over-long or a non-UUID id is
 * refused here like an unknown one, never as a driver error.
 */
function calendarRequestOf(req: IncomingMessage, publicUrl: string | undefined): CalendarRequest | null {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const feed = FEED_PATH.exec(url.pathname);
  if (feed) {
    const secret = decoded(feed[1]!);
    return secret !== null && isFeedSecret(secret) ? { kind: 'feed', secret } : null;
  }
  const booking = BOOKING_PATH.exec(url.pathname);
  const id = booking && decoded(booking[1]!);
  const manageToken = url.searchParams.get('manageToken') ?? '';
  if (!id || !isBookingId(id) || !isManageToken(manageToken)) return null;
  return { kind: 'booking', id, manageToken, origin: publicUrl ?? originOf(req) };
}

/** A plain Host header (as the pages' CSP reads it): the origin the invitee fetched this from. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

function originOf(req: IncomingMessage): string {
  const host = req.headers.host;
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  return host && PLAIN_HOST.test(host) ? `${tls ? 'https' : 'http'}://${host}` : 'http://localhost';
}

export interface CalendarFeedHandlerOptions {
  context: () => RequestContext;
  logger: Logger;
  /** The per-address budgets (rate-limits.ts); null when RATE_LIMITS=off. */
  limiters: RateLimiters | null;
  clientAddress: (req: IncomingMessage) => string;
  /** PUBLIC_URL: the origin that links in a booking's .ics start with; the request's own Host otherwise. */
  publicUrl?: string;
}

/**
 * Serves docs/api.md, Part 2, 17-18. An unknown secret, a wrong booking id and a wrong manage
 * token get the same 404, so an answer reveals nothing about which part was wrong. Every request
 * presents a credential (a feed secret or a manage token), so each is charged to the address's
 * manage-token budget (RATE_LIMIT_MANAGE_TOKEN_PER_MINUTE) before it is checked: guessing gets
 * 429 with Retry-After, as in GraphQL.
 */
export function calendarFeedHandler(options: CalendarFeedHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, req.method, 405, 'text/plain; charset=utf-8', 'method not allowed: GET or HEAD\n');
      return;
    }
    try {
      if (options.limiters) {
        const refusal = await chargeCall(options.limiters.manageToken, options.clientAddress(req));
        if (refusal) {
          res.setHeader('retry-after', String(refusal.retryAfter));
          send(res, req.method, 429, 'text/plain; charset=utf-8', `${refusal.message}\n`);
          return;
        }
      }
      const asked = calendarRequestOf(req, options.publicUrl);
      let body: string | null = null;
      if (asked?.kind === 'feed') body = await new CalendarFeedService(options.context()).ownerFeed(asked.secret);
      else if (asked) body = await new CalendarFeedService(options.context()).bookingFeed(asked.id, asked.manageToken, asked.origin);
      if (body === null) send(res, req.method, 404, 'text/plain; charset=utf-8', 'not found\n');
      else send(res, req.method, 200, 'text/calendar; charset=utf-8', body);
    } catch (err) {
      options.logger.error({ err }, 'calendar feed failed');
      send(res, req.method, 500, 'text/plain; charset=utf-8', 'internal server error\n');
    }
  };
}
