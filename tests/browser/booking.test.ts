import { BookSlotDocument, CreateEventTypeDocument, EventTypeBookingDocument, EventTypeFreeSlotsDocument } from '../generated/graphql';
import { attributes, describeInBrowser, expectAccessible, focusOutlineStyle, sharedBrowser, overflowsSideways } from './browser';
import { EVENING_SLOT, INVITEE, bookingsOf, februarySlots, fillFirstSlot, inScene, localDate, pickSlot } from './booking-scene';

// The invitee's pages in a real browser (docs/api.md Part 2, 20-21), through the hooks an
// outside test relies on: data-date, data-start, the labels and the button and link names.
// Server and browser share one clock, DEFAULT_NOW (Monday 2030-01-07), so dates never rot.
// Choosing a time opens the form at once, and Cancel booking cancels at once, as those hooks
// say (tests/browser/contract-hooks.test.ts plays such an outside client).

describeInBrowser(
  'booking and manage pages in Chromium',
  ['the whole flow in Europe/Berlin and America/Los_Angeles', 'a slot taken meanwhile', 'live updates', 'a double click on Book', 'keyboard only', 'TOO_LATE', 'wrong links', 'a 375 px wide phone'],
  () => {
    const browser = sharedBrowser();

    test.each(['Europe/Berlin', 'America/Los_Angeles'])('in %s: book, open the manage page, add to calendar, reschedule, cancel', (zone) =>
      inScene(browser(), zone, async (page, s, context) => {
        await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dr. Ada Lovelace');
        await page.getByRole('heading', { name: 'Consultation' }).waitFor();
        expect(await page.getByLabel('Time zone').inputValue()).toBe(zone);

        // Opens on February, the first month with a free slot; its bookable days are exactly
        // the dates, in the browser's zone, of the API's free slots.
        const slots = await februarySlots(s, zone);
        await page.getByRole('heading', { name: 'February 2030' }).waitFor();
        await page.locator('button[data-date]').first().waitFor();
        const days = [...new Set(slots.map((start) => localDate(start, zone)))];
        expect(await attributes(page, 'button[data-date]', 'data-date')).toEqual(days);

        // The evening slot lies on Wednesday in Berlin and on Tuesday in Los Angeles.
        const evening = slots.find((start) => Date.parse(start) === Date.parse(EVENING_SLOT))!;
        const day = localDate(evening, zone);
        expect(day).toBe(zone === 'Europe/Berlin' ? '2030-02-06' : '2030-02-05');
        await page.locator(`button[data-date="${day}"]`).click();
        expect(await attributes(page, 'button[data-start]', 'data-start')).toEqual(slots.filter((start) => localDate(start, zone) === day));

        await page.locator(`button[data-start="${evening}"]`).click();
        await page.getByLabel('Name').fill(INVITEE.name);
        await page.getByLabel('Email').fill(INVITEE.email);
        await expectAccessible(page, `booking page, a time chosen: the form (${zone})`);
        await page.getByRole('button', { name: 'Book' }).click();

        await expect(page.getByRole('status').textContent()).resolves.toContain('Confirmed');
        const [booking] = await bookingsOf(s);
        expect(booking).toMatchObject({ status: 'CONFIRMED' });
        expect(Date.parse(booking!.startsAt)).toBe(Date.parse(evening));
        await expectAccessible(page, `booking page, confirmed (${zone})`);

        // Add to calendar: the booking's own .ics (docs/api.md Part 2, 18).
        const ics = await page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href');
        const feed = await context.request.get(`${s.t.origin}${ics}`);
        expect(feed.status()).toBe(200);
        expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
        expect(await feed.text()).toContain(`UID:${booking!.id}@slotbook`);

        await page.getByRole('link', { name: 'Manage booking' }).click();
        await page.waitForURL(new RegExp(`/manage/${booking!.id}\\?token=`));
        await page.getByRole('heading', { name: 'Dr. Ada Lovelace' }).waitFor();
        const manageIcs = await page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href');
        expect((await context.request.get(`${s.t.origin}${manageIcs}`)).status()).toBe(200);

        // Reschedule to the first free slot of the first bookable day.
        await page.locator('button[data-date]').first().click();
        const newStart = (await attributes(page, 'button[data-start]', 'data-start'))[0]!;
        await page.locator(`button[data-start="${newStart}"]`).click();
        await expectAccessible(page, `manage page, a new time chosen (${zone})`);
        await page.getByRole('button', { name: /^Reschedule to / }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Rescheduled');
        // Its new time leaves the free list (live), and that is no time "taken" from the invitee.
        await page.locator(`button[data-start="${newStart}"]`).waitFor({ state: 'detached' });
        expect(await page.getByRole('alert').count()).toBe(0);
        const moved = await s.t.ok(EventTypeBookingDocument, { id: booking!.id }, s.owner.token);
        expect(Date.parse(moved.booking.startsAt)).toBe(Date.parse(newStart));
        expect(moved.booking.status).toBe('CONFIRMED');

        await page.getByRole('button', { name: 'Cancel booking' }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Cancelled');
        const cancelled = await s.t.ok(EventTypeBookingDocument, { id: booking!.id }, s.owner.token);
        expect(cancelled.booking.status).toBe('CANCELLED');
        await expectAccessible(page, `manage page, cancelled (${zone})`);
      }),
      // Five axe scans of pages with a select of every time zone (about 400 options) take time.
      150_000,
    );

    test('a slot taken meanwhile, unseen (no live updates): Book answers with an alert and the refreshed slots without it', () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        // A WebSocket that never answers, as behind a proxy that lets none through: the page
        // learns of the booking below only when it tries to book.
        await page.routeWebSocket(/\/graphql$/, () => undefined);
        await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
        const slots = await februarySlots(s, 'Europe/Berlin');
        const [first, second] = slots;
        const day = localDate(first!, 'Europe/Berlin');
        await pickSlot(page, day, first!);
        // Someone else books it through the API while the page still offers it.
        await s.t.ok(BookSlotDocument, { input: { ownerId: s.owner.id, eventTypeId: s.eventTypeId, startsAt: first!, invitee: { name: 'Someone Else', email: 'else@example.com' } } });
        await page.getByLabel('Name').fill(INVITEE.name);
        await page.getByLabel('Email').fill(INVITEE.email);
        await page.getByRole('button', { name: 'Book' }).click();

        await expect(page.getByRole('alert').textContent()).resolves.toContain('no longer free');
        await page.locator(`button[data-start="${first}"]`).waitFor({ state: 'detached' });
        await page.locator(`button[data-start="${second}"]`).waitFor();
        expect(await page.getByRole('status').count()).toBe(0);
        expect((await bookingsOf(s)).map((b) => b.status)).toEqual(['CONFIRMED']);
        await expectAccessible(page, 'booking page, a slot taken');
      }),
    );

    test('live: a slot booked elsewhere vanishes from the open page, and the chosen one is announced as taken', () =>
      inScene(browser(), 'America/Los_Angeles', async (page, s) => {
        await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
        const slots = await februarySlots(s, 'America/Los_Angeles');
        const [first, second, third] = slots;
        await pickSlot(page, localDate(first!, 'America/Los_Angeles'), first!);
        await page.getByLabel('Name').waitFor();
        const other = { name: 'Someone Else', email: 'else@example.com' };
        // Another start of the same day, then the chosen one, both booked through the API.
        await s.t.ok(BookSlotDocument, { input: { ownerId: s.owner.id, eventTypeId: s.eventTypeId, startsAt: third!, invitee: other } });
        await page.locator(`button[data-start="${third}"]`).waitFor({ state: 'detached' });
        expect(await page.getByRole('alert').count()).toBe(0);
        await s.t.ok(BookSlotDocument, { input: { ownerId: s.owner.id, eventTypeId: s.eventTypeId, startsAt: first!, invitee: other } });
        await expect(page.getByRole('alert').textContent()).resolves.toContain('no longer free');
        await page.locator(`button[data-start="${first}"]`).waitFor({ state: 'detached' });
        expect(await page.getByLabel('Name').count()).toBe(0);
        await page.locator(`button[data-start="${second}"]`).waitFor();
      }),
    );

    test('a double click on Book books once', () =>
      inScene(browser(), 'America/Los_Angeles', async (page, s) => {
        const first = await fillFirstSlot(page, s, 'America/Los_Angeles');
        await page.getByRole('button', { name: 'Book' }).dblclick();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Confirmed');
        const bookings = await bookingsOf(s);
        expect(bookings).toHaveLength(1);
        expect(Date.parse(bookings[0]!.startsAt)).toBe(Date.parse(first!));
      }),
    );

    test('keyboard only: arrows among the days, a time and the form, with a visible focus ring', () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
        await page.locator('button[data-date]').first().waitFor();
        // One day in the tab order; the arrows, Home and End move among the bookable days.
        const days = await attributes(page, 'button[data-date]', 'data-date');
        expect(await attributes(page, 'button[data-date][tabindex="0"]', 'data-date')).toEqual([days[0]]);
        const focusedDay = () => page.evaluate('document.activeElement?.getAttribute("data-date")');
        await page.locator(`button[data-date="${days[0]}"]`).focus();
        await page.keyboard.press('ArrowRight');
        expect(await focusedDay()).toBe(days[1]);
        await page.keyboard.press('End');
        expect(await focusedDay()).toBe(days[days.length - 1]);
        await page.keyboard.press('Home');
        expect(await focusedDay()).toBe(days[0]);
        await page.keyboard.press('ArrowDown');
        const weekLater = days.find((day) => day >= '2030-02-11')!;
        expect(await focusedDay()).toBe(weekLater);
        await page.keyboard.press('Enter');
        expect(await attributes(page, 'button[data-date][aria-pressed="true"]', 'data-date')).toEqual([weekLater]);
        expect(await attributes(page, 'button[data-date][tabindex="0"]', 'data-date')).toEqual([weekLater]);
        // Tab on from the day until a time has the focus.
        for (let i = 0; i < 60 && !(await page.evaluate('document.activeElement?.hasAttribute("data-start")')); i++) await page.keyboard.press('Tab');
        const focused = page.locator('button[data-start]:focus');
        expect(await focused.count()).toBe(1);
        expect(await focusOutlineStyle(page)).not.toBe('none');
        const start = await focused.getAttribute('data-start');
        // Choosing the time opens the form in its place, with the focus in Name.
        await page.keyboard.press('Space');
        await page.getByLabel('Name').waitFor();
        expect(await page.evaluate('document.activeElement?.id')).toBe(await page.getByLabel('Name').getAttribute('id'));
        await page.keyboard.type(INVITEE.name);
        await page.keyboard.press('Tab');
        await page.keyboard.type(INVITEE.email);
        await page.keyboard.press('Enter');
        await expect(page.getByRole('status').textContent()).resolves.toContain('Confirmed');
        // The focus moves to the confirmation, whose next tab stop is the manage link.
        expect(await page.evaluate('document.activeElement?.textContent')).toBe('Confirmed');
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement?.textContent')).toBe('Manage booking');
        expect((await bookingsOf(s)).map((b) => Date.parse(b.startsAt))).toEqual([Date.parse(start!)]);
      }),
    );

    test('TOO_LATE in words: an invitee cancelling inside the notice period sees why, and nothing changes', () =>
      inScene(browser(), 'America/Los_Angeles', async (page, s) => {
        const strict = await s.t.ok(CreateEventTypeDocument, { input: { slug: 'strict', title: 'Strict', durations: [30], minCancelNoticeMinutes: 525600 } }, s.owner.token);
        const slots = await s.t.ok(EventTypeFreeSlotsDocument, { ownerId: s.owner.id, eventTypeId: strict.createEventType.id, from: '2030-02-01T00:00:00Z', to: '2030-03-01T00:00:00Z' });
        const booked = await s.t.ok(BookSlotDocument, { input: { ownerId: s.owner.id, eventTypeId: strict.createEventType.id, startsAt: slots.freeSlots[0]!.startsAt, invitee: INVITEE } });
        const { booking, manageToken } = booked.bookSlot;
        await page.goto(`${s.t.origin}/manage/${booking.id}?token=${encodeURIComponent(manageToken)}`);
        await page.getByRole('button', { name: 'Cancel booking' }).click();
        await expect(page.getByRole('alert').textContent()).resolves.toContain('too close to the start');
        expect((await s.t.ok(EventTypeBookingDocument, { id: booking.id }, s.owner.token)).booking.status).toBe('CONFIRMED');
      }),
    );

    test('a wrong manage link: an alert, never a blank page', () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        await page.goto(`${s.t.origin}/manage/no-such-booking?token=nothing`);
        await expect(page.getByRole('alert').textContent()).resolves.toContain('not found');
        await page.goto(`${s.t.origin}/book/${s.owner.id}/no-such-type`);
        await expect(page.getByRole('alert').textContent()).resolves.toContain('does not exist');
      }),
    );

    test('on a 375 px wide phone: nothing sticks out sideways, and booking works', () =>
      inScene(browser(), 'Europe/Berlin', async (page, s) => {
        await page.goto(`${s.t.origin}/book/${s.owner.id}`);
        await page.locator('button[data-date]').first().waitFor();
        expect(await overflowsSideways(page)).toBe(false);
        await page.locator('button[data-date]').first().click();
        await page.locator('button[data-start]').first().click();
        expect(await overflowsSideways(page)).toBe(false);
        await page.getByLabel('Name').fill(INVITEE.name);
        await page.getByLabel('Email').fill(INVITEE.email);
        expect(await overflowsSideways(page)).toBe(false);
        await expectAccessible(page, 'booking page at 375 px, a time chosen');
        await page.getByRole('button', { name: 'Book' }).click();
        await expect(page.getByRole('status').textContent()).resolves.toContain('Confirmed');
        await page.getByRole('link', { name: 'Manage booking' }).click();
        await page.getByRole('button', { name: 'Cancel booking' }).waitFor();
        expect(await overflowsSideways(page)).toBe(false);
      }, 375),
    );
  },
);
