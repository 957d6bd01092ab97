import type { Page } from 'playwright-core';
import { BookSlotDocument, EventTypeBookingDocument } from '../generated/graphql';
import { describeInBrowser, expectAccessible, sharedBrowser, overflowsSideways, screenshotPath } from './browser';
import { EVENING_SLOT, INVITEE, bookingsOf, februarySlots, fillFirstSlot, inScene, localDate, type Scene } from './booking-scene';

// What a newcomer met on the booking and manage pages (issue 21, "The first hour"): the
// confirmation at its own address, a cancel in one press, the server's field errors on their
// field, a readable time zone picker with a 12h/24h choice, the current time marked.

/** Typed structurally, as browser.ts's attributes: the tests compile without the DOM lib. */
interface DomNode {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomNode | null;
}

/** Ids the browser's ICU still lists or reports, under the names IANA uses now. */
const LEGACY_IDS = ['Asia/Calcutta', 'Asia/Saigon', 'Asia/Katmandu', 'Europe/Kiev', 'America/Buenos_Aires', 'America/Godthab', 'Atlantic/Faeroe'];

/** Books `start` of the Consultation through the API; the manage page's path. */
async function bookThroughApi(s: Scene, start: string): Promise<{ id: string; path: string }> {
  const booked = await s.t.ok(BookSlotDocument, { input: { ownerId: s.owner.id, eventTypeId: s.eventTypeId, startsAt: start, invitee: INVITEE } });
  const { booking, manageToken } = booked.bookSlot;
  return { id: booking.id, path: `/manage/${booking.id}?token=${encodeURIComponent(manageToken)}` };
}

async function statusOf(s: Scene, id: string): Promise<string> {
  return (await s.t.ok(EventTypeBookingDocument, { id }, s.owner.token)).booking.status;
}

