import type { Browser, Page } from 'playwright-core';
import type { ServedTestApp, TestAppOptions } from '../support/app';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  BookingDocument,
  CreateEventTypeDocument,
  EventTypeBySlugDocument,
  MeDocument,
  OwnerEmailAddressDocument,
  WebhookEndpointsDocument,
} from '../generated/graphql';
import { describeInBrowser, expectAccessible, launchChromium, overflowsSideways, screenshotPath } from './browser';
import { onOwnerServer } from './owner-server';
import { pollUntil } from '../support/poll';

/** Waits until `check` holds (a page read, a click and a read), failing after 10 s naming `what`. */
const until = (check: () => boolean | Promise<boolean>, what: string) => pollUntil(check, Boolean, () => what, { everyMs: 200, ms: 30_000 });

// The owner page's tools beyond the week (issue 21, the first hour): settings, the calendar
// feed, webhooks, a new owner token, an event type's description and step, the upcoming
// bookings, and free time as the windows minus the bookings. Server and browser share one clock,
// DEFAULT_NOW (Monday 2030-01-07, 03:00 in New York).

const ZONE = 'America/New_York';

async function signIn(page: Page, t: ServedTestApp, token: string): Promise<void> {
  await page.goto(`${t.origin}/owner#owner-token`);
  await page.getByLabel('Owner token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Week of Monday, January 7' }).waitFor();
}

