import { startTestApp, type Credential, type TestApp } from '../support/app';
import {
  AddOneTimeWindowDocument,
  AddTeamMemberDocument,
  BookTeamSlotDocument,
  CreateCalendarDocument,
  CreateTeamDocument,
  CreateTeamEventTypeDocument,
  RegisterDocument,
} from '../generated/graphql';

// docs/api.md, Part 3, 36, through bookSlot and the database: 1,000 round-robin bookings of three
// members of equal priority and weights 1:2:3, each at a start where every member is free, all
// in the current UTC month of the injected clock, which moves a second per booking (so "least
// recently booked" compares real createdAt values). Each member's count must land within ±1 of
// its weighted share, 166.7 / 333.3 / 500.

const BOOKINGS = 1000;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2030-01-07T08:00:00Z'), webhooks: 'off', emails: 'off', calendarSources: 'off' });
});
afterAll(() => t.close());

test(`${BOOKINGS} round-robin bookings with weights 1:2:3 land within ±1 of the weighted shares`, async () => {
  const account = (await t.ok(RegisterDocument, { input: { email: 'fair@example.com', password: 'correct horse battery', name: 'Fair' } })).register.accessToken;
  const teamId = (await t.ok(CreateTeamDocument, { input: { name: 'Fair', slug: 'fair' } }, account)).createTeam.id;
  const members: Array<{ id: string; weight: number }> = [];
  for (const weight of [1, 2, 3]) {
    const id = (await t.ok(CreateCalendarDocument, { input: { name: `Weight ${weight}`, timeZone: 'UTC' } }, account)).createCalendar.id;
    const as: Credential = { token: account, calendar: id };
    await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T00:00:00Z', endsAt: '2030-01-29T00:00:00Z' } }, as);
    await t.ok(AddTeamMemberDocument, { teamId, calendarId: id, priority: 2, weight }, account);
    members.push({ id, weight });
  }
  const eventTypeId = (await t.ok(CreateTeamEventTypeDocument, { teamId, schedulingType: 'ROUND_ROBIN', input: { slug: 'fair', title: 'Fair', durations: [30] } }, account)).createTeamEventType.id;

  const counts = new Map(members.map((m) => [m.id, 0]));
  for (let n = 0; n < BOOKINGS; n++) {
    t.clock.now = new Date(t.clock.now.getTime() + 1_000);
    const startsAt = new Date(Date.parse('2030-01-08T00:00:00Z') + n * 30 * 60_000).toISOString();
    const { bookSlot } = await t.ok(BookTeamSlotDocument, { input: { ownerId: members[0]!.id, eventTypeId, startsAt, invitee: { name: `Ivy ${n}`, email: `ivy${n}@example.com` } } });
    counts.set(bookSlot.booking.owner.id, counts.get(bookSlot.booking.owner.id)! + 1);
  }
  const table = members.map((m) => ({ weight: m.weight, bookings: counts.get(m.id)!, share: (BOOKINGS * m.weight) / 6 }));
  console.log(table.map((r) => `weight ${r.weight}: ${r.bookings} bookings (share ${r.share.toFixed(1)})`).join('\n'));
  for (const row of table) expect(Math.abs(row.bookings - row.share)).toBeLessThanOrEqual(1);
}, 300_000);
