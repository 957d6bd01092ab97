import { bookingHorizonEnd } from './slots';

/** What a list of free slots cut at `now` (minimum notice, horizon) shows of the cut. */
export interface CutList {
  now: number;
  timeZone: string;
  /** The minimum notice in ms; 0 without one. */
  noticeMs: number;
  /** The first start the list shows; null when it shows none. */
  firstStart: number | null;
  /** True when a horizon cut the list and a later one could show more (some start lies at or beyond it, or may). */
  cutByHorizon: boolean;
}

/**
 * The first instant after `now` at which the same list, cut at that instant instead, could read
 * differently with nothing else changing: when its first start falls within the notice (a start
 * is shown while start >= now + notice), or when a horizon that cut it moves, at the next local
 * midnight in `timeZone` (bookingHorizonEnd counts whole local days from today's). Infinity when
 * neither can happen: the clock alone never changes the list.
 */
export function cutListValidUntil(list: CutList): number {
  let until = list.firstStart === null ? Infinity : list.firstStart - list.noticeMs + 1;
  if (list.cutByHorizon) until = Math.min(until, bookingHorizonEnd(list.now, list.timeZone, 1));
  return until;
}
