import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import fc from 'fast-check';
import { startTestApp, type OperationResult, type TestApp } from '../support/app';
import { snapshotDatabase } from './db-snapshot';
import * as documents from '../generated/graphql';

// Hostile variable values for every query and mutation of the client documents: huge strings,
// odd Unicode (lone surrogates, RTL overrides, NUL), out-of-range numbers, malformed dates, zones
// and times, wrong JSON types. The only acceptable answers are valid data or the contract's codes
// (plus GraphQL's own for wrongly typed variables); never INTERNAL_SERVER_ERROR, and a request
// that is refused leaves every table exactly as it was. FC_RUNS raises the runs per operation.

const RUNS = Number(process.env.FC_RUNS ?? 40);
const SEED = Number(process.env.FC_SEED ?? 52030);

const ALLOWED_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'SLOT_UNAVAILABLE',
  // GraphQL's own answers to a wrongly typed or malformed request.
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
]);

interface Fixture {
  ownerId: string;
  token: string;
  recurringWindowId: string;
  oneTimeWindowId: string;
  bookingId: string;
  manageToken: string;
}

let t: TestApp;
let fx: Fixture;
const tally = { cases: 0, ok: 0, refused: 0 };

beforeAll(async () => {
  // No outbox runner: it settles rows in the background, and these tests compare database snapshots.
  t = await startTestApp({ emails: 'off', webhooks: 'off' });
  const owner = await t.createOwner({ name: 'Fuzzy', timeZone: 'America/New_York' });
  const recurring = await t.ok(
    documents.AddRecurringWindowDocument,
    { input: { frequency: 'DAILY', startTime: '09:00', endTime: '17:00', startsOn: '2030-01-01' } },
    owner.token,
  );
  const oneTime = await t.ok(documents.AddOneTimeWindowDocument, { input: { startsAt: '2030-03-01T10:00:00Z', endsAt: '2030-03-01T12:00:00Z' } }, owner.token);
  const booked = await t.ok(documents.BookSlotDocument, {
    input: { ownerId: owner.id, startsAt: '2030-01-08T14:00:00Z', invitee: { name: 'Ivy', email: 'ivy@example.com' } },
  });
  fx = {
    ownerId: owner.id,
    token: owner.token,
    recurringWindowId: recurring.addRecurringWindow.id,
    oneTimeWindowId: oneTime.addOneTimeWindow.id,
    bookingId: booked.bookSlot.booking.id,
    manageToken: booked.bookSlot.manageToken,
  };
});
afterAll(async () => {
  // The closing note of issue 5 reports these counts.
  console.log(`fuzz: ${tally.cases} cases (${tally.ok} answered with data, ${tally.refused} refused with a contract code)`);
  await t.close();
});

// ---- hostile values ----

