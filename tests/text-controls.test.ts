import { startTestApp, type TestApp } from './support/app';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CreateEventTypeDocument,
  CreateOwnerDocument,
  UpdateEventTypeDocument,
  UpdateOwnerDocument,
} from './generated/graphql';

// Issue 21: names, titles and other text a user sets end up in calendars, e-mails and headers,
// where a control character forges lines or fields. requireText (src/shared/validation.ts)
// refuses them on every such input as BAD_USER_INPUT naming the field and the rule: one-line text
// refuses every C0 and C1 control, DEL and U+2028/U+2029; a description (multi-line) keeps tab,
// LF and CR and refuses the rest. NUL is refused before execution (src/graphql/input-hygiene.ts).

let t: TestApp;
let owner: { id: string; token: string };
let eventTypeId: string;
let slot = 0;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.createOwner({ timeZone: 'UTC', slotMinutes: 60 });
  await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T00:00:00Z', endsAt: '2030-01-10T00:00:00Z' } }, owner.token);
  eventTypeId = (await t.ok(CreateEventTypeDocument, { input: { slug: 'talk', title: 'Talk', durations: [60] } }, owner.token)).createEventType.id;
});
afterAll(() => t.close());

/** Each input that takes one line of text, as an operation that sets it to `text`. */
const SINGLE_LINE: Array<[string, (text: string) => Promise<{ errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>]> = [
  ['input.name', (name) => t.run(CreateOwnerDocument, { input: { name, timeZone: 'UTC' } })],
  ['input.name', (name) => t.run(UpdateOwnerDocument, { input: { name } }, owner.token)],
  ['input.title', (title) => t.run(CreateEventTypeDocument, { input: { slug: `t-${++slot}`, title, durations: [30] } }, owner.token)],
  ['input.title', (title) => t.run(UpdateEventTypeDocument, { id: eventTypeId, input: { title } }, owner.token)],
  ['input.invitee.name', (name) => book({ name })],
  ['input.invitee.email', (email) => book({ email })],
  ['input.idempotencyKey', (idempotencyKey) => book({}, idempotencyKey)],
];

function book(invitee: { name?: string; email?: string }, idempotencyKey?: string) {
  const startsAt = new Date(Date.parse('2030-01-08T00:00:00Z') + (slot++ % 48) * 3_600_000).toISOString();
  return t.run(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: 'Ada', email: 'ada@example.com', ...invitee }, idempotencyKey } });
}

const description = (text: string) => t.run(UpdateEventTypeDocument, { id: eventTypeId, input: { description: text } }, owner.token);
const createdWithDescription = (text: string) =>
  t.run(CreateEventTypeDocument, { input: { slug: `d-${++slot}`, title: 'Described', description: text, durations: [30] } }, owner.token);

const CONTROLS: Array<[string, string]> = [
  ['CR LF', 'Ada\r\nBcc: x@example.com'],
  ['LF', 'Ada\nLovelace'],
  ['TAB', 'Ada\tLovelace'],
  ['BEL', 'Ada\u0007'],
  ['ESC', '\u001b[31mAda'],
  ['DEL', 'Ada\u007f'],
  ['NEL (C1)', 'Ada\u0085Lovelace'],
  ['CSI (C1)', 'Ada\u009b31m'],
  ['LINE SEPARATOR', 'Ada\u2028Lovelace'],
];

describe.each(SINGLE_LINE.map(([field, set], i) => [`${field} (#${i + 1})`, field, set] as const))('%s', (_name, field, set) => {
  test.each(CONTROLS)('%s is refused naming the field and the rule', async (_what, text) => {
    // An e-mail address needs its own shape around the control character.
    const value = field === 'input.invitee.email' ? text.replace('Ada', 'ada@example.com') : text;
    const { errors } = await set(value);
    expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(errors?.[0]?.message).toContain('must not contain control characters or line breaks');
  });

  test('NUL is refused before execution', async () => {
    const { errors } = await set('Ada\u0000');
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('plain text with accents, emoji and inner spaces is accepted', async () => {
    const value = field === 'input.invitee.email' ? 'zoë@example.com' : field === 'input.idempotencyKey' ? `key ${++slot} é 🎉` : 'Zoë  O’Brien 🎉';
    expect((await set(value)).errors).toBeUndefined();
  });
});

test('white space around a trimmed field is dropped; an untrimmed one (idempotencyKey) refuses a trailing CR LF', async () => {
  expect((await t.ok(UpdateOwnerDocument, { input: { name: '\tAda\r\n' } }, owner.token)).updateOwner.name).toBe('Ada');
  expect((await book({}, 'key\r\n')).errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
});

describe('a description is multi-line', () => {
  test.each([
    ['LF', 'Agenda:\n- intro\n- demo'],
    ['CR LF', 'Agenda:\r\n- intro'],
    ['TAB', 'Room\t4'],
    ['LINE SEPARATOR', 'one\u2028two'],
  ])('%s is kept', async (_what, text) => {
    expect((await description(text)).errors).toBeUndefined();
    expect((await createdWithDescription(text)).errors).toBeUndefined();
  });

  test.each([
    ['BEL', 'ring\u0007'],
    ['ESC', '\u001b[2Jcleared'],
    ['VT', 'a\u000bb'],
    ['FF', 'a\u000cb'],
    ['DEL', 'a\u007f'],
    ['NEL (C1)', 'a\u0085b'],
  ])('%s is refused naming input.description and the rule', async (_what, text) => {
    for (const result of [await description(text), await createdWithDescription(text)]) {
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.description' });
      expect(result.errors?.[0]?.message).toContain('must not contain control characters other than tab and line breaks');
    }
  });
});
