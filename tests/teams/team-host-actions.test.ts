/*
 * docs/api.md, Part 1 ("Who may do what": the booking's owner reads, cancels and reschedules it)
 * with Part 3, 37: a collective booking's extra host acts on it as its owner does, with its own
 * calendar's credentials (an account's access token and the Slotbook-Calendar header), no
 * manage token. A calendar that hosts other collective bookings but not this one, and a member
 * not hosting a round-robin booking, still get NOT_FOUND. Run on the SQLite file by default, on
 * PostgreSQL with TEST_DATABASE_URL. The test clock (2030-01-07T08:00Z) decides bookings.
 */
import { startTestApp, type TestApp } from '../support/app';
import { BookTeamSlotDocument, BookingHostsDocument, CancelBookingDocument, RescheduleBookingDocument } from '../generated/graphql';
import { at, invitee, openClinic, type Clinic } from './clinic';

let t: TestApp;
let clinic: Clinic;
/** lead (priority 3) and second (1) form team "pair"; lead and other (1) form team "other". */
const cal = { lead: '', second: '', other: '' };
const eventTypes = { pair: '', pairRoundRobin: '', other: '' };
const as = (calendar: string) => clinic.as(calendar);

beforeAll(async () => {
  t = await startTestApp();
  clinic = await openClinic(t);
  for (const key of ['lead', 'second', 'other'] as const) cal[key] = await clinic.calendar(key);
  const pair = await clinic.team('pair', [[cal.lead, 3], [cal.second, 1]]);
  const other = await clinic.team('other', [[cal.lead, 3], [cal.other, 1]]);
  eventTypes.pair = await clinic.eventType(pair, 'COLLECTIVE', 'together');
  eventTypes.pairRoundRobin = await clinic.eventType(pair, 'ROUND_ROBIN', 'either');
  eventTypes.other = await clinic.eventType(other, 'COLLECTIVE', 'also');
});
afterAll(() => t?.close());

const book = async (eventTypeId: string, hour: number) =>
  (await t.ok(BookTeamSlotDocument, { input: { ownerId: cal.lead, eventTypeId, startsAt: at(hour), invitee } })).bookSlot.booking;

test('an extra host reads, moves and cancels a collective booking with its own calendar\'s credentials', async () => {
  const booking = await book(eventTypes.pair, 10);
  expect(booking.owner.id).toBe(cal.lead);

  const read = await t.ok(BookingHostsDocument, { id: booking.id }, as(cal.second));
  expect(read.booking).toMatchObject({ id: booking.id, status: 'CONFIRMED', owner: { id: cal.lead } });

  const moved = await t.ok(RescheduleBookingDocument, { id: booking.id, startsAt: at(13) }, as(cal.second));
  expect(moved.rescheduleBooking).toMatchObject({ id: booking.id, startsAt: at(13), status: 'CONFIRMED' });
  const hosts = await t.ok(BookingHostsDocument, { id: booking.id }, as(cal.lead));
  expect(hosts.booking!.hosts.map((h) => h.id).sort()).toEqual([cal.lead, cal.second].sort());

  const cancelled = await t.ok(CancelBookingDocument, { id: booking.id }, as(cal.second));
  expect(cancelled.cancelBooking.status).toBe('CANCELLED');
});

test('a calendar that hosts other collective bookings, or a member not hosting a round-robin booking, gets NOT_FOUND', async () => {
  // "other" now hosts a collective booking of another team, so its calendar is marked as hosting others' bookings.
  await book(eventTypes.other, 11);
  const pairBooking = await book(eventTypes.pair, 15);
  for (const attempt of [
    () => t.fails(BookingHostsDocument, { id: pairBooking.id }, 'NOT_FOUND', as(cal.other)),
    () => t.fails(RescheduleBookingDocument, { id: pairBooking.id, startsAt: at(16) }, 'NOT_FOUND', as(cal.other)),
    () => t.fails(CancelBookingDocument, { id: pairBooking.id }, 'NOT_FOUND', as(cal.other)),
  ]) await attempt();

  const roundRobin = await book(eventTypes.pairRoundRobin, 12);
  expect(roundRobin.owner.id).toBe(cal.lead);
  await t.fails(CancelBookingDocument, { id: roundRobin.id }, 'NOT_FOUND', as(cal.second));
  await t.fails(RescheduleBookingDocument, { id: roundRobin.id, startsAt: at(14) }, 'NOT_FOUND', as(cal.second));
});
