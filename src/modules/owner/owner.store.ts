import type { EntityManager } from '@mikro-orm/knex';
import { retryTransient } from '../../db/retry-transient';
import type { StoreDeps } from '../stores';
import { Owner } from './owner.entity';

/** What free slots depend on of an owner, as committed now: the parts of the free-slot cache key. */
export interface OwnerHead {
  id: string;
  timeZone: string;
  slotMinutes: number;
  dataVersion: number;
}

/** The fields a new owner is stored with; the token only as its hash. */
interface NewOwner {
  name: string;
  timeZone: string;
  slotMinutes: number;
  email: string | null;
  tokenHash: string;
  createdAt: Date;
}

/** What public reads of an owner depend on: its data version (bumped by every change behind its slots) and its name. */
export interface OwnerVersion {
  id: string;
  dataVersion: number;
  name: string;
}

/** An owner's head as HEAD_COLUMNS read it. */
export interface HeadRow {
  id: string;
  time_zone: string;
  slot_minutes: number | string;
  data_version: number | string;
  name: string;
}

/** The owner table's columns of a head (and name), as a select list over the owner table named `alias`. */
export function headColumns(alias: string): string {
  return ['id', 'time_zone', 'slot_minutes', 'data_version', 'name'].map((c) => `${alias}.${c} as ${c}`).join(', ');
}

/** The head a row of headColumns is. */
export function headOf(row: HeadRow): OwnerHead & OwnerVersion {
  return { id: row.id, timeZone: row.time_zone, slotMinutes: Number(row.slot_minutes), dataVersion: Number(row.data_version), name: row.name };
}

const headsSqlByCount: string[] = [];

/**
 * The heads (and names) of `count` owners by id: one text per count (a request names a few
 * owners at most), prepared once on the hot read connection.
 */
function headsSql(count: number): string {
  return (headsSqlByCount[count] ??= `select ${headColumns('o')} from owner o where o.id in (${Array(count).fill('?').join(', ')})`);
}

/** Owners: the owner rows, their tokens and the head (zone, slot length, data version) free slots depend on. */
export class OwnerStore {
  /** Heads read by seedHeads, which findHead answers from. */
  private readonly seeded = new Map<string, OwnerHead>();

  constructor(private readonly deps: StoreDeps) {}

  private get em(): EntityManager {
    return this.deps.em();
  }

  /** A new owner, written in one transaction with what `alongside` adds (createCalendar's membership). */
  async create(fields: NewOwner, alongside?: (em: EntityManager, owner: Owner) => void): Promise<Owner> {
    const owner = this.em.create(Owner, { ...fields, dataVersion: 0 });
    alongside?.(this.em, owner);
    await this.em.persistAndFlush(owner);
    return owner;
  }

  /** Writes the changes made to owners this request loaded. */
  async saveChanges(): Promise<void> {
    await this.em.flush();
  }

  /**
   * Writes `owner`'s profile (name, zone, slot length) in one transaction with the writes
   * `alongside` makes on `tx`, after the owner's, so on PostgreSQL the owner's row is locked
   * first, as the booking triggers that bump its data version lock it. The row is written as
   * the entity holds it, so a transaction that a deadlock rolled back (a concurrent move locks a
   * booking, then the owner) runs again whole; the entity is then read back (its data version
   * moved, and nothing is left for a later flush).
   */
  async saveProfileWith(owner: Owner, alongside: (tx: EntityManager) => Promise<void>): Promise<void> {
    await retryTransient(() =>
      this.em.fork().transactional(async (tx) => {
        await tx.nativeUpdate(Owner, { id: owner.id }, { name: owner.name, timeZone: owner.timeZone, slotMinutes: owner.slotMinutes, email: owner.email });
        await alongside(tx);
      }),
    );
    await this.em.refresh(owner);
  }

  /**
   * Owners by id, in one statement. Refreshed: an owner already in this request's identity map
   * (a mutation loaded it) may hold a dataVersion that a trigger has since moved; free-slot
   * caching keys on it.
   */
  findByIds(ids: readonly string[]): Promise<Owner[]> {
    return this.em.find(Owner, { id: { $in: [...ids] } }, { refresh: true });
  }

  /** The owner whose token hashes to `tokenHash`, or null. */
  findByTokenHash(tokenHash: string): Promise<Owner | null> {
    return this.em.findOne(Owner, { tokenHash });
  }

  /**
   * Swaps the token hash only while it is still `currentHash`, in one statement: of concurrent
   * rotations with one token exactly one finds it there. True when this call swapped it.
   */
  async replaceTokenHash(ownerId: string, currentHash: string, newHash: string): Promise<boolean> {
    const rotated = await this.em.nativeUpdate(Owner, { id: ownerId, tokenHash: currentHash }, { tokenHash: newHash });
    return rotated === 1;
  }

  /** The versions and names of the owners among `ids` that exist, in one statement on the hot read connection (HTTP validators, issue 17). */
  versions(ids: readonly string[]): Promise<OwnerVersion[]> {
    return this.readHeads(ids);
  }

  /**
   * Like versions(), and this store's findHead answers those owners from the same read for the
   * rest of the request: a public GET reads its owners once, before it runs, for its ETag and its
   * slots alike. Only request-scoped stores are seeded (each request makes its own).
   */
  async seedHeads(ids: readonly string[]): Promise<OwnerVersion[]> {
    const heads = await this.readHeads(ids);
    for (const head of heads) this.seeded.set(head.id, head);
    return heads;
  }

  private async readHeads(ids: readonly string[]): Promise<Array<OwnerHead & OwnerVersion>> {
    if (ids.length === 0) return [];
    const rows = await this.deps.reads.all<HeadRow>(headsSql(ids.length), ids);
    return rows.map(headOf);
  }

  /**
   * The owner's head as committed now, or null. Every freeSlots and bookSlot reads one, so it
   * goes through the hot read connection (db/connections.ts), without the ORM or a forked
   * EntityManager.
   */
  async findHead(ownerId: string): Promise<OwnerHead | null> {
    const seeded = this.seeded.get(ownerId);
    if (seeded) return seeded;
    const [head] = await this.readHeads([ownerId]);
    return head ?? null;
  }
}
