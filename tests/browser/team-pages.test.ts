import type { Page } from 'playwright-core';
import type { ServedTestApp } from '../support/app';
import {
  AddRecurringWindowDocument,
  AddTeamMemberDocument,
  BookingHostsDocument,
  CreateCalendarDocument,
  CreateTeamDocument,
  CreateTeamEventTypeDocument,
  RegisterDocument,
  TeamBySlugDocument,
  TeamFreeSlotsDocument,
  TeamMembersDocument,
} from '../generated/graphql';
import { attributes, describeInBrowser, expectAccessible, screenshotPath, sharedBrowser } from './browser';
import { localDate } from './booking-scene';
import { onOwnerServer } from './owner-server';

// Teams on the pages (docs/api.md, Part 3, 35-39): an account makes a team of two of its calendars
// and a round-robin event type on /owner; an invitee books it on /team/<teamSlug>/<eventTypeSlug>
// with the hooks of Part 2, 20, and the confirmation names the assigned host. After a reload the
// owner page still lists the account's teams.

const ZONE = 'Europe/Berlin';
const PASSWORD = 'correct horse battery';
const EMAIL = 'desk@example.com';
/** Tuesday 2030-01-08, 14:00 in Berlin: only Dr. Bob's afternoon window is open then. */
const BOB_ONLY = '2030-01-08T13:00:00.000Z';

interface Practice {
  token: string;
  ada: string;
  bob: string;
  evening: string;
}

/**
 * An account with three calendars in Berlin: Dr. Ada and Dr. Bob free Tuesday to Friday 09:00-12:00
 * from 2030-01-08 (DEFAULT_NOW is Monday 2030-01-07), Dr. Bob also 14:00-16:00; Evening clinic
 * has no windows.
 */
