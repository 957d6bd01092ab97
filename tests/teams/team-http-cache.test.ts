import { print } from 'graphql';
import { startTestApp, type Credential, type ServedTestApp } from '../support/app';
import {
  AddOneTimeWindowDocument,
  AddTeamMemberDocument,
  BookSlotDocument,
  CreateCalendarDocument,
  CreateTeamDocument,
  CreateTeamEventTypeDocument,
  EventTypeFreeSlotsDocument,
  RegisterDocument,
} from '../generated/graphql';

// A public GET of a team event type's slots names one member, but its answer depends on every
// member (docs/api.md, Part 3, 36): a change to another member must never be hidden by a 304
// or a kept answer (graphql/http-cache.ts keys answers by the owners the arguments name).

let t: ServedTestApp;
afterAll(() => t.close());

test("a team's public GET is never answered 304 across another member's change", async () => {
  t = await startTestApp({ listen: true });
  const account = (await t.ok(RegisterDocument, { input: { email: 'lead@example.com', password: 'correct horse battery', name: 'Lead' } })).register.accessToken;
  const [m1, m2] = [
    (await t.ok(CreateCalendarDocument, { input: { name: 'M1', timeZone: 'UTC' } }, account)).createCalendar.id,
    (await t.ok(CreateCalendarDocument, { input: { name: 'M2', timeZone: 'UTC' } }, account)).createCalendar.id,
  ];
  const as = (calendar: string): Credential => ({ token: account, calendar });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T10:00:00Z' } }, as(m1));
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T11:00:00Z' } }, as(m2));
  const teamId = (await t.ok(CreateTeamDocument, { input: { name: 'Team', slug: 'team' } }, account)).createTeam.id;
  for (const calendarId of [m1, m2]) await t.ok(AddTeamMemberDocument, { teamId, calendarId }, account);
  const eventTypeId = (await t.ok(CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input: { slug: 'rr', title: 'RR' } }, account)).createTeamEventType.id;

  const search = new URLSearchParams({
    query: print(EventTypeFreeSlotsDocument),
    variables: JSON.stringify({ ownerId: m1, eventTypeId, from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' }),
  });
  const startsOf = async (r: Response) => ((await r.json()) as { data: { freeSlots: Array<{ startsAt: string }> } }).data.freeSlots.map((x) => x.startsAt);
  const get = (headers: Record<string, string> = {}) => fetch(`${t.url}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  const first = await get();
  const etag = first.headers.get('etag');
  expect(await startsOf(first)).toEqual(['2030-01-08T09:00:00.000Z', '2030-01-08T10:00:00.000Z']);

  // Only m2 is free at 10:00; booking it changes the team's answer, and m1 (the named owner) not at all.
  await t.ok(BookSlotDocument, { input: { ownerId: m2, startsAt: '2030-01-08T10:00:00Z', invitee: { name: 'Ivy', email: 'ivy@example.com' } } });
  const again = await get(etag ? { 'if-none-match': etag } : {});
  expect(again.status).toBe(200);
  expect(await startsOf(again)).toEqual(['2030-01-08T09:00:00.000Z']);
  const kept = await get();
  expect(await startsOf(kept)).toHaveLength(1);
});
