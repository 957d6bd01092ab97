import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../db/dialect';
import { Auth } from './owner/auth';
import type { Stores } from './stores';
import { Owner } from './owner/owner.entity';
import { OneTimeWindow, RecurringWindow, WindowException } from './availability/window.entity';
import type { FreeSlotCache } from './availability/slot-cache';
import type { ReadConnection, WriteConnection } from '../db/connections';

/** Per-request batch loaders: one SQL statement per kind of thing a query touches, however many parents ask. */
export interface Loaders {
  ownerById: DataLoader<string, Owner | null>;
  windowsByOwnerId: DataLoader<string, Array<OneTimeWindow | RecurringWindow>>;
  exceptionsByWindowId: DataLoader<string, WindowException[]>;
}

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

export function createLoaders(em: EntityManager): Loaders {
  return {
    ownerById: new DataLoader(async (ids) => {
      // refresh: an owner already in this request's identity map (a mutation loaded it) may hold
      // a dataVersion that a raw increment has since moved; free-slot caching keys on it.
      const owners = await em.find(Owner, { id: { $in: [...ids] } }, { refresh: true });
      const byId = new Map(owners.map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    windowsByOwnerId: new DataLoader(async (ownerIds) => {
      const [oneTime, recurring] = await Promise.all([
        em.find(OneTimeWindow, { owner: { $in: [...ownerIds] } }, { orderBy: { startsAt: 'asc', id: 'asc' } }),
        em.find(RecurringWindow, { owner: { $in: [...ownerIds] } }, { orderBy: { startsOn: 'asc', id: 'asc' } }),
      ]);
      const rows: Array<OneTimeWindow | RecurringWindow> = [...oneTime, ...recurring];
      return groupBy(ownerIds, rows, (w) => w.owner.id);
    }),
    exceptionsByWindowId: new DataLoader(async (windowIds) => {
      const rows = await em.find(WindowException, { window: { $in: [...windowIds] } }, { orderBy: { date: 'asc' } });
      return groupBy(windowIds, rows, (e) => e.window.id);
    }),
  };
}

/** What every resolver gets: one forked EntityManager, the caller's identity, the app clock and fresh loaders. */
export interface RequestContext {
  readonly em: EntityManager;
  readonly auth: Auth;
  now: () => Date;
  readonly loaders: Loaders;
  requestId: string;
  /** Which SQL the few hand-written statements must speak. */
  dialect: Dialect;
  /** Shared by every request of this app (one cache per app): computed free slots keyed by the owner's dataVersion. */
  slotCache: FreeSlotCache;
  /** Shared by every request of this app: the hottest reads, outside the ORM where that pays. */
  reads: ReadConnection;
  /** Shared by every request of this app: the hottest write (a booking), outside the ORM where that pays. */
  writes: WriteConnection;
  /** Free slots this request may still produce (GRAPHQL_MAX_FREE_SLOTS, over all its freeSlots fields). */
  freeSlotsLeft: number;
  /** The stores of every module, bound to this request's EntityManager (modules/stores.ts). */
  readonly stores: Stores;
}