async function practice(t: ServedTestApp): Promise<Practice> {
  const { register } = await t.ok(RegisterDocument, { input: { email: EMAIL, password: PASSWORD, name: 'Front desk' } });
  const token = register.accessToken;
  const calendar = async (name: string) => (await t.ok(CreateCalendarDocument, { input: { name, timeZone: ZONE } }, token)).createCalendar.id;
  const [ada, bob, evening] = [await calendar('Dr. Ada'), await calendar('Dr. Bob'), await calendar('Evening clinic')];
  const window = (id: string, startTime: string, endTime: string) =>
    t.ok(AddRecurringWindowDocument, { input: { weekdays: ['TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], startTime, endTime, startsOn: '2030-01-08' } }, { token, calendar: id });
  await window(ada, '09:00', '12:00');
  await window(bob, '09:00', '12:00');
  await window(bob, '14:00', '16:00');
  return { token, ada, bob, evening };
}

async function teamSlots(t: ServedTestApp): Promise<string[]> {
  const { teamFreeSlots } = await t.ok(TeamFreeSlotsDocument, { teamSlug: 'front-desk', eventTypeSlug: 'intro-call', from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' });
  return teamFreeSlots.map((slot) => slot.startsAt);
}

/** The invitee's part: the team page, a time, Name, Email, Book; the manage address it lands on. */
async function bookOnTeamPage(page: Page, t: ServedTestApp, start: string): Promise<{ id: string; token: string }> {
  await page.goto(`${t.origin}/team/front-desk/intro-call`);
  await page.locator(`button[data-date="${localDate(start, ZONE)}"]`).click();
  await page.locator(`button[data-start="${start}"]`).click();
  await page.getByLabel('Name').fill('Grace Hopper');
  await page.getByLabel('Email').fill('grace@example.com');
  await page.getByRole('button', { name: 'Book' }).click();
  await page.getByRole('status').filter({ hasText: 'Confirmed' }).waitFor();
  await page.getByRole('link', { name: 'Manage booking' }).waitFor();
  const url = new URL(page.url());
  return { id: decodeURIComponent(url.pathname.split('/')[2]!), token: url.searchParams.get('token')! };
}

describeInBrowser('team pages in Chromium', ['a team made on /owner, booked on /team/<slug>/<type>', 'round robin assigns the member who is free'], () => {
  const browserOf = sharedBrowser();

  test('an account makes a round-robin team on /owner; an invitee books it on /team/front-desk/intro-call and the confirmation names the host', () =>
    onOwnerServer(browserOf(), ZONE, async (page, t) => {
      const { token, ada, bob, evening } = await practice(t);
      page.setDefaultTimeout(15_000);
      await page.goto(`${t.origin}/owner`);
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const teams = page.getByRole('region', { name: 'Teams' });
      await teams.waitFor();

      // Create the team.
      await teams.getByLabel('Team name').fill('Front desk team');
      await teams.getByLabel('Team link name').fill('front-desk');
      await teams.getByRole('button', { name: 'Create team' }).click();
      const team = teams.getByRole('article', { name: /Front desk team/ });
      await team.getByText('No members yet').waitFor();

      // A second team with the same link name: the server's refusal, beside the input.
      await teams.getByLabel('Team name').fill('Another');
      await teams.getByLabel('Team link name').fill('front-desk');
      await teams.getByRole('button', { name: 'Create team' }).click();
      await teams.getByText('Team link name must be unique among teams').waitFor();
      expect(await teams.getByLabel('Team link name').getAttribute('aria-invalid')).toBe('true');

      // Members: Dr. Ada first, at priority 3 (so the team's lead), then Dr. Bob and Evening clinic.
      const addMember = async (name: string, priority?: string) => {
        await team.getByLabel('Member calendar').selectOption({ label: name });
        if (priority) await team.getByLabel('Priority', { exact: true }).fill(priority);
        await team.getByRole('button', { name: 'Add member' }).click();
        await team.getByRole('status').filter({ hasText: `${name} added to the team.` }).waitFor();
      };
      await addMember('Dr. Ada', '3');
      await addMember('Dr. Bob');
      await addMember('Evening clinic');
      expect(await team.getByText('Every calendar of yours is a member.').count()).toBe(1);

      // Update: a priority out of range is refused beside its input; a weight is saved.
      await team.getByLabel('Priority of Dr. Bob').fill('9');
      await team.getByRole('button', { name: 'Save Dr. Bob' }).click();
      await team.getByText('Priority must be 0 to 4.').waitFor();
      expect(await team.getByLabel('Priority of Dr. Bob').getAttribute('aria-invalid')).toBe('true');
      await team.getByLabel('Priority of Dr. Bob').fill('2');
      await team.getByLabel('Weight of Dr. Bob').fill('3');
      await team.getByRole('button', { name: 'Save Dr. Bob' }).click();
      await team.getByRole('status').filter({ hasText: 'Dr. Bob saved.' }).waitFor();

      // Remove Evening clinic (it asks first).
      await team.getByRole('button', { name: 'Remove Evening clinic' }).click();
      await team.getByRole('button', { name: 'Yes, remove it' }).click();
      await team.getByRole('status').filter({ hasText: 'Evening clinic removed from the team.' }).waitFor();
      const { team: members } = await t.ok(TeamMembersDocument, { slug: 'front-desk' }, token);
      expect(members!.members).toEqual([
        { calendar: { id: ada }, priority: 3, weight: 1 },
        { calendar: { id: bob }, priority: 2, weight: 3 },
      ]);
      expect(members!.members.some((m) => m.calendar.id === evening)).toBe(false);

      // A round-robin event type: a bad duration is refused beside its input, then it is added.
      await team.getByLabel('Round robin').check();
      await team.getByLabel('Title').fill('Intro call');
      await team.getByLabel('Durations (minutes)').fill('7');
      await team.getByRole('button', { name: 'Add team event type' }).click();
      await team.getByText('Durations each length must be a multiple of 5 minutes.').waitFor();
      await team.getByLabel('Durations (minutes)').fill('30');
      await team.getByRole('button', { name: 'Add team event type' }).click();
      await team.getByRole('status').filter({ hasText: 'Event type Intro call added to Front desk team.' }).waitFor();
      expect(await team.getByRole('textbox', { name: 'Link to Intro call' }).inputValue()).toBe(`${t.origin}/team/front-desk/intro-call`);
      const { team: made } = await t.ok(TeamBySlugDocument, { slug: 'front-desk' });
      expect(made!.eventTypes).toEqual([expect.objectContaining({ slug: 'intro-call', schedulingType: 'ROUND_ROBIN', active: true })]);
      await expectAccessible(page, 'owner page with a team');

      // A reload reads the account's teams again (Account.teams, by name): the team with its
      // members and event type, a team this account made elsewhere, none of another account's.
      await t.ok(CreateTeamDocument, { input: { name: 'Back office', slug: 'back-office' } }, token);
      const other = (await t.ok(RegisterDocument, { input: { email: 'other@example.com', password: PASSWORD, name: 'Other' } })).register.accessToken;
      await t.ok(CreateTeamDocument, { input: { name: 'Elsewhere', slug: 'elsewhere' } }, other);
      await page.reload();
      await team.getByLabel('Weight of Dr. Bob').waitFor();
      expect(await teams.locator('article.team > h3').allTextContents()).toEqual(['Back office /team/back-office', 'Front desk team /team/front-desk']);
      expect(await team.getByLabel('Weight of Dr. Bob').inputValue()).toBe('3');
      expect(await team.getByRole('textbox', { name: 'Link to Intro call' }).inputValue()).toBe(`${t.origin}/team/front-desk/intro-call`);

      // The invitee's page: the team's name, the team's slots (Dr. Bob's afternoons included), the hooks of Part 2, 20.
      const slots = await teamSlots(t);
      expect(slots).toContain(BOB_ONLY);
      const [first] = slots;
      const day = localDate(first!, ZONE);
      await page.goto(`${t.origin}/team/front-desk/intro-call`);
      await page.getByRole('heading', { level: 1, name: 'Front desk team' }).waitFor();
      await page.getByRole('heading', { name: 'Intro call' }).waitFor();
      await page.getByText('With one member of the team').waitFor();
      await page.locator(`button[data-date="${day}"]`).click();
      expect(await attributes(page, 'button[data-start]', 'data-start')).toEqual(slots.filter((start) => localDate(start, ZONE) === day));
      await expectAccessible(page, 'team booking page');
      await page.screenshot({ path: screenshotPath('team-booking-page.png'), fullPage: true });

      const booked = await bookOnTeamPage(page, t, first!);
      const { booking } = await t.ok(BookingHostsDocument, { id: booked.id, manageToken: booked.token });
      expect([ada, bob]).toContain(booking.owner.id);
      const host = booking.owner.id === ada ? 'Dr. Ada' : 'Dr. Bob';
      await expect(page.getByRole('status').textContent()).resolves.toContain(`You are booked with ${host}.`);
      await page.getByRole('heading', { level: 1, name: host }).waitFor();
      expect(await page.getByText('Your Front desk team booking with').count()).toBe(1);

      // Unknown team or event type: the single-owner page's not-found words.
      for (const path of ['/team/front-desk/no-such-type', '/team/no-such-team/intro-call']) {
        await page.goto(`${t.origin}${path}`);
        await expect(page.getByRole('alert').textContent()).resolves.toContain('This booking page does not exist.');
      }
    }), 120_000);

  // Round-robin assignment in bookSlot (docs/api.md, Part 3, 36): the page sends the team's lead,
  // Dr. Ada, as ownerId; a start only Dr. Bob is free for is assigned to him.
  test('round robin: a time only Dr. Bob is free for is booked with Dr. Bob, and the confirmation says so', () =>
    onOwnerServer(browserOf(), ZONE, async (page, t) => {
      const { token, ada, bob } = await practice(t);
      const { createTeam } = await t.ok(CreateTeamDocument, { input: { name: 'Front desk team', slug: 'front-desk' } }, token);
      await t.ok(AddTeamMemberDocument, { teamId: createTeam.id, calendarId: ada, priority: 3 }, token);
      await t.ok(AddTeamMemberDocument, { teamId: createTeam.id, calendarId: bob }, token);
      await t.ok(CreateTeamEventTypeDocument, { teamId: createTeam.id, schedulingType: 'ROUND_ROBIN', input: { slug: 'intro-call', title: 'Intro call', durations: [30] } }, token);
      const booked = await bookOnTeamPage(page, t, BOB_ONLY);
      const { booking } = await t.ok(BookingHostsDocument, { id: booked.id, manageToken: booked.token });
      expect(booking.owner.id).toBe(bob);
      await expect(page.getByRole('status').textContent()).resolves.toContain('You are booked with Dr. Bob.');
    }), 90_000);
});
