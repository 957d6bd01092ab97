import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { StoreDeps } from '../stores';
import { Owner } from '../owner/owner.entity';
import { headColumns, headOf, type HeadRow, type OwnerHead } from '../owner/owner.store';
import { Account } from '../account/account.entity';
import { EventType } from '../event-type/event-type.entity';
import { Team, TeamAdmin, TeamMember } from './team.entity';

/** What creating a team came to; on `slugTaken` nothing was written. */
type TeamWrite = { kind: 'created'; team: Team } | { kind: 'slugTaken' };

/** What adding a member came to; on `alreadyMember` nothing changed. */
type MemberWrite = { kind: 'added'; member: TeamMember } | { kind: 'alreadyMember' };

/** A member's round-robin settings. */
export interface MemberSettings {
  priority: number;
  weight: number;
}

/** A member calendar with its round-robin settings and its head (zone, slot length, data version). */
export interface MemberHead {
  member: MemberSettings;
  head: OwnerHead;
}

const MEMBERS_SQL = `select m.priority, m.weight, ${headColumns('o')} from team_member m join owner o on o.id = m.owner_id where m.team_id = ?`;

/**
 * The order of docs/api.md (Part 3, 37 and the details of 35-39) for "the highest-priority
 * member, then lowest id": priority descending, then the calendar id in plain string order
 * (compared in JavaScript, so both databases' collations agree).
 */
export function byPriorityThenId(a: { priority: number; ownerId: string }, b: { priority: number; ownerId: string }): number {
  return b.priority - a.priority || (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0);
}

/** Plain string order (UTF-16 code units), the same whatever the database's collation. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Teams, their members and administrators: the only place that knows their SQL. */
export class TeamStore {
  /** membersWithHeads' reads, by team, for the rest of the request (this store is the request's). */
  private readonly membersByTeam = new Map<string, Promise<MemberHead[]>>();

  constructor(private readonly deps: StoreDeps) {}

  private get em(): EntityManager {
    return this.deps.em();
  }

  /** The team and its first administrator in one transaction; the unique index on slug decides a duplicate, even between racing requests. */
  async create(fields: { name: string; slug: string }, accountId: string, createdAt: Date): Promise<TeamWrite> {
    try {
      const team = await this.em.fork().transactional(async (tx) => {
        const created = tx.create(Team, { ...fields, createdAt });
        tx.create(TeamAdmin, { team: created, account: tx.getReference(Account, accountId), createdAt });
        return created;
      });
      return { kind: 'created', team: this.em.merge(team) };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return { kind: 'slugTaken' };
      throw err;
    }
  }

  findById(id: string): Promise<Team | null> {
    return this.em.findOne(Team, { id });
  }

  findBySlug(slug: string): Promise<Team | null> {
    return this.em.findOne(Team, { slug });
  }

  findByIds(ids: readonly string[]): Promise<Team[]> {
    return this.em.find(Team, { id: { $in: [...ids] } });
  }

