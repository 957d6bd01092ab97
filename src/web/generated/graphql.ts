/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A booking request: the owner, the start of one of its free slots (of an event type, if given), and the invitee. */
export type BookSlotInput = {
  /** The booking's length in minutes, one of the event type's durations (default its defaultDuration); any other, or a duration without eventTypeId: BAD_USER_INPUT. */
  duration?: number | null | undefined;
  /** An event type of this owner: the booking lasts `duration`, keeps the event type's buffers free around it and obeys its policies (notice, horizon, daily cap); its start must be one of EventType.freeSlots with the same duration. Unknown or another owner's: NOT_FOUND. Omitted: a slot of the owner's slotMinutes, as in Part 1. */
  eventTypeId?: string | number | null | undefined;
  /** A key unique to this request for this owner (e.g. a UUID), 1 to 200 characters. The same request (startsAt, invitee, eventTypeId and duration) sent again with it returns the first booking (same id, a new manageToken); a different request with a used key fails as it would without the key, or with BAD_USER_INPUT where it could have booked; either way it learns nothing of the first booking. */
  idempotencyKey?: string | null | undefined;
  /** Who books. */
  invitee: InviteeInput;
  /** The owner to book; unknown: NOT_FOUND. */
  ownerId: string | number;
  /** Start of a free slot, on the 5-minute grid. */
  startsAt: string;
};

/** Where a booking stands. Only a CONFIRMED booking can be cancelled, rescheduled or completed. */
export type BookingStatus =
  /** Cancelled: its time is free again. */
  | 'CANCELLED'
  /** Marked done by the owner: it keeps its time. */
  | 'COMPLETED'
  /** Booked: it holds its time. */
  | 'CONFIRMED';

/** A member's role in a calendar. */
export type CalendarRole =
  /** Every owner-only operation except those reserved to OWNER. */
  | 'ADMIN'
  /** Everything, and also adding and removing members, rotating the owner token and removing calendar sources. */
  | 'OWNER';

/** A new calendar source of the token owner (docs/api.md, Part 3, 28-30). */
export type CalendarSourceInput = {
  /** A feed (ICS) or a CalDAV calendar collection (CALDAV). */
  kind: CalendarSourceKind;
  /** What the owner calls it, at most 200 characters. */
  name?: string | null | undefined;
  /** At most 1000 characters; stored encrypted and never returned. In a patch, "" removes it. */
  password?: string | null | undefined;
  /** An absolute http or https URL of at most 2048 characters whose host is and resolves to public addresses only, unless the server sets CALENDAR_ALLOW_PRIVATE_URLS=true. user:password@ in it are taken as username and password and not stored in the URL. */
  url: string;
  /** At most 1000 characters; stored encrypted and never returned. In a patch, "" removes it. */
  username?: string | null | undefined;
  /** CALDAV only: write bookings into this calendar (docs/api.md, Part 3, 31). */
  writeBookings?: boolean | null | undefined;
};

/** What a calendar source is. */
export type CalendarSourceKind =
  /** A CalDAV calendar collection (RFC 4791). */
  | 'CALDAV'
  /** An iCalendar feed: an http(s) URL answering text/calendar. */
  | 'ICS';

/** How the last sync of a source went. */
export type CalendarSourceStatus =
  /** The last sync failed (lastError); the last good busy intervals are kept and the sync is retried with backoff. */
  | 'FAILING'
  /** The last sync succeeded (lastSyncedAt). */
  | 'OK'
  /** Added or changed, and not synced since. */
  | 'SYNCING';

/** A new owner: name, time zone and slot length. */
export type CreateOwnerInput = {
  /** Where owner notices are emailed: a valid address, at most 320 characters; omitted or null: none. */
  email?: string | null | undefined;
  /** 1 to 200 characters. */
  name: string;
  /** Slot length in minutes, 5 to 1440, a multiple of 5. */
  slotMinutes?: number | null | undefined;
  /** IANA zone in which the owner's recurring windows are read. */
  timeZone: string;
};

/** What an email tells: the invitee of a booking change or reminder, the owner of a change, a person of a password reset. */
export type EmailKind =
  /** To the invitee: the booking was cancelled; carries the invitation's cancellation. */
  | 'BOOKING_CANCELLED'
  /** To the invitee: bookSlot took the booking; carries the invitation and the manage link. */
  | 'BOOKING_CONFIRMED'
  /** To the invitee: the booking starts in one of its event type's reminderMinutes. */
  | 'BOOKING_REMINDER'
  /** To the invitee: the booking moved; carries the updated invitation and the manage link. */
  | 'BOOKING_RESCHEDULED'
  /** To the owner (Owner.email): a booking was cancelled. */
  | 'OWNER_BOOKING_CANCELLED'
  /** To the owner (Owner.email): a booking moved. */
  | 'OWNER_BOOKING_RESCHEDULED'
  /** To the owner (Owner.email): a booking was made. */
  | 'OWNER_NEW_BOOKING'
  /** To a person: a link to reset their password. */
  | 'PASSWORD_RESET';

/** Where an email stands. */
export type EmailStatus =
  /** Refused permanently (5xx), or every scheduled attempt failed. */
  | 'FAILED'
  /** The server has no SMTP_URL: recorded and readable here, never sent. */
  | 'NOT_SENT'
  /** Not yet accepted by the SMTP server: an attempt is due at dueAt. */
  | 'PENDING'
  /** The SMTP server accepted it. */
  | 'SENT';

