import type { RequestContext } from '../context';
import { notFound } from '../../shared/errors';
import { anyMemberFree, everyMemberFree } from '../../scheduling';
import { slotKindOf, type SlotKind } from '../event-type/event-type.service';
import { SchedulingType } from '../team/team.entity';
import type { MemberHead } from '../team/team.store';
import { SlotService, type Unbookable } from './slot.service';
import type { Slot } from './slot.type';
import { noteAnswerValidUntil, UNCACHEABLE_ANSWER } from './answer-validity';

export type { MemberHead } from '../team/team.store';

/** Whether each member is free at a start: `reason` null when it is. */
export interface MemberAnswer extends MemberHead {
  reason: Unbookable | null;
}

const startOf = (slot: Slot): number => slot.startsAt.getTime();

/**
 * A team event type's slots (docs/api.md, Part 3, 36-37): each member's own free slots of the
 * event type — its windows, bookings, busy time, and the event type's policies on its own clock
 * and zone — through SlotService's path and its cache (one entry per member and data version),
 * then the union (round robin) or the intersection (collective) by the pure engine.
 */
export class TeamSlots {
  constructor(private readonly ctx: RequestContext) {}

  /** The team's slots of `kind` (a team event type and a length) starting in [from, to). */
  async freeSlots(kind: SlotKind, from: Date, to: Date): Promise<Slot[]> {
    const eventType = kind.eventType!;
    const members = await this.membersOf(eventType.team!.id);
    const slots = new SlotService(this.ctx);
    const lists = await Promise.all(members.map(({ head }) => slots.freeSlots(head, from, to, kind, { spend: false })));
    const team = eventType.schedulingType === SchedulingType.COLLECTIVE ? everyMemberFree(lists, startOf) : anyMemberFree(lists, startOf);
    slots.spendFreeSlots(team.length);
    // The HTTP cache (graphql/http-cache.ts) keys a public answer by the owners its arguments
    // name; a team's answer depends on members no argument names, so it gets no validator.
    noteAnswerValidUntil(this.ctx, UNCACHEABLE_ANSWER);
    return team;
  }

  /** teamFreeSlots: by the team's and the event type's slugs (NOT_FOUND naming teamSlug or eventTypeSlug). */
  async freeSlotsBySlugs(teamSlug: string, eventTypeSlug: string, from: Date, to: Date, duration: number | null | undefined): Promise<Slot[]> {
    const team = await this.ctx.stores.teams.findBySlug(teamSlug);
    if (!team) throw notFound(`team ${JSON.stringify(teamSlug.slice(0, 64))} (teamSlug)`);
    const eventType = (await this.ctx.loaders.eventTypesByTeamId.load(team.id)).find((e) => e.slug === eventTypeSlug);
    if (!eventType) throw notFound(`event type ${JSON.stringify(eventTypeSlug.slice(0, 64))} of this team (eventTypeSlug)`);
    return this.freeSlots(slotKindOf(eventType, duration, 'duration'), from, to);
  }

  /** Every member's answer for `start` as `kind`, highest priority first, then by calendar id; `ignoreBookingId` is treated as absent. */
  async answersAt(kind: SlotKind, start: Date, ignoreBookingId?: string): Promise<MemberAnswer[]> {
    const members = await this.membersOf(kind.eventType!.team!.id);
    const slots = new SlotService(this.ctx);
    return Promise.all(members.map(async (m) => ({ ...m, reason: await slots.whyUnbookable(m.head, start, { kind, ignoreBookingId }) })));
  }

  /** The team's members with their heads, highest priority first, then by calendar id. */
  membersOf(teamId: string): Promise<MemberHead[]> {
    return this.ctx.stores.teams.membersWithHeads(teamId);
  }
}
