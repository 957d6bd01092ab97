import { badInput } from './errors';
import { isInstantInRange } from './scalars';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** What a booking id looks like (a UUID; room to spare): a cursor's id is compared in SQL, so nothing else gets there. */
const BOOKING_ID = /^[0-9A-Za-z-]{1,64}$/;

export interface BookingCursor {
  startsAt: number;
  id: string;
}

export function validatePageSize(first: number, field = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(field, `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** Cursors are opaque to clients: base64url of the sort key (start instant, id) of the last edge. */
export function encodeCursor(cursor: BookingCursor): string {
  return Buffer.from(JSON.stringify([cursor.startsAt, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string, field = 'after'): BookingCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    // A cursor names a booking's start, which DateTime bounded, and its id, a UUID: anything else
    // (±8.64e15, year 0000, a NUL in the id) is forged, and PostgreSQL would refuse it in the
    // query (out of range, invalid UTF-8), a 500.
    if (
      Array.isArray(parsed) && parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) && isInstantInRange(parsed[0] as number) &&
      typeof parsed[1] === 'string' && BOOKING_ID.test(parsed[1])
    ) {
      return { startsAt: parsed[0] as number, id: parsed[1] as string };
    }
  } catch {
    // fall through to the clear error below
  }
  throw badInput(field, 'must be an endCursor returned by this API');
}