const nasty = [
  '', ' ', '\u0000', 'a\u0000b', 'sbo_\u0000', '\u202e\u0301', '\ud800', '\udfff', 'null', 'undefined', 'NaN', '{}', '[]', '__proto__', 'constructor',
  '../../etc/passwd', "'; drop table owner; --", '" or 1=1 --', '%s%s%n%x', '<script>alert(1)</script>', '${7*7}', '\r\nX-Injected: 1',
  '💥'.repeat(5000), 'a'.repeat(100_000), 'é'.repeat(201), 'x'.repeat(201), ' '.repeat(300),
  // Lengths as PostgreSQL's varchar counts them (code points), not as a grapheme-minded validator does.
  'a\uFE0F'.repeat(200), 'e\u0301'.repeat(150), '👨‍👩‍👧'.repeat(60), '💥'.repeat(150), '\u3000'.repeat(5), '\t\n ',
];
const nastyDates = [
  '2030-02-30T00:00:00Z', '2030-13-01T00:00:00Z', '2030-01-07T24:00:00Z', '2030-01-07T23:60:00Z', '2030-01-07T15:00:60Z',
  '2030-01-07T15:00:00+99:99', '2030-01-07T15:00:00', '2030-01-07', '9999-12-31T23:55:00Z', '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z', '1969-12-31T23:55:00Z', '1970-01-01T00:00:00Z', '2030-01-07T15:00:00.000000001Z', '2030-01-07T15:03:00Z',
  '2030-01-07T15:00:00.5Z', '２０３０-01-07T15:00:00Z', '2030-01-07T15:00:00z', 'Tue, 08 Jan 2030 14:00:00 GMT', '1e20',
  // Instants PostgreSQL's timestamptz cannot hold once the offset is applied, or that no calendar needs.
  '0000-01-01T00:00Z', '9999-12-31T23:55-23:55', '9999-12-31T23:55:00-23:55', '0001-01-01T00:00:00+14:00', '1000-01-01T00:00:00Z', '10000-01-01T00:00:00Z',
];
const nastyLocal = ['2030-02-29', '2032-02-29', '0000-00-00', '9999-12-31', '2030-1-8', '24:00', '24:05', '23:60', '00:00:01', '12:00:00', '-01:00', '1200', '٠٩:٠٠'];
const nastyZones = ['Mars/Olympus', 'america/new_york', 'Etc/GMT+14', 'Etc/GMT-15', 'UTC', 'Z', '+05:00', 'America/../../etc/passwd', 'Europe/Kyiv', 'US/Pacific-New', 'EST5EDT', 'local'];
const nastyNumbers = [0, -1, 1, 4, 5, 7, 1439, 1440, 1441, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, -0, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity];

const hostileString = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const hostileNumber = fc.oneof(fc.constantFrom(...nastyNumbers), fc.integer(), fc.double());
const wrongType = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
const hostile = fc.oneof(hostileString, hostileNumber, wrongType);

/** Usually plausible, often hostile: so requests get past coercion and reach the services too. */
const mix = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostile, weight: 2 });

const gridInstant = fc
  .integer({ min: Date.UTC(2029, 11, 1) / 300_000, max: Date.UTC(2030, 5, 1) / 300_000 })
  .map((cell) => new Date(cell * 300_000).toISOString());
