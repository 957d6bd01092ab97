import type { RequestContext } from '../context';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { requireText } from '../../shared/validation';
import type { Owner } from '../owner/owner.entity';
import type { EventType } from '../event-type/event-type.entity';
import type { Booking } from '../booking/booking.entity';
import type { Account } from '../account/account.entity';
import type { EventTypeInput } from '../event-type/event-type.inputs';
import { EventTypeService, requireSlug } from '../event-type/event-type.service';
import { SchedulingType, type Team, type TeamMember } from './team.entity';
import type { MemberSettings } from './team.store';
import type { TeamInput } from './team.inputs';

const NAME = { min: 1, max: 200, trim: true } as const;
const PRIORITY = { min: 0, max: 4 } as const;
const WEIGHT = { min: 1, max: 100 } as const;

/** Teams (docs/api.md, Part 3, 35-37): who administers them, their members and event types. */
export class TeamService {
  constructor(private readonly ctx: RequestContext) {}

  /** A new team; the signed-in account administers it. */
  async createTeam(input: TeamInput): Promise<Team> {
    const { account } = await this.ctx.auth.requireAccount();
    const fields = { name: requireText('input.name', input.name, NAME), slug: requireSlug(input.slug) };
    const written = await this.ctx.stores.teams.create(fields, account.id, this.ctx.now());
    if (written.kind === 'slugTaken') throw badInput('input.slug', `must be unique among teams; ${JSON.stringify(fields.slug)} is taken`);
    return written.team;
  }

  /**
   * Adds a calendar to the team (docs/api.md, Part 3, 35): the acting account administers the
   * team and is a member of the calendar (any role). Already a member: BAD_USER_INPUT naming
   * calendarId (updateTeamMember changes its settings).
   */
  async addMember(teamId: string, calendarId: string, priority: number | null | undefined, weight: number | null | undefined): Promise<TeamMember> {
    const account = await this.ctx.auth.requireTeamAdmin(teamId);
    const settings = { priority: requirePriority(priority ?? 2), weight: requireWeight(weight ?? 1) };
    if (!(await this.ctx.stores.accounts.membership(account.id, calendarId))) {
      if (!(await this.ctx.loaders.ownerById.load(calendarId))) throw notFound(`calendar ${JSON.stringify(calendarId.slice(0, 64))} (calendarId)`);
      throw forbidden('a team member must be a calendar the account is a member of');
    }
    const written = await this.ctx.stores.teams.addMember(teamId, calendarId, settings, this.ctx.now());
    if (written.kind === 'alreadyMember') throw badInput('calendarId', 'is already a member of this team; updateTeamMember changes its priority and weight');
    return written.member;
  }

  async updateMember(teamId: string, calendarId: string, priority: number | null | undefined, weight: number | null | undefined): Promise<TeamMember> {
    await this.ctx.auth.requireTeamAdmin(teamId);
    const changes: Partial<MemberSettings> = {};
    if (priority != null) changes.priority = requirePriority(priority);
    if (weight != null) changes.weight = requireWeight(weight);
    const member = await this.ctx.stores.teams.updateMember(teamId, calendarId, changes);
    if (!member) throw notFound(`member ${JSON.stringify(calendarId.slice(0, 64))} of this team (calendarId)`);
    return member;
  }

  /** False when the calendar was no member. Its bookings stay as they are. */
  async removeMember(teamId: string, calendarId: string): Promise<boolean> {
    await this.ctx.auth.requireTeamAdmin(teamId);
    return this.ctx.stores.teams.removeMember(teamId, calendarId);
  }

  /** A team event type, stored under the team's highest-priority member, then lowest id; the team needs a member first. */
  async createEventType(teamId: string, schedulingType: SchedulingType, input: EventTypeInput): Promise<EventType> {
    await this.ctx.auth.requireTeamAdmin(teamId);
    const team = (await this.ctx.stores.teams.findById(teamId))!;
    const owner = await this.leadOf(team);
    if (!owner) throw badInput('teamId', 'the team has no members yet; addTeamMember first');
    return new EventTypeService(this.ctx).createTeamEventType(owner, { team, schedulingType }, input);
  }

  /** Query.team: public. */
  findBySlug(slug: string): Promise<Team | null> {
    return this.ctx.stores.teams.findBySlug(slug);
  }

  /**
   * Team.members: only for an account administering the team (docs/api.md, Part 3 lists what is
   * public of a team: name, slug, active event types); FORBIDDEN otherwise.
   */
  async membersOf(team: Team): Promise<TeamMember[]> {
    if (!(await this.ctx.auth.administers(team.id))) {
      await this.ctx.auth.requireAccount();
      throw forbidden('only an account administering the team sees its members');
    }
    return this.ctx.loaders.membersByTeamId.load(team.id);
  }

  /**
   * Account.teams: the teams the account administers. An Account is only ever served as the
   * caller's own (Query.account with its access token, Session.account after signing in), so the
   * field needs no check of its own, like Account.calendars.
   */
  teamsOf(account: Pick<Account, 'id'>): Promise<Team[]> {
    return this.ctx.loaders.teamsByAccountId.load(account.id);
  }

  /** Team.eventTypes: the active ones for anyone; all for an account administering the team. */
  async eventTypesOf(team: Team): Promise<EventType[]> {
    const all = await this.ctx.loaders.eventTypesByTeamId.load(team.id);
    return (await this.ctx.auth.administers(team.id)) ? all : all.filter((e) => e.active);
  }

  /** EventType.team: null for a calendar's own event type. */
  async teamOf(eventType: Pick<EventType, 'team'>): Promise<Team | null> {
    return eventType.team ? this.ctx.loaders.teamById.load(eventType.team.id) : null;
  }

  /** TeamMember.calendar. */
  async calendarOf(member: TeamMember): Promise<Owner> {
    const owner = await this.ctx.loaders.ownerById.load(member.owner.id);
    if (!owner) throw notFound('calendar');
    return owner;
  }

  /** Booking.hosts: the calendars whose time the booking occupies, its owner first (docs/api.md, Part 3, 37). */
  async hostsOf(booking: Booking): Promise<Owner[]> {
    const extra = await this.ctx.loaders.extraHostsByBooking.load({ id: booking.id, ownerId: booking.owner.id });
    const owners = await this.ctx.loaders.ownerById.loadMany([booking.owner.id, ...extra]);
    return owners.filter((o): o is Owner => o !== null && !(o instanceof Error));
  }

  /** The team's highest-priority member, then lowest id (docs/api.md, Part 3, details of 35-39); null without members. */
  async leadOf(team: Pick<Team, 'id'>): Promise<Owner | null> {
    const [lead] = await this.ctx.loaders.membersByTeamId.load(team.id);
    return lead ? this.calendarOf(lead) : null;
  }
}

function requirePriority(priority: number): number {
  if (priority < PRIORITY.min || priority > PRIORITY.max) throw badInput('priority', `must be ${PRIORITY.min} to ${PRIORITY.max}`);
  return priority;
}

function requireWeight(weight: number): number {
  if (weight < WEIGHT.min || weight > WEIGHT.max) throw badInput('weight', `must be ${WEIGHT.min} to ${WEIGHT.max}`);
  return weight;
}
