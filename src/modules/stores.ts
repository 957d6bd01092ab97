import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../db/dialect';
import type { ReadConnection } from '../db/connections';
import type { WriteConnection } from '../db/write-connection';
import type { FreeSlotCache } from './slot/slot-cache';
import { OwnerStore } from './owner/owner.store';
import { CalendarStore } from './availability/calendar.store';
import { BookingStore } from './booking/booking.store';
import { EventTypeStore } from './event-type/event-type.store';
import { CalendarFeedStore } from './calendar-feed/calendar-feed.store';
import { WebhookStore } from './webhook/webhook.store';
import { EmailStore } from './email/email.store';
import { CalendarSourceStore } from './calendar-source/calendar-source.store';
import { BusyIntervalStore } from './calendar-source/busy-interval.store';
import { AccountStore } from './account/account.store';
import { CalendarWriteStore } from './calendar-write/calendar-write.store';
import { TeamStore } from './team/team.store';
import { TeamBookingStore } from './booking/team-booking.store';

/** What every store of an app shares, made once in createApp. */
export interface StoresShared {
  dialect: Dialect;
  /** The hottest reads, outside the ORM where that pays (db/connections.ts). */
  reads: ReadConnection;
  /** The hottest write (a booking), outside the ORM where that pays. */
  writes: WriteConnection;
  /** Computed free slots keyed by the owner's data version; one per app. */
  slotCache: FreeSlotCache;
}

/** What stores are built from: the request's EntityManager (forked on first use) and what the app shares. */
export interface StoreDeps extends StoresShared {
  /** The request's forked EntityManager, made on first call. */
  em(): EntityManager;
}

/** Every store a request can reach; each is the only place that knows its module's SQL. */
export interface Stores {
  owners: OwnerStore;
  calendar: CalendarStore;
  bookings: BookingStore;
  eventTypes: EventTypeStore;
  calendarFeeds: CalendarFeedStore;
  webhooks: WebhookStore;
  emails: EmailStore;
  calendarSources: CalendarSourceStore;
  busyIntervals: BusyIntervalStore;
  accounts: AccountStore;
  calendarWrites: CalendarWriteStore;
  teams: TeamStore;
  teamBookings: TeamBookingStore;
}

export function createStores(deps: StoreDeps): Stores {
  const busyIntervals = new BusyIntervalStore(deps);
  return {
    owners: new OwnerStore(deps),
    calendar: new CalendarStore(deps),
    bookings: new BookingStore(deps),
    eventTypes: new EventTypeStore(deps),
    calendarFeeds: new CalendarFeedStore(deps),
    webhooks: new WebhookStore(deps),
    emails: new EmailStore(deps),
    calendarSources: new CalendarSourceStore(deps, busyIntervals),
    busyIntervals,
    accounts: new AccountStore(deps),
    calendarWrites: new CalendarWriteStore(deps),
    teams: new TeamStore(deps),
    teamBookings: new TeamBookingStore(deps),
  };
}
