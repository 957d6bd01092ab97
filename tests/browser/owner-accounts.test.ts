import type { Page } from 'playwright-core';
import type { ServedTestApp } from '../support/app';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { ClaimCalendarDocument, CreateCalendarDocument, CurrentAccountDocument, LoginDocument, RegisterDocument } from '../generated/graphql';
import { describeInBrowser, expectAccessible, screenshotPath, sharedBrowser } from './browser';
import { onOwnerServer } from './owner-server';

// The owner page signed in with an account (docs/api.md, Part 3, 34): register, sign in, stay
// signed in across a reload with the refresh token only in an HttpOnly, SameSite=Strict cookie,
// nothing in localStorage or sessionStorage, switch calendars with the Calendar select (each
// request naming it in Slotbook-Calendar), sign out, and a password reset from the email's link.

const PASSWORD = 'correct horse battery';
const ZONE = 'Europe/Berlin';

/** Every key of localStorage and sessionStorage, and what scripts can read of the cookies. */
const storageOf = (page: Page) => page.evaluate('JSON.stringify({ local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie })');
const EMPTY_STORAGE = JSON.stringify({ local: [], session: [], cookie: '' });

/** The refresh cookie as the browser holds it for /owner/session; undefined when there is none. */
async function refreshCookie(page: Page, t: ServedTestApp) {
  return (await page.context().cookies(`${t.origin}/owner/session/refresh`)).find((c) => c.name === 'slotbook_refresh');
}

