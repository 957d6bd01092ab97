import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, DEFAULT_NOW, type ServedTestApp } from '../support/app';
import { AddRecurringWindowDocument, CreateEventTypeDocument, EventTypeFreeSlotsDocument, OwnerBookingsDocument } from '../generated/graphql';
import { openContext, pageErrors } from './browser';

// The scene the booking and manage page tests share: an owner in New York with a Consultation,
// a browser on the server's clock (DEFAULT_NOW, Monday 2030-01-07), so dates never rot.

export const NOW = DEFAULT_NOW;
export const INVITEE = { name: 'Grace Hopper', email: 'grace@example.com' };
/** Tuesday 19:00 in New York: Wednesday 01:00 in Berlin, still Tuesday 16:00 in Los Angeles. */
export const EVENING_SLOT = '2030-02-06T00:00:00Z';

export interface Scene {
  t: ServedTestApp;
  owner: { id: string; token: string };
  eventTypeId: string;
}

/** An owner in New York with a Consultation (30 or 60 min), free from February 2030 on only. */
export async function scene(): Promise<Scene> {
  const t = await startTestApp({ listen: true, now: NOW });
  const owner = await t.createOwner({ name: 'Dr. Ada Lovelace', timeZone: 'America/New_York' });
  // Nothing in January: the page has to open on February, the first month with a free slot.
  await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['MONDAY', 'WEDNESDAY', 'FRIDAY'], startTime: '09:00', endTime: '12:00', startsOn: '2030-02-04' } }, owner.token);
  await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['TUESDAY'], startTime: '19:00', endTime: '21:00', startsOn: '2030-02-04' } }, owner.token);
  const type = await t.ok(
    CreateEventTypeDocument,
    { input: { slug: 'consultation', title: 'Consultation', description: 'A first talk about your project.', durations: [30, 60] } },
    owner.token,
  );
  return { t, owner, eventTypeId: type.createEventType.id };
}

export function localDate(instant: string, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** The API's free slots of the Consultation (default 30 min) that start in February 2030 in `zone`. */
export async function februarySlots(s: Scene, zone: string): Promise<string[]> {
  const data = await s.t.ok(EventTypeFreeSlotsDocument, { ownerId: s.owner.id, eventTypeId: s.eventTypeId, from: '2030-01-30T00:00:00Z', to: '2030-03-03T00:00:00Z' });
  return data.freeSlots.map((slot) => slot.startsAt).filter((start) => localDate(start, zone).startsWith('2030-02'));
}

export async function bookingsOf(s: Scene) {
  const data = await s.t.ok(OwnerBookingsDocument, { id: s.owner.id, first: 100 }, s.owner.token);
  return data.owner!.bookings.edges.map((edge) => edge.node);
}

/** Runs `steps` against a fresh scene, in a page whose browser zone is `zone`; closes both after. */
export async function inScene(browser: Browser, zone: string, steps: (page: Page, s: Scene, context: BrowserContext) => Promise<void>, width?: number): Promise<void> {
  const s = await scene();
  const context = await openContext(browser, { timezoneId: zone, now: NOW, width });
  try {
    await steps(await context.newPage(), s, context);
    expect(pageErrors(context)).toEqual([]);
  } finally {
    await context.close();
    await s.t.close();
  }
}

/** A day, then a time, which opens the form for it (docs/api.md Part 2, 20: no step between). */
export async function pickSlot(page: Page, day: string, start: string): Promise<void> {
  await page.locator(`button[data-date="${day}"]`).click();
  await page.locator(`button[data-start="${start}"]`).click();
}

/** Opens the Consultation's booking page, picks its first February slot and fills the form; that slot. */
export async function fillFirstSlot(page: Page, s: Scene, zone: string, email = INVITEE.email): Promise<string> {
  await page.goto(`${s.t.origin}/book/${s.owner.id}/consultation`);
  const [first] = await februarySlots(s, zone);
  await pickSlot(page, localDate(first!, zone), first!);
  await page.getByLabel('Name').fill(INVITEE.name);
  await page.getByLabel('Email').fill(email);
  return first!;
}
