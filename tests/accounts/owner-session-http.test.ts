import { startTestApp, type ServedTestApp } from '../support/app';
import { CurrentAccountDocument } from '../generated/graphql';

// The owner page's session route (docs/api.md, Part 3, 34; docs/accounts.md, "The owner page"):
// the refresh token only in an HttpOnly, SameSite=Strict cookie on /owner/session, the Origin
// checked, refresh rotating through the cookie, logout clearing it; login's rate limits apply.

const PASSWORD = 'correct horse battery';
let t: ServedTestApp;

beforeAll(async () => {
  t = await startTestApp({ listen: true, rateLimits: { createOwnerPerHour: 100, bookSlotPerMinute: 100, manageTokenPerMinute: 100, costPerMinute: 100_000, accountCallsPerMinute: 100, accountCallsPerEmailPerMinute: 2 } });
});
afterAll(() => t.close());

interface Answer {
  status: number;
  cookie: string | null;
  body: { data?: { session: { accessToken: string; accessExpiresIn: number; account: { email: string } } | null }; errors?: { message: string; extensions: { code: string } }[] };
}

async function post(action: string, body: unknown, options: { cookie?: string; origin?: string | null; contentType?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const origin = options.origin === undefined ? t.origin : options.origin;
  const response = await fetch(`${t.origin}/owner/session/${action}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(origin ? { origin } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, cookie: response.headers.get('set-cookie'), body: (await response.json()) as Answer['body'] };
}

/** The name=value part of a Set-Cookie, as a browser sends it back. */
const sent = (setCookie: string | null) => setCookie!.split(';', 1)[0]!;

let counter = 0;
const newEmail = () => `page${++counter}.${Date.now()}@example.com`;

test('register sets the refresh token only in an HttpOnly, SameSite=Strict cookie on /owner/session', async () => {
  const email = newEmail();
  const answer = await post('register', { email, password: PASSWORD, name: 'Grace Hopper' });
  expect(answer.status).toBe(200);
  const session = answer.body.data!.session!;
  expect(session.account.email).toBe(email);
  expect(session.accessExpiresIn).toBe(15 * 60);
  expect(JSON.stringify(answer.body)).not.toMatch(/sbr_|refreshToken/);
  const parts = answer.cookie!.split('; ');
  expect(parts[0]).toMatch(/^slotbook_refresh=sbr_/);
  expect(parts).toEqual(expect.arrayContaining(['Path=/owner/session', 'HttpOnly', 'SameSite=Strict']));
  expect(parts).not.toContain('Secure');
  expect((await t.ok(CurrentAccountDocument, {}, session.accessToken)).account?.email).toBe(email);
});

test('refresh rotates through the cookie; the spent cookie ends the session; logout clears the cookie', async () => {
  const email = newEmail();
  const first = await post('register', { email, password: PASSWORD, name: 'Ada' });
  const refreshed = await post('refresh', {}, { cookie: sent(first.cookie) });
  expect(refreshed.status).toBe(200);
  expect(sent(refreshed.cookie)).not.toBe(sent(first.cookie));
  const access = refreshed.body.data!.session!.accessToken;
  expect((await t.ok(CurrentAccountDocument, {}, access)).account?.email).toBe(email);

  // The spent cookie again: UNAUTHENTICATED, the cookie cleared, and the whole session ended.
  const reused = await post('refresh', {}, { cookie: sent(first.cookie) });
  expect(reused.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  expect(reused.cookie).toMatch(/^slotbook_refresh=; .*Max-Age=0/);
  expect((await t.ok(CurrentAccountDocument, {}, access)).account).toBeNull();

  // Logout with a live cookie ends that session and clears the cookie.
  const again = await post('login', { email, password: PASSWORD });
  const out = await post('logout', {}, { cookie: sent(again.cookie) });
  expect(out.status).toBe(200);
  expect(out.body).toEqual({ data: { session: null } });
  expect(out.cookie).toMatch(/^slotbook_refresh=; Path=\/owner\/session; Max-Age=0/);
  expect((await t.ok(CurrentAccountDocument, {}, again.body.data!.session!.accessToken)).account).toBeNull();
  expect((await post('refresh', {}, { cookie: sent(again.cookie) })).body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  // Without a cookie, refresh is UNAUTHENTICATED.
  expect((await post('refresh', {})).body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
});

test('another origin, no Origin, a cross-site fetch or a body that is not JSON is refused', async () => {
  const email = newEmail();
  await post('register', { email, password: PASSWORD, name: 'Ada' });
  const login = { email, password: PASSWORD };
  for (const refused of [
    await post('login', login, { origin: 'http://evil.example' }),
    await post('login', login, { origin: null }),
    await post('login', login, { headers: { 'sec-fetch-site': 'cross-site' } }),
  ]) {
    expect(refused.status).toBe(403);
    expect(refused.cookie).toBeNull();
    expect(refused.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  }
  const form = await post('login', `email=${encodeURIComponent(email)}&password=x`, { contentType: 'application/x-www-form-urlencoded' });
  expect(form.status).toBe(415);
  expect((await post('login', '[1]')).status).toBe(400);
  // Missing or non-string fields are refused as bad input, never a 500.
  for (const body of [{}, { email: 1, password: ['x'] }]) {
    const bad = await post('login', body);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.cookie).toBeNull();
  }
  const get = await fetch(`${t.origin}/owner/session/login`, { headers: { origin: t.origin } });
  expect(get.status).toBe(405);
});

test('a wrong password is UNAUTHENTICATED without a cookie; login is rate limited per email through the route', async () => {
  const email = newEmail();
  await post('register', { email, password: PASSWORD, name: 'Ada' });
  const wrong = await post('login', { email, password: 'not the password at all' });
  expect(wrong.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  expect(wrong.cookie).toBeNull();
  const limited = await post('login', { email, password: PASSWORD });
  expect(limited.status).toBe(429);
  expect(limited.body.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
  expect(limited.cookie).toBeNull();
});

test('a short password names its field', async () => {
  const answer = await post('register', { email: newEmail(), password: 'short', name: 'Ada' });
  expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.password' } });
  expect(answer.cookie).toBeNull();
});

test('over https (PUBLIC_URL) the cookie is Secure and the Origin is PUBLIC_URL', async () => {
  const secure = await startTestApp({ listen: true, publicUrl: 'https://book.example.test' });
  try {
    const response = await fetch(`${secure.origin}/owner/session/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://book.example.test' },
      body: JSON.stringify({ email: newEmail(), password: PASSWORD, name: 'Ada' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')!.split('; ')).toContain('Secure');
  } finally {
    await secure.close();
  }
});