  /**
   * Each account's teams (the ones it administers), by name then id, both in plain string order
   * (compared in JavaScript, so both databases' collations agree).
   */
  async teamsAdministeredBy(accountIds: readonly string[]): Promise<Team[][]> {
    const rows = await this.em.find(TeamAdmin, { account: { $in: [...accountIds] } }, { populate: ['team'] });
    const byAccount = new Map<string, Team[]>(accountIds.map((id) => [id, []]));
    for (const row of rows) byAccount.get(row.account.id)?.push(row.team);
    const order = (a: Team, b: Team) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id);
    return accountIds.map((id) => byAccount.get(id)!.sort(order));
  }

  async isAdmin(teamId: string, accountId: string): Promise<boolean> {
    return (await this.em.count(TeamAdmin, { team: teamId, account: accountId })) > 0;
  }

  /** Which of `teamIds` the account administers, in one statement. */
  async administeredAmong(accountId: string, teamIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.em.find(TeamAdmin, { account: accountId, team: { $in: [...teamIds] } });
    return new Set(rows.map((row) => row.team.id));
  }

  /** Each team's members, highest priority first, then by calendar id (byPriorityThenId). */
  async membersOf(teamIds: readonly string[]): Promise<TeamMember[][]> {
    const rows = await this.em.find(TeamMember, { team: { $in: [...teamIds] } });
    const byTeam = new Map<string, TeamMember[]>(teamIds.map((id) => [id, []]));
    for (const row of rows) byTeam.get(row.team.id)?.push(row);
    const order = (a: TeamMember, b: TeamMember) => byPriorityThenId({ priority: a.priority, ownerId: a.owner.id }, { priority: b.priority, ownerId: b.owner.id });
    return teamIds.map((id) => byTeam.get(id)!.sort(order));
  }

  /**
   * The team's members with their settings and heads, highest priority first, then by calendar
   * id (byPriorityThenId), as committed when this request first asked: one statement over the hot
   * read connection, once per request (a change of members through this store reads again), as
   * a team event type's bookSlot and freeSlots check the member named and then ask the members.
   */
  membersWithHeads(teamId: string): Promise<MemberHead[]> {
    let read = this.membersByTeam.get(teamId);
    if (!read) {
      read = this.deps.reads.all<HeadRow & { priority: number | string; weight: number | string }>(MEMBERS_SQL, [teamId]).then((rows) =>
        rows
          .map((row) => ({ member: { priority: Number(row.priority), weight: Number(row.weight) }, head: headOf(row) }))
          .sort((a, b) => byPriorityThenId({ priority: a.member.priority, ownerId: a.head.id }, { priority: b.member.priority, ownerId: b.head.id })),
      );
      this.membersByTeam.set(teamId, read);
      read.catch(() => this.membersByTeam.delete(teamId));
    }
    return read;
  }

  async addMember(teamId: string, ownerId: string, settings: MemberSettings, createdAt: Date): Promise<MemberWrite> {
    this.membersByTeam.delete(teamId);
    const member = this.em.create(
      TeamMember,
      { team: this.em.getReference(Team, teamId), owner: this.em.getReference(Owner, ownerId), ...settings, createdAt },
      { persist: false },
    );
    try {
      await this.em.insert(member);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return { kind: 'alreadyMember' };
      throw err;
    }
    return { kind: 'added', member };
  }

  /** Writes the settings in one statement and reloads the row; null when the calendar is no member (any more). */
  async updateMember(teamId: string, ownerId: string, changes: Partial<MemberSettings>): Promise<TeamMember | null> {
    this.membersByTeam.delete(teamId);
    if (Object.keys(changes).length) await this.em.nativeUpdate(TeamMember, { team: teamId, owner: ownerId }, changes);
    return this.em.findOne(TeamMember, { team: teamId, owner: ownerId }, { refresh: true });
  }

  async removeMember(teamId: string, ownerId: string): Promise<boolean> {
    this.membersByTeam.delete(teamId);
    return (await this.em.nativeDelete(TeamMember, { team: teamId, owner: ownerId })) === 1;
  }

  /** Each team's event types, active or not, by slug. */
  async eventTypesOf(teamIds: readonly string[]): Promise<EventType[][]> {
    const rows = await this.em.find(EventType, { team: { $in: [...teamIds] } }, { orderBy: { slug: 'asc' } });
    const byTeam = new Map<string, EventType[]>(teamIds.map((id) => [id, []]));
    for (const row of rows) byTeam.get(row.team!.id)?.push(row);
    return teamIds.map((id) => byTeam.get(id)!);
  }

  /**
   * Each booking's extra hosts: the calendars besides its owner whose time it occupies (a
   * collective booking's booking_host rows, docs/api.md, Part 3, 37), by calendar id; empty for
   * any other booking.
   */
  async extraHostsOf(bookings: ReadonlyArray<{ id: string; ownerId: string }>): Promise<string[][]> {
    const ids = bookings.map((b) => b.id);
    const rows = await this.em.execute<Array<{ booking_id: string; owner_id: string }>>(
      `select booking_id, owner_id from booking_host where booking_id in (${ids.map(() => '?').join(', ')})`,
      ids,
      'all',
    );
    const byBooking = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const row of rows) byBooking.get(row.booking_id)?.push(row.owner_id);
    return bookings.map((b) => byBooking.get(b.id)!.filter((owner) => owner !== b.ownerId).sort());
  }
}
