/** Where a booking sits and which 5-minute cells it occupies: what the no-overlap rule keys on. */
import { GRID_MS } from '../../shared/grid';
import { occupiedSpan } from '../../scheduling';

/**
 * Where a booking sits: its time, the buffers it records around it (its occupied span), with an
 * event type the owner-local date of its start (the day that event type's cap counts it on), and
 * with a group event the seats it records (it then holds a seat of its start, not the time alone).
 */
export interface Placement {
  startsAt: Date;
  endsAt: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** YYYY-MM-DD in the owner's zone; null without an event type. */
  localDate: string | null;
  /** The event type's seatsPerSlot when placed; null or absent: a booking that holds its time alone (its own cells). */
  seatsPerSlot?: number | null;
}

/** The 5-minute cells of [startsAt, endsAt); their primary key makes overlapping live bookings impossible. */
export function cellsOf(startsAt: Date, endsAt: Date): number[] {
  const cells: number[] = [];
  for (let t = startsAt.getTime(); t < endsAt.getTime(); t += GRID_MS) cells.push(t / GRID_MS);
  return cells;
}

/** The cells of a booking's occupied span, [startsAt − bufferBefore, endsAt + bufferAfter): buffers lie on the grid. */
export function occupiedCells(placement: Pick<Placement, 'startsAt' | 'endsAt' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>): number[] {
  const span = occupiedSpan({ start: placement.startsAt.getTime(), end: placement.endsAt.getTime() }, placement.bufferBeforeMinutes, placement.bufferAfterMinutes);
  return cellsOf(new Date(span.start), new Date(span.end));
}

