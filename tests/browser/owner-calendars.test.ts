import type { Browser } from 'playwright-core';
import { startTestApp, DEFAULT_NOW } from '../support/app';
import { startIcsServer } from '../support/ics-server';
import { OwnerCalendarSourcesDocument } from '../generated/graphql';
import { feedOf } from '../calendar-source/feeds';
import { describeInBrowser, expectAccessible, launchChromium, openContext, pageErrors } from './browser';

// The owner's other calendars on /owner (docs/api.md Part 3, 28-30): add an ICS feed with its
// credentials, see it sync (status, busy intervals), "Sync now" after the password went wrong
// shows FAILING and the reason, never the password.

describeInBrowser('owner calendars in Chromium', ['add a feed, sync it now, see a failure'], () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('add a feed, sync it now, see a failure', async () => {
    const ics = await startIcsServer();
    ics.requireCredentials('page-user', 'page-password-41');
    ics.publish('page', feedOf(['2030-01-08T09:00:00Z', '2030-01-09T09:00:00Z']));
    const url = ics.url('page').replace('/page', '/private/page');
    const t = await startTestApp({ listen: true, now: DEFAULT_NOW, calendarSources: { allowPrivateUrls: true, secretKey: 'page-key' } });
    const context = await openContext(browser, { timezoneId: 'Europe/Berlin', now: DEFAULT_NOW });
    try {
      const owner = await t.createOwner({ name: 'Dr. Cal', timeZone: 'Europe/Berlin' });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${t.origin}/owner#owner-token`);
      await page.getByLabel('Owner token').fill(owner.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const section = page.getByRole('region', { name: 'Other calendars' });
      await section.getByText('No calendars yet.').waitFor();

      await section.getByLabel('iCalendar feed (ICS)').check();
      await section.getByLabel('Calendar URL').fill(url);
      await section.getByLabel('Calendar name').fill('Clinic');
      await section.getByLabel('Calendar username').fill('page-user');
      await section.getByLabel('Calendar password').fill('page-password-41');
      await section.getByRole('button', { name: 'Add calendar' }).click();
      await page.getByRole('status').filter({ hasText: 'Calendar added' }).waitFor();
      const item = section.getByRole('listitem').filter({ hasText: 'Clinic' });
      await item.waitFor();

      await item.getByRole('button', { name: 'Sync Clinic now' }).click();
      await page.getByRole('status').filter({ hasText: 'Calendar synced.' }).waitFor();
      await section.locator('li[data-status="OK"]').waitFor();
      expect(await item.textContent()).toMatch(/iCalendar feed · ok · last synced .* · 2 busy intervals/);
      const [source] = (await t.ok(OwnerCalendarSourcesDocument, { id: owner.id }, owner.token)).owner!.calendarSources;
      expect(source).toMatchObject({ name: 'Clinic', url, status: 'OK', busyIntervals: 2 });

      ics.requireCredentials('page-user', 'a-new-password');
      await item.getByRole('button', { name: 'Sync Clinic now' }).click();
      await section.locator('li[data-status="FAILING"]').waitFor();
      expect(await item.textContent()).toContain('the calendar server refused the credentials (401)');
      expect(await item.textContent()).toContain('2 busy intervals');
      expect(await page.content()).not.toContain('page-password-41');
      await expectAccessible(page, 'owner page with a failing calendar');
      expect(pageErrors(context)).toEqual([]);
    } finally {
      await context.close();
      await t.close();
      await ics.close();
    }
  }, 90_000);
});
