import { randomUUID } from 'node:crypto';
import { startTestApp, type ServedTestApp } from './support/app';
import { capturedLogger } from './support/log-capture';
import { WebhookStore } from '../src/modules/webhook/webhook.store';
import { AddWebhookEndpointDocument, UpdateWebhookEndpointDocument } from './generated/graphql';

// Issue 21: the 2,048-character limit held for the URL as typed, but the normalized href is what
// is stored ("é" becomes "%C3%A9"): PostgreSQL's varchar overflowed into INTERNAL_SERVER_ERROR
// and the logged error quoted the whole INSERT, the endpoint's generated secret included. Now the
// stored form is checked (BAD_USER_INPUT naming input.url), and no log line quotes a statement
// or its values (src/shared/loggable-error.ts). Over real HTTP on the dialect under test.

const log = capturedLogger();
let t: ServedTestApp;
beforeAll(async () => { t = await startTestApp({ listen: true, over: 'http', webhooks: 'off', logger: log.logger }); });
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

const LONG_WHEN_STORED = `http://93.184.215.14/${'é'.repeat(2000)}`;

test('a URL short as typed but over 2048 characters as stored is refused, on add and on update', async () => {
  expect(LONG_WHEN_STORED.length).toBeLessThanOrEqual(2048);
  expect(new URL(LONG_WHEN_STORED).href.length).toBeGreaterThan(2048);
  const owner = await t.createOwner({ timeZone: 'UTC' });
  const added = await t.run(AddWebhookEndpointDocument, { input: { url: LONG_WHEN_STORED } }, owner.token);
  expect(added.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.url' });
  expect(added.errors?.[0]?.message).toContain('at most 2048 characters as stored');

  const endpoint = (await t.ok(AddWebhookEndpointDocument, { input: { url: 'http://93.184.215.14/hook' } }, owner.token)).addWebhookEndpoint.endpoint;
  const updated = await t.run(UpdateWebhookEndpointDocument, { id: endpoint.id, input: { url: LONG_WHEN_STORED } }, owner.token);
  expect(updated.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.url' });
});

test('an unexpected database error is logged without its statement, its values or the secret', async () => {
  const owner = await t.createOwner({ timeZone: 'UTC' });
  const original = WebhookStore.prototype.addEndpoint;
  let secret = '';
  const missingOwner = randomUUID();
  // A real failure of the real INSERT: the endpoint names an owner that does not exist.
  jest.spyOn(WebhookStore.prototype, 'addEndpoint').mockImplementationOnce(function (this: WebhookStore, fields) {
    secret = fields.secret;
    return original.call(this, { ...fields, ownerId: missingOwner });
  });
  log.lines.length = 0;
  const result = await t.run(AddWebhookEndpointDocument, { input: { url: 'http://93.184.215.14/secret-path' } }, owner.token);
  expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  expect(secret).toMatch(/^whsec_/);

  const logged = JSON.stringify(log.lines);
  const unexpected = log.lines.find((line) => line.msg === 'unexpected error');
  expect(unexpected?.err).toMatchObject({ type: 'ForeignKeyConstraintViolationException', message: expect.stringContaining('database error') });
  for (const leak of [secret, 'whsec_', 'insert into', 'secret-path', missingOwner]) expect({ leak, found: logged.includes(leak) }).toEqual({ leak, found: false });
});
