import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from '../owner/owner.entity';
import { EventType } from '../event-type/event-type.entity';
import { Booking } from '../booking/booking.entity';
import { Account } from '../account/account.entity';
import { EventTypeInput } from '../event-type/event-type.inputs';
import { SchedulingType, Team, TeamMember } from './team.entity';
import { TeamInput } from './team.inputs';
import { TeamService } from './team.service';

const TEAM_ID = 'The team (an account administering it acts; no Slotbook-Calendar header needed).';

/** Teams (docs/api.md, Part 3, 35-37). */
@Resolver(() => Team)
export class TeamResolver {
  @Query(() => Team, { nullable: true, description: 'Public: a team by its slug (its name, slug and active event types); null when unknown.' })
  team(@Arg('slug', () => String, { description: "The team's slug." }) slug: string, @Ctx() ctx: RequestContext): Promise<Team | null> {
    return new TeamService(ctx).findBySlug(slug);
  }

  @Mutation(() => Team, { description: 'An account (access token): creates a team, which it administers.' })
  createTeam(@Arg('input', () => TeamInput, { description: 'The name and slug.' }) input: TeamInput, @Ctx() ctx: RequestContext): Promise<Team> {
    return new TeamService(ctx).createTeam(input);
  }

  @Mutation(() => TeamMember, { description: 'An account administering the team: adds a calendar the account is a member of.' })
  addTeamMember(
    @Arg('teamId', () => ID, { description: TEAM_ID }) teamId: string,
    @Arg('calendarId', () => ID, { description: 'A calendar (Owner.id) the account is a member of.' }) calendarId: string,
    @Arg('priority', () => Int, { nullable: true, defaultValue: 2, description: 'Round robin: 0 to 4, higher first.' }) priority: number | null,
    @Arg('weight', () => Int, { nullable: true, defaultValue: 1, description: 'Round robin: 1 to 100.' }) weight: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<TeamMember> {
    return new TeamService(ctx).addMember(teamId, calendarId, priority, weight);
  }

  @Mutation(() => TeamMember, { description: "An account administering the team: changes a member's priority or weight; omitted ones are kept." })
  updateTeamMember(
    @Arg('teamId', () => ID, { description: TEAM_ID }) teamId: string,
    @Arg('calendarId', () => ID, { description: 'A member calendar.' }) calendarId: string,
    @Arg('priority', () => Int, { nullable: true, description: 'Round robin: 0 to 4, higher first.' }) priority: number | null | undefined,
    @Arg('weight', () => Int, { nullable: true, description: 'Round robin: 1 to 100.' }) weight: number | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<TeamMember> {
    return new TeamService(ctx).updateMember(teamId, calendarId, priority, weight);
  }

  @Mutation(() => Boolean, { description: 'An account administering the team: removes a member; false when it was none. Its bookings stay.' })
  removeTeamMember(
    @Arg('teamId', () => ID, { description: TEAM_ID }) teamId: string,
    @Arg('calendarId', () => ID, { description: 'A member calendar.' }) calendarId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return new TeamService(ctx).removeMember(teamId, calendarId);
  }

  @Mutation(() => EventType, { description: "An account administering the team: a team event type; its owner is the team's highest-priority member, then lowest id; durations default to [60]." })
  createTeamEventType(
    @Arg('teamId', () => ID, { description: TEAM_ID }) teamId: string,
    @Arg('schedulingType', () => SchedulingType, { description: 'Round robin or collective.' }) schedulingType: SchedulingType,
    @Arg('input', () => EventTypeInput, { description: 'The slug (unique among the team\'s event types), title and policies.' }) input: EventTypeInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EventType> {
    return new TeamService(ctx).createEventType(teamId, schedulingType, input);
  }

  @FieldResolver(() => [TeamMember], { description: 'An account administering the team: its members, highest priority first, then by calendar id.' })
  members(@Root() team: Team, @Ctx() ctx: RequestContext): Promise<TeamMember[]> {
    return new TeamService(ctx).membersOf(team);
  }

  @FieldResolver(() => [EventType], { description: 'Public: the active event types, by slug; an account administering the team: all of them.' })
  eventTypes(@Root() team: Team, @Ctx() ctx: RequestContext): Promise<EventType[]> {
    return new TeamService(ctx).eventTypesOf(team);
  }
}

/** TeamMember.calendar. */
@Resolver(() => TeamMember)
export class TeamMemberResolver {
  @FieldResolver(() => Owner, { description: 'The member calendar.' })
  calendar(@Root() member: TeamMember, @Ctx() ctx: RequestContext): Promise<Owner> {
    return new TeamService(ctx).calendarOf(member);
  }
}

/** EventType.team: the team module's field of EventType. */
@Resolver(() => EventType)
export class EventTypeTeamResolver {
  @FieldResolver(() => Team, { nullable: true, description: "The team offering it; null for a calendar's own event type." })
  team(@Root() eventType: EventType, @Ctx() ctx: RequestContext): Promise<Team | null> {
    return new TeamService(ctx).teamOf(eventType);
  }
}

/** Account.teams: the team module's field of Account. */
@Resolver(() => Account)
export class AccountTeamsResolver {
  @FieldResolver(() => [Team], { description: 'The teams the account administers (the ones it created), by name then id in plain string order.' })
  teams(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<Team[]> {
    return new TeamService(ctx).teamsOf(account);
  }
}

/** Booking.hosts: the team module's field of Booking. */
@Resolver(() => Booking)
export class BookingHostsResolver {
  @FieldResolver(() => [Owner], { description: 'The calendars whose time it occupies: its owner, and for a collective team booking every member it was booked with.' })
  hosts(@Root() booking: Booking, @Ctx() ctx: RequestContext): Promise<Owner[]> {
    return new TeamService(ctx).hostsOf(booking);
  }
}
