import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { StoreDeps } from '../stores';
import type { Owner } from '../owner/owner.entity';
import { EventType } from './event-type.entity';

/** What an event type is stored with: every policy, checked and with its defaults applied. */
export type EventTypeFields = Omit<EventType, 'id' | 'owner' | 'createdAt'>;

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
  async create(owner: Owner, fields: EventTypeFields, createdAt: Date): Promise<Write> {
    const eventType = this.em.create(EventType, { ...fields, owner, createdAt }, { persist: false });
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

  findBySlug(ownerId: string, slug: string): Promise<EventType | null> {
    return this.em.findOne(EventType, { owner: ownerId, slug });
  }

  /** Event types by id, in one statement. */
  findByIds(ids: readonly string[]): Promise<EventType[]> {
    return this.em.find(EventType, { id: { $in: [...ids] } });
  }

  /** Each owner's event types, active or not, by slug: the order of the unique index (owner_id, slug), so no sort. */
  async ofOwners(ownerIds: readonly string[]): Promise<EventType[][]> {
    const rows = await this.em.find(EventType, { owner: { $in: [...ownerIds] } }, { orderBy: { owner: 'asc', slug: 'asc' } });
    const byOwner = new Map<string, EventType[]>(ownerIds.map((id) => [id, []]));
    for (const row of rows) byOwner.get(row.owner.id)?.push(row);
    return ownerIds.map((id) => byOwner.get(id)!);
  }
}
