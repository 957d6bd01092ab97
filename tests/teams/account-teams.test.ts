import { startTestApp, type TestApp } from '../support/app';
import { recordStatements, startClient } from '../performance/client';
import {
  AccountTeamsDocument,
  AccountTeamsWithMembersDocument,
  AddCalendarMemberDocument,
  AddTeamMemberDocument,
  CreateCalendarDocument,
  CreateTeamDocument,
  LoginWithTeamsDocument,
  RegisterDocument,
} from '../generated/graphql';

// Account.teams (docs/teams.md, "The account's teams"): an addition to docs/api.md (Part 3,
// 35-39), which lets an account find again the teams it administers. Sent over real HTTP, so the
// access token goes through the context function as a client's does.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ over: 'http' });
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery';
let counter = 0;
async function person(name: string): Promise<{ email: string; token: string }> {
  const email = `${name.toLowerCase()}${++counter}@example.com`;
  return { email, token: (await t.ok(RegisterDocument, { input: { email, password: PASSWORD, name } })).register.accessToken };
}
async function teamsOf(token: string): Promise<Array<{ id: string; name: string; slug: string }>> {
  const { account } = await t.ok(AccountTeamsDocument, {}, token);
  return account!.teams;
}

test('each account sees the teams it created and only those, by name then id; a new account has none', async () => {
  const anna = await person('Anna');
  const bert = await person('Bert');
  expect(await teamsOf(anna.token)).toEqual([]);

  const made: Record<string, string> = {};
  // Plain string order: upper case before lower case; two teams of one name go by id.
  for (const [name, slug] of [['support', 'lower-support'], ['Sales', 'sales-b'], ['Billing', 'billing'], ['Sales', 'sales-a']] as const) {
    made[slug] = (await t.ok(CreateTeamDocument, { input: { name, slug } }, anna.token)).createTeam.id;
  }
  const bertsTeam = (await t.ok(CreateTeamDocument, { input: { name: 'Aardvarks', slug: 'aardvarks' } }, bert.token)).createTeam;

  const sales = [made['sales-a']!, made['sales-b']!].sort();
  expect((await teamsOf(anna.token)).map((team) => team.id)).toEqual([made['billing'], ...sales, made['lower-support']]);
  expect((await teamsOf(anna.token))[0]).toEqual({ id: made['billing'], name: 'Billing', slug: 'billing' });
  expect(await teamsOf(bert.token)).toEqual([bertsTeam]);
});

test("the teams it administers, not those its calendars are members of; signing in shows them too", async () => {
  const anna = await person('Anna');
  const bert = await person('Bert');
  const calendar = (await t.ok(CreateCalendarDocument, { input: { name: 'Front desk', timeZone: 'Europe/Berlin' } }, anna.token)).createCalendar.id;
  await t.ok(AddCalendarMemberDocument, { calendarId: calendar, email: bert.email, role: 'OWNER' }, anna.token);
  const team = (await t.ok(CreateTeamDocument, { input: { name: 'Front', slug: 'front' } }, anna.token)).createTeam;
  await t.ok(AddTeamMemberDocument, { teamId: team.id, calendarId: calendar }, anna.token);
  // Bert is an OWNER of the member calendar, but createTeam made only Anna the team's administrator.
  expect(await teamsOf(anna.token)).toEqual([team]);
  expect(await teamsOf(bert.token)).toEqual([]);

  const { login } = await t.ok(LoginWithTeamsDocument, { email: anna.email, password: PASSWORD });
  expect(login.account.teams).toEqual([{ slug: 'front' }]);
});

test('without an access token there is no account to list teams of', async () => {
  const anna = await person('Anna');
  await t.ok(CreateTeamDocument, { input: { name: 'Hidden', slug: 'hidden' } }, anna.token);
  expect((await t.ok(AccountTeamsDocument, {})).account).toBeNull();
  expect((await t.ok(AccountTeamsDocument, {}, 'sba_not-a-token')).account).toBeNull();
  // An owner token acts for a calendar, not for an account.
  const owner = await t.createOwner();
  expect((await t.ok(AccountTeamsDocument, {}, owner.token)).account).toBeNull();
});

test("the account's teams and their members are read in the same statements for 1 team as for 6 (DataLoader)", async () => {
  // sqlite::memory: (startClient): recordStatements sees the ORM's statements only.
  const client = await startClient();
  try {
    const token = (await client.ok(RegisterDocument, { input: { email: 'cara@example.com', password: PASSWORD, name: 'Cara' } })).register.accessToken;
    const calendar = (await client.ok(CreateCalendarDocument, { input: { name: 'Cara', timeZone: 'Europe/Berlin' } }, token)).createCalendar.id;
    const addTeams = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const { createTeam } = await client.ok(CreateTeamDocument, { input: { name: `Team ${i}`, slug: `team-${i}` } }, token);
        await client.ok(AddTeamMemberDocument, { teamId: createTeam.id, calendarId: calendar }, token);
      }
    };
    const read = () => recordStatements(client.app, () => client.ok(AccountTeamsWithMembersDocument, {}, token));
    await addTeams(0, 1);
    const one = await read();
    await addTeams(1, 6);
    const six = await read();
    expect((await client.ok(AccountTeamsWithMembersDocument, {}, token)).account!.teams).toHaveLength(6);
    expect(six.length).toBe(one.length);
  } finally {
    await client.close();
  }
});
