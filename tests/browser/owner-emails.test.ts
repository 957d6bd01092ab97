import type { Browser } from 'playwright-core';
import { startTestApp, DEFAULT_NOW } from '../support/app';
import { pollUntil } from '../support/poll';
import { AddOneTimeWindowDocument, BookSlotDocument, OwnerEmailsDocument } from '../generated/graphql';
import { describeInBrowser, launchChromium, openContext, pageErrors, screenshotPath } from './browser';

// The owner's emails on /owner (docs/api.md Part 3, 27): without SMTP_URL a booking's email is
// NOT_SENT, listed with its status, and opens whole: subject, recipient, the HTML in a sandboxed
// frame and the invitation. `SLOTBOOK_SCREENSHOTS=docs` writes docs/owner-emails.png.

describeInBrowser('owner emails in Chromium', ['the list shows an email and opens it'], () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('the list shows an email and opens it', async () => {
    const t = await startTestApp({ listen: true, now: DEFAULT_NOW, emails: { pollIntervalMs: 50 } });
    const context = await openContext(browser, { timezoneId: 'Europe/Berlin', now: DEFAULT_NOW });
    try {
      const owner = await t.createOwner({ name: 'Dr. Ada Lovelace', timeZone: 'Europe/London' });
      await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
      await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T10:00:00Z', invitee: { name: 'Grace Hopper', email: 'grace@example.com', timeZone: 'America/New_York' } } });
      await pollUntil(
        () => t.ok(OwnerEmailsDocument, { ownerId: owner.id }, owner.token),
        (d) => d.owner!.emails.edges.some((e) => e.node.status === 'NOT_SENT'),
        (d) => `a NOT_SENT email; got ${JSON.stringify(d)}`,
      );

      const page = await context.newPage();
      page.setDefaultTimeout(8_000);
      await page.goto(`${t.origin}/owner#owner-token`);
      await page.getByLabel('Owner token').fill(owner.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const emails = page.getByRole('region', { name: 'Emails' });
      const item = emails.getByRole('listitem').filter({ hasText: 'grace@example.com' });
      await item.waitFor();
      expect(await item.textContent()).toContain('Not sent');
      await item.getByRole('button', { name: 'Open' }).click();

      const whole = emails.getByRole('article');
      await whole.waitFor();
      expect(await whole.textContent()).toContain('To: grace@example.com');
      const frame = whole.locator('iframe[title="Email HTML"]');
      expect(await frame.getAttribute('sandbox')).toBe('');
      expect(await frame.getAttribute('srcdoc')).toContain('America/New_York');
      await whole.getByText(/^Invitation \(REQUEST\)/).click();
      expect(await whole.locator('pre').textContent()).toContain('BEGIN:VCALENDAR');
      await page.screenshot({ path: screenshotPath('owner-emails.png'), fullPage: true });
      // The test's own clock script (openContext) is refused in the sandboxed frame, as any script would be.
      expect(pageErrors(context).filter((e) => !e.includes("Blocked script execution in 'about:srcdoc'"))).toEqual([]);
    } finally {
      await context.close();
      await t.close();
    }
  }, 90_000);
});
