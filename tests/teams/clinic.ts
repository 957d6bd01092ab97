/*
 * What the tests of a collective booking's extra hosts share (docs/api.md, Part 3, 35-37): an
 * account (the clinic) with calendars free on 2030-01-08 from 09:00 to 17:00 UTC, teams of them
 * with given priorities, and their team event types.
 */
import type { Credential, TestApp } from '../support/app';
import {
  AddOneTimeWindowDocument, AddTeamMemberDocument, CreateCalendarDocument, CreateTeamDocument, CreateTeamEventTypeDocument, RegisterDocument, type SchedulingType,
} from '../generated/graphql';

export const at = (hour: number): string => `2030-01-08T${String(hour).padStart(2, '0')}:00:00.000Z`;
export const invitee = { name: 'Grace Hopper', email: 'grace@example.com' };

export interface Clinic {
  account: string;
  /** The account acting on `calendar` (the Slotbook-Calendar header). */
  as(calendar: string): Credential;
  /** A new calendar of the clinic, free 09:00-17:00; answers its id. */
  calendar(name: string): Promise<string>;
  /** A new team of `members` (calendar id and priority); answers its id. */
  team(slug: string, members: Array<[string, number]>): Promise<string>;
  /** A new event type of the team; answers its id. */
  eventType(teamId: string, schedulingType: SchedulingType, slug: string): Promise<string>;
}

export async function openClinic(t: TestApp): Promise<Clinic> {
  const account = (await t.ok(RegisterDocument, { input: { email: 'clinic@example.com', password: 'correct horse battery', name: 'Clinic' } })).register.accessToken;
  const as = (calendar: string): Credential => ({ token: account, calendar });
  return {
    account,
    as,
    async calendar(name) {
      const id = (await t.ok(CreateCalendarDocument, { input: { name, timeZone: 'UTC' } }, account)).createCalendar.id;
      await t.ok(AddOneTimeWindowDocument, { input: { startsAt: at(9), endsAt: at(17) } }, as(id));
      return id;
    },
    async team(slug, members) {
      const teamId = (await t.ok(CreateTeamDocument, { input: { name: slug, slug } }, account)).createTeam.id;
      for (const [calendarId, priority] of members) await t.ok(AddTeamMemberDocument, { teamId, calendarId, priority }, account);
      return teamId;
    },
    async eventType(teamId, schedulingType, slug) {
      return (await t.ok(CreateTeamEventTypeDocument, { teamId, schedulingType, input: { slug, title: slug[0]!.toUpperCase() + slug.slice(1) } }, account)).createTeamEventType.id;
    },
  };
}
