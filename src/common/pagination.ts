import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const MAX_DATE_MS = 8.64e15;

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
    // Beyond ±8.64e15 ms a Date is invalid, and an invalid Date in a query is a crash, not a refusal.
    if (Array.isArray(parsed) && parsed.length === 2 && Number.isSafeInteger(parsed[0]) && Math.abs(parsed[0] as number) <= MAX_DATE_MS && typeof parsed[1] === 'string') {
      return { startsAt: parsed[0] as number, id: parsed[1] as string };
    }
  } catch {
    // fall through to the clear error below
  }
  throw badInput(field, 'must be an endCursor returned by this API');
}
