import { startTestApp, type Credential, type OperationResult, type TestApp } from '../support/app';
import { snapshotDatabase } from '../security/db-snapshot';
import {
  AddCalendarMemberDocument,
  AddCalendarSourceDocument,
  AddOneTimeWindowDocument,
  AddRecurringWindowDocument,
  AddWebhookEndpointDocument,
  BookSlotDocument,
  CancelOccurrenceDocument,
  ClaimCalendarDocument,
  CompleteBookingDocument,
  CreateCalendarDocument,
  CreateCalendarFeedDocument,
  CreateEventTypeDocument,
  CurrentAccountDocument,
  MeDocument,
  MoveOccurrenceDocument,
  OwnerBookingsDocument,
  OwnerCalendarSourcesDocument,
  OwnerEmailAddressDocument,
  OwnerEmailsDocument,
  OwnerWindowsDocument,
  RegisterDocument,
  RemoveCalendarMemberDocument,
  RemoveCalendarSourceDocument,
  RemoveWindowDocument,
  RestoreOccurrenceDocument,
  RotateOwnerTokenDocument,
  UpcomingBookingsDocument,
  UpdateCalendarSourceDocument,
  UpdateOwnerDocument,
  UpdateRecurringWindowDocument,
  WebhookEndpointsDocument,
} from '../generated/graphql';

// docs/api.md, Part 3, 33 and its details: an access token acts on the calendar the
// Slotbook-Calendar header names (the account's only one without it), an owner token on its
// own; roles over every owner-only operation (mirroring tests/security/authorization.test.ts);
// createCalendar, claimCalendar, addCalendarMember, removeCalendarMember.

const PASSWORD = 'correct horse battery';
let t: TestApp;
beforeAll(async () => {
  // Calendar sources are added and removed, never synced: nothing leaves 127.0.0.1.
  t = await startTestApp({ webhooks: { allowPrivateUrls: true }, calendarSources: 'off' });
});
afterAll(() => t.close());

let counter = 0;
async function person(name: string): Promise<{ id: string; email: string; token: string }> {
  const email = `${name.toLowerCase()}${++counter}@example.com`;
  const { register } = await t.ok(RegisterDocument, { input: { email, password: PASSWORD, name } });
  return { id: register.account.id, email, token: register.accessToken };
}

const codesOf = (result: OperationResult<unknown>) => (result.errors ?? []).map((e) => e.extensions?.code);
const as = (token: string, calendar: string): Credential => ({ token, calendar });

/** A calendar made by an account (its OWNER) with an ADMIN, windows, a cancelled occurrence and a booking. */
interface Calendar {
  id: string;
  owner: { id: string; email: string; token: string };
  admin: { id: string; email: string; token: string };
  recurringWindowId: string;
  oneTimeWindowId: string;
  bookingId: string;
  calendarSourceId: string;
}

async function calendarWithMembers(): Promise<Calendar> {
  const owner = await person('Olga');
  const admin = await person('Adam');
  const { createCalendar } = await t.ok(CreateCalendarDocument, { input: { name: 'Clinic', timeZone: 'Europe/Berlin' } }, owner.token);
  const id = createCalendar.id;
  await t.ok(AddCalendarMemberDocument, { calendarId: id, email: admin.email.toUpperCase(), role: 'ADMIN' }, owner.token);
  const recurring = await t.ok(AddRecurringWindowDocument, { input: { weekdays: ['MONDAY', 'TUESDAY'], startTime: '09:00', endTime: '12:00', startsOn: '2030-01-01' } }, owner.token);
  const oneTime = await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-10T14:00:00Z', endsAt: '2030-01-10T18:00:00Z' } }, owner.token);
  await t.ok(CancelOccurrenceDocument, { windowId: recurring.addRecurringWindow.id, date: '2030-01-14' }, owner.token);
  const booked = await t.ok(BookSlotDocument, { input: { ownerId: id, startsAt: '2030-01-07T09:00:00Z', invitee: { name: 'Ivy', email: 'ivy@example.com' } } });
  const source = await t.ok(AddCalendarSourceDocument, { input: { kind: 'ICS', url: 'https://93.184.215.14/clinic.ics' } }, as(owner.token, id));
  return {
    id,
    owner,
    admin,
    recurringWindowId: recurring.addRecurringWindow.id,
    oneTimeWindowId: oneTime.addOneTimeWindow.id,
    bookingId: booked.bookSlot.booking.id,
    calendarSourceId: source.addCalendarSource.id,
  };
}

