import type { Browser, Page } from 'playwright-core';
import { startTestApp, DEFAULT_NOW, type ServedTestApp, type TestAppOptions } from '../support/app';
import { openContext, pageErrors } from './browser';

/**
 * Runs `steps` against a fresh server (DEFAULT_NOW, `app`'s options) in a page whose browser zone
 * is `zone`, with the clipboard open to the page (its Copy buttons; the tests read it back);
 * fails on any page error, and closes both after.
 */
export async function onOwnerServer(
  browser: Browser,
  zone: string,
  steps: (page: Page, t: ServedTestApp) => Promise<void>,
  options: { width?: number; app?: TestAppOptions } = {},
): Promise<void> {
  const t = await startTestApp({ ...options.app, listen: true, now: DEFAULT_NOW });
  const context = await openContext(browser, { timezoneId: zone, now: DEFAULT_NOW, width: options.width });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.origin });
  try {
    await steps(await context.newPage(), t);
    expect(pageErrors(context)).toEqual([]);
  } finally {
    await context.close();
    await t.close();
  }
}
