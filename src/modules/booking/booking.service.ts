import type { RequestContext } from '../context';
import { badInput, notFound, slotUnavailable, tooLate, type DomainError } from '../../shared/errors';
import { requireOnGrid } from '../../shared/grid';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, validatePageSize } from '../../shared/pagination';
import { generateToken } from '../../shared/tokens';
import { describeUnbookable, SlotService, type Unbookable } from '../slot/slot.service';
import type { EventType } from '../event-type/event-type.entity';
import { EventTypeService, type SlotKind } from '../event-type/event-type.service';
import { rel } from '@mikro-orm/core';
import { Owner as OwnerEntity, type Owner } from '../owner/owner.entity';
import type { OwnerHead } from '../owner/owner.store';
import { OwnerService } from '../owner/owner.service';
import { type Booking, BookingStatus } from './booking.entity';
import type { BookSlotInput } from './booking.inputs';
import { BOOK_SLOT_KIND_FIELDS, isSameRequest, minutesOf, placementOf, validBookingRequest, type BookingRequest } from './booking.request';
import type { BookingFilter } from './booking.store';
import { TeamBookingService } from './team-booking.service';

interface BookingPage {
  edges: Array<{ cursor: string; node: Booking }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** What bookSlot answers: the booking and a manage token for it. */
interface BookedSlot {
  booking: Booking;
  manageToken: string;
}

/** How many manage tokens one booking holds at most: its first, and those of replays (see replay). */
export const MAX_MANAGE_TOKENS = 5;

/**
 * How many times one reschedule is decided: each further time follows a concurrent move of the
 * same booking that committed first. Past that the request is refused and the booking keeps the
 * time the other moves gave it.
 */
const MAX_RESCHEDULE_ATTEMPTS = 5;

function notFree(startsAt: Date, reason: Unbookable): DomainError {
  return slotUnavailable(`${startsAt.toISOString()} is not a free slot: ${describeUnbookable(reason)}`);
}

/** Who is asking to see or change a booking: its owner (by the owner's token), or an invitee holding a manage token. */
interface VisibleBooking {
  booking: Booking;
  byOwner: boolean;
}

/** Bookings: the rules of taking, reading, cancelling, rescheduling and completing them; the booking store keeps them. */
export class BookingService {
  constructor(private readonly ctx: RequestContext) {}

  private get store() {
    return this.ctx.stores.bookings;
  }

  /**
   * Checks the request, replays it if its key was used, asks the calendar whether its start is
   * bookable, then has the store take it; the database's constraints have the last word (taken,
   * or the event type's day full).
   */
  async bookSlot(input: BookSlotInput): Promise<BookedSlot> {
    const request = validBookingRequest(input);
    const asked = await this.calendarAndKind(input);
    // A team's event type: ownerId named any member; the team's rules choose the host(s).
    if (!asked.owner) return new TeamBookingService(this.ctx).bookSlot(input, request, asked.kind, (booking) => this.replay(booking));
    const { owner, kind } = asked;
    const earlier = await this.bookingWithKey(owner, request);
    if (earlier) return this.replayOrRefuse(owner, kind, request, earlier);
    const unbookable = await new SlotService(this.ctx).whyUnbookable(owner, request.startsAt, { kind });
    if (unbookable) {
      // The first request with this key may have committed between the key lookup above and the
      // availability read: its booking is what makes the slot look taken (or its day full).
      const committed = unbookable === 'taken' || unbookable === 'dayFull' ? await this.bookingWithKey(owner, request) : null;
      if (committed && isSameRequest(committed, request, kind)) return this.replay(committed);
      throw notFree(request.startsAt, unbookable);
    }
    const manageToken = generateToken('sbm');
    const outcome = await this.store.insertBooking(
      {
        ownerId: owner.id,
        eventTypeId: kind.eventType?.id ?? null,
        ...placementOf(owner, kind, request.startsAt),
        inviteeName: request.inviteeName,
        inviteeEmail: request.inviteeEmail,
        inviteeTimeZone: input.invitee.timeZone ?? null,
        idempotencyKey: request.idempotencyKey,
        createdAt: this.ctx.now(),
      },
      manageToken,
    );
    switch (outcome.kind) {
      case 'created':
        // The booking's statement wrote its webhook messages and emails: this process sends them now, not at its next poll.
        this.ctx.webhooks.wake();
        return { booking: outcome.booking, manageToken };
      case 'keyHeld':
        return this.replayOrRefuse(owner, kind, request, outcome.holder);
      case 'taken':
      case 'dayFull':
        throw notFree(request.startsAt, outcome.kind);
    }
  }

