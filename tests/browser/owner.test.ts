import type { Browser, Page } from 'playwright-core';
import type { ServedTestApp } from '../support/app';
import { AddOneTimeWindowDocument, AddRecurringWindowDocument, BookSlotDocument, BookingDocument, EventTypeBySlugDocument, MeDocument, OwnerEventTypesDocument, OwnerWindowsDocument } from '../generated/graphql';
import { attributes, describeInBrowser, expectAccessible, launchChromium, overflowsSideways, screenshotPath } from './browser';
import { onOwnerServer } from './owner-server';

// The owner's page in a real browser (docs/api.md Part 2, 22): sign in with the token, see
// the week's bookings and free time, add a window, complete and cancel bookings.
// Server and browser share one clock, DEFAULT_NOW (Monday 2030-01-07, 03:00 in New York).

async function ownerWithBookings(t: ServedTestApp) {
  const owner = await t.createOwner({ name: 'Dr. Ada Lovelace', timeZone: 'America/New_York' });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00-05:00', endsAt: '2030-01-08T12:00:00-05:00' } }, owner.token);
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-09T14:00:00-05:00', endsAt: '2030-01-09T17:00:00-05:00' } }, owner.token);
  await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['MONDAY'], startTime: '09:00', endTime: '12:00', startsOn: '2030-01-14' } }, owner.token);
  const book = async (startsAt: string, name: string) =>
    (await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` } } })).bookSlot.booking.id;
  const grace = await book('2030-01-08T10:00:00-05:00', 'Grace Hopper');
  const alan = await book('2030-01-09T15:00:00-05:00', 'Alan Turing');
  return { owner, grace, alan };
}

/** A fresh server and page in browser zone `zone` (owner-server.ts). */
const onServer = (browser: Browser, zone: string, steps: (page: Page, t: ServedTestApp) => Promise<void>, width?: number) => onOwnerServer(browser, zone, steps, { width });

describeInBrowser('owner page in Chromium', ['sign in, the week, add a window, event types, cancel an occurrence, complete and cancel bookings', 'create a calendar', 'a busy week', 'a wrong token', 'a 375 px wide phone'], () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('sign in with the token, see the week, add a window, complete one booking and cancel another', () =>
    onServer(browser, 'Europe/Berlin', async (page, t) => {
      const { owner, grace, alan } = await ownerWithBookings(t);
      await page.goto(`${t.origin}/owner`);
      // The owner token stays possible, behind a link (docs/api.md, Part 3, 34).
      await page.getByRole('link', { name: 'Use an owner token' }).click();
      await page.getByLabel('Owner token').fill(owner.token);
      await expectAccessible(page, 'owner page, sign in');
      await page.getByRole('button', { name: 'Sign in' }).click();

      // The week of Monday 7 January on the owner's wall clock, whatever the browser's zone.
      await page.getByRole('heading', { name: 'Week of Monday, January 7' }).waitFor();
      const tuesday = page.locator('[data-day="2030-01-08"]');
      await tuesday.getByText('Grace Hopper').waitFor();
      expect(await tuesday.textContent()).toContain('10:00 AM–11:00 AM');
      expect(await tuesday.textContent()).toContain('Free 9:00 AM–10:00 AM');
      expect(await page.locator('[data-day="2030-01-09"]').textContent()).toContain('Alan Turing');

      // Live: a booking made elsewhere appears on the open week.
      await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T11:00:00-05:00', invitee: { name: 'Ada Live', email: 'ada@example.com' } } });
      await tuesday.getByText('Ada Live').waitFor();

      // A window on Thursday, in the owner's zone.
      await page.getByLabel('Repeats').selectOption('once');
      await page.getByLabel('Date', { exact: true }).fill('2030-01-10');
      await page.getByLabel('From', { exact: true }).fill('13:00');
      await page.getByLabel('To', { exact: true }).fill('15:00');
      await page.getByRole('button', { name: 'Add window' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('Window added');
      await page.locator('[data-day="2030-01-10"]').getByText('Free 1:00 PM–3:00 PM').waitFor();
      const windows = await t.ok(OwnerWindowsDocument, { id: owner.id }, owner.token);
      expect(windows.owner!.windows).toHaveLength(4);

      await expectAccessible(page, 'owner page, signed in');
      await page.screenshot({ path: screenshotPath('owner-page.png'), fullPage: true });

      // Event types: add one, hide it.
      await page.getByLabel('Title').fill('Intro call');
      expect(await page.getByLabel('Link name').inputValue()).toBe('intro-call');
      await page.getByLabel('Durations (minutes)').fill('30, 60');
      await page.getByRole('button', { name: 'Add event type' }).click();
      // Its link, in full, to copy.
      await expect(page.getByLabel('Link to Intro call', { exact: true }).inputValue()).resolves.toBe(`${t.origin}/book/${owner.id}/intro-call`);
      // Its rules: edit, open "Booking rules", ask for two hours' notice.
      await page.getByRole('button', { name: 'Edit Intro call' }).click();
      const edit = page.locator('form', { has: page.getByRole('heading', { name: 'Edit Intro call' }) });
      await edit.getByText('Booking rules').click();
      await edit.getByLabel('Minimum notice (minutes)').fill('120');
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('Intro call saved');
      const saved = await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'intro-call' }, owner.token);
      expect(saved.eventType).toMatchObject({ minNoticeMinutes: 120, durations: [30, 60], bufferAfterMinutes: 0 });
      // Hiding, the API's way of retiring an event type, asks first.
      await page.getByRole('button', { name: 'Hide Intro call' }).click();
      await page.getByRole('button', { name: 'Keep it' }).click();
      expect((await t.ok(OwnerEventTypesDocument, { id: owner.id }, owner.token)).owner!.eventTypes).toMatchObject([{ slug: 'intro-call', active: true }]);
      await page.getByRole('button', { name: 'Hide Intro call' }).click();
      await page.getByRole('button', { name: 'Yes, hide it' }).click();
      await page.getByRole('button', { name: 'Show Intro call' }).waitFor();
      const types = await t.ok(OwnerEventTypesDocument, { id: owner.id }, owner.token);
      expect(types.owner!.eventTypes).toMatchObject([{ slug: 'intro-call', active: false }]);

      // One occurrence of the weekly window cancelled.
      await page.getByLabel('Cancel one date').fill('2030-01-14');
      await page.getByRole('button', { name: 'Cancel occurrence' }).click();
      await page.getByText('Cancelled on Mon, Jan 14, 2030').waitFor();

      const week = page.getByRole('region', { name: 'Week of Monday, January 7' });
      await week.getByRole('button', { name: 'Complete booking with Grace Hopper at 10:00 AM' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('completed');
      expect((await t.ok(BookingDocument, { id: grace }, owner.token)).booking.status).toBe('COMPLETED');

      // Cancel asks first: nothing changes until "Yes, cancel it".
      await week.getByRole('button', { name: 'Cancel booking with Alan Turing at 3:00 PM' }).click();
      await week.getByText("Cancel Alan Turing's booking?").waitFor();
      expect((await t.ok(BookingDocument, { id: alan }, owner.token)).booking.status).toBe('CONFIRMED');
      await week.getByRole('button', { name: 'Yes, cancel it' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('cancelled');
      expect((await t.ok(BookingDocument, { id: alan }, owner.token)).booking.status).toBe('CANCELLED');
      // Cancelled, its hour is free again.
      await page.locator('[data-day="2030-01-09"]').getByText('Free 2:00 PM–5:00 PM').waitFor();

      // The token stays for this browser session only: a reload keeps the owner signed in.
      await page.reload();
      await page.getByRole('heading', { name: 'Dr. Ada Lovelace' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Owner token').waitFor();
    }, 1280));

  test('new here: create a calendar, the token card stays until "I have saved it", Copy copies it, and the booking page offers the new window', () =>
    onServer(browser, 'Europe/Berlin', async (page, t) => {
      await page.goto(`${t.origin}/owner#owner-token`);
      await page.getByLabel('Your name').fill('Dr. Grace Hopper');
      expect(await page.getByLabel('Your time zone').inputValue()).toBe('Europe/Berlin');
      await page.getByRole('button', { name: 'Create a calendar' }).click();
      const card = page.getByRole('region', { name: 'Calendar created: save your owner token' });
      const token = await card.getByLabel('Owner token', { exact: true }).inputValue();
      expect(token).toMatch(/^sbo_/);
      expect((await t.ok(MeDocument, {}, token)).me).toMatchObject({ name: 'Dr. Grace Hopper', timeZone: 'Europe/Berlin' });
      // The page says where the token is kept.
      await page.getByText('session storage').first().waitFor();

      // The form's defaults: every weekday, 09:00-17:00, from today. The card outlives the action.
      await page.getByRole('button', { name: 'Add window' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('Weekly window added');
      expect(await card.getByLabel('Owner token', { exact: true }).inputValue()).toBe(token);
      await card.getByRole('button', { name: 'Copy owner token' }).click();
      await card.getByText('Copied.').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);
      await card.getByRole('button', { name: 'I have saved it' }).click();
      await card.waitFor({ state: 'detached' });

      // The booking page's link, in full, to copy.
      expect(await page.getByLabel('Your booking page', { exact: true }).inputValue()).toMatch(new RegExp(`^${t.origin}/book/[^/]+$`));
      await page.getByRole('link', { name: 'Open your booking page' }).click();
      await page.locator('button[data-date="2030-01-07"]').waitFor();
      expect(await page.getByRole('heading', { name: 'January 2030' }).count()).toBe(1);
      expect(await attributes(page, 'button[data-date]', 'data-date')).toHaveLength(19);
    }),
  );

  test('a busy week: every booking is on the calendar, past the first page of 30', () =>
    onServer(browser, 'America/Los_Angeles', async (page, t) => {
      const owner = await t.createOwner({ name: 'Dr. Busy', timeZone: 'America/New_York', slotMinutes: 15 });
      await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-09T08:00:00-05:00', endsAt: '2030-01-09T18:00:00-05:00' } }, owner.token);
      const starts = Array.from({ length: 35 }, (_, i) => new Date(Date.parse('2030-01-09T13:00:00Z') + i * 15 * 60_000).toISOString());
      for (const [i, startsAt] of starts.entries()) {
        await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: `Invitee ${i + 1}`, email: `i${i + 1}@example.com` } } });
      }
      await page.goto(`${t.origin}/owner#owner-token`);
      await page.getByLabel('Owner token').fill(owner.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const wednesday = page.locator('[data-day="2030-01-09"]');
      await wednesday.getByText('Invitee 35', { exact: true }).waitFor();
      expect(await wednesday.locator('.booking').count()).toBe(35);
    }),
  );

  test('a wrong token: an alert, and the sign-in form again', () =>
    onServer(browser, 'America/Los_Angeles', async (page, t) => {
      await page.goto(`${t.origin}/owner#owner-token`);
      await page.getByLabel('Owner token').fill('sbo_not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('not accepted');
      await page.getByLabel('Owner token').waitFor();
    }));

  test('on a 375 px wide phone nothing sticks out sideways', () =>
    onServer(browser, 'America/Los_Angeles', async (page, t) => {
      const { owner } = await ownerWithBookings(t);
      await page.goto(`${t.origin}/owner#owner-token`);
      expect(await overflowsSideways(page)).toBe(false);
      await page.getByLabel('Owner token').fill(owner.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-day="2030-01-08"]').getByText('Grace Hopper').waitFor();
      expect(await overflowsSideways(page)).toBe(false);
      await expectAccessible(page, 'owner page at 375 px, signed in');
    }, 375));
});
