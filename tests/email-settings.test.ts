import { startTestApp, type TestApp } from './support/app';
import { pollUntil } from './support/poll';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CreateEventTypeWithRemindersDocument,
  CreateOwnerWithEmailDocument,
  OwnerEmailsDocument,
  OwnerEmailWholeDocument,
  UpdateEventTypeRemindersDocument,
  UpdateOwnerEmailDocument,
} from './generated/graphql';

// docs/api.md, Part 3: Owner.email (validated, readable in createOwner's and updateOwner's
// payloads), EventType.reminderMinutes (0-5 distinct, 5..43200), and the embedded default: with
// no SMTP_URL every email is recorded NOT_SENT and readable whole.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ emails: { pollIntervalMs: 50 } });
});
afterAll(() => t.close());

test('Owner.email is set, read in the payloads, changed and cleared; a bad address is refused naming input.email', async () => {
  const { createOwner } = await t.ok(CreateOwnerWithEmailDocument, { input: { name: 'Ada', timeZone: 'UTC', email: ' ada@example.com ' } });
  expect(createOwner.owner.email).toBe('ada@example.com');
  const token = createOwner.token;
  expect((await t.ok(UpdateOwnerEmailDocument, { input: { email: 'ada@example.org' } }, token)).updateOwner.email).toBe('ada@example.org');
  expect((await t.ok(UpdateOwnerEmailDocument, { input: { email: '' } }, token)).updateOwner.email).toBeNull();
  for (const email of ['not an address', 'a@', 'x'.repeat(320) + '@example.com']) {
    const error = await t.fails(UpdateOwnerEmailDocument, { input: { email } }, 'BAD_USER_INPUT', token);
    expect(error.extensions?.field).toBe('input.email');
  }
  const error = await t.fails(CreateOwnerWithEmailDocument, { input: { name: 'Bad', timeZone: 'UTC', email: 'nope' } }, 'BAD_USER_INPUT');
  expect(error.extensions?.field).toBe('input.email');
});

test('reminderMinutes: 0 to 5 distinct values from 5 to 43200, default []', async () => {
  const owner = await t.createOwner({ name: 'Rem', timeZone: 'UTC' });
  const none = await t.ok(CreateEventTypeWithRemindersDocument, { input: { slug: 'none', title: 'None' } }, owner.token);
  expect(none.createEventType.reminderMinutes).toEqual([]);
  const some = await t.ok(CreateEventTypeWithRemindersDocument, { input: { slug: 'some', title: 'Some', reminderMinutes: [43200, 5, 61] } }, owner.token);
  expect(some.createEventType.reminderMinutes).toEqual([43200, 5, 61]);
  for (const reminderMinutes of [[4], [43201], [10, 10], [5, 6, 7, 8, 9, 10]]) {
    const error = await t.fails(UpdateEventTypeRemindersDocument, { id: some.createEventType.id, input: { reminderMinutes } }, 'BAD_USER_INPUT', owner.token);
    expect(error.extensions?.field).toBe('input.reminderMinutes');
  }
  expect((await t.ok(UpdateEventTypeRemindersDocument, { id: some.createEventType.id, input: { reminderMinutes: [30] } }, owner.token)).updateEventType.reminderMinutes).toEqual([30]);
});

test('without SMTP_URL emails are NOT_SENT and readable whole', async () => {
  const owner = await t.createOwner({ name: 'Quiet', timeZone: 'UTC' });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
  await t.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: { name: 'Grace', email: 'grace@example.com' } } });
  const data = await pollUntil(
    () => t.ok(OwnerEmailsDocument, { ownerId: owner.id }, owner.token),
    (d) => d.owner!.emails.edges.length === 1 && d.owner!.emails.edges[0]!.node.status === 'NOT_SENT',
    (d) => `one NOT_SENT email; got ${JSON.stringify(d)}`,
  );
  expect(data.owner!.emails.edges[0]!.node).toMatchObject({ kind: 'BOOKING_CONFIRMED', to: 'grace@example.com', attempts: 1, sentAt: null });
  const whole = (await t.ok(OwnerEmailWholeDocument, { ownerId: owner.id }, owner.token)).owner!.emails.edges[0]!.node;
  expect(whole.html).not.toBe('');
  expect(whole.text).toContain('/manage/');
  expect(whole.invitation?.method).toBe('REQUEST');
});