  /**
   * The kind of slot asked for and the head of the calendar named, or no head for a team's event
   * type (the team's rules choose the host; the kind's check found the calendar a member). An
   * unknown calendar is the error reported first, as when its head is read first.
   */
  private async calendarAndKind(input: BookSlotInput): Promise<{ owner: OwnerHead; kind: SlotKind } | { owner: null; kind: SlotKind }> {
    const owners = new OwnerService(this.ctx);
    const eventTypes = new EventTypeService(this.ctx);
    if (input.eventTypeId == null) {
      const owner = await owners.getOwnerHead(input.ownerId, 'input.ownerId');
      return { owner, kind: await eventTypes.resolveSlotKind(owner, input.eventTypeId, input.duration, BOOK_SLOT_KIND_FIELDS) };
    }
    let kind: SlotKind;
    try {
      kind = await eventTypes.resolveSlotKind(input.ownerId, input.eventTypeId, input.duration, BOOK_SLOT_KIND_FIELDS);
    } catch (err) {
      await owners.getOwnerHead(input.ownerId, 'input.ownerId');
      throw err;
    }
    if (kind.eventType?.team) return { owner: null, kind };
    return { owner: await owners.getOwnerHead(input.ownerId, 'input.ownerId'), kind };
  }

  async getBooking(id: string, manageToken: string | null | undefined): Promise<Booking> {
    return (await this.visibleBooking(id, manageToken)).booking;
  }

  async cancelBooking(id: string, manageToken: string | null | undefined): Promise<Booking> {
    const { booking, byOwner } = await this.visibleBooking(id, manageToken);
    requireConfirmed(booking, 'cancelled');
    if (!byOwner) this.requireInviteeNotice(booking, await new EventTypeService(this.ctx).eventTypeOf(booking), 'cancel');
    if ((await this.store.cancel(booking.id)) === 'notConfirmed') throw noLongerConfirmed('cancelled');
    this.ctx.webhooks.wake();
    booking.status = BookingStatus.CANCELLED;
    return booking;
  }

  async completeBooking(id: string): Promise<Booking> {
    const owner = await this.ctx.auth.requireOwner();
    const booking = await this.store.findBooking(id);
    if (!booking || booking.owner.id !== owner.id) throw bookingNotFound(id);
    requireConfirmed(booking, 'completed');
    if ((await this.store.complete(booking.id)) === 'notConfirmed') throw noLongerConfirmed('completed');
    this.ctx.webhooks.wake();
    booking.status = BookingStatus.COMPLETED;
    return booking;
  }

  /**
   * Moves a booking atomically: the old time (and its seat of its event type's day) is released
   * only in the transaction that holds the new one. It keeps its event type and length; the event
   * type's current policies decide whether the new start is free, the booking itself left out, and
   * the moved booking records the current buffers. An invitee's move inside the notice period is
   * TOO_LATE, decided before availability. The move is conditional on the start this request read:
   * when a concurrent reschedule moved the booking first, the booking is read again and every rule
   * decided again on its new state, so no move overwrites another unseen (an invitee cannot undo
   * the owner's move into the notice period).
   */
  async rescheduleBooking(id: string, startsAt: Date, manageToken: string | null | undefined): Promise<Booking> {
    requireOnGrid('startsAt', startsAt);
    for (let attempt = 1; attempt <= MAX_RESCHEDULE_ATTEMPTS; attempt++) {
      const moved = await this.tryReschedule(id, startsAt, manageToken, attempt > 1);
      if (moved) return moved;
    }
    throw slotUnavailable(`${startsAt.toISOString()} was not taken: the booking kept being moved by concurrent reschedules; read it and try again`);
  }

