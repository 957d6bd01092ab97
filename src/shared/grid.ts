import { badInput } from './errors';

export const GRID_MINUTES = 5;
export const GRID_MS = GRID_MINUTES * 60_000;
export const MAX_RANGE_DAYS = 366;
export const MAX_RANGE_MS = MAX_RANGE_DAYS * 86_400_000;

/** Window boundaries, moved occurrences, booking starts and slot lengths lie on a 5-minute grid. */
export function requireOnGrid(field: string, instant: Date): void {
  if (instant.getTime() % GRID_MS !== 0) throw badInput(field, 'must lie on the 5-minute grid (minutes divisible by 5, seconds 0)');
}

export function requireMinutesOnGrid(field: string, minutes: number): void {
  if (minutes % GRID_MINUTES !== 0) throw badInput(field, 'must be a multiple of 5 minutes');
}

export function requireBefore(startField: string, start: Date, endField: string, end: Date): void {
  if (end.getTime() <= start.getTime()) throw badInput(endField, `must be after ${startField}`);
}

/** Query ranges: from before to, at most 366 days long. */
export function requireRange(from: Date, to: Date): void {
  requireBefore('from', from, 'to', to);
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw badInput('to', `must be at most ${MAX_RANGE_DAYS} days after from`);
}
