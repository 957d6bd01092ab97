import type { RequestContext } from '../context';
import { badInput, slotUnavailable, type DomainError } from '../../shared/errors';
import { generateToken } from '../../shared/tokens';
import { describeUnbookable, SlotService, type Unbookable } from '../slot/slot.service';
import { TeamSlots, type MemberAnswer } from '../slot/team-slots';
import type { SlotKind } from '../event-type/event-type.service';
import { SchedulingType } from '../team/team.entity';
import type { Booking } from './booking.entity';
import type { BookSlotInput } from './booking.inputs';
import { isSameRequest, placementOf, spanOf, type BookingRequest } from './booking.request';
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
    // A key belongs to the team event type, whichever member got its booking; the database holds
    // it to that too (booking_event_type_idempotency_key_unique), so two requests with one key
    // racing onto different members get one booking, and the one refused answers as a retry.
    const keyHolder = () => (request.idempotencyKey === null ? Promise.resolve(null) : store.bookingWithKey(eventType.id, request.idempotencyKey));
    const answerHeld = (held: Booking): Promise<BookedSlot> => {
      if (isSameRequest(held, request, kind)) return replay(held);
      throw badInput('input.idempotencyKey', 'was already used for a different request to this team event type; a new request needs a new key');
    };
    const held = await keyHolder();
    if (held) return answerHeld(held);
    const draftFor = (head: OwnerHead): NewBooking => ({
      ownerId: head.id,
      eventTypeId: eventType.id,
      ...placementOf(head, kind, request.startsAt),
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
      const answers = await new TeamSlots(this.ctx).answersAt(kind, request.startsAt);
      if (answers.length === 0 || answers.some((a) => a.reason !== null)) throw notFree(request.startsAt, firstReason(answers));
      const [lead, ...others] = answers;
      outcome = await store.insertCollective(draftFor(lead!.head), others.map((a) => a.head.id), manageToken);
    } else {
      outcome = await this.roundRobin(kind, request.startsAt, draftFor, manageToken, keyHolder);
    }
    if (outcome.kind !== 'created') {
      // Refused: by the key, when a request with it committed meanwhile.
      const holder = await keyHolder();
      if (holder) return answerHeld(holder);
      throw notFree(request.startsAt, outcome.kind);
    }
    this.ctx.webhooks.wake();
    return { booking: outcome.booking, manageToken };
  }

  /**
   * Round robin's choice and write (docs/api.md, Part 3, 36). The members are asked whether they
   * are free one at a time, in the order the choice will most likely take (the standing as read
   * now), until one is; then the store's transaction ranks the members still in the running by
   * the standing it reads under the team's lock and books the first, if it was found free.
   * When a concurrent booking changed the standing so that the first was not asked yet, it is
   * asked and the choice made again; when the database refused the first (a race took its time),
   * it leaves the running. A member whose time a live booking already holds at the start (read
   * with the standing) never runs: the database would refuse it. So a booking usually costs one
   * calendar read and one short transaction, and the member booked is always the best-ranked free
   * one by the standing under the lock.
   */
  private async roundRobin(kind: SlotKind, startsAt: Date, draftFor: (head: OwnerHead) => NewBooking, manageToken: string, keyHolder: () => Promise<Booking | null>): Promise<TeamInsert> {
    const eventType = kind.eventType!;
    const teamId = eventType.team!.id;
    const store = this.ctx.stores.teamBookings;
    const standing = await store.candidates(eventType.id, teamId, this.ctx.now(), spanOf(kind, startsAt));
    if (standing.length === 0) throw notFree(startsAt, 'unavailable');
    const slots = new SlotService(this.ctx);
    /** Why each member asked is not free; null: it is. */
    const answers = new Map<string, Unbookable | null>();
    const ask = async (member: (typeof standing)[number]) => answers.set(member.ownerId, await slots.whyUnbookable(member.head, startsAt, { kind }));
    const refused = new Set<string>();
    let refusal: 'taken' | 'dayFull' | null = null;
    for (;;) {
      const running = standing.filter((m) => !m.held && !refused.has(m.ownerId) && answers.get(m.ownerId) == null);
      if (running.length === 0) break;
      const free = running.filter((m) => answers.has(m.ownerId));
      if (free.length === 0) {
        await ask(running[0]!);
        continue;
      }
      const turn = await store.takeRoundRobin(teamId, eventType.id, this.ctx.now(), running.map((m) => ({ ...m, draft: answers.has(m.ownerId) ? draftFor(m.head) : null })), manageToken);
      if (turn.kind === 'created') return turn;
      if (turn.kind === 'unasked') await ask(running.find((m) => m.ownerId === turn.ownerId)!);
      else {
        // Refused by the key's index: every member would be, and the request is answered as a retry.
        if ((await keyHolder()) !== null) return { kind: 'taken' };
        refused.add(turn.ownerId);
        refusal = turn.dayFull || refusal === 'dayFull' ? 'dayFull' : 'taken';
      }
    }
    // Free ones all refused: the database's word. Nobody free: the reason of the best-placed
    // member, asked now when its held time spared it the question ('taken' if it seems free now).
    if (refusal) return { kind: refusal };
    const best = standing[0]!;
    throw notFree(startsAt, answers.get(best.ownerId) ?? (await slots.whyUnbookable(best.head, startsAt, { kind })) ?? 'taken');
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
    const [next] = await store.rank(kind.eventType!.id, this.ctx.now(), free);
    if (!next) throw notFree(startsAt, hostUnbookable ?? firstReason(answers));
    return { head: next.head, move: { newOwnerId: next.head.id } };
  }
}