  /** One reschedule decided on the booking as read now (`fresh`: as committed); null when a concurrent move came first. */
  private async tryReschedule(id: string, startsAt: Date, manageToken: string | null | undefined, fresh: boolean): Promise<Booking | null> {
    const { booking, byOwner } = await this.visibleBooking(id, manageToken, fresh);
    requireConfirmed(booking, 'rescheduled');
    const eventType = await new EventTypeService(this.ctx).eventTypeOf(booking);
    if (!byOwner) this.requireInviteeNotice(booking, eventType, 'reschedule');
    const owner = await new OwnerService(this.ctx).getOwnerHead(booking.owner.id);
    // Without an event type a booking is Part 1's slot, whose length is the owner's slotMinutes now.
    const kind: SlotKind = eventType ? { eventType, minutes: minutesOf(booking) } : { eventType: null, minutes: owner.slotMinutes };
    const unbookable = await new SlotService(this.ctx).whyUnbookable(owner, startsAt, { kind, ignoreBookingId: booking.id });
    // A team booking (docs/api.md, Part 3, 36-37): a round-robin one moves to another free member
    // when its host is not free; a collective one needs every host free and moves every host's cells.
    const team = kind.eventType?.team ? await new TeamBookingService(this.ctx).movePlan(booking, kind, startsAt, unbookable) : null;
    if (unbookable && !team) throw notFree(startsAt, unbookable);
    const to = placementOf(team?.head ?? owner, kind, startsAt);
    const move = await this.store.move(booking.id, owner.id, booking.startsAt, to, booking.seatsPerSlot, team?.move);
    if (move === 'movedMeanwhile') return null;
    if (move === 'notConfirmed') throw noLongerConfirmed('rescheduled');
    if (move === 'taken' || move === 'dayFull') throw notFree(startsAt, move);
    this.ctx.webhooks.wake();
    Object.assign(booking, to, { seatsPerSlot: to.seatsPerSlot ?? null, rescheduleCount: booking.rescheduleCount + 1 });
    if (team?.move.newOwnerId) booking.owner = rel(OwnerEntity, team.move.newOwnerId);
    return booking;
  }

  /**
   * docs/api.md, Part 3, details of 35-39: for a booking of a group event, how many live bookings
   * share its start (itself included while it is live); null for any other booking. Batched per
   * request, so a list of bookings costs one statement.
   */
  async seatsTaken(booking: Booking): Promise<number | null> {
    if (booking.seatsPerSlot === null || !booking.eventType) return null;
    return this.ctx.loaders.seatsTakenByGroup.load(`${booking.eventType.id}@${booking.startsAt.getTime()}`);
  }

  async upcomingBookings(first: number | null, after: string | null | undefined): Promise<BookingPage> {
    const owner = await this.ctx.auth.requireOwner();
    return this.page(owner.id, { status: BookingStatus.CONFIRMED, endsAfter: this.ctx.now(), hostsTeamBookings: owner.hostsTeamBookings }, first, after);
  }

  async ownerBookings(owner: Owner, filter: BookingFilter, first: number | null, after: string | null | undefined): Promise<BookingPage> {
    await this.ctx.auth.requireOwnerOf(owner.id);
    if (filter.from && filter.to && filter.to.getTime() <= filter.from.getTime()) throw badInput('to', 'must be after from');
    return this.page(owner.id, { ...filter, hostsTeamBookings: owner.hostsTeamBookings }, first, after);
  }

