import { startTestApp, type Credential, type TestApp } from '../support/app';
import { SlotService } from '../../src/modules/slot/slot.service';
import { TeamBookingStore } from '../../src/modules/booking/team-booking.store';
import {
  AddOneTimeWindowDocument,
  AddTeamMemberDocument,
  BookSlotDocument,
  BookTeamSlotDocument,
  BookingHostsDocument,
  CancelBookingDocument,
  CreateCalendarDocument,
  CreateTeamDocument,
  CreateTeamEventTypeDocument,
  FreeSlotsDocument,
  OwnerBookingsDocument,
  OwnerEmailsDocument,
  UpdateOwnerEmailDocument,
  RegisterDocument,
  RescheduleBookingDocument,
  TeamFreeSlotsDocument,
} from '../generated/graphql';

// docs/api.md, Part 3, 36-37: team slots are the union (round robin) or intersection
// (collective) of the members' own free slots; round robin assigns by priority, bookings this
// month per weight, least recently booked, id; a collective booking occupies every member, all or
// nothing. Expected hosts are worked out by hand in each test.

let t: TestApp;
let account: string;
/** Members a and b (priority 2, weights 1 and 2) and c (priority 1). */
const m = { a: '', b: '', c: '' };
let rrId = '';
let coId = '';
/** a and b by plain string order of their ids. */
let low = '';
let high = '';

const day = (d: number, h: number) => `2030-01-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00.000Z`;
const starts = (slots: Array<{ startsAt: string }>) => slots.map((s) => Number(s.startsAt.slice(11, 13)));
const as = (calendar: string): Credential => ({ token: account, calendar });
const invitee = (n: number) => ({ name: `Ivy ${n}`, email: `ivy${n}@example.com` });

beforeAll(async () => {
  t = await startTestApp();
  account = (await t.ok(RegisterDocument, { input: { email: 'lead@example.com', password: 'correct horse battery', name: 'Lead' } })).register.accessToken;
  for (const key of ['a', 'b', 'c'] as const) {
    m[key] = (await t.ok(CreateCalendarDocument, { input: { name: key.toUpperCase(), timeZone: 'UTC' } }, account)).createCalendar.id;
    await t.ok(UpdateOwnerEmailDocument, { input: { email: `${key}@example.com` } }, as(m[key]));
    // a and b: 09-13 on the 8th and 9th; c: 09-14 on both days.
    for (const d of [8, 9]) await t.ok(AddOneTimeWindowDocument, { input: { startsAt: day(d, 9), endsAt: day(d, key === 'c' ? 14 : 13) } }, as(m[key]));
  }
  [low, high] = [m.a, m.b].sort();
  const teamId = (await t.ok(CreateTeamDocument, { input: { name: 'Team', slug: 'team' } }, account)).createTeam.id;
  await t.ok(AddTeamMemberDocument, { teamId, calendarId: m.a, priority: 2, weight: 1 }, account);
  await t.ok(AddTeamMemberDocument, { teamId, calendarId: m.b, priority: 2, weight: 2 }, account);
  await t.ok(AddTeamMemberDocument, { teamId, calendarId: m.c, priority: 1, weight: 1 }, account);
  rrId = (await t.ok(CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input: { slug: 'rr', title: 'RR' } }, account)).createTeamEventType.id;
  coId = (await t.ok(CreateTeamEventTypeDocument, { teamId, schedulingType: 'COLLECTIVE', input: { slug: 'co', title: 'Co' } }, account)).createTeamEventType.id;
});
afterAll(() => t.close());

const teamSlots = async (slug: string, d: number) => starts((await t.ok(TeamFreeSlotsDocument, { teamSlug: 'team', eventTypeSlug: slug, from: day(d, 0), to: day(d + 1, 0) })).teamFreeSlots);

test('teamFreeSlots: round robin is the union of the members, collective the intersection; freeSlots with any member answers the same', async () => {
  expect(await teamSlots('rr', 8)).toEqual([9, 10, 11, 12, 13]);
  expect(await teamSlots('co', 8)).toEqual([9, 10, 11, 12]);
  const viaMember = await t.ok(FreeSlotsDocument as never, { ownerId: m.c, from: day(8, 0), to: day(9, 0), eventTypeId: rrId } as never);
  expect(starts((viaMember as { freeSlots: Array<{ startsAt: string }> }).freeSlots)).toEqual([9, 10, 11, 12, 13]);
  await t.fails(TeamFreeSlotsDocument, { teamSlug: 'nope', eventTypeSlug: 'rr', from: day(8, 0), to: day(9, 0) }, 'NOT_FOUND');
});

