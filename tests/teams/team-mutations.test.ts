import { startTestApp, type TestApp } from '../support/app';
import {
  AddTeamMemberDocument,
  CreateCalendarDocument,
  CreateTeamDocument,
  CreateTeamEventTypeDocument,
  RegisterDocument,
  RemoveTeamMemberDocument,
  TeamBySlugDocument,
  TeamMembersDocument,
  UpdateTeamMemberDocument,
} from '../generated/graphql';

// docs/api.md, Part 3, 35 and the details of 35-39: team mutations act with an account's access
// token, no Slotbook-Calendar header; members are calendars the acting account is a member of;
// bad input is BAD_USER_INPUT naming the field; a team event type's owner is the team's
// highest-priority member, then lowest id, and its durations default to [60].

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

let counter = 0;
async function person(name: string): Promise<string> {
  const email = `${name.toLowerCase()}${++counter}@example.com`;
  return (await t.ok(RegisterDocument, { input: { email, password: 'correct horse battery', name } })).register.accessToken;
}
async function calendarOf(token: string, name: string): Promise<string> {
  // The account has several calendars: a team operation must still need no header.
  return (await t.ok(CreateCalendarDocument, { input: { name, timeZone: 'Europe/Berlin' } }, token)).createCalendar.id;
}

test('createTeam: an account administers the team it creates; name and slug are checked; slugs are unique among teams', async () => {
  const anna = await person('Anna');
  const owner = await t.createOwner();
  await t.fails(CreateTeamDocument, { input: { name: 'Sales', slug: 'sales' } }, 'UNAUTHENTICATED');
  await t.fails(CreateTeamDocument, { input: { name: 'Sales', slug: 'sales' } }, 'UNAUTHENTICATED', owner.token);
  const cases: Array<[{ name: string; slug: string }, string]> = [
    [{ name: '   ', slug: 'ok' }, 'input.name'],
    [{ name: 'x'.repeat(201), slug: 'ok' }, 'input.name'],
    [{ name: 'Sales', slug: 'Sales' }, 'input.slug'],
    [{ name: 'Sales', slug: '-sales' }, 'input.slug'],
    [{ name: 'Sales', slug: 'a'.repeat(61) }, 'input.slug'],
  ];
  for (const [input, field] of cases) {
    const error = await t.fails(CreateTeamDocument, { input }, 'BAD_USER_INPUT', anna);
    expect(error.extensions?.field).toBe(field);
  }
  const { createTeam } = await t.ok(CreateTeamDocument, { input: { name: ' Sales ', slug: 'sales' } }, anna);
  expect(createTeam).toMatchObject({ name: 'Sales', slug: 'sales' });
  const taken = await t.fails(CreateTeamDocument, { input: { name: 'Other', slug: 'sales' } }, 'BAD_USER_INPUT', await person('Bert'));
  expect(taken.extensions?.field).toBe('input.slug');
});

test('team members: only calendars the administering account is a member of; priority 0..4, weight 1..100; update and remove', async () => {
  const anna = await person('Anna');
  const bert = await person('Bert');
  const [a1, a2] = [await calendarOf(anna, 'A1'), await calendarOf(anna, 'A2')];
  const b1 = await calendarOf(bert, 'B1');
  const { createTeam } = await t.ok(CreateTeamDocument, { input: { name: 'Support', slug: 'support' } }, anna);
  const teamId = createTeam.id;

  await t.fails(AddTeamMemberDocument, { teamId, calendarId: a1 }, 'UNAUTHENTICATED');
  // Bert administers no team and Anna's calendar is not his.
  await t.fails(AddTeamMemberDocument, { teamId, calendarId: b1 }, 'FORBIDDEN', bert);
  // Anna administers the team but is no member of Bert's calendar.
  await t.fails(AddTeamMemberDocument, { teamId, calendarId: b1 }, 'FORBIDDEN', anna);
  await t.fails(AddTeamMemberDocument, { teamId, calendarId: 'no-such-calendar' }, 'NOT_FOUND', anna);
  await t.fails(AddTeamMemberDocument, { teamId: 'no-such-team', calendarId: a1 }, 'NOT_FOUND', anna);
  for (const [vars, field] of [
    [{ priority: 5 }, 'priority'],
    [{ priority: -1 }, 'priority'],
    [{ weight: 0 }, 'weight'],
    [{ weight: 101 }, 'weight'],
  ] as const) {
    const error = await t.fails(AddTeamMemberDocument, { teamId, calendarId: a1, ...vars }, 'BAD_USER_INPUT', anna);
    expect(error.extensions?.field).toBe(field);
  }

  const added = await t.ok(AddTeamMemberDocument, { teamId, calendarId: a1 }, anna);
  expect(added.addTeamMember).toEqual({ calendar: { id: a1 }, priority: 2, weight: 1 });
  await t.ok(AddTeamMemberDocument, { teamId, calendarId: a2, priority: 4, weight: 3 }, anna);
  const again = await t.fails(AddTeamMemberDocument, { teamId, calendarId: a1 }, 'BAD_USER_INPUT', anna);
  expect(again.extensions?.field).toBe('calendarId');

  await t.fails(UpdateTeamMemberDocument, { teamId, calendarId: a1, priority: 3 }, 'FORBIDDEN', bert);
  const badWeight = await t.fails(UpdateTeamMemberDocument, { teamId, calendarId: a1, weight: 1000 }, 'BAD_USER_INPUT', anna);
  expect(badWeight.extensions?.field).toBe('weight');
  const updated = await t.ok(UpdateTeamMemberDocument, { teamId, calendarId: a1, weight: 7 }, anna);
  expect(updated.updateTeamMember).toEqual({ calendar: { id: a1 }, priority: 2, weight: 7 });
  await t.fails(UpdateTeamMemberDocument, { teamId, calendarId: b1, weight: 2 }, 'NOT_FOUND', anna);

  const members = await t.ok(TeamMembersDocument, { slug: 'support' }, anna);
  expect(members.team?.members).toEqual([
    { calendar: { id: a2 }, priority: 4, weight: 3 },
    { calendar: { id: a1 }, priority: 2, weight: 7 },
  ]);
  await t.fails(TeamMembersDocument, { slug: 'support' }, 'FORBIDDEN', bert);

  await t.fails(RemoveTeamMemberDocument, { teamId, calendarId: a1 }, 'FORBIDDEN', bert);
  expect((await t.ok(RemoveTeamMemberDocument, { teamId, calendarId: a1 }, anna)).removeTeamMember).toBe(true);
  expect((await t.ok(RemoveTeamMemberDocument, { teamId, calendarId: a1 }, anna)).removeTeamMember).toBe(false);
});

