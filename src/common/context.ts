import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../config';
import { Auth } from './auth';
import { Owner } from '../modules/owner/owner.entity';
import { OneTimeWindow, RecurringWindow, WindowException } from '../modules/availability/window.entity';
import type { FreeSlotCache } from '../modules/availability/slot-cache';
import type { ReadConnection, WriteConnection } from './hot-connections';

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
}

/** What every request of one app shares, made once when the app starts. */
export type AppShared = Pick<RequestContext, 'dialect' | 'slotCache' | 'reads' | 'writes'> & {
  /** The per-request budget of free slots (QueryLimits.maxFreeSlots). */
  maxFreeSlots: number;
};

/**
 * The forked EntityManager, Auth and loaders are made on first use: a cached freeSlots answer
 * (the hottest request) needs none of them, and forking costs a unit of work and identity map.
 */
class LazyRequestContext implements RequestContext {
  private forked?: EntityManager;
  private authOfRequest?: Auth;
  private loadersOfRequest?: Loaders;
  readonly dialect: Dialect;
  readonly slotCache: FreeSlotCache;
  readonly reads: ReadConnection;
  readonly writes: WriteConnection;
  freeSlotsLeft: number;

  constructor(
    private readonly rootEm: EntityManager,
    shared: AppShared,
    private readonly bearerToken: string | null,
    readonly now: () => Date,
    readonly requestId: string,
  ) {
    this.dialect = shared.dialect;
    this.slotCache = shared.slotCache;
    this.reads = shared.reads;
    this.writes = shared.writes;
    this.freeSlotsLeft = shared.maxFreeSlots;
  }

  get em(): EntityManager {
    return (this.forked ??= this.rootEm.fork());
  }

  get auth(): Auth {
    return (this.authOfRequest ??= new Auth(this.em, this.bearerToken));
  }

  get loaders(): Loaders {
    return (this.loadersOfRequest ??= createLoaders(this.em));
  }
}

export function createRequestContext(rootEm: EntityManager, shared: AppShared, bearerToken: string | null, now: () => Date, requestId: string): RequestContext {
  return new LazyRequestContext(rootEm, shared, bearerToken, now, requestId);
}
