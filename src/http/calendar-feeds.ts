import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RequestContext } from '../modules/context';
import { CalendarFeedService } from '../modules/calendar-feed/calendar-feed.service';

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

/**
 * Serves docs/api.md, Part 2, 17-18. An unknown secret, a wrong booking id and a wrong manage
 * token get the same 404, so an answer reveals nothing about which part was wrong.
 */
export function calendarFeedHandler(options: { context: () => RequestContext; logger: Logger }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, req.method, 405, 'text/plain; charset=utf-8', 'method not allowed: GET or HEAD\n');
      return;
    }
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const service = new CalendarFeedService(options.context());
      const feed = FEED_PATH.exec(url.pathname);
      const booking = BOOKING_PATH.exec(url.pathname);
      let body: string | null = null;
      if (feed) {
        const secret = decoded(feed[1]!);
        body = secret === null ? null : await service.ownerFeed(secret);
      } else if (booking) {
        const id = decoded(booking[1]!);
        const token = url.searchParams.get('manageToken') ?? '';
        body = id === null ? null : await service.bookingFeed(id, token);
      }
      if (body === null) send(res, req.method, 404, 'text/plain; charset=utf-8', 'not found\n');
      else send(res, req.method, 200, 'text/calendar; charset=utf-8', body);
    } catch (err) {
      options.logger.error({ err }, 'calendar feed failed');
      send(res, req.method, 500, 'text/plain; charset=utf-8', 'internal server error\n');
    }
  };
}
