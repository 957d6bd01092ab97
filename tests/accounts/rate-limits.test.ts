import type { GraphQLFormattedError } from 'graphql';
import { print } from 'graphql';
import type { RateLimits } from '../../src/http/rate-limits';
import { startTestApp, type ServedTestApp } from '../support/app';
import { LoginDocument, RegisterDocument, RequestPasswordResetDocument } from '../generated/graphql';

// docs/api.md, Part 3, 32 (with Part 2, 24): login, register and requestPasswordReset are
// limited per client address and per email, over the real HTTP server: past either, HTTP 429,
// Retry-After and RATE_LIMITED. Each test builds its own app, so budgets never leak.

const HIGH: RateLimits = { createOwnerPerHour: 1000, bookSlotPerMinute: 1000, manageTokenPerMinute: 1000, costPerMinute: 100_000, accountCallsPerMinute: 1000, accountCallsPerEmailPerMinute: 1000 };
const PASSWORD = 'correct horse battery';

const served: ServedTestApp[] = [];
async function serve(limits: Partial<RateLimits>): Promise<ServedTestApp> {
  const s = await startTestApp({ rateLimits: { ...HIGH, ...limits }, listen: true });
  served.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

async function post(s: ServedTestApp, query: string, variables: unknown): Promise<{ status: number; retryAfter: string | null; codes: unknown[]; errors?: GraphQLFormattedError[] }> {
  const response = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: GraphQLFormattedError[] };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), codes: (body.errors ?? []).map((e) => e.extensions?.code), errors: body.errors };
}

const login = (s: ServedTestApp, email: string) => post(s, print(LoginDocument), { email, password: PASSWORD });

test('per email: past the limit every account call naming it is refused, in any case and by any operation; another email is not', async () => {
  const s = await serve({ accountCallsPerEmailPerMinute: 2 });
  expect((await login(s, 'victim@example.com')).codes).toEqual(['UNAUTHENTICATED']);
  expect((await login(s, 'Victim@Example.com')).codes).toEqual(['UNAUTHENTICATED']);
  const refused = await login(s, 'victim@example.com');
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(refused.codes).toEqual(['RATE_LIMITED']);
  expect((await post(s, print(RequestPasswordResetDocument), { email: 'VICTIM@example.com' })).status).toBe(429);
  // The email inside register's input object, literal in the document rather than a variable.
  const literal = `mutation { register(input: { email: "victim@example.com", password: "${PASSWORD}", name: "V" }) { accessToken } }`;
  expect((await post(s, literal, {})).status).toBe(429);
  expect((await login(s, 'someone.else@example.com')).codes).toEqual(['UNAUTHENTICATED']);
});

test('per address: past the limit any account call from it is refused, whatever the email', async () => {
  const s = await serve({ accountCallsPerMinute: 3 });
  expect((await post(s, print(RegisterDocument), { input: { email: 'a@example.com', password: PASSWORD, name: 'A' } })).status).toBe(200);
  expect((await login(s, 'b@example.com')).status).toBe(200);
  expect((await post(s, print(RequestPasswordResetDocument), { email: 'c@example.com' })).status).toBe(200);
  const refused = await login(s, 'd@example.com');
  expect(refused.status).toBe(429);
  expect(refused.codes).toEqual(['RATE_LIMITED']);
  expect(refused.errors?.[0]?.message).toContain('login, register and requestPasswordReset calls');
  expect(JSON.stringify(refused.errors)).not.toContain(PASSWORD);
});
