import type { RequestContext } from '../context';
import type { Owner } from '../owner/owner.entity';
import { requireRange } from '../../shared/grid';
import type { BusyIntervalType } from './busy-interval.type';

/** Reading the owner's synced busy time (docs/api.md, Part 3, details of 28-31): the owner only. */
export class BusyTimeService {
  constructor(private readonly ctx: RequestContext) {}

  /** The owner's busy intervals overlapping [from, to), merged and unclipped; the range is capped as freeSlots ranges are. */
  async busyOf(owner: Owner, from: Date, to: Date): Promise<BusyIntervalType[]> {
    await this.ctx.auth.requireOwnerOf(owner.id);
    requireRange(from, to);
    const intervals = await this.ctx.stores.busyIntervals.busyOf(owner.id, { start: from.getTime(), end: to.getTime() });
    return intervals.map((i) => ({ startsAt: new Date(i.start), endsAt: new Date(i.end) }));
  }
}