test("createTeamEventType: owner is the highest-priority member, then lowest id; durations default to [60]; team(slug) is public and shows active event types", async () => {
  const anna = await person('Anna');
  const calendars = [await calendarOf(anna, 'C1'), await calendarOf(anna, 'C2'), await calendarOf(anna, 'C3')];
  const { createTeam } = await t.ok(CreateTeamDocument, { input: { name: 'Clinic', slug: 'clinic' } }, anna);
  const teamId = createTeam.id;
  const input = { slug: 'intro', title: 'Intro' };
  const empty = await t.fails(CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input }, 'BAD_USER_INPUT', anna);
  expect(empty.extensions?.field).toBe('teamId');

  // Two members share the top priority: the lower id (plain string order) leads.
  const [low, high] = [...calendars].sort();
  const other = calendars.find((c) => c !== low && c !== high)!;
  await t.ok(AddTeamMemberDocument, { teamId, calendarId: other, priority: 1 }, anna);
  await t.ok(AddTeamMemberDocument, { teamId, calendarId: high, priority: 3 }, anna);
  await t.ok(AddTeamMemberDocument, { teamId, calendarId: low, priority: 3 }, anna);

  await t.fails(CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input }, 'FORBIDDEN', await person('Eve'));
  const { createTeamEventType } = await t.ok(CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input }, anna);
  expect(createTeamEventType).toMatchObject({ slug: 'intro', durations: [60], defaultDuration: 60, schedulingType: 'ROUND_ROBIN', owner: { id: low }, team: { id: teamId, slug: 'clinic' } });
  const dup = await t.fails(CreateTeamEventTypeDocument, { teamId, schedulingType: 'COLLECTIVE', input }, 'BAD_USER_INPUT', anna);
  expect(dup.extensions?.field).toBe('input.slug');
  const badDuration = await t.fails(CreateTeamEventTypeDocument, { teamId, schedulingType: 'COLLECTIVE', input: { slug: 'x', title: 'X', durations: [7] } }, 'BAD_USER_INPUT', anna);
  expect(badDuration.extensions?.field).toBe('input.durations');
  // Seats (rule 38) are a calendar's own event types': a team's host changes per booking.
  const seats = await t.fails(CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input: { slug: 'class', title: 'Class', seatsPerSlot: 5 } }, 'BAD_USER_INPUT', anna);
  expect(seats.extensions?.field).toBe('input.seatsPerSlot');
  await t.ok(CreateTeamEventTypeDocument, { teamId, schedulingType: 'COLLECTIVE', input: { slug: 'hidden', title: 'Hidden', active: false } }, anna);

  // The owner changes with the members' priorities.
  await t.ok(UpdateTeamMemberDocument, { teamId, calendarId: other, priority: 4 }, anna);
  const publicView = await t.ok(TeamBySlugDocument, { slug: 'clinic' });
  expect(publicView.team).toMatchObject({ name: 'Clinic', slug: 'clinic', eventTypes: [{ slug: 'intro', schedulingType: 'ROUND_ROBIN', active: true }] });
  expect((await t.ok(TeamBySlugDocument, { slug: 'clinic' }, anna)).team?.eventTypes.map((e) => e.slug)).toEqual(['hidden', 'intro']);
  expect((await t.ok(TeamBySlugDocument, { slug: 'nobody' })).team).toBeNull();
});