/** The minutes east of UTC that a `Time zone` option's label starts with ("GMT-08:00 …"). */
function offsetOf(label: string): number {
  const [, sign, hours, minutes] = /^GMT([+-])(\d\d):(\d\d) /.exec(label)!;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

async function zoneOptions(page: Page): Promise<{ value: string; label: string }[]> {
  return page
    .getByLabel('Time zone')
    .locator('option')
    .evaluateAll((nodes) => nodes.map((node) => ({ value: (node as DomNode).getAttribute('value') ?? '', label: (node as DomNode).textContent ?? '' })));
}

describeInBrowser(
  'booking and manage pages, the first hour',
  ['the confirmation survives a reload', 'cancel in one press', 'field errors on their field', 'the time zone picker', '12h or 24h', 'the current time marked', 'axe at 1280 and 375 px'],
  () => {
    const browser = sharedBrowser();

    test('after Book the address is the manage URL, so a reload keeps the confirmation', () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        await fillFirstSlot(page, s, 'Europe/Berlin');
        await page.getByRole('button', { name: 'Book' }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Confirmed');
        const [booking] = await bookingsOf(s);
        const manage = new RegExp(`/manage/${booking!.id}\\?token=sbm_`);
        expect(page.url()).toMatch(manage);
        expect(await page.title()).toBe('Your booking · Slotbook');

        await page.reload();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Confirmed');
        expect(page.url()).toMatch(manage);
        expect(await page.getByRole('link', { name: 'Manage booking' }).getAttribute('href')).toMatch(manage);
        expect(await page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toContain(`/bookings/${booking!.id}.ics?manageToken=`);
      }),
    );

    test('Cancel booking cancels at once (docs/api.md Part 2, 21), says so, keeps the focus, offers to book another time', () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        const [first] = await februarySlots(s, 'Europe/Berlin');
        const { id, path } = await bookThroughApi(s, first!);
        await page.goto(`${s.t.origin}${path}`);
        expect(await page.getByRole('status').textContent()).not.toContain('Cancelled');
        await page.getByRole('button', { name: 'Cancel booking' }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Cancelled');
        expect(await page.getByRole('dialog').count()).toBe(0);
        expect(await statusOf(s, id)).toBe('CANCELLED');
        // The button the focus was on is gone: it lands on the outcome, not on the page's body.
        expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancelled');
        expect(await page.getByRole('link', { name: 'Book another time' }).getAttribute('href')).toBe(`/book/${s.owner.id}/consultation`);
        expect(await page.getByRole('button', { name: 'Cancel booking' }).count()).toBe(0);
        await expectAccessible(page, 'manage page, cancelled');
      }),
    );

    test("the server's field error lands on its input: aria-invalid, the words beside it, the focus there", () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        // The browser's own check lets it through; the server's does not.
        await fillFirstSlot(page, s, 'Europe/Berlin', 'grace@localhost');
        await page.getByRole('button', { name: 'Book' }).click();
        const email = page.getByLabel('Email');
        await page.locator('input[aria-invalid="true"]').waitFor();
        expect(await email.getAttribute('aria-invalid')).toBe('true');
        const described = (await email.getAttribute('aria-describedby'))!.split(' ');
        const words = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).textContent()));
        expect(words).toContain('Email must be a valid e-mail address.');
        expect(await page.locator('body').textContent()).not.toContain('input.invitee');
        expect(await page.getByRole('alert').count()).toBe(0);
        expect(await page.evaluate('document.activeElement?.getAttribute("type")')).toBe('email');
        expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBeNull();
        await expectAccessible(page, 'booking page, a field error');
        await email.fill(INVITEE.email);
        expect(await email.getAttribute('aria-invalid')).toBeNull();
        expect(await bookingsOf(s)).toEqual([]);
      }),
    );

    test('the Time zone select: the detected zone first under its current name, no legacy ids, by offset, with the time there', () =>
      inScene(browser(), 'Asia/Calcutta', async (page, s) => {
        await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
        await page.locator('button[data-date]').first().waitFor();
        expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Kolkata');
        const options = await zoneOptions(page);
        expect(options.length).toBeGreaterThan(300);
        // NOW is 08:00 UTC: 13:30 in Kolkata.
        expect(options[0]).toEqual({ value: 'Asia/Kolkata', label: expect.stringMatching(/^GMT\+05:30 Kolkata — 1:30\sPM$/) });
        const values = options.map((option) => option.value);
        expect(values.filter((value) => LEGACY_IDS.includes(value))).toEqual([]);
        expect(new Set(values).size).toBe(values.length);
        expect(values).toEqual(expect.arrayContaining(['Europe/Berlin', 'America/Los_Angeles', 'Asia/Ho_Chi_Minh', 'Europe/Kyiv']));
        const offsets = options.slice(1).map((option) => offsetOf(option.label));
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
        expect(options.find((option) => option.value === 'America/Los_Angeles')!.label).toMatch(/^GMT-08:00 Los Angeles — 12:00\sAM$/);
      }),
    );

    test('12h or 24h: the choice rewrites every time on the page and is remembered', () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
        const evening = (await februarySlots(s, 'Europe/Berlin')).find((start) => Date.parse(start) === Date.parse(EVENING_SLOT))!;
        await page.locator(`button[data-date="${localDate(evening, 'Europe/Berlin')}"]`).click();
        const slot = page.locator(`button[data-start="${evening}"]`);
        expect(await slot.textContent()).toMatch(/^1:00\sAM$/);
        await page.getByRole('radio', { name: '24h' }).check();
        expect(await slot.textContent()).toBe('01:00');
        expect((await zoneOptions(page))[0]!.label).toBe('GMT+01:00 Berlin — 09:00');
        await page.reload();
        await page.locator(`button[data-date="${localDate(evening, 'Europe/Berlin')}"]`).click();
        expect(await page.getByRole('radio', { name: '24h' }).isChecked()).toBe(true);
        expect(await slot.textContent()).toBe('01:00');
        await slot.click();
        expect(await page.getByRole('region', { name: 'About this meeting' }).textContent()).toMatch(/01:00\s–\s01:30/);
      }),
    );

    test("the manage page marks the booking's current start among the new times, not as a choice", () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        const slots = await februarySlots(s, 'Europe/Berlin');
        const day = localDate(slots[0]!, 'Europe/Berlin');
        const sameDay = slots.filter((start) => localDate(start, 'Europe/Berlin') === day);
        const current = sameDay[1]!;
        const { path } = await bookThroughApi(s, current);
        await page.goto(`${s.t.origin}${path}`);
        // The booking's own day is the one shown first.
        const marked = page.locator(`[data-current-start="${current}"]`);
        await marked.waitFor();
        expect(await marked.textContent()).toContain('current');
        expect(await page.locator(`button[data-start="${current}"]`).count()).toBe(0);
        expect(await page.locator('button[data-date][aria-pressed="true"]').getAttribute('data-date')).toBe(day);
        const starts = await page
          .locator('.times li')
          .evaluateAll((items) => items.map((li) => (li as DomNode).querySelector('[data-start], [data-current-start]')!.getAttribute('data-start') ?? 'current'));
        expect(starts).toEqual(sameDay.map((start) => (start === current ? 'current' : start)));
      }),
    );

    test.each([1280, 375])('at %i px: the booking and manage pages pass axe, nothing sticks out sideways', (width) =>
      inScene(
        browser(),
        'Europe/Berlin',
        async (page, s) => {
          const suffix = width === 375 ? '-phone' : '';
          await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
          await page.locator('button[data-date]').first().waitFor();
          await expectAccessible(page, `booking page at ${width} px`);
          const evening = (await februarySlots(s, 'Europe/Berlin')).find((start) => Date.parse(start) === Date.parse(EVENING_SLOT))!;
          await page.locator(`button[data-date="${localDate(evening, 'Europe/Berlin')}"]`).click();
          await page.locator(`button[data-start="${evening}"]`).waitFor();
          expect(await overflowsSideways(page)).toBe(false);
          // The pointer off the page, so no hover outline lands in the picture.
          await page.mouse.move(0, 0);
          await page.screenshot({ path: screenshotPath(`booking-page${suffix}.png`), fullPage: true });
          // Choosing the time opens the form.
          await page.locator(`button[data-start="${evening}"]`).click();
          await page.getByLabel('Name').fill(INVITEE.name);
          await page.getByLabel('Email').fill(INVITEE.email);
          expect(await overflowsSideways(page)).toBe(false);
          await expectAccessible(page, `booking page at ${width} px, a time chosen: the form`);
          await page.getByRole('button', { name: 'Book' }).click();
          await expect(page.getByRole('status').textContent()).resolves.toContain('Confirmed');
          await page.locator('[data-current-start]').waitFor();
          expect(await overflowsSideways(page)).toBe(false);
          await expectAccessible(page, `manage page at ${width} px`);
          await page.mouse.move(0, 0);
          if (width === 1280) await page.screenshot({ path: screenshotPath('manage-page.png'), fullPage: true });
          await page.getByRole('button', { name: 'Cancel booking' }).click();
          await expect(page.getByRole('status').textContent()).resolves.toContain('Cancelled');
          expect(await overflowsSideways(page)).toBe(false);
          await expectAccessible(page, `manage page at ${width} px, cancelled`);
        },
        width,
      ),
      // Six axe scans of pages with a select of every time zone (about 400 options) take time.
      150_000,
    );
  },
);