const book = (t: ServedTestApp, ownerId: string, startsAt: string, name: string, eventTypeId?: string) =>
  t.ok(BookSlotDocument, { input: { ownerId, startsAt, eventTypeId, invitee: { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com` } } });

/** A fresh server and a page in Europe/Berlin, 1280 px wide unless told (owner-server.ts). */
const onServer = (browser: Browser, steps: (page: Page, t: ServedTestApp) => Promise<void>, options: { width?: number; app?: TestAppOptions } = {}) =>
  onOwnerServer(browser, 'Europe/Berlin', steps, { width: 1280, ...options });

describeInBrowser(
  'owner page tools in Chromium',
  ['settings', 'calendar feed', 'webhooks', 'new owner token', 'event type description and step', 'upcoming bookings', 'free time', 'a phone'],
  () => {
    let browser: Browser;
    let receivers: WebhookReceiver[] = [];
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterEach(async () => {
      await Promise.all(receivers.map((r) => r.close()));
      receivers = [];
    });
    afterAll(async () => {
      await browser?.close();
    });

    test('settings: a new name, zone and slot length; the week re-renders in the new zone', () =>
      onServer(browser, async (page, t) => {
        const owner = await t.createOwner({ name: 'Dr. Ada Lovelace', timeZone: ZONE });
        await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T14:00:00Z', endsAt: '2030-01-08T17:00:00Z' } }, owner.token);
        await book(t, owner.id, '2030-01-08T15:00:00Z', 'Grace Hopper');
        await signIn(page, t, owner.token);
        const tuesday = page.locator('[data-day="2030-01-08"]');
        await tuesday.getByText('10:00 AM–11:00 AM').waitFor();

        await page.getByLabel('Name', { exact: true }).fill('Ada King');
        await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
        await page.getByLabel('Slot length (minutes)').fill('30');
        await page.getByLabel('Email for booking notices').fill('ada@example.com');
        await page.getByRole('button', { name: 'Save settings' }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Settings saved');
        expect((await t.ok(MeDocument, {}, owner.token)).me).toMatchObject({ name: 'Ada King', timeZone: 'Asia/Tokyo', slotMinutes: 30 });
        expect((await t.ok(OwnerEmailAddressDocument, { id: owner.id }, owner.token)).owner?.email).toBe('ada@example.com');

        // 15:00Z is midnight in Tokyo on Wednesday 9 January: the week now reads Tokyo's clock.
        await page.getByRole('heading', { name: 'Ada King' }).waitFor();
        await page.getByText('Times in Asia/Tokyo.', { exact: false }).first().waitFor();
        await page.locator('[data-day="2030-01-09"]').getByText('12:00 AM–1:00 AM').waitFor();
        expect(await tuesday.textContent()).toContain('Free 11:00 PM–12:00 AM');
        expect(await tuesday.textContent()).not.toContain('Grace Hopper');
      }));

    test('the calendar feed: a full URL to copy that answers; a new URL asks first and retires the old one', () =>
      onServer(browser, async (page, t) => {
        const owner = await t.createOwner({ name: 'Dr. Feed', timeZone: ZONE });
        await signIn(page, t, owner.token);
        await page.getByRole('button', { name: 'Get a feed URL' }).click();
        await page.getByRole('button', { name: 'Yes, make it' }).click();
        const field = page.getByLabel('Calendar feed URL', { exact: true });
        const first = await field.inputValue();
        expect(first).toMatch(new RegExp(`^${t.origin}/feeds/[^/]+\\.ics$`));
        const feed = await fetch(first);
        expect(feed.status).toBe(200);
        expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);

        await page.getByRole('button', { name: 'New feed URL' }).click();
        await page.getByText('The one above stops working').waitFor();
        expect(await field.inputValue()).toBe(first);
        await page.getByRole('button', { name: 'Yes, new URL' }).click();
        await until(async () => (await field.inputValue()) !== first, 'a new feed URL');
        expect((await fetch(first)).status).toBe(404);
        expect((await fetch(await field.inputValue())).status).toBe(200);
      }));

    test('webhooks: the secret is shown once, a booking makes a delivery, redeliver sends it again, pause and remove', () =>
      onServer(
        browser,
        async (page, t) => {
          const receiver = await startWebhookReceiver();
          receivers.push(receiver);
          const owner = await t.createOwner({ name: 'Dr. Hooks', timeZone: ZONE });
          await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T14:00:00Z', endsAt: '2030-01-08T17:00:00Z' } }, owner.token);
          await signIn(page, t, owner.token);

          await page.getByLabel('Endpoint URL').fill(receiver.url);
          await page.getByLabel('Completed').uncheck();
          await page.getByRole('button', { name: 'Add endpoint' }).click();
          const card = page.getByRole('region', { name: "Save the endpoint's signing secret" });
          const secret = await card.getByLabel('Signing secret', { exact: true }).inputValue();
          expect(secret).toMatch(/^whsec_/);
          const endpoints = (await t.ok(WebhookEndpointsDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints;
          expect(endpoints).toMatchObject([{ url: receiver.url, active: true }]);
          expect([...endpoints[0]!.events].sort()).toEqual(['BOOKING_CANCELLED', 'BOOKING_CREATED', 'BOOKING_RESCHEDULED']);
          await card.getByRole('button', { name: 'I have saved it' }).click();
          await card.waitFor({ state: 'detached' });
          // Shown once: nowhere on the page any more.
          expect(await page.content()).not.toContain(secret);

          await book(t, owner.id, '2030-01-08T15:00:00Z', 'Grace Hopper');
          await receiver.waitFor((received) => received.length === 1);
          const delivered = page.locator('tr[data-status="DELIVERED"]');
          await until(async () => {
            await page.getByRole('button', { name: 'Refresh deliveries' }).click();
            return (await delivered.count()) === 1;
          }, 'the delivery listed as delivered');
          expect(await delivered.textContent()).toMatch(/^Booked · .*delivered1HTTP 200Redeliver$/);

          await delivered.getByRole('button', { name: 'Redeliver' }).click();
          await receiver.waitFor((received) => received.length === 2);
          expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
          await until(async () => {
            await page.getByRole('button', { name: 'Refresh deliveries' }).click();
            return (await page.locator('tr[data-status="DELIVERED"] td:nth-child(3)').textContent()) === '2';
          }, 'two attempts listed');

          await page.getByRole('button', { name: `Pause ${receiver.url}` }).click();
          await page.getByRole('button', { name: `Resume ${receiver.url}` }).waitFor();
          expect((await t.ok(WebhookEndpointsDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints[0]!.active).toBe(false);

          await page.getByRole('button', { name: `Remove ${receiver.url}` }).click();
          await page.getByRole('button', { name: 'Keep it' }).click();
          expect((await t.ok(WebhookEndpointsDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints).toHaveLength(1);
          await page.getByRole('button', { name: `Remove ${receiver.url}` }).click();
          await page.getByRole('button', { name: 'Yes, remove it' }).click();
          await page.getByText('No endpoints yet.').waitFor();
          expect((await t.ok(WebhookEndpointsDocument, { ownerId: owner.id }, owner.token)).owner!.webhookEndpoints).toEqual([]);
        },
        { app: { webhooks: { allowPrivateUrls: true, pollIntervalMs: 50 } } },
      ));

    test('a new owner token asks first, then shows the new token once; the old one stops working', () =>
      onServer(browser, async (page, t) => {
        const owner = await t.createOwner({ name: 'Dr. Rotate', timeZone: ZONE });
        await signIn(page, t, owner.token);
        await page.getByRole('button', { name: 'New owner token' }).click();
        await page.getByText('The current one stops working at once').waitFor();
        await page.getByRole('button', { name: 'Keep the current one' }).click();
        await t.ok(MeDocument, {}, owner.token);

        await page.getByRole('button', { name: 'New owner token' }).click();
        await page.getByRole('button', { name: 'Yes, make a new token' }).click();
        const card = page.getByRole('region', { name: 'Your new owner token' });
        const fresh = await card.getByLabel('Owner token', { exact: true }).inputValue();
        expect(fresh).toMatch(/^sbo_/);
        expect(fresh).not.toBe(owner.token);
        await t.fails(MeDocument, {}, 'UNAUTHENTICATED', owner.token);
        expect((await t.ok(MeDocument, {}, fresh)).me.name).toBe('Dr. Rotate');
        // Still signed in, now with the new token, which the tab keeps.
        expect(await page.evaluate('sessionStorage.getItem("slotbook.ownerToken")')).toBe(fresh);
        await page.getByRole('heading', { name: 'Dr. Rotate' }).waitFor();
        await card.getByRole('button', { name: 'I have saved it' }).click();
        await card.waitFor({ state: 'detached' });
      }));

    test("an event type's description and step are edited in the form", () =>
      onServer(browser, async (page, t) => {
        const owner = await t.createOwner({ name: 'Dr. Types', timeZone: ZONE });
        await signIn(page, t, owner.token);
        const add = page.locator('form', { has: page.getByRole('heading', { name: 'Add an event type' }) });
        await add.getByLabel('Title').fill('Deep dive');
        await add.getByLabel('Description').fill('Bring your questions.');
        await add.getByLabel('Durations (minutes)').fill('60');
        await add.getByLabel('Start times every (minutes)').fill('15');
        await add.getByRole('button', { name: 'Add event type' }).click();
        await page.getByText('Bring your questions.').waitFor();
        const created = await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'deep-dive' }, owner.token);
        expect(created.eventType).toMatchObject({ description: 'Bring your questions.', slotStepMinutes: 15 });

        await page.getByRole('button', { name: 'Edit Deep dive' }).click();
        const edit = page.locator('form', { has: page.getByRole('heading', { name: 'Edit Deep dive' }) });
        expect(await edit.getByLabel('Start times every (minutes)').inputValue()).toBe('15');
        await edit.getByLabel('Description').fill('');
        await edit.getByLabel('Start times every (minutes)').fill('30');
        await edit.getByRole('button', { name: 'Save' }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Deep dive saved');
        const saved = await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'deep-dive' }, owner.token);
        expect(saved.eventType).toMatchObject({ description: null, slotStepMinutes: 30 });
      }));

    test('upcoming bookings: ten to a page, Later and Earlier; Cancel asks first', () =>
      onServer(browser, async (page, t) => {
        const owner = await t.createOwner({ name: 'Dr. Upcoming', timeZone: ZONE });
        await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-10T13:00:00Z', endsAt: '2030-01-11T01:00:00Z' } }, owner.token);
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) {
          const startsAt = new Date(Date.parse('2030-01-10T13:00:00Z') + i * 3_600_000).toISOString();
          ids.push((await book(t, owner.id, startsAt, `Invitee ${String(i + 1).padStart(2, '0')}`)).bookSlot.booking.id);
        }
        await signIn(page, t, owner.token);
        const upcoming = page.getByRole('region', { name: 'Upcoming bookings' });
        await upcoming.getByText('Invitee 01').waitFor();
        expect(await upcoming.locator('.upcoming-item').count()).toBe(10);
        await upcoming.getByRole('button', { name: 'Later' }).click();
        await upcoming.getByText('Invitee 12').waitFor();
        expect(await upcoming.locator('.upcoming-item').count()).toBe(2);

        await upcoming.getByRole('button', { name: 'Cancel booking with Invitee 12 at 7:00 PM' }).click();
        await upcoming.getByText("Cancel Invitee 12's booking?").waitFor();
        expect((await t.ok(BookingDocument, { id: ids[11]! }, owner.token)).booking.status).toBe('CONFIRMED');
        await upcoming.getByRole('button', { name: 'Yes, cancel it' }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('cancelled');
        expect((await t.ok(BookingDocument, { id: ids[11]! }, owner.token)).booking.status).toBe('CANCELLED');
        await upcoming.getByRole('button', { name: 'Earlier' }).click();
        await upcoming.getByText('Invitee 01').waitFor();
      }));

    test('free time on a day with only an event type offered is the window minus the booking and its buffer, off the 60-minute grid', () =>
      onServer(browser, async (page, t) => {
        const owner = await t.createOwner({ name: 'Dr. Short', timeZone: ZONE, slotMinutes: 60 });
        // 09:15-11:45 in New York: no 60-minute slot of the owner's grid fits it at :00.
        await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T14:15:00Z', endsAt: '2030-01-08T16:45:00Z' } }, owner.token);
        const type = await t.ok(CreateEventTypeDocument, { input: { slug: 'quick', title: 'Quick chat', durations: [30], bufferAfterMinutes: 15 } }, owner.token);
        // Its slots start at 9:15 every 30 minutes: 9:45-10:15, then 15 minutes' buffer.
        await book(t, owner.id, '2030-01-08T14:45:00Z', 'Grace Hopper', type.createEventType.id);
        await signIn(page, t, owner.token);
        const tuesday = page.locator('[data-day="2030-01-08"]');
        await tuesday.getByText('Grace Hopper').waitFor();
        const free = await tuesday.locator('.free').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-free-start'), n.getAttribute('data-free-end')]));
        expect(free).toEqual([
          ['2030-01-08T14:15:00.000Z', '2030-01-08T14:45:00.000Z'],
          ['2030-01-08T15:30:00.000Z', '2030-01-08T16:45:00.000Z'],
        ]);
        expect(await tuesday.locator('.free').allTextContents()).toEqual(['Free 9:15 AM–9:45 AM', 'Free 10:30 AM–11:45 AM']);
      }));

    test.each([1280, 375])('every tool on one page at %i px: axe finds nothing serious, nothing sticks out sideways', (width) =>
        onServer(
          browser,
          async (page, t) => {
            const receiver = await startWebhookReceiver();
            receivers.push(receiver);
            const owner = await t.createOwner({ name: 'Dr. Ada Lovelace', timeZone: ZONE });
            await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T14:00:00Z', endsAt: '2030-01-08T17:00:00Z' } }, owner.token);
            await t.ok(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro call', description: 'A first talk.', durations: [30, 60] } }, owner.token);
            await signIn(page, t, owner.token);
            await page.getByLabel('Endpoint URL').fill(receiver.url);
            await page.getByRole('button', { name: 'Add endpoint' }).click();
            await page.getByRole('region', { name: "Save the endpoint's signing secret" }).waitFor();
            await book(t, owner.id, '2030-01-08T15:00:00Z', 'Grace Hopper-Lovelace with a long name');
            await receiver.waitFor((received) => received.length === 1);
            await page.getByRole('button', { name: 'Refresh deliveries' }).click();
            await page.locator('tr[data-status="DELIVERED"]').waitFor();
            await page.getByRole('button', { name: 'Get a feed URL' }).click();
            await page.getByRole('button', { name: 'Yes, make it' }).click();
            await page.getByLabel('Calendar feed URL', { exact: true }).waitFor();
            await page.getByRole('region', { name: 'Week of Monday, January 7' }).getByRole('button', { name: /^Cancel booking with/ }).click();
            await expectAccessible(page, `owner page with every tool at ${width} px`);
            expect(await overflowsSideways(page)).toBe(false);
            await page.screenshot({ path: screenshotPath(width === 375 ? 'owner-page-tools-phone.png' : 'owner-page-tools.png'), fullPage: true });
          },
          { width, app: { webhooks: { allowPrivateUrls: true, pollIntervalMs: 50 } } },
        ),
    );
  },
);
