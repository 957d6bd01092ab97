import type { RequestContext } from '../context';
import { badInput } from '../../shared/errors';
import { MAX_RANGE_MS, requireRange } from '../../shared/grid';
import {
  bookingHorizonEnd,
  cutListValidUntil,
  freeSlots,
  unbookableReason,
  type Availability,
  type Interval,
  type SlotPolicy,
  type UnbookableReason,
} from '../../scheduling';
import { OwnerService } from '../owner/owner.service';
import type { OwnerHead } from '../owner/owner.store';
import type { EventType } from '../event-type/event-type.entity';
import type { EventTypePolicies } from '../event-type/event-type.store';
import { EventTypeService, slotKindOf, type SlotKind } from '../event-type/event-type.service';
import type { CalendarQuery } from '../availability/calendar.store';
import { FormattedInstant, type Slot } from './slot.type';
import { noteAnswerValidUntil } from './answer-validity';
import { TeamSlots } from './team-slots';

/** Why a start cannot be booked: the engine's answer (first rule that refuses it), for services to branch on. */
export type Unbookable = UnbookableReason;

const UNBOOKABLE_MESSAGES: Record<Unbookable, string> = {
  past: 'in the past',
  notice: "too soon: it starts within the event type's minimum notice",
  horizon: "too far ahead: it starts past the event type's booking horizon",
  unavailable: 'outside availability or off the slot grid',
  dayFull: "that day already holds the event type's most bookings per day",
  taken: 'already booked',
  full: 'every seat of that slot is taken',
};

/** The words a client reads after "… is not a free slot: ". */
export function describeUnbookable(reason: Unbookable): string {
  return UNBOOKABLE_MESSAGES[reason];
}

/** What whyUnbookable asks about besides the owner and the start. */
export interface UnbookableQuestion {
  /** The event type and length asked for (EventTypeService.resolveSlotKind); absent: Part 1's slot of slotMinutes. */
  kind?: SlotKind;
  /** A booking to treat as absent (not busy, not counted against its day): the one being moved. */
  ignoreBookingId?: string;
}

/** Free slots one request may return over all its freeSlots fields unless GRAPHQL_MAX_FREE_SLOTS says otherwise. */
export const DEFAULT_MAX_FREE_SLOTS = 10_000;

/** How far around a start the bookings that share its owner-local date can lie: a local day lasts at most 25 hours and zones sit within a day of UTC. */
const LOCAL_DAY_REACH_MS = 2 * 86_400_000;

const NO_AVAILABILITY: Availability = { oneTime: [], recurring: [] };
const NO_COUNTS: ReadonlyMap<string, number> = new Map();

/** Part 1's kind of slot: no event type, the owner's slot length. */
function plainKind(owner: OwnerHead): SlotKind {
  return { eventType: null, minutes: owner.slotMinutes };
}

/**
 * The engine's policy of an event type. `withClock: false` leaves out the two rules that move
 * with the clock (notice and horizon), for a list computed once and cut on every request.
 */
function policyOf(eventType: EventTypePolicies | null, withClock: boolean): SlotPolicy | undefined {
  if (!eventType) return undefined;
  return {
    stepMinutes: eventType.slotStepMinutes,
    bufferBeforeMinutes: eventType.bufferBeforeMinutes,
    bufferAfterMinutes: eventType.bufferAfterMinutes,
    maxPerDay: eventType.maxBookingsPerDay,
    ...(withClock ? { minNoticeMinutes: eventType.minNoticeMinutes, horizonDays: eventType.horizonDays } : {}),
  };
}

/**
 * What a cached list of this kind was computed from besides the owner's data: the event type,
 * the length and the policies that do not move with the clock. Every change to an event type
 * bumps its owner's data version (a trigger, Migration20261130145106), which is in the key
 * already; the policies are in it too so that an event type read before the version (a parent
 * field's, earlier in the request) can never put an older policy's list under a newer version.
 */
function kindKeyOf(kind: SlotKind): string {
  const e = kind.eventType;
  if (!e) return '';
  return [e.id, kind.minutes, e.slotStepMinutes, e.bufferBeforeMinutes, e.bufferAfterMinutes, e.maxBookingsPerDay, e.seatsPerSlot].join('\u0001');
}

/**
 * Live bookings of the event type per owner-local date of their start, as docs/api.md (Part 2, 9)'s daily
 * cap counts them: by booking.local_date, the date the database's counter holds each on, so the
 * check here and the constraint agree. It is the date in the owner's current zone (docs/api.md,
 * Part 2, details of 9-13): updateOwner re-dates the bookings when the zone changes.
 */
function dayCountsOf(days: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const date of days) counts.set(date, (counts.get(date) ?? 0) + 1);
  return counts;
}

/** Feeds the pure slot engine from the database: availability, busy time, daily counts and the app clock. */
export class SlotService {
  constructor(private readonly ctx: RequestContext) {}