/** A new event type of the token owner; every field but slug and title has a default. */
export type EventTypeInput = {
  /** False hides it from invitees. */
  active?: boolean | null | undefined;
  /** Minutes kept free after each booking: 0 to 1440, a multiple of 5. */
  bufferAfterMinutes?: number | null | undefined;
  /** Minutes kept free before each booking: 0 to 1440, a multiple of 5. */
  bufferBeforeMinutes?: number | null | undefined;
  /** One of durations; omitted or null: the first. */
  defaultDuration?: number | null | undefined;
  /** At most 2000 characters; omitted or null: none. */
  description?: string | null | undefined;
  /** 1 to 10 distinct lengths in minutes, each 5 to 1440 and a multiple of 5, kept in the order given; omitted or null: [the owner's slotMinutes now]. */
  durations?: Array<number> | null | undefined;
  /** Slots only before 00:00 (owner's zone) of today plus this many days: 1 to 3660; omitted or null: no limit. */
  horizonDays?: number | null | undefined;
  /** Most live bookings of this type per owner-local date: 1 to 1000; omitted or null: no limit. */
  maxBookingsPerDay?: number | null | undefined;
  /** An invitee may not cancel or reschedule later than this many minutes before the start: 0 to 525600, any whole minute. */
  minCancelNoticeMinutes?: number | null | undefined;
  /** No slot starts sooner than now plus this many minutes: 0 to 525600, any whole minute. */
  minNoticeMinutes?: number | null | undefined;
  /** Minutes before the start at which the invitee is reminded by email: 0 to 5 distinct values, each 5 to 43200; omitted or null: []. */
  reminderMinutes?: Array<number> | null | undefined;
  /** A group event: each start takes this many invitees, 2 to 1000; omitted or null: one invitee per slot. */
  seatsPerSlot?: number | null | undefined;
  /** Minutes between slot starts, 5 to 1440 and a multiple of 5; omitted or null: the chosen duration. */
  slotStepMinutes?: number | null | undefined;
  /** [a-z0-9-], 1 to 60 characters, starting and ending with a letter or digit; unique among the owner's event types. */
  slug: string;
  /** 1 to 200 characters (trimmed). */
  title: string;
};

/** Changes to an event type, under the rules of EventTypeInput. Omitted fields keep their value; null clears description, slotStepMinutes, horizonDays, maxBookingsPerDay or seatsPerSlot and keeps any other field. Existing bookings keep their times, durations and buffers. */
export type EventTypePatch = {
  /** False hides the event type from invitees; true shows it again. */
  active?: boolean | null | undefined;
  /** New buffer after each booking, in minutes. */
  bufferAfterMinutes?: number | null | undefined;
  /** New buffer before each booking, in minutes. */
  bufferBeforeMinutes?: number | null | undefined;
  /** New default length; one of durations (as changed by this patch). */
  defaultDuration?: number | null | undefined;
  /** New description; null: none. */
  description?: string | null | undefined;
  /** New lengths; they must hold defaultDuration unless this patch sets defaultDuration too. */
  durations?: Array<number> | null | undefined;
  /** New horizon in days; null: no limit. */
  horizonDays?: number | null | undefined;
  /** New daily cap; null: no limit. */
  maxBookingsPerDay?: number | null | undefined;
  /** New cancellation notice in minutes. */
  minCancelNoticeMinutes?: number | null | undefined;
  /** New minimum notice in minutes. */
  minNoticeMinutes?: number | null | undefined;
  /** New reminder minutes; reminders already recorded for bookings keep their times. */
  reminderMinutes?: Array<number> | null | undefined;
  /** New seats per start (2 to 1000); null: one invitee per slot. Existing bookings keep their seats. */
  seatsPerSlot?: number | null | undefined;
  /** New minutes between slot starts; null: the chosen duration. */
  slotStepMinutes?: number | null | undefined;
  /** New slug; unique among the owner's event types. */
  slug?: string | null | undefined;
  /** New title. */
  title?: string | null | undefined;
};

/** How a recurring window repeats (RFC 5545 meaning, weeks start on Monday). No occurrence falls before startsOn or after endsOn. */
export type Frequency =
  /** Every interval-th day counted from startsOn; when weekdays are given, only on those days. */
  | 'DAILY'
  /** On startsOn's day of the month, every interval-th month; months without that day are skipped. */
  | 'MONTHLY'
  /** On the given weekdays of every interval-th week, counted from startsOn's week (Monday to Sunday). */
  | 'WEEKLY';

/** The person who books. */
export type InviteeInput = {
  /** A valid e-mail address, at most 320 characters. */
  email: string;
  /** 1 to 200 characters. */
  name: string;
  /** The invitee's IANA zone, in which their emails show times; omitted or null: the owner's. */
  timeZone?: string | null | undefined;
};

/** Availability between two instants, on the 5-minute grid, at most 366 days long. */
export type OneTimeWindowInput = {
  /** When it ends: after startsAt, at most 366 days later, on the 5-minute grid. */
  endsAt: string;
  /** When the availability begins, on the 5-minute grid. */
  startsAt: string;
};

/** Availability that repeats on the owner's wall clock (RFC 5545 meaning); a window never crosses midnight. */
export type RecurringWindowInput = {
  /** Total occurrences counted from startsOn, exceptions included; 1 to 100000; null: no limit. */
  count?: number | null | undefined;
  /** End of each occurrence: after startTime on the same day (24:00 ends the day), on the 5-minute grid. */
  endTime: string;
  /** Last day it may occur, inclusive, not before startsOn; null: no end. */
  endsOn?: string | null | undefined;
  /** How the rule repeats. */
  frequency?: Frequency | null | undefined;
  /** Every interval-th day, week or month; 1 to 1000. */
  interval?: number | null | undefined;
  /** Start of each occurrence, before 24:00, on the 5-minute grid. */
  startTime: string;
  /** First day the rule may occur; MONTHLY repeats on its day of the month, WEEKLY counts weeks from its week. */
  startsOn: string;
  /** WEEKLY: the days it occurs, at least one; DAILY: if any, it occurs only on these days; MONTHLY: must be empty. */
  weekdays?: Array<Weekday> | null | undefined;
};

/** How a team event type books its members. */
export type SchedulingType =
  /** A start is free when every member is free; each booking occupies every member's time. */
  | 'COLLECTIVE'
  /** A start is free when one member is free; each booking is assigned one member (priority, then bookings this month per weight, then least recently booked, then id). */
  | 'ROUND_ROBIN';