const dateTime = mix(fc.oneof(gridInstant, fc.constantFrom(...nastyDates), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())));
const localDate = mix(fc.oneof(fc.date({ min: new Date('2029-12-01'), max: new Date('2030-06-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom(...nastyLocal)));
const localTime = mix(fc.oneof(fc.integer({ min: 0, max: 288 }).map((i) => `${String(Math.floor((i * 5) / 60)).padStart(2, '0')}:${String((i * 5) % 60).padStart(2, '0')}`), fc.constantFrom(...nastyLocal)));
const timeZone = mix(fc.oneof(fc.constantFrom('America/New_York', 'Europe/Berlin', 'Asia/Kathmandu', 'Pacific/Chatham', 'Australia/Lord_Howe'), fc.constantFrom(...nastyZones)));
const int = mix(fc.oneof(fc.integer({ min: -10, max: 2000 }), fc.constantFrom(...nastyNumbers)));
const text = mix(fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(...nasty)));
const email = mix(fc.oneof(fc.emailAddress(), fc.constantFrom('a@b', '@example.com', 'x@example.com\n', `${'a'.repeat(310)}@example.com`)));
const weekdays = mix(fc.array(fc.constantFrom('MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY', 'FUNDAY', 'monday'), { maxLength: 9 }));
const frequency = mix(fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'daily'));
const status = mix(fc.constantFrom('CONFIRMED', 'CANCELLED', 'COMPLETED', 'PENDING'));
const cursor = mix(
  fc.oneof(
    fc.constant(Buffer.from(JSON.stringify([Date.UTC(2030, 0, 8), 'z'])).toString('base64url')),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'x').toString('base64url')),
    fc.constantFrom('[1e400, "a"]', '[9007199254740991, "a"]', '[-9007199254740991, "a"]', '[8640000000000001, ""]', '[8640000000000000, "a"]', '[-8640000000000000, "a"]', '[0, {"$gt": ""}]').map((j) => Buffer.from(j).toString('base64url')),
    fc.tuple(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.string()).map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
  ),
);
const id = (real: () => string) => mix(fc.oneof(fc.constant(0).map(() => real()), fc.uuid(), fc.constantFrom('1', '0', '-1', "1' or '1'='1")));
const ownerId = id(() => fx.ownerId);
const windowId = id(() => (Math.random() < 0.7 ? fx.recurringWindowId : fx.oneTimeWindowId));
const bookingId = id(() => fx.bookingId);
const manageToken = mix(fc.oneof(fc.constant(0).map(() => fx.manageToken), fc.constant('sbm_' + 'A'.repeat(43)), fc.constant(null)));

/** An input object whose fields may each be missing, hostile or valid, plus now and then a field the type does not have. */
function inputObject(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.record(fields, { requiredKeys: [] });
  return mix(fc.oneof({ arbitrary: record, weight: 4 }, { arbitrary: fc.tuple(record, hostile).map(([r, extra]) => ({ ...(r as object), unknownField: extra })), weight: 1 }));
}

const recurringFields = { frequency, interval: int, weekdays, startTime: localTime, endTime: localTime, startsOn: localDate, endsOn: localDate, count: int };

type AnyDocument = TypedDocumentNode<unknown, Record<string, unknown>>;

interface Target {
  name: string;
  document: AnyDocument;
  variables: fc.Arbitrary<Record<string, unknown>>;
}

const doc = (d: unknown) => d as AnyDocument;

const targets: Target[] = [
  { name: 'owner', document: doc(documents.OwnerByIdDocument), variables: fc.record({ id: ownerId }) },
  { name: 'freeSlots', document: doc(documents.FreeSlotsDocument), variables: fc.record({ ownerId, from: dateTime, to: dateTime }) },
  { name: 'Owner.freeSlots', document: doc(documents.OwnerFreeSlotsDocument), variables: fc.record({ id: ownerId, from: dateTime, to: dateTime }) },
  { name: 'Owner.windows', document: doc(documents.OwnerWindowsDocument), variables: fc.record({ id: ownerId }) },
  {
    name: 'Owner.bookings',
    document: doc(documents.OwnerBookingsDocument),
    variables: fc.record({ id: ownerId, status, from: dateTime, to: dateTime, first: int, after: cursor }, { requiredKeys: ['id'] }),
  },
  { name: 'booking', document: doc(documents.BookingDocument), variables: fc.record({ id: bookingId, manageToken }, { requiredKeys: [] }) },
  { name: 'upcomingBookings', document: doc(documents.UpcomingBookingsDocument), variables: fc.record({ first: int, after: cursor }, { requiredKeys: [] }) },
  { name: 'me', document: doc(documents.MeDocument), variables: fc.constant({}) },
  { name: 'createOwner', document: doc(documents.CreateOwnerDocument), variables: fc.record({ input: inputObject({ name: text, timeZone, slotMinutes: int }) }) },
  { name: 'updateOwner', document: doc(documents.UpdateOwnerDocument), variables: fc.record({ input: inputObject({ name: text, timeZone, slotMinutes: int }) }) },
  { name: 'addOneTimeWindow', document: doc(documents.AddOneTimeWindowDocument), variables: fc.record({ input: inputObject({ startsAt: dateTime, endsAt: dateTime }) }) },
  { name: 'addRecurringWindow', document: doc(documents.AddRecurringWindowDocument), variables: fc.record({ input: inputObject(recurringFields) }) },
  { name: 'updateRecurringWindow', document: doc(documents.UpdateRecurringWindowDocument), variables: fc.record({ id: windowId, input: inputObject(recurringFields) }) },
  { name: 'removeWindow', document: doc(documents.RemoveWindowDocument), variables: fc.record({ id: mix(fc.uuid()) }) },
  { name: 'cancelOccurrence', document: doc(documents.CancelOccurrenceDocument), variables: fc.record({ windowId, date: localDate }) },
  { name: 'moveOccurrence', document: doc(documents.MoveOccurrenceDocument), variables: fc.record({ windowId, date: localDate, startsAt: dateTime, endsAt: dateTime }) },
  { name: 'restoreOccurrence', document: doc(documents.RestoreOccurrenceDocument), variables: fc.record({ windowId, date: localDate }) },
  {
    name: 'bookSlot',
    document: doc(documents.BookSlotDocument),
    variables: fc.record({ input: inputObject({ ownerId, startsAt: dateTime, invitee: inputObject({ name: text, email }), idempotencyKey: text }) }),
  },
  { name: 'cancelBooking', document: doc(documents.CancelBookingDocument), variables: fc.record({ id: bookingId, manageToken }, { requiredKeys: ['id'] }) },
  { name: 'rescheduleBooking', document: doc(documents.RescheduleBookingDocument), variables: fc.record({ id: bookingId, startsAt: dateTime, manageToken }, { requiredKeys: ['id'] }) },
  { name: 'completeBooking', document: doc(documents.CompleteBookingDocument), variables: fc.record({ id: bookingId }) },
];

// The owner's own token, none, a forged one, or junk: so both the auth checks and the code behind them are reached.
const token = fc.oneof(
  { arbitrary: fc.constant(0).map(() => fx.token), weight: 4 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constantFrom('sbo_' + 'A'.repeat(43), '', ' ', 'x'.repeat(10_000), '\u0000', 'sbo_\ud800'), weight: 1 },
);

function codesOf(result: OperationResult<unknown>): string[] {
  return (result.errors ?? []).map((e) => String(e.extensions?.code));
}

describe.each(targets)('$name', ({ name, document, variables }) => {
  test(`hostile variables get data or a contract code, never INTERNAL_SERVER_ERROR; refusals change nothing (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(variables, token, async (vars, bearer) => {
        const before = await snapshotDatabase(t.app.orm);
        const result = await t.run(document, vars, bearer);
        tally.cases += 1;
        const codes = codesOf(result);
        const unexpected = codes.filter((c) => !ALLOWED_CODES.has(c));
        if (unexpected.length) throw new Error(`${name}: ${JSON.stringify(result.errors, null, 2)}`);
        if (codes.length === 0) {
          tally.ok += 1;
          expect(result.data).toBeTruthy();
          return;
        }
        tally.refused += 1;
        expect(await snapshotDatabase(t.app.orm)).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

test('regression (found by this suite): a cursor whose instant lies beyond the Date range is BAD_USER_INPUT, not a crash', async () => {
  for (const startsAt of [2 ** 53 - 1, -(2 ** 53 - 1), 8.64e15 + 1]) {
    const after = Buffer.from(JSON.stringify([startsAt, 'a'])).toString('base64url');
    await t.fails(documents.UpcomingBookingsDocument, { after }, 'BAD_USER_INPUT', fx.token);
    await t.fails(documents.OwnerBookingsDocument, { id: fx.ownerId, after }, 'BAD_USER_INPUT', fx.token);
  }
});

test('regression (found by this suite): U+0000 in any argument, variable or literal, is BAD_USER_INPUT and writes nothing', async () => {
  const before = await snapshotDatabase(t.app.orm);
  await t.fails(documents.OwnerByIdDocument, { id: '\u0000' }, 'BAD_USER_INPUT');
  await t.fails(documents.CreateOwnerDocument, { input: { name: 'Nul\u0000', timeZone: 'UTC' } }, 'BAD_USER_INPUT');
  await t.fails(documents.RemoveWindowDocument, { id: `${fx.recurringWindowId}\u0000` }, 'BAD_USER_INPUT', fx.token);
  await t.fails(
    documents.BookSlotDocument,
    { input: { ownerId: fx.ownerId, startsAt: '2030-01-08T15:00:00Z', invitee: { name: 'Ivy', email: 'ivy@example.com' }, idempotencyKey: 'k\u0000' } },
    'BAD_USER_INPUT',
  );
  // Each document is checked once and remembered (Apollo reuses the parsed document): a repeat is refused again.
  for (let i = 0; i < 2; i++) {
    const literal = await t.app.server.executeOperation({ query: '{ owner(id: "\\u0000") { id } }' }, { contextValue: t.app.contextFor(null) });
    expect(literal.body.kind === 'single' && literal.body.singleResult.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  }
  expect(await snapshotDatabase(t.app.orm)).toEqual(before);
});

// Request-level shapes over the real HTTP server (issue 16 found 500s here): an operationName that
// names nothing or is missing among several operations, huge variables, subscriptions, persisted
// queries of every kind. Any answer is fine but a 5xx or a code outside the contract's and Apollo's.
describe('request shapes over HTTP', () => {
  const HTTP_CODES = new Set([...ALLOWED_CODES, 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);
  let url: string;
  beforeAll(async () => { url = (await t.app.listen(0, '127.0.0.1')).url; });

  const operationText = fc.constantFrom(
    'query A { __typename }',
    'query A { __typename } query B { __typename }',
    '{ __typename } query B { __typename }',
    'subscription { __typename }',
    'subscription S { __typename } query A { __typename }',
    'mutation M { rotateOwnerToken { token } }',
    'query Q($id: ID!) { owner(id: $id) { id name } }',
    '{ me { bookings(status: CANCELED) { edges { cursor } } } }',
    '{ nope',
  );
  const persisted = fc.oneof(
    fc.constant(undefined),
    fc.record({ version: fc.constantFrom(1, 2, 0, -1, '1', null), sha256Hash: fc.oneof(fc.constantFrom('abc', '', 'f'.repeat(64)), fc.string({ maxLength: 70 })) }, { requiredKeys: [] }),
    hostile,
  );
  const body = fc.record(
    {
      query: fc.oneof({ arbitrary: operationText, weight: 4 }, { arbitrary: hostile, weight: 1 }),
      operationName: fc.oneof(fc.constantFrom('A', 'B', 'S', 'M', 'Q', 'Z', '', '__proto__'), hostile),
      variables: fc.oneof(
        fc.record({ id: mix(fc.constant('x')) }, { requiredKeys: [] }),
        fc.integer({ min: 1, max: 150_000 }).map((n) => ({ id: 'x', padding: new Array(n).fill(['a']) })),
        hostile,
      ),
      extensions: persisted.map((p) => (p === undefined ? undefined : { persistedQuery: p })),
    },
    { requiredKeys: [] },
  );

  test(`hostile request bodies never get a 5xx or a code outside the contract's and Apollo's (${RUNS * 5} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (request, useGet) => {
        let response: Response;
        if (useGet) {
          const params = new URLSearchParams();
          for (const [key, value] of Object.entries(request)) if (value !== undefined) params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
          const target = `${url}?${params}`;
          // Past what a URL may carry, node refuses before sending; that is not the server's answer.
          if (target.length > 8_000) return;
          response = await fetch(target, { headers: { 'apollo-require-preflight': 'true' } });
        } else {
          response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
        }
        const text = await response.text();
        tally.cases += 1;
        if (response.status >= 500) throw new Error(`${response.status}: ${text.slice(0, 500)}`);
        const answer = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
        const unexpected = (answer.errors ?? []).map((e) => String(e.extensions?.code)).filter((c) => !HTTP_CODES.has(c));
        if (unexpected.length) throw new Error(`unexpected codes ${unexpected.join(', ')}: ${text.slice(0, 500)}`);
        expect(text).not.toMatch(/stacktrace|node_modules/);
        if (answer.errors?.length) tally.refused += 1;
        else tally.ok += 1;
      }),
      { seed: SEED, numRuns: RUNS * 5 },
    );
  });
});