type Run = (c: Calendar, who: Credential) => Promise<OperationResult<unknown>>;

/** Every owner-only operation of Parts 1-3 here, and whether an ADMIN may do it (only OWNERs manage members and the token). */
const operations: Array<{ name: string; ownerOnly: boolean; run: Run }> = [
  { name: 'me', ownerOnly: false, run: (_c, who) => t.run(MeDocument, {}, who) },
  { name: 'upcomingBookings', ownerOnly: false, run: (_c, who) => t.run(UpcomingBookingsDocument, { first: 10 }, who) },
  { name: 'Owner.windows', ownerOnly: false, run: (c, who) => t.run(OwnerWindowsDocument, { id: c.id }, who) },
  { name: 'Owner.bookings', ownerOnly: false, run: (c, who) => t.run(OwnerBookingsDocument, { id: c.id }, who) },
  { name: 'Owner.email', ownerOnly: false, run: (c, who) => t.run(OwnerEmailAddressDocument, { id: c.id }, who) },
  { name: 'Owner.emails', ownerOnly: false, run: (c, who) => t.run(OwnerEmailsDocument, { ownerId: c.id, first: 10 }, who) },
  { name: 'Owner.webhookEndpoints', ownerOnly: false, run: (c, who) => t.run(WebhookEndpointsDocument, { ownerId: c.id }, who) },
  { name: 'updateOwner', ownerOnly: false, run: (_c, who) => t.run(UpdateOwnerDocument, { input: { name: 'Renamed' } }, who) },
  { name: 'addOneTimeWindow', ownerOnly: false, run: (_c, who) => t.run(AddOneTimeWindowDocument, { input: { startsAt: '2030-02-01T09:00:00Z', endsAt: '2030-02-01T10:00:00Z' } }, who) },
  { name: 'addRecurringWindow', ownerOnly: false, run: (_c, who) => t.run(AddRecurringWindowDocument, { input: { weekdays: ['FRIDAY'], startTime: '09:00', endTime: '10:00', startsOn: '2030-01-01' } }, who) },
  { name: 'updateRecurringWindow', ownerOnly: false, run: (c, who) => t.run(UpdateRecurringWindowDocument, { id: c.recurringWindowId, input: { startTime: '08:00' } }, who) },
  { name: 'removeWindow', ownerOnly: false, run: (c, who) => t.run(RemoveWindowDocument, { id: c.oneTimeWindowId }, who) },
  { name: 'cancelOccurrence', ownerOnly: false, run: (c, who) => t.run(CancelOccurrenceDocument, { windowId: c.recurringWindowId, date: '2030-01-08' }, who) },
  {
    name: 'moveOccurrence',
    ownerOnly: false,
    run: (c, who) => t.run(MoveOccurrenceDocument, { windowId: c.recurringWindowId, date: '2030-01-08', startsAt: '2030-01-09T14:00:00Z', endsAt: '2030-01-09T16:00:00Z' }, who),
  },
  { name: 'restoreOccurrence', ownerOnly: false, run: (c, who) => t.run(RestoreOccurrenceDocument, { windowId: c.recurringWindowId, date: '2030-01-14' }, who) },
  { name: 'completeBooking', ownerOnly: false, run: (c, who) => t.run(CompleteBookingDocument, { id: c.bookingId }, who) },
  { name: 'createEventType', ownerOnly: false, run: (_c, who) => t.run(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro' } }, who) },
  { name: 'addWebhookEndpoint', ownerOnly: false, run: (_c, who) => t.run(AddWebhookEndpointDocument, { input: { url: 'http://127.0.0.1:9/hook' } }, who) },
  { name: 'createCalendarFeed', ownerOnly: false, run: (_c, who) => t.run(CreateCalendarFeedDocument, {}, who) },
  { name: 'Owner.calendarSources', ownerOnly: false, run: (c, who) => t.run(OwnerCalendarSourcesDocument, { id: c.id }, who) },
  { name: 'addCalendarSource', ownerOnly: false, run: (_c, who) => t.run(AddCalendarSourceDocument, { input: { kind: 'ICS', url: 'https://93.184.215.14/more.ics' } }, who) },
  { name: 'updateCalendarSource', ownerOnly: false, run: (c, who) => t.run(UpdateCalendarSourceDocument, { id: c.calendarSourceId, input: { name: 'Renamed' } }, who) },
  { name: 'rotateOwnerToken', ownerOnly: true, run: (_c, who) => t.run(RotateOwnerTokenDocument, {}, who) },
  { name: 'removeCalendarSource', ownerOnly: true, run: (c, who) => t.run(RemoveCalendarSourceDocument, { id: c.calendarSourceId }, who) },
  // These name the calendar by argument and ignore the header: run here with the header naming it anyway.
  { name: 'addCalendarMember', ownerOnly: true, run: (c, who) => t.run(AddCalendarMemberDocument, { calendarId: c.id, email: c.admin.email, role: 'OWNER' }, who) },
  { name: 'removeCalendarMember', ownerOnly: true, run: (c, who) => t.run(RemoveCalendarMemberDocument, { calendarId: c.id, accountId: c.admin.id }, who) },
];

describe.each(operations)('$name', (operation) => {
  test('an OWNER account may, on the calendar its header names', async () => {
    const c = await calendarWithMembers();
    const result = await operation.run(c, as(c.owner.token, c.id));
    expect(result.errors).toBeUndefined();
  });

  test(operation.ownerOnly ? 'an ADMIN may not: FORBIDDEN, nothing changes' : 'an ADMIN may', async () => {
    const c = await calendarWithMembers();
    const before = operation.ownerOnly ? await snapshotDatabase(t.app.orm) : null;
    const result = await operation.run(c, as(c.admin.token, c.id));
    if (!operation.ownerOnly) {
      expect(result.errors).toBeUndefined();
      return;
    }
    expect(codesOf(result)).toEqual(['FORBIDDEN']);
    expect(await snapshotDatabase(t.app.orm)).toEqual(before);
  });

  test('an account that is no member: FORBIDDEN, nothing of the calendar answered or changed', async () => {
    const c = await calendarWithMembers();
    const stranger = await person('Mallory');
    const before = await snapshotDatabase(t.app.orm);
    const result = await operation.run(c, as(stranger.token, c.id));
    expect(codesOf(result)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(result.data ?? null)).not.toContain(c.bookingId);
    expect(await snapshotDatabase(t.app.orm)).toEqual(before);
  });
});

describe('the Slotbook-Calendar header', () => {
  test('without it an account acts on its only calendar; with several it is BAD_USER_INPUT naming the header', async () => {
    const c = await calendarWithMembers();
    expect((await t.ok(MeDocument, {}, c.admin.token)).me.id).toBe(c.id);
    const other = await t.createOwner({ name: 'Second practice' });
    await t.ok(ClaimCalendarDocument, { ownerToken: other.token }, c.admin.token);
    const error = await t.fails(MeDocument, {}, 'BAD_USER_INPUT', c.admin.token);
    expect(error.extensions?.field).toBe('Slotbook-Calendar');
    expect((await t.ok(MeDocument, {}, as(c.admin.token, c.id))).me.id).toBe(c.id);
    expect((await t.ok(MeDocument, {}, as(c.admin.token, other.id))).me.id).toBe(other.id);
  });

  test('an account of no calendar is FORBIDDEN on owner-only operations, and may still read its account', async () => {
    const nobody = await person('Nobody');
    await t.fails(MeDocument, {}, 'FORBIDDEN', nobody.token);
    expect((await t.ok(CurrentAccountDocument, {}, nobody.token)).account).toMatchObject({ id: nobody.id, calendars: [] });
  });

  test('owner tokens keep working for their one calendar; a header naming another calendar is FORBIDDEN', async () => {
    const c = await calendarWithMembers();
    const owner = await t.createOwner({ name: 'API key practice' });
    expect((await t.ok(MeDocument, {}, owner.token)).me.id).toBe(owner.id);
    expect((await t.ok(MeDocument, {}, as(owner.token, owner.id))).me.id).toBe(owner.id);
    await t.fails(MeDocument, {}, 'FORBIDDEN', as(owner.token, c.id));
    // An owner token is its calendar's API key: it may rotate itself, and manage members.
    await t.ok(AddCalendarMemberDocument, { calendarId: owner.id, email: c.admin.email, role: 'ADMIN' }, owner.token);
    await t.fails(AddCalendarMemberDocument, { calendarId: c.id, email: c.admin.email, role: 'OWNER' }, 'FORBIDDEN', owner.token);
  });

  test('addCalendarMember and removeCalendarMember ignore the header', async () => {
    const c = await calendarWithMembers();
    const second = await t.ok(CreateCalendarDocument, { input: { name: 'Second', timeZone: 'UTC' } }, c.owner.token);
    const newcomer = await person('Nina');
    // The header names the second calendar; the argument names the first.
    const added = await t.ok(AddCalendarMemberDocument, { calendarId: c.id, email: newcomer.email, role: 'ADMIN' }, as(c.owner.token, second.createCalendar.id));
    expect(added.addCalendarMember).toEqual({ role: 'ADMIN', calendar: { id: c.id } });
    // An ADMIN of the first naming a calendar it owns in the header is still refused on the first.
    const adminsOwn = await t.ok(CreateCalendarDocument, { input: { name: 'Adam own', timeZone: 'UTC' } }, as(c.admin.token, c.id));
    await t.fails(RemoveCalendarMemberDocument, { calendarId: c.id, accountId: newcomer.id }, 'FORBIDDEN', as(c.admin.token, adminsOwn.createCalendar.id));
    expect((await t.ok(RemoveCalendarMemberDocument, { calendarId: c.id, accountId: newcomer.id }, as(c.owner.token, second.createCalendar.id))).removeCalendarMember).toBe(true);
    await t.fails(MeDocument, {}, 'FORBIDDEN', as(newcomer.token, c.id));
  });
});

describe('memberships', () => {
  test('createCalendar and claimCalendar make the account OWNER; Account.calendars lists both', async () => {
    const ada = await person('Ada');
    const made = await t.ok(CreateCalendarDocument, { input: { name: 'Made', timeZone: 'UTC' } }, ada.token);
    const existing = await t.createOwner({ name: 'Claimed' });
    const claimed = await t.ok(ClaimCalendarDocument, { ownerToken: existing.token }, ada.token);
    expect(claimed.claimCalendar).toEqual({ id: existing.id, name: 'Claimed' });
    const { account } = await t.ok(CurrentAccountDocument, {}, ada.token);
    expect(account!.calendars.map((m) => [m.calendar.id, m.role]).sort()).toEqual([[made.createCalendar.id, 'OWNER'], [existing.id, 'OWNER']].sort());
  });

  test('claimCalendar with a wrong owner token is UNAUTHENTICATED; createCalendar needs an access token', async () => {
    const ada = await person('Ada');
    await t.fails(ClaimCalendarDocument, { ownerToken: 'sbo_wrong' }, 'UNAUTHENTICATED', ada.token);
    const owner = await t.createOwner();
    await t.fails(CreateCalendarDocument, { input: { name: 'X', timeZone: 'UTC' } }, 'UNAUTHENTICATED', owner.token);
    await t.fails(CreateCalendarDocument, { input: { name: 'X', timeZone: 'UTC' } }, 'UNAUTHENTICATED');
  });

  test('an OWNER may promote an ADMIN, and a calendar keeps at least one OWNER', async () => {
    const c = await calendarWithMembers();
    const error = await t.fails(RemoveCalendarMemberDocument, { calendarId: c.id, accountId: c.owner.id }, 'BAD_USER_INPUT', c.owner.token);
    expect(error.extensions?.field).toBe('accountId');
    await t.ok(AddCalendarMemberDocument, { calendarId: c.id, email: c.admin.email, role: 'OWNER' }, c.owner.token);
    await t.ok(RotateOwnerTokenDocument, {}, as(c.admin.token, c.id));
    expect((await t.ok(RemoveCalendarMemberDocument, { calendarId: c.id, accountId: c.owner.id }, as(c.admin.token, c.id))).removeCalendarMember).toBe(true);
    await t.fails(MeDocument, {}, 'FORBIDDEN', c.owner.token);
  });

  test('rotateOwnerToken with an access token: the new owner token works, the access token keeps acting', async () => {
    const c = await calendarWithMembers();
    const rotated = await t.ok(RotateOwnerTokenDocument, {}, c.owner.token);
    expect((await t.ok(MeDocument, {}, rotated.rotateOwnerToken.token)).me.id).toBe(c.id);
    expect((await t.ok(MeDocument, {}, c.owner.token)).me.id).toBe(c.id);
  });
});