test('round robin assigns by priority, then bookings this month per weight, then least recently booked, then id', async () => {
  const hosts: string[] = [];
  for (const [i, h] of [9, 10, 11, 12, 13].entries()) {
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.c, eventTypeId: rrId, startsAt: day(8, h), invitee: invitee(i) } });
    expect(bookSlot.booking.hosts).toEqual([bookSlot.booking.owner]);
    hosts.push(bookSlot.booking.owner.id);
  }
  // 09: a and b tie (priority 2, no bookings, never booked): the lower id. 10: the other (0 < 1).
  // 11: a has 1/1, b 1/2: b. 12: a 1/1 = b 2/2, a booked less recently: a. 13: only c is free.
  const expected = [low, high, m.b, m.a, m.c];
  expect(hosts).toEqual(expected);
  // Each start up to 12:00 still has two free members; 13:00 had only c.
  expect(await teamSlots('rr', 8)).toEqual([9, 10, 11, 12]);
  await t.fails(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: rrId, startsAt: day(8, 13), invitee: invitee(9) } }, 'SLOT_UNAVAILABLE');
});

test('collective: one booking occupies every member; owner is the lead; cancel frees every member; a move keeps all hosts', async () => {
  const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.b, eventTypeId: coId, startsAt: day(9, 10), invitee: invitee(20) } });
  expect(bookSlot.booking.owner.id).toBe(low);
  expect(bookSlot.booking.hosts.map((h) => h.id).sort()).toEqual([m.a, m.b, m.c].sort());
  expect(await teamSlots('rr', 9)).toEqual([9, 11, 12, 13]);
  // c's own Part 1 slots see the booking made under another owner.
  expect(starts((await t.ok(FreeSlotsDocument, { ownerId: m.c, from: day(9, 0), to: day(10, 0) })).freeSlots)).toEqual([9, 11, 12, 13]);
  await t.fails(BookSlotDocument, { input: { ownerId: m.c, startsAt: day(9, 10), invitee: invitee(21) } }, 'SLOT_UNAVAILABLE');

  const moved = await t.ok(RescheduleBookingDocument, { id: bookSlot.booking.id, startsAt: day(9, 12), manageToken: bookSlot.manageToken });
  expect(moved.rescheduleBooking.startsAt).toBe(day(9, 12));
  expect(starts((await t.ok(FreeSlotsDocument, { ownerId: m.c, from: day(9, 0), to: day(10, 0) })).freeSlots)).toEqual([9, 10, 11, 13]);
  await t.fails(BookSlotDocument, { input: { ownerId: m.c, startsAt: day(9, 12), invitee: invitee(22) } }, 'SLOT_UNAVAILABLE');

  await t.ok(CancelBookingDocument, { id: bookSlot.booking.id, manageToken: bookSlot.manageToken });
  expect(await teamSlots('co', 9)).toEqual([9, 10, 11, 12]);
  const hosts = await t.ok(BookingHostsDocument, { id: bookSlot.booking.id, manageToken: bookSlot.manageToken });
  expect(hosts.booking.status).toBe('CANCELLED');
});

test('30 racing round-robin bookings of one start with 3 free members: exactly 3 succeed, on 3 different hosts', async () => {
  const results = await Promise.all(
    Array.from({ length: 30 }, (_, i) => t.run(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: rrId, startsAt: day(9, 11), invitee: invitee(100 + i) } })),
  );
  const ok = results.filter((r) => !r.errors?.length);
  expect(ok).toHaveLength(3);
  expect(new Set(ok.map((r) => r.data!.bookSlot.booking.owner.id))).toEqual(new Set([m.a, m.b, m.c]));
  for (const r of results.filter((x) => x.errors?.length)) expect(r.errors![0]!.extensions?.code).toBe('SLOT_UNAVAILABLE');
});

test('a collective booking racing single bookings of its members never leaves a partial booking', async () => {
  const collective = t.run(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: coId, startsAt: day(9, 9), invitee: invitee(200) } });
  const singles = [m.a, m.b, m.c].map((ownerId, i) => t.run(BookSlotDocument, { input: { ownerId, startsAt: day(9, 9), invitee: invitee(201 + i) } }));
  const [co, ...single] = await Promise.all([collective, ...singles]);
  const singleWins = single.filter((r) => !r.errors?.length).length;
  if (!co.errors?.length) {
    expect(singleWins).toBe(0);
    expect(co.data!.bookSlot.booking.hosts).toHaveLength(3);
  } else {
    expect(co.errors[0]!.extensions?.code).toBe('SLOT_UNAVAILABLE');
    expect(singleWins).toBeGreaterThan(0);
  }
  // Whoever won, no member has the 09:00 slot free.
  for (const ownerId of [m.a, m.b, m.c]) {
    expect(starts((await t.ok(FreeSlotsDocument, { ownerId, from: day(9, 9), to: day(9, 10) })).freeSlots)).toEqual([]);
  }
});

