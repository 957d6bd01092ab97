import { startTestApp, type TestApp } from '../support/app';
import { CreateCalendarDocument, MeDocument, RegisterDocument } from '../generated/graphql';

// docs/api.md, Part 3, 33 over real HTTP: the server reads `Authorization: Bearer` and the
// `Slotbook-Calendar` header of the request itself (src/app.ts), not only the in-process context.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ over: 'http' });
});
afterAll(() => t.close());

test('the Slotbook-Calendar header of an HTTP request picks the calendar; without it, several calendars are BAD_USER_INPUT naming it', async () => {
  const { register } = await t.ok(RegisterDocument, { input: { email: 'http@example.com', password: 'correct horse battery', name: 'Ada' } });
  const token = register.accessToken;
  const first = (await t.ok(CreateCalendarDocument, { input: { name: 'First', timeZone: 'UTC' } }, token)).createCalendar.id;
  expect((await t.ok(MeDocument, {}, token)).me.id).toBe(first);
  const second = (await t.ok(CreateCalendarDocument, { input: { name: 'Second', timeZone: 'UTC' } }, token)).createCalendar.id;
  expect((await t.ok(MeDocument, {}, { token, calendar: second })).me.id).toBe(second);
  expect((await t.ok(MeDocument, {}, { token, calendar: ` ${first} ` })).me.id).toBe(first);
  const error = await t.fails(MeDocument, {}, 'BAD_USER_INPUT', token);
  expect(error.extensions?.field).toBe('Slotbook-Calendar');
});
