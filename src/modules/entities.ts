import { Owner } from './owner/owner.entity';
import { OneTimeWindow, RecurringWindow, WindowException } from './availability/window.entity';
import { Booking, BookingCell, EventTypeDay, ManageToken } from './booking/booking.entity';
import { EventType } from './event-type/event-type.entity';
import { CalendarFeedSecret } from './calendar-feed/calendar-feed.entity';
import { WebhookDelivery, WebhookEndpoint, WebhookMessage } from './webhook/webhook.entity';
import { Email, PasswordResetEmailLink } from './email/email.entity';
import { CalendarSource } from './calendar-source/calendar-source.entity';
import { BusyInterval } from './calendar-source/busy-interval.entity';
import { Team, TeamAdmin, TeamMember } from './team/team.entity';
import { Account, AccountSession, CalendarMembership, PasswordReset, RefreshToken } from './account/account.entity';

/** Every entity the ORM maps, handed to the database layer by whoever opens it (app.ts, the CLI config). */
export const entities = [Owner, OneTimeWindow, RecurringWindow, WindowException, EventType, Booking, BookingCell, ManageToken, EventTypeDay, CalendarFeedSecret, WebhookEndpoint, WebhookMessage, WebhookDelivery, Email, PasswordResetEmailLink, BusyInterval, CalendarSource, Account, AccountSession, RefreshToken, PasswordReset, CalendarMembership, Team, TeamMember, TeamAdmin];