/** A new team: its name and the slug in its links. */
export type TeamInput = {
  /** 1 to 200 characters (trimmed). */
  name: string;
  /** [a-z0-9-], 1 to 60 characters, starting and ending with a letter or digit; unique among teams. */
  slug: string;
};

/** Changes to the token's owner; omitted or null fields keep their value. */
export type UpdateOwnerInput = {
  /** New address for owner notices; "" stops them; omitted or null: unchanged. */
  email?: string | null | undefined;
  /** New name, 1 to 200 characters. */
  name?: string | null | undefined;
  /** New slot length in minutes, 5 to 1440, a multiple of 5; existing bookings keep theirs. */
  slotMinutes?: number | null | undefined;
  /** Moves future availability, never bookings. */
  timeZone?: string | null | undefined;
};

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** An attempt was answered with a 2xx within 10 seconds. */
  | 'DELIVERED'
  /** Every scheduled attempt failed, or the endpoint answered 410 Gone; redeliverWebhook tries again. */
  | 'FAILED'
  /** Not yet answered with a 2xx: an attempt is due at nextAttemptAt (or waits for its endpoint to be active again). */
  | 'PENDING';

/** A new webhook endpoint of the token owner. */
export type WebhookEndpointInput = {
  /** The events to send, at least one; omitted or null: all. */
  events?: Array<WebhookEvent> | null | undefined;
  /** An absolute http or https URL of at most 2048 characters whose host is and resolves to public addresses only (not loopback, private, link-local or unspecified), unless the server sets WEBHOOK_ALLOW_PRIVATE_URLS=true. */
  url: string;
};

/** Changes to a webhook endpoint; omitted fields keep their value. */
export type WebhookEndpointPatch = {
  /** false: changes made meanwhile send nothing and pending deliveries wait; true: they resume (also after a 410 disabled it). */
  active?: boolean | null | undefined;
  /** The events to send, at least one. */
  events?: Array<WebhookEvent> | null | undefined;
  /** An absolute http or https URL of at most 2048 characters whose host is and resolves to public addresses only (not loopback, private, link-local or unspecified), unless the server sets WEBHOOK_ALLOW_PRIVATE_URLS=true. */
  url?: string | null | undefined;
};

/** A booking change a webhook endpoint is told of; the body's "type" is its lower-case dotted form (booking.created). */
export type WebhookEvent =
  /** booking.cancelled: a booking was cancelled, by its owner or invitee. */
  | 'BOOKING_CANCELLED'
  /** booking.completed: the owner marked a booking done. */
  | 'BOOKING_COMPLETED'
  /** booking.created: a booking was made. */
  | 'BOOKING_CREATED'
  /** booking.rescheduled: a booking moved; data.previous holds its old time. */
  | 'BOOKING_RESCHEDULED';

/** A day of the week on the owner's calendar; weeks start on Monday. */
export type Weekday =
  /** Friday. */
  | 'FRIDAY'
  /** Monday, the first day of the week. */
  | 'MONDAY'
  /** Saturday. */
  | 'SATURDAY'
  /** Sunday, the last day of the week. */
  | 'SUNDAY'
  /** Thursday. */
  | 'THURSDAY'
  /** Tuesday. */
  | 'TUESDAY'
  /** Wednesday. */
  | 'WEDNESDAY';

export type PageEventTypeFragment = { id: string, slug: string, title: string, description: string | null, durations: Array<number>, defaultDuration: number };

export type BookingPageOwnerQueryVariables = Exact<{
  ownerId: string | number;
}>;


export type BookingPageOwnerQuery = { owner: { id: string, name: string, slotMinutes: number, eventTypes: Array<{ id: string, slug: string, title: string, description: string | null, durations: Array<number>, defaultDuration: number }> } | null };

export type BookingPageEventTypeQueryVariables = Exact<{
  ownerId: string | number;
  slug: string;
}>;


export type BookingPageEventTypeQuery = { owner: { id: string, name: string, slotMinutes: number } | null, eventType: { id: string, slug: string, title: string, description: string | null, durations: Array<number>, defaultDuration: number } | null };

export type PageFreeSlotsQueryVariables = Exact<{
  ownerId: string | number;
  from: string;
  to: string;
  eventTypeId?: string | number | null | undefined;
  duration?: number | null | undefined;
}>;


export type PageFreeSlotsQuery = { freeSlots: Array<{ startsAt: string, endsAt: string }> };

export type PageBookSlotMutationVariables = Exact<{
  input: BookSlotInput;
}>;


export type PageBookSlotMutation = { bookSlot: { manageToken: string, booking: { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, owner: { id: string, name: string }, hosts: Array<{ id: string, name: string }>, eventType: { id: string, slug: string, title: string, team: { name: string, slug: string } | null } | null } } };

export type PageFreeSlotsChangedSubscriptionVariables = Exact<{
  ownerId: string | number;
  from: string;
  to: string;
  eventTypeId?: string | number | null | undefined;
  duration?: number | null | undefined;
}>;


export type PageFreeSlotsChangedSubscription = { freeSlotsChanged: Array<{ startsAt: string, endsAt: string }> };

export type ManagedBookingFragment = { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, owner: { id: string, name: string }, hosts: Array<{ id: string, name: string }>, eventType: { id: string, slug: string, title: string, team: { name: string, slug: string } | null } | null };

export type PageBookingQueryVariables = Exact<{
  id: string | number;
  manageToken: string;
}>;


export type PageBookingQuery = { booking: { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, owner: { id: string, name: string }, hosts: Array<{ id: string, name: string }>, eventType: { id: string, slug: string, title: string, team: { name: string, slug: string } | null } | null } };

export type PageCancelBookingMutationVariables = Exact<{
  id: string | number;
  manageToken?: string | null | undefined;
}>;


export type PageCancelBookingMutation = { cancelBooking: { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, owner: { id: string, name: string }, hosts: Array<{ id: string, name: string }>, eventType: { id: string, slug: string, title: string, team: { name: string, slug: string } | null } | null } };

export type PageRescheduleBookingMutationVariables = Exact<{
  id: string | number;
  startsAt: string;
  manageToken?: string | null | undefined;
}>;


