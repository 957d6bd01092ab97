import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../db/dialect';
import type { ReadConnection, WriteConnection } from '../db/connections';
import { Auth } from '../modules/owner/auth';
import { createLoaders, type Loaders, type RequestContext } from '../modules/context';
import type { FreeSlotCache } from '../modules/availability/slot-cache';
import { createStores, type Stores } from '../modules/stores';

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
  private storesOfRequest?: Stores;
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

  get stores(): Stores {
    return (this.storesOfRequest ??= createStores({
      em: () => this.em,
      dialect: this.dialect,
      reads: this.reads,
      writes: this.writes,
      slotCache: this.slotCache,
    }));
  }
}

export function createRequestContext(rootEm: EntityManager, shared: AppShared, bearerToken: string | null, now: () => Date, requestId: string): RequestContext {
  return new LazyRequestContext(rootEm, shared, bearerToken, now, requestId);
}
