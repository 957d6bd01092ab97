import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { StoreDeps } from '../stores';
import type { Owner } from '../owner/owner.entity';
import { EventType } from './event-type.entity';
import type { SchedulingType, Team } from '../team/team.entity';

/** What an event type is stored with: every policy, checked and with its defaults applied. */
export type EventTypeFields = Omit<EventType, 'id' | 'owner' | 'createdAt' | 'team' | 'schedulingType'>;

/** A team event type's team and scheduling type (docs/api.md, Part 3, 35-37). */
export interface TeamOffering {
  team: Team;
  schedulingType: SchedulingType;
}

/**
 * What an event type's slots and bookings depend on: its policies, who offers it, whether it is
 * active. An EventType entity is one; findPolicies reads one without the ORM.
 */
export type EventTypePolicies = Pick<
  EventType,
  'id' | 'durations' | 'defaultDuration' | 'slotStepMinutes' | 'minNoticeMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'horizonDays' | 'maxBookingsPerDay' | 'minCancelNoticeMinutes' | 'seatsPerSlot' | 'active'
> & { owner: { id: string }; team: { id: string } | null; schedulingType: SchedulingType | null };

interface PoliciesRow {
  id: string;
  owner_id: string;
  durations: string | number[];
  default_duration: number;
  slot_step_minutes: number | null;
  min_notice_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  horizon_days: number | null;
  max_bookings_per_day: number | null;
  min_cancel_notice_minutes: number;
  seats_per_slot: number | null;
  active: number | boolean;
  team_id: string | null;
  scheduling_type: SchedulingType | null;
  team_member: number | boolean;
}

const POLICIES_SQL = `select id, owner_id, durations, default_duration, slot_step_minutes, min_notice_minutes, buffer_before_minutes,
  buffer_after_minutes, horizon_days, max_bookings_per_day, min_cancel_notice_minutes, seats_per_slot, active, team_id, scheduling_type,
  exists (select 1 from team_member m where m.team_id = e.team_id and m.owner_id = ?) as team_member
  from event_type e where id = ?`;

const orNull = (n: number | null): number | null => (n === null ? null : Number(n));

/** What writing an event type came to; on `slugTaken` nothing was written. */
type Write = { kind: 'written'; eventType: EventType } | { kind: 'slugTaken' };

/**
 * Event types: their rows, in the database's terms. The unique index (owner_id, slug) decides a
 * duplicate slug, so two requests racing for one slug cannot both get it; the data-version
 * triggers on event_type (Migration20261130145106 in src/db/migrations/sqlite, 20261130145114
 * in …/postgresql) bump the owner's free-slot cache key with every write here.
 */
export class EventTypeStore {
  constructor(private readonly deps: StoreDeps) {}

  private get em(): EntityManager {
    return this.deps.em();
  }

  /** One insert, outside the request's unit of work: a refused one leaves no entity pending there. */
  async create(owner: Owner, fields: EventTypeFields, createdAt: Date, offering?: TeamOffering): Promise<Write> {
    const eventType = this.em.create(EventType, { ...fields, ...offering, owner, createdAt }, { persist: false });
    try {
      await this.em.insert(eventType);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return { kind: 'slugTaken' };
      throw err;
    }
    return { kind: 'written', eventType };
  }

  /** Writes `changes` in one statement, then reloads the row, so the entity is what was committed and nothing is left dirty. */
  async update(eventType: EventType, changes: Partial<EventTypeFields>): Promise<Write> {
    try {
      await this.em.nativeUpdate(EventType, { id: eventType.id }, changes);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return { kind: 'slugTaken' };
      throw err;
    }
    await this.em.refresh(eventType);
    return { kind: 'written', eventType };
  }

  findById(id: string): Promise<EventType | null> {
    return this.em.findOne(EventType, { id });
  }

  /**
   * The event type's policies as committed now, or null. Every freeSlots and bookSlot with an
   * event type reads them, so they come over the hot read connection (db/connections.ts) as the
   * owner's head does, without the ORM's query building and hydration: through the ORM this read
   * cost more than the rest of a cached answer. `teamMember`: whether `ownerId` is a member of
   * the event type's team (false without one), read in the same statement.
   */
  async findPolicies(id: string, ownerId: string): Promise<{ policies: EventTypePolicies; teamMember: boolean } | null> {
    const [row] = await this.deps.reads.all<PoliciesRow>(POLICIES_SQL, [ownerId, id]);
    if (!row) return null;
    return { policies: policiesOf(row), teamMember: Boolean(row.team_member) };
  }

  /** The owner's own event type (not a team's stored under it) with that slug. */
  findBySlug(ownerId: string, slug: string): Promise<EventType | null> {
    return this.em.findOne(EventType, { owner: ownerId, slug, team: null });
  }

  /** Event types by id, in one statement. */
  findByIds(ids: readonly string[]): Promise<EventType[]> {
    return this.em.find(EventType, { id: { $in: [...ids] } });
  }

  /** Each owner's event types, active or not, by slug: the order of the unique index (owner_id, slug), so no sort. */
  async ofOwners(ownerIds: readonly string[]): Promise<EventType[][]> {
    const rows = await this.em.find(EventType, { owner: { $in: [...ownerIds] } }, { orderBy: { owner: 'asc', slug: 'asc' } });
    const byOwner = new Map<string, EventType[]>(ownerIds.map((id) => [id, []]));
    // A team's event type is stored under one member calendar but is the team's (Team.eventTypes).
    for (const row of rows) if (row.team === null) byOwner.get(row.owner.id)?.push(row);
    return ownerIds.map((id) => byOwner.get(id)!);
  }
}

/** The policies a row of POLICIES_SQL holds. */
function policiesOf(row: PoliciesRow): EventTypePolicies {
  return {
    id: row.id,
    owner: { id: row.owner_id },
    // SQLite keeps JSON as text; PostgreSQL's driver parses jsonb.
    durations: typeof row.durations === 'string' ? (JSON.parse(row.durations) as number[]) : row.durations,
    defaultDuration: Number(row.default_duration),
    slotStepMinutes: orNull(row.slot_step_minutes),
    minNoticeMinutes: Number(row.min_notice_minutes),
    bufferBeforeMinutes: Number(row.buffer_before_minutes),
    bufferAfterMinutes: Number(row.buffer_after_minutes),
    horizonDays: orNull(row.horizon_days),
    maxBookingsPerDay: orNull(row.max_bookings_per_day),
    minCancelNoticeMinutes: Number(row.min_cancel_notice_minutes),
    seatsPerSlot: orNull(row.seats_per_slot),
    active: Boolean(row.active),
    team: row.team_id === null ? null : { id: row.team_id },
    schedulingType: row.scheduling_type,
  };
}