export type PageRescheduleBookingMutation = { rescheduleBooking: { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, owner: { id: string, name: string }, hosts: Array<{ id: string, name: string }>, eventType: { id: string, slug: string, title: string, team: { name: string, slug: string } | null } | null } };

export type PageAccountCalendarsQueryVariables = Exact<{ [key: string]: never; }>;


export type PageAccountCalendarsQuery = { account: { id: string, email: string, name: string, calendars: Array<{ role: CalendarRole, calendar: { id: string, name: string } }> } | null };

export type PageCreateCalendarMutationVariables = Exact<{
  input: CreateOwnerInput;
}>;


export type PageCreateCalendarMutation = { createCalendar: { id: string, name: string } };

export type PageRequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type PageRequestPasswordResetMutation = { requestPasswordReset: boolean };

export type OwnerCalendarSourcesPageQueryVariables = Exact<{ [key: string]: never; }>;


export type OwnerCalendarSourcesPageQuery = { me: { id: string, calendarSources: Array<{ id: string, kind: CalendarSourceKind, url: string, name: string | null, status: CalendarSourceStatus, lastSyncedAt: string | null, lastError: string | null, busyIntervals: number, writeBookings: boolean }> } };

export type PageAddCalendarSourceMutationVariables = Exact<{
  input: CalendarSourceInput;
}>;


export type PageAddCalendarSourceMutation = { addCalendarSource: { id: string, status: CalendarSourceStatus } };

export type PageSyncCalendarSourceMutationVariables = Exact<{
  id: string | number;
}>;


export type PageSyncCalendarSourceMutation = { syncCalendarSource: { id: string, status: CalendarSourceStatus, lastError: string | null, lastSyncedAt: string | null, busyIntervals: number } };

export type PageRemoveCalendarSourceMutationVariables = Exact<{
  id: string | number;
}>;


export type PageRemoveCalendarSourceMutation = { removeCalendarSource: string };