  /**
   * Free slots of the owner with that id (NOT_FOUND naming ownerId when there is none), of the
   * event type and duration asked for (EventTypeService.resolveSlotKind's rules); Part 1's
   * slots without them.
   */
  async freeSlotsOfOwner(ownerId: string, from: Date, to: Date, eventTypeId?: string | null, duration?: number | null): Promise<Slot[]> {
    const owner = await new OwnerService(this.ctx).getOwnerHead(ownerId);
    const kind = await new EventTypeService(this.ctx).resolveSlotKind(owner, eventTypeId, duration, { eventTypeId: 'eventTypeId', duration: 'duration' });
    // A team's event type has the team's slots, whichever member is named (docs/api.md, Part 3).
    if (kind.eventType?.team) return new TeamSlots(this.ctx).freeSlots(kind, from, to);
    return this.freeSlots(owner, from, to, kind);
  }

  /**
   * The calendars whose changes can change freeSlotsOfOwner's answer for these arguments: the
   * owner's, or every member's for a team's event type (freeSlotsChanged follows each of them).
   */
  async calendarsBehind(ownerId: string, eventTypeId?: string | null, duration?: number | null): Promise<string[]> {
    const owner = await new OwnerService(this.ctx).getOwnerHead(ownerId);
    const kind = await new EventTypeService(this.ctx).resolveSlotKind(owner, eventTypeId, duration, { eventTypeId: 'eventTypeId', duration: 'duration' });
    if (!kind.eventType?.team) return [owner.id];
    return (await new TeamSlots(this.ctx).membersOf(kind.eventType.team.id)).map((m) => m.head.id);
  }

  /** EventType.freeSlots: its slots of `duration` (default its defaultDuration); none while inactive. */
  async freeSlotsOfEventType(eventType: EventType, from: Date, to: Date, duration?: number | null): Promise<Slot[]> {
    const kind = slotKindOf(eventType, duration, 'duration');
    if (eventType.team) return new TeamSlots(this.ctx).freeSlots(kind, from, to);
    const owner = await new OwnerService(this.ctx).getOwnerHead(eventType.owner.id);
    return this.freeSlots(owner, from, to, kind);
  }

  /**
   * Computed slots are cached under the owner's dataVersion as loaded in this request: every
   * booking, availability and event type change bumps it in the transaction that makes the
   * change, so a version read now names exactly the data the entry was computed from, across
   * processes. A cached list is computed as if now were `from` and without the rules that move
   * with the clock (minimum notice, horizon); each request cuts it at its own now + notice and
   * horizon, which only ever drop starts, so the answer is what the engine would give now.
   */
  async freeSlots(owner: OwnerHead, from: Date, to: Date, kind: SlotKind = plainKind(owner), { spend = true }: { spend?: boolean } = {}): Promise<Slot[]> {
    requireRange(from, to);
    const range = { start: from.getTime(), end: to.getTime() };
    const eventType = kind.eventType;
    if (eventType && !eventType.active) return [];
    const now = this.ctx.now().getTime();
    const noticeMs = (eventType?.minNoticeMinutes ?? 0) * 60_000;
    const earliest = now + noticeMs;
    const horizonEnd = eventType?.horizonDays == null ? Infinity : bookingHorizonEnd(now, owner.timeZone, eventType.horizonDays);
    // Until when the clock alone leaves the answer as it is (http-cache.ts makes ETags of it).
    const answered = (upcoming: Slot[], cutByHorizon: boolean): Slot[] => {
      const firstStart = upcoming.length ? upcoming[0]!.startsAt.getTime() : null;
      noteAnswerValidUntil(this.ctx, cutListValidUntil({ now, timeZone: owner.timeZone, noticeMs, firstStart, cutByHorizon }));
      return upcoming;
    };
    if (earliest >= range.end) return [];
    if (horizonEnd <= range.start) return answered([], true);

    const calendar = this.ctx.stores.calendar;
    const kindKey = kindKeyOf(kind);
    let slots = calendar.cachedSlots(owner, kindKey, range);
    if (!slots) {
      const read = await this.readCalendar(owner, kind, range, range);
      // One slot past the budget tells that the range holds more than it allows.
      const limit = this.ctx.freeSlotsLeft + 1;
      const computed = this.computeSlots(owner, kind, read, range, { now: range.start, limit, withClock: false });
      if (computed.length < limit) {
        slots = computed;
        calendar.cacheSlots(owner, kindKey, range, slots);
      } else {
        // Cut short by the budget counting from `from`: the slots past the clock's cuts may still
        // fit it, and only a list computed from the real clock tells.
        const upcoming = this.computeSlots(owner, kind, read, range, { now, limit, withClock: true });
        if (spend) this.spendFreeSlots(upcoming.length);
        return answered(upcoming, horizonEnd < range.end);
      }
    }
    const beyondHorizon = firstStartAtOrAfter(slots, horizonEnd);
    const upcoming = slots.slice(firstStartAtOrAfter(slots, earliest), beyondHorizon);
    if (spend) this.spendFreeSlots(upcoming.length);
    return answered(upcoming, beyondHorizon < slots.length);
  }

