import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Debian's Chromium (`apt-get install -y chromium`); .ci/run installs it. */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/**
 * `describe` when Chromium is installed; otherwise `describe.skip`, after saying which tests are
 * skipped and how to get them (as the PostgreSQL-only tests say how to run them).
 */
export function describeInBrowser(title: string, skipped: string[], body: () => void): void {
  if (!haveChromium) {
    // Not console.log: jest drops the console of a test file whose every test is skipped.
    process.stderr.write(
      `\nbrowser tests skipped (${title}: ${skipped.join('; ')}): ${CHROMIUM} is missing; install Debian's Chromium with \`apt-get install -y chromium\` (as root; .ci/run does) and run npm test again\n`,
    );
  }
  (haveChromium ? describe : describe.skip)(title, body);
}

/**
 * Headless Chromium that reaches nothing but the test server: this machine's network is closed,
 * and Chromium's own background connections (updates, sync, QUIC probes) would only fail.
 * Playwright gives each launch a fresh, empty profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const errorsOf = new WeakMap<BrowserContext, string[]>();

/** Uncaught errors and console errors of the context's pages so far: a passing flow has none. */
export function pageErrors(context: BrowserContext): string[] {
  return errorsOf.get(context) ?? [];
}

/**
 * A browser context in `timezoneId` whose pages read `now` from Date (timers keep running),
 * recording their errors for pageErrors.
 */
export async function openContext(browser: Browser, options: { timezoneId: string; now: Date; width?: number }): Promise<BrowserContext> {
  const context = await browser.newContext({
    timezoneId: options.timezoneId,
    locale: 'en-US',
    viewport: { width: options.width ?? 1100, height: 900 },
  });
  await context.clock.setFixedTime(options.now);
  const errors: string[] = [];
  errorsOf.set(context, errors);
  context.on('weberror', (error) => errors.push(`uncaught: ${error.error().message}`));
  context.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`console.${message.type()}: ${message.text()}`);
  });
  return context;
}

export interface AxeScan {
  /** Serious and critical violations, as `rule (impact): target` lines: none may be there. */
  serious: string[];
  /** Rules passed and violations by impact, for the log. */
  summary: string;
}

/** An axe scan of the page as it is now (WCAG 2.x A and AA rules and axe's best practices). */
export async function axeScan(page: Page): Promise<AxeScan> {
  const result = await new AxeBuilder({ page }).analyze();
  const counts = new Map<string, number>();
  for (const v of result.violations) counts.set(v.impact ?? 'unknown', (counts.get(v.impact ?? 'unknown') ?? 0) + v.nodes.length);
  return {
    serious: result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}`)),
    summary: `${result.passes.length} rules passed, violations: ${counts.size ? [...counts].map(([k, n]) => `${k} ${n}`).join(', ') : 'none'}${
      result.violations.length ? ` (${result.violations.map((v) => v.id).join(', ')})` : ''
    }`,
  };
}

/** Fails unless axe finds no serious or critical violation; logs what it found under `label`. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const scan = await axeScan(page);
  console.log(`axe, ${label}: ${scan.summary}`);
  expect(scan.serious).toEqual([]);
}

/**
 * Where screenshots go: SLOTBOOK_SCREENSHOTS (e.g. `docs`, for the README's pictures) or a
 * temp folder, so a test run leaves the working tree as it was.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.SLOTBOOK_SCREENSHOTS ? path.resolve(process.env.SLOTBOOK_SCREENSHOTS) : path.join(tmpdir(), 'slotbook-screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** Whether the page scrolls sideways: at a phone's width nothing may stick out. */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > window.innerWidth') as Promise<boolean>;
}

/** The outline style of the focused element: `none` would leave a keyboard user guessing. */
export async function focusOutlineStyle(page: Page): Promise<string> {
  return page.evaluate('getComputedStyle(document.activeElement).outlineStyle') as Promise<string>;
}

/** One attribute of every element `selector` matches, in document order. */
export async function attributes(page: Page, selector: string, name: string): Promise<string[]> {
  // Typed structurally: the tests compile without the DOM lib, and @types/react's globals (the server renders emails with React) declare its element types empty.
  type WithAttributes = { getAttribute(attribute: string): string | null };
  return page.locator(selector).evaluateAll((nodes, n) => nodes.map((node) => (node as WithAttributes).getAttribute(n as string) ?? ''), name);
}

/** Chromium for the tests of one describe block: launched before them, closed after; call the getter inside a test. */
export function sharedBrowser(): () => Browser {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser;
}