export type OwnerEmailListQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type OwnerEmailListQuery = { me: { id: string, emails: { edges: Array<{ node: { id: string, kind: EmailKind, to: string, subject: string, status: EmailStatus, attempts: number, lastError: string | null, dueAt: string, sentAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type OwnerEmailDetailQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type OwnerEmailDetailQuery = { me: { id: string, emails: { edges: Array<{ node: { id: string, kind: EmailKind, to: string, subject: string, status: EmailStatus, html: string, text: string, invitation: { method: string, ics: string } | null } }> } } };

export type OwnerBookingFragment = { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, eventType: { title: string, bufferBeforeMinutes: number, bufferAfterMinutes: number } | null };

export type OwnerWeekBookingsQueryVariables = Exact<{
  from: string;
  to: string;
  after?: string | null | undefined;
}>;


export type OwnerWeekBookingsQuery = { me: { id: string, bookings: { edges: Array<{ node: { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, eventType: { title: string, bufferBeforeMinutes: number, bufferAfterMinutes: number } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type OwnerProfileQueryVariables = Exact<{ [key: string]: never; }>;


export type OwnerProfileQuery = { me: { id: string, name: string, timeZone: string, slotMinutes: number, email: string | null, windows: Array<
      | { __typename: 'OneTimeWindow', startsAt: string, endsAt: string, id: string }
      | { __typename: 'RecurringWindow', frequency: Frequency, interval: number, weekdays: Array<Weekday>, startTime: string, endTime: string, startsOn: string, endsOn: string | null, count: number | null, id: string, exceptions: Array<{ date: string, cancelled: boolean, startsAt: string | null, endsAt: string | null }> }
    >, eventTypes: Array<{ id: string, slug: string, title: string, description: string | null, durations: Array<number>, slotStepMinutes: number | null, active: boolean, minNoticeMinutes: number, bufferBeforeMinutes: number, bufferAfterMinutes: number, minCancelNoticeMinutes: number, horizonDays: number | null, maxBookingsPerDay: number | null }> } };

export type PageCreateOwnerMutationVariables = Exact<{
  input: CreateOwnerInput;
}>;


export type PageCreateOwnerMutation = { createOwner: { token: string, owner: { id: string, name: string } } };

export type PageAddOneTimeWindowMutationVariables = Exact<{
  input: OneTimeWindowInput;
}>;


export type PageAddOneTimeWindowMutation = { addOneTimeWindow: { id: string } };

export type PageAddRecurringWindowMutationVariables = Exact<{
  input: RecurringWindowInput;
}>;


export type PageAddRecurringWindowMutation = { addRecurringWindow: { id: string } };

export type PageRemoveWindowMutationVariables = Exact<{
  id: string | number;
}>;


export type PageRemoveWindowMutation = { removeWindow: string };

export type PageCancelOccurrenceMutationVariables = Exact<{
  windowId: string | number;
  date: string;
}>;


export type PageCancelOccurrenceMutation = { cancelOccurrence: { id: string } };

export type PageRestoreOccurrenceMutationVariables = Exact<{
  windowId: string | number;
  date: string;
}>;


export type PageRestoreOccurrenceMutation = { restoreOccurrence: { id: string } };

export type PageCompleteBookingMutationVariables = Exact<{
  id: string | number;
}>;


export type PageCompleteBookingMutation = { completeBooking: { id: string, status: BookingStatus } };

export type PageCreateEventTypeMutationVariables = Exact<{
  input: EventTypeInput;
}>;


export type PageCreateEventTypeMutation = { createEventType: { id: string } };

export type PageUpdateEventTypeMutationVariables = Exact<{
  id: string | number;
  input: EventTypePatch;
}>;


export type PageUpdateEventTypeMutation = { updateEventType: { id: string, active: boolean } };

export type PageUpdateOwnerMutationVariables = Exact<{
  input: UpdateOwnerInput;
}>;


export type PageUpdateOwnerMutation = { updateOwner: { id: string, name: string, timeZone: string, slotMinutes: number, email: string | null } };

export type PageRotateOwnerTokenMutationVariables = Exact<{ [key: string]: never; }>;


export type PageRotateOwnerTokenMutation = { rotateOwnerToken: { token: string, owner: { id: string } } };

export type PageCreateCalendarFeedMutationVariables = Exact<{ [key: string]: never; }>;


export type PageCreateCalendarFeedMutation = { createCalendarFeed: { url: string } };

export type OwnerUpcomingBookingsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type OwnerUpcomingBookingsQuery = { upcomingBookings: { edges: Array<{ node: { id: string, startsAt: string, endsAt: string, status: BookingStatus, invitee: { name: string, email: string }, eventType: { title: string, bufferBeforeMinutes: number, bufferAfterMinutes: number } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type OwnerTeamFragment = { id: string, name: string, slug: string, members: Array<{ priority: number, weight: number, calendar: { id: string, name: string } }>, eventTypes: Array<{ id: string, slug: string, title: string, durations: Array<number>, schedulingType: SchedulingType | null, active: boolean }> };

export type PageAccountTeamsQueryVariables = Exact<{ [key: string]: never; }>;


export type PageAccountTeamsQuery = { account: { id: string, teams: Array<{ id: string, name: string, slug: string, members: Array<{ priority: number, weight: number, calendar: { id: string, name: string } }>, eventTypes: Array<{ id: string, slug: string, title: string, durations: Array<number>, schedulingType: SchedulingType | null, active: boolean }> }> } | null };

export type PageCreateTeamMutationVariables = Exact<{
  input: TeamInput;
}>;


export type PageCreateTeamMutation = { createTeam: { id: string, slug: string } };

export type PageAddTeamMemberMutationVariables = Exact<{
  teamId: string | number;
  calendarId: string | number;
  priority?: number | null | undefined;
  weight?: number | null | undefined;
}>;


export type PageAddTeamMemberMutation = { addTeamMember: { priority: number, weight: number } };

export type PageUpdateTeamMemberMutationVariables = Exact<{
  teamId: string | number;
  calendarId: string | number;
  priority?: number | null | undefined;
  weight?: number | null | undefined;
}>;


export type PageUpdateTeamMemberMutation = { updateTeamMember: { priority: number, weight: number } };

export type PageRemoveTeamMemberMutationVariables = Exact<{
  teamId: string | number;
  calendarId: string | number;
}>;


export type PageRemoveTeamMemberMutation = { removeTeamMember: boolean };

export type PageCreateTeamEventTypeMutationVariables = Exact<{
  teamId: string | number;
  schedulingType: SchedulingType;
  input: EventTypeInput;
}>;


export type PageCreateTeamEventTypeMutation = { createTeamEventType: { id: string, slug: string } };

export type OwnerWebhooksQueryVariables = Exact<{ [key: string]: never; }>;


export type OwnerWebhooksQuery = { me: { id: string, webhookEndpoints: Array<{ id: string, url: string, events: Array<WebhookEvent>, active: boolean, createdAt: string, deliveries: { edges: Array<{ node: { id: string, event: WebhookEvent, status: WebhookDeliveryStatus, attempts: number, lastError: string | null, lastResponseStatus: number | null, createdAt: string, deliveredAt: string | null, nextAttemptAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } }> } };

export type PageAddWebhookEndpointMutationVariables = Exact<{
  input: WebhookEndpointInput;
}>;


export type PageAddWebhookEndpointMutation = { addWebhookEndpoint: { secret: string, endpoint: { id: string } } };

export type PageUpdateWebhookEndpointMutationVariables = Exact<{
  id: string | number;
  input: WebhookEndpointPatch;
}>;


export type PageUpdateWebhookEndpointMutation = { updateWebhookEndpoint: { id: string, active: boolean, events: Array<WebhookEvent> } };

export type PageRemoveWebhookEndpointMutationVariables = Exact<{
  id: string | number;
}>;


export type PageRemoveWebhookEndpointMutation = { removeWebhookEndpoint: string };

export type PageRedeliverWebhookMutationVariables = Exact<{
  deliveryId: string | number;
}>;


export type PageRedeliverWebhookMutation = { redeliverWebhook: { id: string, status: WebhookDeliveryStatus, attempts: number } };

export type TeamBookingPageQueryVariables = Exact<{
  teamSlug: string;
}>;


export type TeamBookingPageQuery = { team: { id: string, name: string, slug: string, eventTypes: Array<{ schedulingType: SchedulingType | null, id: string, slug: string, title: string, description: string | null, durations: Array<number>, defaultDuration: number, owner: { id: string, name: string, slotMinutes: number } }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PageEventTypeFragmentDoc = new TypedDocumentString(`
    fragment PageEventType on EventType {
  id
  slug
  title
  description
  durations
  defaultDuration
}
    `, {"fragmentName":"PageEventType"}) as unknown as TypedDocumentString<PageEventTypeFragment, unknown>;
export const ManagedBookingFragmentDoc = new TypedDocumentString(`
    fragment ManagedBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  owner {
    id
    name
  }
  hosts {
    id
    name
  }
  eventType {
    id
    slug
    title
    team {
      name
      slug
    }
  }
}
    `, {"fragmentName":"ManagedBooking"}) as unknown as TypedDocumentString<ManagedBookingFragment, unknown>;
export const OwnerBookingFragmentDoc = new TypedDocumentString(`
    fragment OwnerBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  eventType {
    title
    bufferBeforeMinutes
    bufferAfterMinutes
  }
}
    `, {"fragmentName":"OwnerBooking"}) as unknown as TypedDocumentString<OwnerBookingFragment, unknown>;
export const OwnerTeamFragmentDoc = new TypedDocumentString(`
    fragment OwnerTeam on Team {
  id
  name
  slug
  members {
    priority
    weight
    calendar {
      id
      name
    }
  }
  eventTypes {
    id
    slug
    title
    durations
    schedulingType
    active
  }
}
    `, {"fragmentName":"OwnerTeam"}) as unknown as TypedDocumentString<OwnerTeamFragment, unknown>;
export const BookingPageOwnerDocument = new TypedDocumentString(`
    query BookingPageOwner($ownerId: ID!) {
  owner(id: $ownerId) {
    id
    name
    slotMinutes
    eventTypes {
      ...PageEventType
    }
  }
}
    fragment PageEventType on EventType {
  id
  slug
  title
  description
  durations
  defaultDuration
}`) as unknown as TypedDocumentString<BookingPageOwnerQuery, BookingPageOwnerQueryVariables>;
export const BookingPageEventTypeDocument = new TypedDocumentString(`
    query BookingPageEventType($ownerId: ID!, $slug: String!) {
  owner(id: $ownerId) {
    id
    name
    slotMinutes
  }
  eventType(ownerId: $ownerId, slug: $slug) {
    ...PageEventType
  }
}
    fragment PageEventType on EventType {
  id
  slug
  title
  description
  durations
  defaultDuration
}`) as unknown as TypedDocumentString<BookingPageEventTypeQuery, BookingPageEventTypeQueryVariables>;
export const PageFreeSlotsDocument = new TypedDocumentString(`
    query PageFreeSlots($ownerId: ID!, $from: DateTime!, $to: DateTime!, $eventTypeId: ID, $duration: Int) {
  freeSlots(
    ownerId: $ownerId
    from: $from
    to: $to
    eventTypeId: $eventTypeId
    duration: $duration
  ) {
    startsAt
    endsAt
  }
}
    `) as unknown as TypedDocumentString<PageFreeSlotsQuery, PageFreeSlotsQueryVariables>;
export const PageBookSlotDocument = new TypedDocumentString(`
    mutation PageBookSlot($input: BookSlotInput!) {
  bookSlot(input: $input) {
    manageToken
    booking {
      ...ManagedBooking
    }
  }
}
    fragment ManagedBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  owner {
    id
    name
  }
  hosts {
    id
    name
  }
  eventType {
    id
    slug
    title
    team {
      name
      slug
    }
  }
}`) as unknown as TypedDocumentString<PageBookSlotMutation, PageBookSlotMutationVariables>;
export const PageFreeSlotsChangedDocument = new TypedDocumentString(`
    subscription PageFreeSlotsChanged($ownerId: ID!, $from: DateTime!, $to: DateTime!, $eventTypeId: ID, $duration: Int) {
  freeSlotsChanged(
    ownerId: $ownerId
    from: $from
    to: $to
    eventTypeId: $eventTypeId
    duration: $duration
  ) {
    startsAt
    endsAt
  }
}
    `) as unknown as TypedDocumentString<PageFreeSlotsChangedSubscription, PageFreeSlotsChangedSubscriptionVariables>;
export const PageBookingDocument = new TypedDocumentString(`
    query PageBooking($id: ID!, $manageToken: String!) {
  booking(id: $id, manageToken: $manageToken) {
    ...ManagedBooking
  }
}
    fragment ManagedBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  owner {
    id
    name
  }
  hosts {
    id
    name
  }
  eventType {
    id
    slug
    title
    team {
      name
      slug
    }
  }
}`) as unknown as TypedDocumentString<PageBookingQuery, PageBookingQueryVariables>;
export const PageCancelBookingDocument = new TypedDocumentString(`
    mutation PageCancelBooking($id: ID!, $manageToken: String) {
  cancelBooking(id: $id, manageToken: $manageToken) {
    ...ManagedBooking
  }
}
    fragment ManagedBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  owner {
    id
    name
  }
  hosts {
    id
    name
  }
  eventType {
    id
    slug
    title
    team {
      name
      slug
    }
  }
}`) as unknown as TypedDocumentString<PageCancelBookingMutation, PageCancelBookingMutationVariables>;
export const PageRescheduleBookingDocument = new TypedDocumentString(`
    mutation PageRescheduleBooking($id: ID!, $startsAt: DateTime!, $manageToken: String) {
  rescheduleBooking(id: $id, startsAt: $startsAt, manageToken: $manageToken) {
    ...ManagedBooking
  }
}
    fragment ManagedBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  owner {
    id
    name
  }
  hosts {
    id
    name
  }
  eventType {
    id
    slug
    title
    team {
      name
      slug
    }
  }
}`) as unknown as TypedDocumentString<PageRescheduleBookingMutation, PageRescheduleBookingMutationVariables>;
export const PageAccountCalendarsDocument = new TypedDocumentString(`
    query PageAccountCalendars {
  account {
    id
    email
    name
    calendars {
      role
      calendar {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PageAccountCalendarsQuery, PageAccountCalendarsQueryVariables>;
export const PageCreateCalendarDocument = new TypedDocumentString(`
    mutation PageCreateCalendar($input: CreateOwnerInput!) {
  createCalendar(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<PageCreateCalendarMutation, PageCreateCalendarMutationVariables>;
export const PageRequestPasswordResetDocument = new TypedDocumentString(`
    mutation PageRequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}
    `) as unknown as TypedDocumentString<PageRequestPasswordResetMutation, PageRequestPasswordResetMutationVariables>;
export const OwnerCalendarSourcesPageDocument = new TypedDocumentString(`
    query OwnerCalendarSourcesPage {
  me {
    id
    calendarSources {
      id
      kind
      url
      name
      status
      lastSyncedAt
      lastError
      busyIntervals
      writeBookings
    }
  }
}
    `) as unknown as TypedDocumentString<OwnerCalendarSourcesPageQuery, OwnerCalendarSourcesPageQueryVariables>;
export const PageAddCalendarSourceDocument = new TypedDocumentString(`
    mutation PageAddCalendarSource($input: CalendarSourceInput!) {
  addCalendarSource(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<PageAddCalendarSourceMutation, PageAddCalendarSourceMutationVariables>;
export const PageSyncCalendarSourceDocument = new TypedDocumentString(`
    mutation PageSyncCalendarSource($id: ID!) {
  syncCalendarSource(id: $id) {
    id
    status
    lastError
    lastSyncedAt
    busyIntervals
  }
}
    `) as unknown as TypedDocumentString<PageSyncCalendarSourceMutation, PageSyncCalendarSourceMutationVariables>;
export const PageRemoveCalendarSourceDocument = new TypedDocumentString(`
    mutation PageRemoveCalendarSource($id: ID!) {
  removeCalendarSource(id: $id)
}
    `) as unknown as TypedDocumentString<PageRemoveCalendarSourceMutation, PageRemoveCalendarSourceMutationVariables>;
export const OwnerEmailListDocument = new TypedDocumentString(`
    query OwnerEmailList($first: Int, $after: String) {
  me {
    id
    emails(first: $first, after: $after) {
      edges {
        node {
          id
          kind
          to
          subject
          status
          attempts
          lastError
          dueAt
          sentAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OwnerEmailListQuery, OwnerEmailListQueryVariables>;
export const OwnerEmailDetailDocument = new TypedDocumentString(`
    query OwnerEmailDetail($first: Int, $after: String) {
  me {
    id
    emails(first: $first, after: $after) {
      edges {
        node {
          id
          kind
          to
          subject
          status
          html
          text
          invitation {
            method
            ics
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OwnerEmailDetailQuery, OwnerEmailDetailQueryVariables>;
export const OwnerWeekBookingsDocument = new TypedDocumentString(`
    query OwnerWeekBookings($from: DateTime!, $to: DateTime!, $after: String) {
  me {
    id
    bookings(from: $from, to: $to, first: 30, after: $after) {
      edges {
        node {
          ...OwnerBooking
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment OwnerBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  eventType {
    title
    bufferBeforeMinutes
    bufferAfterMinutes
  }
}`) as unknown as TypedDocumentString<OwnerWeekBookingsQuery, OwnerWeekBookingsQueryVariables>;
export const OwnerProfileDocument = new TypedDocumentString(`
    query OwnerProfile {
  me {
    id
    name
    timeZone
    slotMinutes
    email
    windows {
      __typename
      id
      ... on OneTimeWindow {
        startsAt
        endsAt
      }
      ... on RecurringWindow {
        frequency
        interval
        weekdays
        startTime
        endTime
        startsOn
        endsOn
        count
        exceptions {
          date
          cancelled
          startsAt
          endsAt
        }
      }
    }
    eventTypes {
      id
      slug
      title
      description
      durations
      slotStepMinutes
      active
      minNoticeMinutes
      bufferBeforeMinutes
      bufferAfterMinutes
      minCancelNoticeMinutes
      horizonDays
      maxBookingsPerDay
    }
  }
}
    `) as unknown as TypedDocumentString<OwnerProfileQuery, OwnerProfileQueryVariables>;
export const PageCreateOwnerDocument = new TypedDocumentString(`
    mutation PageCreateOwner($input: CreateOwnerInput!) {
  createOwner(input: $input) {
    token
    owner {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<PageCreateOwnerMutation, PageCreateOwnerMutationVariables>;
export const PageAddOneTimeWindowDocument = new TypedDocumentString(`
    mutation PageAddOneTimeWindow($input: OneTimeWindowInput!) {
  addOneTimeWindow(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<PageAddOneTimeWindowMutation, PageAddOneTimeWindowMutationVariables>;
export const PageAddRecurringWindowDocument = new TypedDocumentString(`
    mutation PageAddRecurringWindow($input: RecurringWindowInput!) {
  addRecurringWindow(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<PageAddRecurringWindowMutation, PageAddRecurringWindowMutationVariables>;
export const PageRemoveWindowDocument = new TypedDocumentString(`
    mutation PageRemoveWindow($id: ID!) {
  removeWindow(id: $id)
}
    `) as unknown as TypedDocumentString<PageRemoveWindowMutation, PageRemoveWindowMutationVariables>;
export const PageCancelOccurrenceDocument = new TypedDocumentString(`
    mutation PageCancelOccurrence($windowId: ID!, $date: LocalDate!) {
  cancelOccurrence(windowId: $windowId, date: $date) {
    id
  }
}
    `) as unknown as TypedDocumentString<PageCancelOccurrenceMutation, PageCancelOccurrenceMutationVariables>;
export const PageRestoreOccurrenceDocument = new TypedDocumentString(`
    mutation PageRestoreOccurrence($windowId: ID!, $date: LocalDate!) {
  restoreOccurrence(windowId: $windowId, date: $date) {
    id
  }
}
    `) as unknown as TypedDocumentString<PageRestoreOccurrenceMutation, PageRestoreOccurrenceMutationVariables>;
export const PageCompleteBookingDocument = new TypedDocumentString(`
    mutation PageCompleteBooking($id: ID!) {
  completeBooking(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<PageCompleteBookingMutation, PageCompleteBookingMutationVariables>;
export const PageCreateEventTypeDocument = new TypedDocumentString(`
    mutation PageCreateEventType($input: EventTypeInput!) {
  createEventType(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<PageCreateEventTypeMutation, PageCreateEventTypeMutationVariables>;
export const PageUpdateEventTypeDocument = new TypedDocumentString(`
    mutation PageUpdateEventType($id: ID!, $input: EventTypePatch!) {
  updateEventType(id: $id, input: $input) {
    id
    active
  }
}
    `) as unknown as TypedDocumentString<PageUpdateEventTypeMutation, PageUpdateEventTypeMutationVariables>;
export const PageUpdateOwnerDocument = new TypedDocumentString(`
    mutation PageUpdateOwner($input: UpdateOwnerInput!) {
  updateOwner(input: $input) {
    id
    name
    timeZone
    slotMinutes
    email
  }
}
    `) as unknown as TypedDocumentString<PageUpdateOwnerMutation, PageUpdateOwnerMutationVariables>;
export const PageRotateOwnerTokenDocument = new TypedDocumentString(`
    mutation PageRotateOwnerToken {
  rotateOwnerToken {
    token
    owner {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<PageRotateOwnerTokenMutation, PageRotateOwnerTokenMutationVariables>;
export const PageCreateCalendarFeedDocument = new TypedDocumentString(`
    mutation PageCreateCalendarFeed {
  createCalendarFeed {
    url
  }
}
    `) as unknown as TypedDocumentString<PageCreateCalendarFeedMutation, PageCreateCalendarFeedMutationVariables>;
export const OwnerUpcomingBookingsDocument = new TypedDocumentString(`
    query OwnerUpcomingBookings($after: String) {
  upcomingBookings(first: 10, after: $after) {
    edges {
      node {
        ...OwnerBooking
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment OwnerBooking on Booking {
  id
  startsAt
  endsAt
  status
  invitee {
    name
    email
  }
  eventType {
    title
    bufferBeforeMinutes
    bufferAfterMinutes
  }
}`) as unknown as TypedDocumentString<OwnerUpcomingBookingsQuery, OwnerUpcomingBookingsQueryVariables>;
export const PageAccountTeamsDocument = new TypedDocumentString(`
    query PageAccountTeams {
  account {
    id
    teams {
      ...OwnerTeam
    }
  }
}
    fragment OwnerTeam on Team {
  id
  name
  slug
  members {
    priority
    weight
    calendar {
      id
      name
    }
  }
  eventTypes {
    id
    slug
    title
    durations
    schedulingType
    active
  }
}`) as unknown as TypedDocumentString<PageAccountTeamsQuery, PageAccountTeamsQueryVariables>;
export const PageCreateTeamDocument = new TypedDocumentString(`
    mutation PageCreateTeam($input: TeamInput!) {
  createTeam(input: $input) {
    id
    slug
  }
}
    `) as unknown as TypedDocumentString<PageCreateTeamMutation, PageCreateTeamMutationVariables>;
export const PageAddTeamMemberDocument = new TypedDocumentString(`
    mutation PageAddTeamMember($teamId: ID!, $calendarId: ID!, $priority: Int, $weight: Int) {
  addTeamMember(
    teamId: $teamId
    calendarId: $calendarId
    priority: $priority
    weight: $weight
  ) {
    priority
    weight
  }
}
    `) as unknown as TypedDocumentString<PageAddTeamMemberMutation, PageAddTeamMemberMutationVariables>;
export const PageUpdateTeamMemberDocument = new TypedDocumentString(`
    mutation PageUpdateTeamMember($teamId: ID!, $calendarId: ID!, $priority: Int, $weight: Int) {
  updateTeamMember(
    teamId: $teamId
    calendarId: $calendarId
    priority: $priority
    weight: $weight
  ) {
    priority
    weight
  }
}
    `) as unknown as TypedDocumentString<PageUpdateTeamMemberMutation, PageUpdateTeamMemberMutationVariables>;
export const PageRemoveTeamMemberDocument = new TypedDocumentString(`
    mutation PageRemoveTeamMember($teamId: ID!, $calendarId: ID!) {
  removeTeamMember(teamId: $teamId, calendarId: $calendarId)
}
    `) as unknown as TypedDocumentString<PageRemoveTeamMemberMutation, PageRemoveTeamMemberMutationVariables>;
export const PageCreateTeamEventTypeDocument = new TypedDocumentString(`
    mutation PageCreateTeamEventType($teamId: ID!, $schedulingType: SchedulingType!, $input: EventTypeInput!) {
  createTeamEventType(
    teamId: $teamId
    schedulingType: $schedulingType
    input: $input
  ) {
    id
    slug
  }
}
    `) as unknown as TypedDocumentString<PageCreateTeamEventTypeMutation, PageCreateTeamEventTypeMutationVariables>;
export const OwnerWebhooksDocument = new TypedDocumentString(`
    query OwnerWebhooks {
  me {
    id
    webhookEndpoints {
      id
      url
      events
      active
      createdAt
      deliveries(first: 10) {
        edges {
          node {
            id
            event
            status
            attempts
            lastError
            lastResponseStatus
            createdAt
            deliveredAt
            nextAttemptAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OwnerWebhooksQuery, OwnerWebhooksQueryVariables>;
export const PageAddWebhookEndpointDocument = new TypedDocumentString(`
    mutation PageAddWebhookEndpoint($input: WebhookEndpointInput!) {
  addWebhookEndpoint(input: $input) {
    secret
    endpoint {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<PageAddWebhookEndpointMutation, PageAddWebhookEndpointMutationVariables>;
export const PageUpdateWebhookEndpointDocument = new TypedDocumentString(`
    mutation PageUpdateWebhookEndpoint($id: ID!, $input: WebhookEndpointPatch!) {
  updateWebhookEndpoint(id: $id, input: $input) {
    id
    active
    events
  }
}
    `) as unknown as TypedDocumentString<PageUpdateWebhookEndpointMutation, PageUpdateWebhookEndpointMutationVariables>;
export const PageRemoveWebhookEndpointDocument = new TypedDocumentString(`
    mutation PageRemoveWebhookEndpoint($id: ID!) {
  removeWebhookEndpoint(id: $id)
}
    `) as unknown as TypedDocumentString<PageRemoveWebhookEndpointMutation, PageRemoveWebhookEndpointMutationVariables>;
export const PageRedeliverWebhookDocument = new TypedDocumentString(`
    mutation PageRedeliverWebhook($deliveryId: ID!) {
  redeliverWebhook(deliveryId: $deliveryId) {
    id
    status
    attempts
  }
}
    `) as unknown as TypedDocumentString<PageRedeliverWebhookMutation, PageRedeliverWebhookMutationVariables>;
export const TeamBookingPageDocument = new TypedDocumentString(`
    query TeamBookingPage($teamSlug: String!) {
  team(slug: $teamSlug) {
    id
    name
    slug
    eventTypes {
      ...PageEventType
      schedulingType
      owner {
        id
        name
        slotMinutes
      }
    }
  }
}
    fragment PageEventType on EventType {
  id
  slug
  title
  description
  durations
  defaultDuration
}`) as unknown as TypedDocumentString<TeamBookingPageQuery, TeamBookingPageQueryVariables>;