  /**
   * What the engine needs to judge `kind`'s slots starting in `starts`: the availability in
   * `availability`, the occupied spans within reach of such a slot's span (its buffers
   * included), and, with a daily cap, the day counts around them. `ignoreBookingId` is left out
   * of both (a booking being moved).
   */
  private async readCalendar(owner: OwnerHead, kind: SlotKind, availability: Interval, starts: Interval, ignoreBookingId?: string) {
    const e = kind.eventType;
    const before = (e?.bufferBeforeMinutes ?? 0) * 60_000;
    const after = (e?.bufferAfterMinutes ?? 0) * 60_000;
    const read = await this.ctx.stores.calendar.read(owner.id, {
      availability,
      busy: { start: starts.start - before, end: starts.end + kind.minutes * 60_000 + after },
      startsOf: this.startsToCount(e, { start: starts.start - LOCAL_DAY_REACH_MS, end: starts.end + LOCAL_DAY_REACH_MS }),
      // A group event's own seats are not busy time to it: the engine judges them as seats (docs/api.md, Part 3, 38).
      seatsOf: e?.seatsPerSlot == null ? null : e.id,
      ignoreBookingId,
    });
    return {
      ...read,
      dayCounts: e?.maxBookingsPerDay == null ? undefined : dayCountsOf(read.eventTypeDays),
      seats: e?.seatsPerSlot == null ? undefined : { perSlot: e.seatsPerSlot, groups: read.seatGroups },
    };
  }

  private computeSlots(
    owner: OwnerHead,
    kind: SlotKind,
    read: Awaited<ReturnType<SlotService['readCalendar']>>,
    range: Interval,
    { now, limit, withClock }: { now: number; limit: number; withClock: boolean },
  ): Slot[] {
    const computed = freeSlots({
      availability: read.availability,
      timeZone: owner.timeZone,
      slotMinutes: kind.minutes,
      busy: read.busy,
      now,
      range,
      limit,
      policy: policyOf(kind.eventType, withClock),
      dayCounts: read.dayCounts,
      seats: read.seats,
    });
    return computed.map((s) => Object.freeze({ startsAt: new FormattedInstant(s.start), endsAt: new FormattedInstant(s.end), seatsLeft: s.seatsLeft ?? null }));
  }

  /** With a daily cap, the starts of the event type's live bookings to count, in `range`; else nothing. */
  private startsToCount(eventType: EventTypePolicies | null, range: Interval): CalendarQuery['startsOf'] {
    return eventType?.maxBookingsPerDay == null ? null : { eventTypeId: eventType.id, range };
  }

  /** Counts `count` slots against the request's budget (GRAPHQL_MAX_FREE_SLOTS); refuses the request past it. */
  spendFreeSlots(count: number): void {
    if (count > this.ctx.freeSlotsLeft) {
      throw badInput('to', 'asks for more free slots than one request may return (GRAPHQL_MAX_FREE_SLOTS); ask for a shorter range');
    }
    this.ctx.freeSlotsLeft -= count;
  }

  /**
   * Why `start` cannot be booked now as `kind` (Part 1's slot without one), or null
   * when some freeSlots query with that kind would list it (docs/api.md, rules 5, 9 and 11). An inactive
   * event type has no slots: 'unavailable'. `ignoreBookingId` is treated as absent, so
   * a moved booking neither blocks its new time nor counts against its day. Never cached: it
   * guards writes.
   */
  async whyUnbookable(owner: OwnerHead, start: Date, { kind = plainKind(owner), ignoreBookingId }: UnbookableQuestion = {}): Promise<Unbookable | null> {
    const e = kind.eventType;
    const startMs = start.getTime();
    const d = kind.minutes * 60_000;
    const asked = {
      timeZone: owner.timeZone,
      slotMinutes: kind.minutes,
      now: this.ctx.now().getTime(),
      start: startMs,
      maxRangeMs: MAX_RANGE_MS,
      policy: policyOf(e, true),
    };
    // Without availability the engine can only answer past, notice, horizon or unavailable: the
    // rules that need no read come first, in its order.
    const early = unbookableReason({ ...asked, availability: NO_AVAILABILITY, busy: [], dayCounts: NO_COUNTS });
    if (early !== 'unavailable') return early;
    if (e && !e.active) return 'unavailable';
    const read = await this.readCalendar(owner, kind, { start: startMs - MAX_RANGE_MS, end: startMs + d }, { start: startMs, end: startMs }, ignoreBookingId);
    return unbookableReason({ ...asked, availability: read.availability, busy: read.busy, dayCounts: read.dayCounts, seats: read.seats });
  }
}

/** Index of the first slot starting at or after `instant`; starts ascend. */
function firstStartAtOrAfter(slots: readonly Slot[], instant: number): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (slots[mid]!.startsAt.getTime() < instant) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