describeInBrowser('owner page with an account in Chromium', ['register, reload, storage, cookie, switch calendars, sign out, sign in', 'password reset from the link'], () => {
  const browserOf = sharedBrowser();

  test('register, stay signed in across a reload with only an HttpOnly cookie, switch calendars, sign out, sign in', () =>
    onOwnerServer(browserOf(), ZONE, async (page, t) => {
      await page.goto(`${t.origin}/owner`);
      await page.getByLabel('Email').waitFor();
      await expectAccessible(page, 'owner page, sign in with an account');
      await page.screenshot({ path: screenshotPath('owner-sign-in.png') });

      // Create an account; a refusal names its field beside the input.
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByLabel('Name').fill('Grace Hopper');
      await page.getByLabel('Email').fill('grace@example.com');
      await page.getByLabel('Password').fill('too short');
      await expectAccessible(page, 'owner page, create an account');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Password must be 12 to 200 characters.').waitFor();
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();

      // A new account has no calendar: it creates its first one.
      await page.getByRole('heading', { name: 'Create your first calendar' }).waitFor();
      await page.getByLabel('Calendar name').fill('Dr. Hopper');
      await page.getByRole('button', { name: 'Create calendar' }).click();
      await page.getByRole('heading', { name: 'Dr. Hopper' }).waitFor();

      // The refresh token only in the HttpOnly cookie; nothing in either storage.
      const cookie = await refreshCookie(page, t);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/owner/session', secure: false });
      expect(cookie!.value).toMatch(/^sbr_/);
      expect(await storageOf(page)).toBe(EMPTY_STORAGE);

      // A calendar made with createOwner, claimed with an access token of the same account.
      const claimed = await t.createOwner({ name: 'Front desk', timeZone: 'America/New_York' });
      const { login } = await t.ok(LoginDocument, { email: 'grace@example.com', password: PASSWORD });
      await t.ok(ClaimCalendarDocument, { ownerToken: claimed.token }, login.accessToken);

      // A reload: signed in again from the cookie, which rotated.
      await page.reload();
      await page.getByRole('heading', { name: 'Dr. Hopper' }).waitFor();
      expect((await refreshCookie(page, t))!.value).not.toBe(cookie!.value);
      expect(await storageOf(page)).toBe(EMPTY_STORAGE);

      // Switch to the claimed calendar: its requests name it in Slotbook-Calendar.
      const calendar = page.getByLabel('Calendar', { exact: true });
      expect(await calendar.locator('option').allTextContents()).toEqual(['Dr. Hopper', 'Front desk']);
      const named = page.waitForRequest((request) => request.url().endsWith('/graphql') && request.headers()['slotbook-calendar'] === claimed.id);
      await calendar.selectOption({ label: 'Front desk' });
      await named;
      await page.getByRole('heading', { name: 'Front desk' }).waitFor();
      await expectAccessible(page, 'owner page, signed in with an account');

      // Create calendar from the page adds a third, and shows it.
      await page.getByRole('button', { name: 'Create calendar' }).click();
      await page.getByLabel('Calendar name').fill('Evening clinic');
      await page.getByRole('button', { name: 'Create calendar' }).click();
      await page.getByRole('heading', { name: 'Evening clinic' }).waitFor();
      const { account } = await t.ok(CurrentAccountDocument, {}, login.accessToken);
      expect(account!.calendars.map((m) => m.calendar.name).sort()).toEqual(['Dr. Hopper', 'Evening clinic', 'Front desk']);

      // Sign out ends the session and clears the cookie; a reload stays signed out.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').waitFor();
      expect(await refreshCookie(page, t)).toBeUndefined();
      await page.reload();
      await page.getByLabel('Password').waitFor();
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

      // A wrong password says so; the right one signs in.
      await page.getByLabel('Email').fill('grace@example.com');
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('do not match');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Calendar', { exact: true }).waitFor();
      expect(await storageOf(page)).toBe(EMPTY_STORAGE);
    }));

  describe('with a mail server', () => {
    let smtp: TestSmtpServer;
    beforeAll(async () => {
      smtp = await startSmtpServer();
    });
    afterAll(() => smtp.close());

    test('forgot the password: the email\'s link opens New password, which signs in', () =>
      onOwnerServer(
        browserOf(),
        ZONE,
        async (page, t) => {
          const { register } = await t.ok(RegisterDocument, { input: { email: 'ada@example.com', password: PASSWORD, name: 'Ada' } });
          await t.ok(CreateCalendarDocument, { input: { name: 'Dr. Lovelace', timeZone: ZONE } }, register.accessToken);

          await page.goto(`${t.origin}/owner`);
          await page.getByRole('link', { name: 'Forgot your password?' }).click();
          await page.getByLabel('Email').fill('ada@example.com');
          await page.getByRole('button', { name: 'Send the link' }).click();
          await page.getByRole('status').getByText('on its way').waitFor();

          await smtp.waitFor((received) => received.some((m) => JSON.stringify(m.to).includes('ada@example.com')), 10_000);
          const mail = smtp.received.find((m) => JSON.stringify(m.to).includes('ada@example.com'))!;
          const link = /https:\/\/app\.example\.test(\/owner\/reset-password\?token=[\w%-]+)/.exec(mail.text ?? '');
          expect(link).not.toBeNull();

          await page.goto(`${t.origin}${link![1]}`);
          await page.getByLabel('New password').waitFor();
          await expectAccessible(page, 'password reset page');
          const newPassword = 'staple tree orange 42';
          await page.getByLabel('New password').fill(newPassword);
          await page.getByRole('button', { name: 'Set password and sign in' }).click();
          await page.getByRole('heading', { name: 'Dr. Lovelace' }).waitFor();
          expect(new URL(page.url()).pathname).toBe('/owner');
          expect(await storageOf(page)).toBe(EMPTY_STORAGE);
          // The old session ended; the new password works, the old one not.
          expect((await t.ok(CurrentAccountDocument, {}, register.accessToken)).account).toBeNull();
          await t.fails(LoginDocument, { email: 'ada@example.com', password: PASSWORD }, 'UNAUTHENTICATED');
          await t.ok(LoginDocument, { email: 'ada@example.com', password: newPassword });

          // The link is spent: a second use says so.
          await page.goto(`${t.origin}${link![1]}`);
          await page.getByLabel('New password').fill('another long password');
          await page.getByRole('button', { name: 'Set password and sign in' }).click();
          await expect(page.getByRole('alert').textContent()).resolves.toContain('expired or was used');
        },
        { app: { emails: { smtpUrl: smtp.url, mailFrom: 'Slotbook <accounts@slotbook.test>', publicUrl: 'https://app.example.test', pollIntervalMs: 50 } } },
      ));
  });
});
