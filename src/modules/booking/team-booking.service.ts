import type { RequestContext } from '../context';
import { badInput, slotUnavailable, type DomainError } from '../../shared/errors';
import { generateToken } from '../../shared/tokens';
import { describeUnbookable, type Unbookable } from '../slot/slot.service';
import { TeamSlots, type MemberAnswer } from '../slot/team-slots';
import type { SlotKind } from '../event-type/event-type.service';
import { SchedulingType } from '../team/team.entity';
import type { Booking } from './booking.entity';
import type { BookSlotInput } from './booking.inputs';
import { isSameRequest, placementOf, type BookingRequest } from './booking.request';
import type { NewBooking, TeamMove } from './booking.store';
import type { OwnerHead } from '../owner/owner.store';
import type { TeamInsert } from './team-booking.store';

/** What bookSlot answers: the booking and a manage token for it. */
interface BookedSlot {
  booking: Booking;
  manageToken: string;
}

function notFree(startsAt: Date, reason: Unbookable): DomainError {
  return slotUnavailable(`${startsAt.toISOString()} is not a free slot of the team: ${describeUnbookable(reason)}`);
}

/** The first member's reason, in the members' order: the team's answer when not every member is free. */
function firstReason(answers: readonly MemberAnswer[]): Unbookable {
  return answers.find((a) => a.reason !== null)?.reason ?? 'unavailable';
}

/**
 * Bookings of a team event type (docs/api.md, Part 3, 36-37): which members are free for the
 * start (each on its own calendar, TeamSlots), then round robin's choice and write, or the
 * collective booking of every member, each in one transaction of the team-booking store.
 */
export class TeamBookingService {
  constructor(private readonly ctx: RequestContext) {}

  async bookSlot(input: BookSlotInput, request: BookingRequest, kind: SlotKind, replay: (booking: Booking) => Promise<BookedSlot>): Promise<BookedSlot> {
    const eventType = kind.eventType!;
    const store = this.ctx.stores.teamBookings;
    const held = request.idempotencyKey === null ? null : await store.bookingWithKey(eventType.id, request.idempotencyKey);
    if (held) {
      if (isSameRequest(held, request, kind)) return replay(held);
      throw badInput('input.idempotencyKey', 'was already used for a different request to this team event type; a new request needs a new key');
    }
    const answers = await new TeamSlots(this.ctx).answersAt(kind, request.startsAt);
    const free = answers.filter((a) => a.reason === null);
    const draftFor = (answer: MemberAnswer): NewBooking => ({
      ownerId: answer.head.id,
      eventTypeId: eventType.id,
      ...placementOf(answer.head, kind, request.startsAt),
      inviteeName: request.inviteeName,
      inviteeEmail: request.inviteeEmail,
      inviteeTimeZone: input.invitee.timeZone ?? null,
      idempotencyKey: request.idempotencyKey,
      createdAt: this.ctx.now(),
    });
    const manageToken = generateToken('sbm');
    let outcome: TeamInsert;
    if (eventType.schedulingType === SchedulingType.COLLECTIVE) {
      // Every member must be free; the booking's owner is the first of them (priority, then id).
      if (free.length === 0 || free.length < answers.length) throw notFree(request.startsAt, firstReason(answers));
      const [lead, ...others] = answers;
      outcome = await store.insertCollective(draftFor(lead!), others.map((a) => a.head.id), manageToken);
    } else {
      if (free.length === 0) throw notFree(request.startsAt, firstReason(answers));
      const candidates = free.map((a) => ({ ownerId: a.head.id, priority: a.member.priority, weight: a.member.weight, draft: draftFor(a) }));
      outcome = await store.insertRoundRobin(eventType.team!.id, eventType.id, this.ctx.now(), candidates, manageToken);
    }
    if (outcome.kind !== 'created') throw notFree(request.startsAt, outcome.kind);
    this.ctx.webhooks.wake();
    return { booking: outcome.booking, manageToken };
  }

  /**
   * How a team booking moves to `startsAt` (`hostUnbookable`: why its host is not free there,
   * null when it is). Round robin keeps the host when free, else takes the first free member in
   * round robin's order (rule 36); collective needs every host free. Throws
   * SLOT_UNAVAILABLE when no plan exists.
   */
  async movePlan(booking: Booking, kind: SlotKind, startsAt: Date, hostUnbookable: Unbookable | null): Promise<{ head: OwnerHead; move: TeamMove }> {
    const store = this.ctx.stores.teamBookings;
    const answers = await new TeamSlots(this.ctx).answersAt(kind, startsAt, booking.id);
    if (kind.eventType!.schedulingType === SchedulingType.COLLECTIVE) {
      const extraHostIds = await store.extraHostsOf(booking.id, booking.owner.id);
      const hosts = new Set([booking.owner.id, ...extraHostIds]);
      const blocked = answers.find((a) => hosts.has(a.head.id) && a.reason !== null);
      if (blocked || hostUnbookable) throw notFree(startsAt, blocked?.reason ?? hostUnbookable!);
      const head = answers.find((a) => a.head.id === booking.owner.id)?.head;
      if (!head) throw notFree(startsAt, 'unavailable');
      return { head, move: { extraHostIds } };
    }
    const own = answers.find((a) => a.head.id === booking.owner.id);
    if (!hostUnbookable && own) return { head: own.head, move: {} };
    const free = answers.filter((a) => a.reason === null).map((a) => ({ ownerId: a.head.id, priority: a.member.priority, weight: a.member.weight, head: a.head }));
    const [next] = await store.rank(null, kind.eventType!.id, this.ctx.now(), free);
    if (!next) throw notFree(startsAt, hostUnbookable ?? firstReason(answers));
    return { head: next.head, move: { newOwnerId: next.head.id } };
  }
}
