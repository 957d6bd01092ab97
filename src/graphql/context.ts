import type { EntityManager } from '@mikro-orm/knex';
import { Auth, type Credentials } from '../modules/auth';
import { createLoaders, type Loaders, type RequestContext } from '../modules/context';
import { createStores, type Stores, type StoresShared } from '../modules/stores';
import type { WebhookSettings } from '../modules/webhook/webhook.service';
import type { EmailSettings } from '../modules/email/email.content';
import type { CalendarSourceSettings } from '../modules/calendar-source/calendar-source.service';

/** What every request of one app shares, made once when the app starts. */
export type AppShared = StoresShared & {
  /** The per-request budget of free slots (QueryLimits.maxFreeSlots). */
  maxFreeSlots: number;
  webhooks: WebhookSettings;
  emails: EmailSettings;
  calendarSources: CalendarSourceSettings;
};

/**
 * The forked EntityManager, Auth, loaders and stores are made on first use: a cached freeSlots
 * answer (the hottest request) needs no EntityManager, and forking costs a unit of work and
 * identity map.
 */
class LazyRequestContext implements RequestContext {
  private forked?: EntityManager;
  private authOfRequest?: Auth;
  private loadersOfRequest?: Loaders;
  private storesOfRequest?: Stores;
  freeSlotsLeft: number;

  constructor(
    private readonly rootEm: EntityManager,
    private readonly shared: AppShared,
    private readonly credentials: Credentials,
    readonly now: () => Date,
    readonly requestId: string,
  ) {
    this.freeSlotsLeft = shared.maxFreeSlots;
  }

  private get em(): EntityManager {
    return (this.forked ??= this.rootEm.fork());
  }

  get webhooks(): WebhookSettings {
    return this.shared.webhooks;
  }

  get emails(): EmailSettings {
    return this.shared.emails;
  }

  get calendarSources(): CalendarSourceSettings {
    return this.shared.calendarSources;
  }

  get auth(): Auth {
    return (this.authOfRequest ??= new Auth(this.stores, this.credentials, this.now));
  }

  get loaders(): Loaders {
    return (this.loadersOfRequest ??= createLoaders(this.stores));
  }

  get stores(): Stores {
    if (!this.storesOfRequest) {
      const { dialect, reads, writes, slotCache } = this.shared;
      this.storesOfRequest = createStores({ dialect, reads, writes, slotCache, em: () => this.em });
    }
    return this.storesOfRequest;
  }
}

export function createRequestContext(rootEm: EntityManager, shared: AppShared, credentials: Credentials, now: () => Date, requestId: string): RequestContext {
  return new LazyRequestContext(rootEm, shared, credentials, now, requestId);
}
