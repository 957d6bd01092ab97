import DataLoader from 'dataloader';
import type { Auth } from './auth';
import type { Stores } from './stores';
import type { Owner } from './owner/owner.entity';
import type { OneTimeWindow, RecurringWindow, WindowException } from './availability/window.entity';
import type { EventType } from './event-type/event-type.entity';
import type { Team, TeamMember } from './team/team.entity';
import type { WebhookSettings } from './webhook/webhook.service';
import type { EmailSettings } from './email/email.content';
import type { CalendarSourceSettings } from './calendar-source/calendar-source.service';

/** Per-request batch loaders: one SQL statement per kind of thing a query touches, however many parents ask. */
export interface Loaders {
  ownerById: DataLoader<string, Owner | null>;
  windowsByOwnerId: DataLoader<string, Array<OneTimeWindow | RecurringWindow>>;
  exceptionsByWindowId: DataLoader<string, WindowException[]>;
  eventTypeById: DataLoader<string, EventType | null>;
  /** Active or not: who may see which is the event-type service's rule. */
  eventTypesByOwnerId: DataLoader<string, EventType[]>;
  /** Live seats of a group event's start (Booking.seatsTaken), keyed `<event type id>@<start in epoch ms>`. */
  seatsTakenByGroup: DataLoader<string, number>;
  teamById: DataLoader<string, Team | null>;
  /** Highest priority first, then by calendar id. */
  membersByTeamId: DataLoader<string, TeamMember[]>;
  /** The teams each account administers, by name then id. */
  teamsByAccountId: DataLoader<string, Team[]>;
  /** Active or not: who may see which is the team service's rule. */
  eventTypesByTeamId: DataLoader<string, EventType[]>;
  /** A booking's hosts besides its owner (collective bookings), keyed by the booking. */
  extraHostsByBooking: DataLoader<{ id: string; ownerId: string }, string[], string>;
}

export function createLoaders(stores: Stores): Loaders {
  return {
    ownerById: new DataLoader(async (ids) => {
      const byId = new Map((await stores.owners.findByIds(ids)).map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    windowsByOwnerId: new DataLoader((ownerIds) => stores.calendar.windowsOfOwners(ownerIds)),
    exceptionsByWindowId: new DataLoader((windowIds) => stores.calendar.exceptionsOfWindows(windowIds)),
    eventTypeById: new DataLoader(async (ids) => {
      const byId = new Map((await stores.eventTypes.findByIds(ids)).map((e) => [e.id, e]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    eventTypesByOwnerId: new DataLoader((ownerIds) => stores.eventTypes.ofOwners(ownerIds)),
    seatsTakenByGroup: new DataLoader((keys) =>
      stores.bookings.seatsTakenAt(
        keys.map((key) => {
          const at = key.lastIndexOf('@');
          return { eventTypeId: key.slice(0, at), startsAt: Number(key.slice(at + 1)) };
        }),
      ),
    ),
    teamById: new DataLoader(async (ids) => {
      const byId = new Map((await stores.teams.findByIds(ids)).map((t) => [t.id, t]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    membersByTeamId: new DataLoader((teamIds) => stores.teams.membersOf(teamIds)),
    teamsByAccountId: new DataLoader((accountIds) => stores.teams.teamsAdministeredBy(accountIds)),
    eventTypesByTeamId: new DataLoader((teamIds) => stores.teams.eventTypesOf(teamIds)),
    extraHostsByBooking: new DataLoader((bookings) => stores.teams.extraHostsOf(bookings), { cacheKeyFn: (b) => b.id }),
  };
}

/** What a request owns: the caller's identity, the app clock, fresh loaders and the stores bound to it. */
export interface RequestContext {
  readonly auth: Auth;
  now: () => Date;
  readonly loaders: Loaders;
  /** The stores of every module, bound to this request (modules/stores.ts). */
  readonly stores: Stores;
  requestId: string;
  /** The app's webhook settings, and the dispatcher to wake. */
  readonly webhooks: WebhookSettings;
  /** Where emails come from and link to: rendering one for the owner page needs them. */
  readonly emails: EmailSettings;
  /** Calendar sources' URL rule, secret box and syncs (docs/api.md, Part 3, 30). */
  readonly calendarSources: CalendarSourceSettings;
  /** Free slots this request may still produce (GRAPHQL_MAX_FREE_SLOTS, over all its freeSlots fields). */
  freeSlotsLeft: number;
}
