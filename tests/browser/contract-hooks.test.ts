import { EventTypeBookingDocument } from '../generated/graphql';
import { describeInBrowser, sharedBrowser } from './browser';
import { INVITEE, bookingsOf, februarySlots, inScene, localDate } from './booking-scene';

// An OUTSIDE client of the booking and manage pages, written only from docs/api.md Part 2, 20 and
// 21 and using only the hooks named there: a day `button[data-date]`, a slot `button[data-start]`,
// the inputs labelled Name and Email, the button Book, role=status with Confirmed, the link Manage
// booking; then the link Add to calendar and the button Cancel booking, role=status with
// Cancelled. Each step is the very next action the rules allow, through Playwright's strict
// locators (exact names; one match or an error): a step put in between (a "Next", a confirm
// dialog) or a hook renamed or doubled fails it. The page tests in booking*.test.ts cover the rest.

describeInBrowser('the page hooks of docs/api.md Part 2, 20-21, as an outside client uses them', ['book and cancel through the hooks alone'], () => {
  const browser = sharedBrowser();

  test.each(['Europe/Berlin', 'America/Los_Angeles'])('in %s: book through rule 20, then cancel through rule 21', (zone) =>
    inScene(browser(), zone, async (page, s, context) => {
      // The client knows a free slot from the API (freeSlots), and the day it falls on in its zone.
      const [start] = await februarySlots(s, zone);
      await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
      await page.locator(`button[data-date="${localDate(start!, zone)}"]`).click();
      await page.locator(`button[data-start="${start}"]`).click();
      await page.getByLabel('Name', { exact: true }).fill(INVITEE.name);
      await page.getByLabel('Email', { exact: true }).fill(INVITEE.email);
      await page.getByRole('button', { name: 'Book', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Confirmed' }).waitFor();
      const [booking] = await bookingsOf(s);
      expect(booking).toMatchObject({ status: 'CONFIRMED' });
      expect(Date.parse(booking!.startsAt)).toBe(Date.parse(start!));

      await page.getByRole('link', { name: 'Manage booking', exact: true }).click();
      await page.waitForURL(new RegExp(`/manage/${booking!.id}\\?token=`));
      const ics = await page.getByRole('link', { name: 'Add to calendar', exact: true }).getAttribute('href');
      const feed = await context.request.get(new URL(ics!, page.url()).href);
      expect(feed.status()).toBe(200);
      expect(await feed.text()).toContain(`UID:${booking!.id}@slotbook`);
      await page.getByRole('button', { name: 'Cancel booking', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Cancelled' }).waitFor();
      expect((await s.t.ok(EventTypeBookingDocument, { id: booking!.id }, s.owner.token)).booking.status).toBe('CANCELLED');
    }),
  );
});
