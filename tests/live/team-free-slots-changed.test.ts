import type { Credential, ServedTestApp } from '../support/app';
import { testDialect } from '../support/database';
import { AddOneTimeWindowDocument, AddTeamMemberDocument, BookSlotDocument, CreateCalendarDocument, CreateTeamDocument, CreateTeamEventTypeDocument, RegisterDocument } from '../generated/graphql';
import { liveClient, twoAppsOnOneDatabase, watch, type LiveClient } from './live-client';

// freeSlotsChanged with a team's event type (docs/api.md Part 2, 19; Part 3, 36-37): the list is
// the team's, so it changes with any member's calendar, not only the member the arguments name.
// Subscribers on app A, changes through app B on the same database (a SQLite file polled every
// 50 ms, or PostgreSQL's notifications).

const day = (h: number) => `2030-01-08T${String(h).padStart(2, '0')}:00:00.000Z`;
const RANGE = { from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };

describe(`freeSlotsChanged for a team's event type (${testDialect})`, () => {
  let apps: Awaited<ReturnType<typeof twoAppsOnOneDatabase>>;
  let a: ServedTestApp;
  let b: ServedTestApp;
  let account: string;
  const clients: LiveClient[] = [];
  const as = (calendar: string): Credential => ({ token: account, calendar });

  beforeAll(async () => {
    apps = await twoAppsOnOneDatabase();
    ({ a, b } = apps);
    account = (await b.ok(RegisterDocument, { input: { email: 'lead@example.com', password: 'correct horse battery', name: 'Lead' } })).register.accessToken;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => apps?.close());

  // Per scheduling type: the members' windows, the team's first list, a booking of the named
  // member's own and the list after it, then one of the other member's own and the list after it.
  const cases = {
    ROUND_ROBIN: { windows: [[9, 11], [10, 12]], first: [9, 10, 11], named: [9, [10, 11]], other: [11, [10]] },
    COLLECTIVE: { windows: [[9, 12], [10, 12]], first: [10, 11], named: [11, [10]], other: [10, []] },
  } as const;

  test.each(['ROUND_ROBIN', 'COLLECTIVE'] as const)('%s: a change of the member not named in the arguments sends the new list', async (schedulingType) => {
    const c = cases[schedulingType];
    const slug = schedulingType.toLowerCase().replace('_', '-');
    const members: string[] = [];
    for (const [i, [from, to]] of c.windows.entries()) {
      const id = (await b.ok(CreateCalendarDocument, { input: { name: `Member ${i} ${slug}`, timeZone: 'UTC' } }, account)).createCalendar.id;
      await b.ok(AddOneTimeWindowDocument, { input: { startsAt: day(from), endsAt: day(to) } }, as(id));
      members.push(id);
    }
    const teamId = (await b.ok(CreateTeamDocument, { input: { name: `Team ${slug}`, slug } }, account)).createTeam.id;
    for (const calendarId of members) await b.ok(AddTeamMemberDocument, { teamId, calendarId }, account);
    const eventTypeId = (await b.ok(CreateTeamEventTypeDocument, { teamId, schedulingType, input: { slug: 'call', title: 'Call' } }, account)).createTeamEventType.id;
    const bookOwn = (ownerId: string, hour: number) => b.ok(BookSlotDocument, { input: { ownerId, startsAt: day(hour), invitee: { name: 'Grace', email: 'grace@example.com' } } });

    const live = liveClient(a.url);
    clients.push(live);
    const w = watch(live, { ownerId: members[0]!, eventTypeId, ...RANGE });
    expect(await w.nth(1)).toEqual(c.first.map(day));
    // The named member's own booking: once its list is here, the subscription follows changes.
    await bookOwn(members[0]!, c.named[0]);
    expect(await w.nth(2)).toEqual(c.named[1].map(day));
    // Only the other member's own calendar changes.
    await bookOwn(members[1]!, c.other[0]);
    expect(await w.nth(3)).toEqual(c.other[1].map(day));
    expect(w.errors).toEqual([]);
  });
});