test("with the application's check off, the database alone keeps a collective booking's hosts and a single booking apart, either order", async () => {
  const check = jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null);
  try {
    // The collective booking first: each member's own booking of that time is refused by booking_cell.
    // 13:00 is outside a's and b's windows, but with the check off only the database decides.
    await t.ok(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: coId, startsAt: day(9, 13), invitee: invitee(300) } });
    for (const ownerId of [m.a, m.b, m.c]) {
      await t.fails(BookSlotDocument, { input: { ownerId, startsAt: day(9, 13), invitee: invitee(301) } }, 'SLOT_UNAVAILABLE');
    }
    // A member's own booking first: the collective booking is refused whole, no host keeps a cell.
    await t.ok(BookSlotDocument, { input: { ownerId: m.c, startsAt: day(8, 14), invitee: invitee(302) } });
    await t.fails(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: coId, startsAt: day(8, 14), invitee: invitee(303) } }, 'SLOT_UNAVAILABLE');
    for (const ownerId of [m.a, m.b]) await t.ok(BookSlotDocument, { input: { ownerId, startsAt: day(8, 14), invitee: invitee(304) } });
  } finally {
    check.mockRestore();
  }
});

test("a collective booking is in every host's bookings, and every host gets the owner notices", async () => {
  // 10:00 and 12:00 on the 9th are free for every member after the tests above.
  const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.c, eventTypeId: coId, startsAt: day(9, 10), invitee: invitee(400) } });
  const id = bookSlot.booking.id;
  await t.ok(RescheduleBookingDocument, { id, startsAt: day(9, 12), manageToken: bookSlot.manageToken });
  await t.ok(CancelBookingDocument, { id, manageToken: bookSlot.manageToken });
  for (const ownerId of [m.a, m.b, m.c]) {
    const bookings = await t.ok(OwnerBookingsDocument, { id: ownerId, first: 100 }, as(ownerId));
    expect(bookings.owner?.bookings.edges.map((e) => e.node.id)).toContain(id);
    const emails = await t.ok(OwnerEmailsDocument, { ownerId, first: 100 }, as(ownerId));
    const kinds = emails.owner?.emails.edges.filter((e) => e.node.booking?.id === id && e.node.kind.startsWith('OWNER_')).map((e) => e.node.kind).sort();
    expect(kinds).toEqual(['OWNER_BOOKING_CANCELLED', 'OWNER_BOOKING_RESCHEDULED', 'OWNER_NEW_BOOKING']);
  }
});

test("an extra host's synced busy time refuses a collective booking and its move in the database, with the application's check off", async () => {
  // b is busy 09:00-10:00 on the 10th; a, b and c get a window that day.
  for (const key of ['a', 'b', 'c'] as const) await t.ok(AddOneTimeWindowDocument, { input: { startsAt: day(10, 9), endsAt: day(10, 13) } }, as(m[key]));
  await t.app.contextFor().stores.busyIntervals.replaceSource(m.b, 'source-b', [{ start: Date.parse(day(10, 9)), end: Date.parse(day(10, 10)) }]);
  expect(await teamSlots('co', 10)).toEqual([10, 11, 12]);
  const check = jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null);
  try {
    await t.fails(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: coId, startsAt: day(10, 9), invitee: invitee(500) } }, 'SLOT_UNAVAILABLE');
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: coId, startsAt: day(10, 11), invitee: invitee(501) } });
    await t.fails(RescheduleBookingDocument, { id: bookSlot.booking.id, startsAt: day(10, 9), manageToken: bookSlot.manageToken }, 'SLOT_UNAVAILABLE');
  } finally {
    check.mockRestore();
  }
  // Nothing partial was left: a and c are still free at 09:00.
  for (const ownerId of [m.a, m.c]) expect(starts((await t.ok(FreeSlotsDocument, { ownerId, from: day(10, 9), to: day(10, 10) })).freeSlots)).toEqual([9]);
});

