import type { Browser } from 'playwright-core';
import { startTestApp, DEFAULT_NOW } from '../support/app';
import { capturedLogger } from '../support/log-capture';
import { pollUntil } from '../support/poll';
import { AddOneTimeWindowDocument } from '../generated/graphql';
import { describeInBrowser, launchChromium, openContext, pageErrors } from './browser';

// Issue 17: the booking page reads slots as persisted GETs, and the browser's own HTTP cache
// revalidates them with the server's ETag, so an unchanged list costs a 304 (README, Caching
// public reads). Counted from the server's request log.

describeInBrowser('the booking page reads slots as persisted GETs', ['persisted GET and 304 on refresh'], () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(() => browser?.close());

  test('the first read registers the query, a refresh on focus is answered 304, the slots stay', async () => {
    const { logger, lines } = capturedLogger();
    const t = await startTestApp({ listen: true, now: DEFAULT_NOW, logger });
    const context = await openContext(browser, { timezoneId: 'UTC', now: DEFAULT_NOW });
    const gets: string[] = [];
    context.on('request', (request) => {
      if (request.url().includes('/graphql?')) gets.push(request.method());
    });
    try {
      const owner = await t.createOwner({ name: 'Cached Owner', timeZone: 'UTC', slotMinutes: 60 });
      await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-09T09:00:00Z', endsAt: '2030-01-09T12:00:00Z' } }, owner.token);
      const page = await context.newPage();
      await page.goto(`${t.origin}/book/${owner.id}`);
      await page.locator('button[data-date="2030-01-09"]').click();
      await page.locator('button[data-start]').first().waitFor();
      const slots = await page.locator('button[data-start]').count();
      expect(slots).toBe(3);

      // The first read sent the hash, learnt the server did not know it and sent the query: that
      // URL holds the ETag. The first refresh reads by hash alone (a 200 with its own ETag, which
      // the browser keeps); every later one revalidates it: 304.
      const before = lines.length;
      for (let refresh = 0; refresh < 2; refresh++) {
        const seen = lines.length;
        await page.evaluate('window.dispatchEvent(new Event("focus"))');
        await pollUntil(() => lines.slice(seen), (logged) => logged.some((l) => l.msg === 'graphql request'), () => 'a read of the slots on focus');
      }
      expect(lines.slice(before).filter((l) => l.msg === 'graphql request').map((l) => l.outcome)).toEqual(['ok', 'not modified']);
      expect(await page.locator('button[data-start]').count()).toBe(slots);
      expect(gets.length).toBeGreaterThanOrEqual(2);
      expect(gets.every((method) => method === 'GET')).toBe(true);
      expect(pageErrors(context)).toEqual([]);
    } finally {
      await context.close();
      await t.close();
    }
  });
});