  private async page(ownerId: string, filter: BookingFilter, requested: number | null, after: string | null | undefined): Promise<BookingPage> {
    const first = validatePageSize(requested ?? DEFAULT_PAGE_SIZE);
    const cursor = after ? decodeCursor(after) : null;
    const { bookings, hasMore } = await this.store.page(ownerId, filter, cursor, first);
    const edges = bookings.map((node) => ({ cursor: encodeCursor({ startsAt: node.startsAt.getTime(), id: node.id }), node }));
    return { edges, pageInfo: { hasNextPage: hasMore, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /**
   * The booking if the caller is its owner or holds one of its manage tokens; NOT_FOUND otherwise,
   * so ids leak nothing. A request with the owner's token is the owner's, whatever manage token it
   * also carries. A collective booking's extra hosts act as its owner (docs/api.md, Part 3, 37:
   * it occupies their time and is in their bookings), so they read, cancel and move it too.
   */
  private async visibleBooking(id: string, manageToken: string | null | undefined, fresh = false): Promise<VisibleBooking> {
    const booking = await this.store.findBooking(id, { fresh });
    if (!booking) throw bookingNotFound(id);
    const owner = await this.ctx.auth.ownerOrNull();
    if (owner && (owner.id === booking.owner.id || (await this.hostsAsExtra(owner, booking)))) return { booking, byOwner: true };
    if (manageToken && (await this.store.isManageTokenOf(booking.id, manageToken))) return { booking, byOwner: false };
    throw bookingNotFound(id);
  }

  /** Whether `owner` is one of the booking's extra hosts; only a calendar marked as hosting others' bookings is looked up. */
  private async hostsAsExtra(owner: Owner, booking: Booking): Promise<boolean> {
    if (!owner.hostsTeamBookings) return false;
    return (await this.ctx.stores.teamBookings.extraHostsOf(booking.id, booking.owner.id)).includes(owner.id);
  }

  /**
   * docs/api.md, Part 2, 12: an invitee may cancel or reschedule a booking of an event type only until
   * startsAt − the event type's current minCancelNoticeMinutes; later is TOO_LATE.
   */
  private requireInviteeNotice(booking: Booking, eventType: EventType | null, verb: 'cancel' | 'reschedule'): void {
    if (!eventType) return;
    const deadline = booking.startsAt.getTime() - eventType.minCancelNoticeMinutes * 60_000;
    if (this.ctx.now().getTime() > deadline) {
      throw tooLate(
        `too late to ${verb} with a manage token: this event type allows it until ${eventType.minCancelNoticeMinutes} minutes before the start (${new Date(deadline).toISOString()}); the owner still may`,
      );
    }
  }

  /** The booking that holds the request's idempotency key for this owner; null without a key. */
  private bookingWithKey(owner: OwnerHead, request: BookingRequest): Promise<Booking | null> {
    return request.idempotencyKey === null ? Promise.resolve(null) : this.store.bookingWithKey(owner.id, request.idempotencyKey);
  }

  /**
   * A request whose key an earlier booking holds: the same request gets that booking again; a
   * different one gets what it would get without the key when that is a failure (so a key's
   * existence is revealed only to a request that could have booked), else BAD_USER_INPUT naming
   * the key. Neither refusal says anything of the earlier booking.
   */
  private async replayOrRefuse(owner: OwnerHead, kind: SlotKind, request: BookingRequest, earlier: Booking): Promise<BookedSlot> {
    if (isSameRequest(earlier, request, kind)) return this.replay(earlier);
    const unbookable = await new SlotService(this.ctx).whyUnbookable(owner, request.startsAt, { kind });
    if (unbookable) throw notFree(request.startsAt, unbookable);
    throw badInput('input.idempotencyKey', 'was already used for a different request to this owner; a new request needs a new key');
  }

  /**
   * The first response may have been lost: a replay hands out a new manage token that works beside
   * the earlier ones, up to MAX_MANAGE_TOKENS per booking (past that, the newest answer's token is
   * the one that works: a client that retried that often holds it).
   */
  private async replay(booking: Booking): Promise<BookedSlot> {
    const manageToken = generateToken('sbm');
    await this.store.addManageToken(booking.id, manageToken, MAX_MANAGE_TOKENS);
    return { booking, manageToken };
  }
}

function bookingNotFound(id: string): DomainError {
  return notFound(`booking ${JSON.stringify(id.slice(0, 64))}`);
}

function requireConfirmed(booking: Booking, verb: string): void {
  if (booking.status !== BookingStatus.CONFIRMED) {
    throw badInput('id', `only a CONFIRMED booking can be ${verb}; this one is ${booking.status}`);
  }
}

/** A concurrent change won between reading the booking and changing it. */
function noLongerConfirmed(verb: string): DomainError {
  return badInput('id', `only a CONFIRMED booking can be ${verb}`);
}