test('a round-robin reschedule keeps the host when free, else assigns the next member by the same order', async () => {
  // On the 10th (windows 09-13, b busy 09-10, the collective booking above at 11): at 09:00 a and c are free: a (priority 2).
  const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.c, eventTypeId: rrId, startsAt: day(10, 9), invitee: invitee(600) } });
  expect(bookSlot.booking.owner.id).toBe(m.a);
  const { id } = bookSlot.booking;
  // a is free at 12:00: it keeps the booking.
  expect((await t.ok(RescheduleBookingDocument, { id, startsAt: day(10, 12), manageToken: bookSlot.manageToken })).rescheduleBooking.owner.id).toBe(m.a);
  // a becomes busy at 10:00; b (priority 2) and c (priority 1) are free there: b.
  await t.app.contextFor().stores.busyIntervals.replaceSource(m.a, 'source-a', [{ start: Date.parse(day(10, 10)), end: Date.parse(day(10, 11)) }]);
  const moved = await t.ok(RescheduleBookingDocument, { id, startsAt: day(10, 10), manageToken: bookSlot.manageToken });
  expect(moved.rescheduleBooking.owner.id).toBe(m.b);
  expect((await t.ok(BookingHostsDocument, { id, manageToken: bookSlot.manageToken })).booking).toMatchObject({ owner: { id: m.b }, hosts: [{ id: m.b }] });
  // a's 12:00 is free again, b's 10:00 is taken.
  expect(starts((await t.ok(FreeSlotsDocument, { ownerId: m.a, from: day(10, 12), to: day(10, 13) })).freeSlots)).toEqual([12]);
  await t.fails(BookSlotDocument, { input: { ownerId: m.b, startsAt: day(10, 10), invitee: invitee(601) } }, 'SLOT_UNAVAILABLE');
});

test('round robin tries the members in order until the database takes one: the best two refused, the third is booked', async () => {
  // The 11th: a, b and c open 09-13; a and b busy 09-10 by synced time, which only the database
  // sees here (the application's check is off), so the choice among a and b is refused and c,
  // asked next, gets the booking.
  for (const key of ['a', 'b', 'c'] as const) await t.ok(AddOneTimeWindowDocument, { input: { startsAt: day(11, 9), endsAt: day(11, 13) } }, as(m[key]));
  for (const key of ['a', 'b'] as const) await t.app.contextFor().stores.busyIntervals.replaceSource(m[key], `source-${key}-11`, [{ start: Date.parse(day(11, 9)), end: Date.parse(day(11, 10)) }]);
  const check = jest.spyOn(SlotService.prototype, 'whyUnbookable').mockResolvedValue(null);
  try {
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: rrId, startsAt: day(11, 9), invitee: invitee(700) } });
    expect(bookSlot.booking.owner.id).toBe(m.c);
  } finally {
    check.mockRestore();
  }
});

test('round robin asks only members no live booking holds at the start, and names the best-placed reason when none is left', async () => {
  // The 12th: a, b and c open 09-13. Two bookings at 09:00 take a and b; the third asks c alone.
  for (const key of ['a', 'b', 'c'] as const) await t.ok(AddOneTimeWindowDocument, { input: { startsAt: day(12, 9), endsAt: day(12, 13) } }, as(m[key]));
  for (const n of [800, 801]) await t.ok(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: rrId, startsAt: day(12, 9), invitee: invitee(n) } });
  const asked = jest.spyOn(SlotService.prototype, 'whyUnbookable');
  try {
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: rrId, startsAt: day(12, 9), invitee: invitee(802) } });
    expect(bookSlot.booking.owner.id).toBe(m.c);
    expect(asked.mock.calls.map(([head]) => head.id)).toEqual([m.c]);
  } finally {
    asked.mockRestore();
  }
  const refused = await t.fails(BookTeamSlotDocument, { input: { ownerId: m.a, eventTypeId: rrId, startsAt: day(12, 9), invitee: invitee(803) } }, 'SLOT_UNAVAILABLE');
  expect(refused.message).toMatch(/not a free slot of the team: already booked$/);
});

test('round robin books the best-ranked member by the standing read under the lock, asking it first when the earlier read ranked it lower', async () => {
  // The 13th: a, b and c open 09-13. The standing read before the transaction comes back
  // reversed, as if other bookings had changed it meanwhile: c (priority 1) is asked first and
  // found free, but the transaction ranks a priority-2 member first, asks it, and books it.
  for (const key of ['a', 'b', 'c'] as const) await t.ok(AddOneTimeWindowDocument, { input: { startsAt: day(13, 9), endsAt: day(13, 13) } }, as(m[key]));
  const candidates = TeamBookingStore.prototype.candidates;
  let best = '';
  const stale = jest.spyOn(TeamBookingStore.prototype, 'candidates').mockImplementation(async function (this: TeamBookingStore, ...args) {
    const ranked = await candidates.apply(this, args);
    best = ranked[0]!.ownerId;
    return [...ranked].reverse();
  });
  const asked = jest.spyOn(SlotService.prototype, 'whyUnbookable');
  try {
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: m.c, eventTypeId: rrId, startsAt: day(13, 9), invitee: invitee(900) } });
    expect([m.a, m.b]).toContain(best);
    expect(bookSlot.booking.owner.id).toBe(best);
    expect(asked.mock.calls.map(([head]) => head.id)).toEqual([m.c, best]);
  } finally {
    stale.mockRestore();
    asked.mockRestore();
  }
});
