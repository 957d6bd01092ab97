import { startTestApp, type TestApp } from '../support/app';
import { capturedLogger, type LogLine } from '../support/log-capture';
import {
  CurrentAccountDocument,
  LoginDocument,
  LogoutDocument,
  RefreshSessionDocument,
  RegisterDocument,
  type SessionFieldsFragment,
} from '../generated/graphql';

// docs/api.md, Part 3, 32-33 and their details: register, login, the access token's 15
// minutes (the test clock moves), refresh-token rotation and reuse ending the whole session,
// logout; and no password or token in any answer, error or log line.

const PASSWORD = 'correct horse battery';
let t: TestApp;
let lines: LogLine[];
/** Every password and token the tests handed out or sent, to look for in answers and logs. */
const secrets = new Set<string>([PASSWORD]);

beforeAll(async () => {
  const captured = capturedLogger();
  lines = captured.lines;
  t = await startTestApp({ logger: captured.logger });
});
afterAll(() => t.close());

let counter = 0;
const freshEmail = () => `person${++counter}.${Date.now()}@example.com`;

function remember(session: SessionFieldsFragment): SessionFieldsFragment {
  secrets.add(session.accessToken);
  secrets.add(session.refreshToken);
  return session;
}

async function register(email = freshEmail(), password = PASSWORD): Promise<SessionFieldsFragment> {
  return remember((await t.ok(RegisterDocument, { input: { email, password, name: 'Ada Lovelace' } })).register);
}

const accountOf = async (accessToken: string) => (await t.ok(CurrentAccountDocument, {}, accessToken)).account;

describe('register and login', () => {
  test('register answers a session whose access token reads the account; login with the email in another case does too', async () => {
    const email = freshEmail();
    const session = await register(email.toUpperCase());
    expect(session.account).toMatchObject({ email: email.toUpperCase(), name: 'Ada Lovelace' });
    expect(await accountOf(session.accessToken)).toMatchObject({ id: session.account.id, calendars: [] });
    const login = remember((await t.ok(LoginDocument, { email, password: PASSWORD })).login);
    expect(login.account.id).toBe(session.account.id);
    expect(login.accessToken).not.toBe(session.accessToken);
    expect(await accountOf(login.accessToken)).toMatchObject({ id: session.account.id });
  });

  test('account is null without an access token, and with an owner token', async () => {
    expect((await t.ok(CurrentAccountDocument, {})).account).toBeNull();
    const owner = await t.createOwner();
    expect((await t.ok(CurrentAccountDocument, {}, owner.token)).account).toBeNull();
  });

  test('an email registered in any case cannot be registered again', async () => {
    const email = freshEmail();
    await register(email);
    const error = await t.fails(RegisterDocument, { input: { email: email.toUpperCase(), password: PASSWORD, name: 'Eve' } }, 'BAD_USER_INPUT');
    expect(error.extensions?.field).toBe('input.email');
  });

  test.each([
    ['11 characters', 'a'.repeat(11), false],
    ['12 characters', 'a'.repeat(12), true],
    // Six emoji are 12 UTF-16 units but 6 code points: too short.
    ['6 astral code points', '😀'.repeat(6), false],
    ['12 astral code points', '😀'.repeat(12), true],
    ['200 characters', 'b'.repeat(200), true],
    ['201 characters', 'b'.repeat(201), false],
  ])('a password of %s: %s', async (_label, password, accepted) => {
    secrets.add(password);
    const result = await t.run(RegisterDocument, { input: { email: freshEmail(), password, name: 'Ada' } });
    if (accepted) expect(result.errors).toBeUndefined();
    else expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.password']]);
  });

  test('a malformed email is BAD_USER_INPUT naming input.email', async () => {
    const error = await t.fails(RegisterDocument, { input: { email: 'not-an-email', password: PASSWORD, name: 'Ada' } }, 'BAD_USER_INPUT');
    expect(error.extensions?.field).toBe('input.email');
  });

  test('a wrong email and a wrong password fail alike: UNAUTHENTICATED, same message', async () => {
    const email = freshEmail();
    await register(email);
    const wrongEmail = await t.fails(LoginDocument, { email: freshEmail(), password: PASSWORD }, 'UNAUTHENTICATED');
    const wrongPassword = await t.fails(LoginDocument, { email, password: 'wrong password here' }, 'UNAUTHENTICATED');
    expect(wrongEmail.message).toBe(wrongPassword.message);
    expect(wrongEmail.extensions).toEqual(wrongPassword.extensions);
  });
});

describe('sessions', () => {
  test('an access token works for 15 minutes, then not; refreshSession gives a new pair', async () => {
    const start = t.clock.now;
    try {
      const session = await register();
      expect(new Date(session.accessExpiresAt).getTime() - start.getTime()).toBe(15 * 60_000);
      t.clock.now = new Date(start.getTime() + 15 * 60_000 - 1);
      expect(await accountOf(session.accessToken)).not.toBeNull();
      t.clock.now = new Date(start.getTime() + 15 * 60_000);
      expect(await accountOf(session.accessToken)).toBeNull();
      const renewed = remember((await t.ok(RefreshSessionDocument, { refreshToken: session.refreshToken })).refreshSession);
      expect(renewed.refreshToken).not.toBe(session.refreshToken);
      expect(await accountOf(renewed.accessToken)).toMatchObject({ id: session.account.id });
    } finally {
      t.clock.now = start;
    }
  });

  test('refreshSession: the old refresh token stops working, and the old access token with it', async () => {
    const session = await register();
    const renewed = remember((await t.ok(RefreshSessionDocument, { refreshToken: session.refreshToken })).refreshSession);
    expect(await accountOf(session.accessToken)).toBeNull();
    expect(await accountOf(renewed.accessToken)).not.toBeNull();
    const again = remember((await t.ok(RefreshSessionDocument, { refreshToken: renewed.refreshToken })).refreshSession);
    expect(await accountOf(again.accessToken)).not.toBeNull();
  });

  test('presenting a used refresh token ends the whole session: its current access and refresh tokens stop at once', async () => {
    const session = await register();
    const other = remember((await t.ok(LoginDocument, { email: session.account.email, password: PASSWORD })).login);
    const renewed = remember((await t.ok(RefreshSessionDocument, { refreshToken: session.refreshToken })).refreshSession);
    // The thief (or the victim) presents the first token again.
    await t.fails(RefreshSessionDocument, { refreshToken: session.refreshToken }, 'UNAUTHENTICATED');
    expect(await accountOf(renewed.accessToken)).toBeNull();
    await t.fails(RefreshSessionDocument, { refreshToken: renewed.refreshToken }, 'UNAUTHENTICATED');
    // Another session of the same account is untouched.
    expect(await accountOf(other.accessToken)).not.toBeNull();
  });

  test('logout ends the session at once; its tokens then fail UNAUTHENTICATED', async () => {
    const session = await register();
    expect((await t.ok(LogoutDocument, { refreshToken: session.refreshToken })).logout).toBe(true);
    expect(await accountOf(session.accessToken)).toBeNull();
    await t.fails(RefreshSessionDocument, { refreshToken: session.refreshToken }, 'UNAUTHENTICATED');
    await t.fails(LogoutDocument, { refreshToken: session.refreshToken }, 'UNAUTHENTICATED');
  });

  test('a refresh token expires 30 days after it was issued', async () => {
    const start = t.clock.now;
    try {
      const session = await register();
      t.clock.now = new Date(start.getTime() + 30 * 24 * 3_600_000);
      await t.fails(RefreshSessionDocument, { refreshToken: session.refreshToken }, 'UNAUTHENTICATED');
    } finally {
      t.clock.now = start;
    }
  });

  test('wrong refresh tokens are UNAUTHENTICATED', async () => {
    await t.fails(RefreshSessionDocument, { refreshToken: 'sbr_nonsense' }, 'UNAUTHENTICATED');
    await t.fails(LogoutDocument, { refreshToken: '' }, 'UNAUTHENTICATED');
  });
});

test('answers and errors carry no password or hash: the account, a failed login, a refused registration', async () => {
  const session = await register();
  const answers = [
    await t.run(CurrentAccountDocument, {}, session.accessToken),
    await t.run(LoginDocument, { email: session.account.email, password: 'a wrong password!' }),
    await t.run(RegisterDocument, { input: { email: session.account.email, password: PASSWORD, name: 'Again' } }),
    await t.run(RegisterDocument, { input: { email: freshEmail(), password: 'short', name: 'Short' } }),
  ];
  const text = JSON.stringify(answers);
  for (const secret of [PASSWORD, 'a wrong password!', 'short', 'scrypt$', session.refreshToken, session.accessToken]) expect(text).not.toContain(secret);
});

// Last: everything above handed out tokens and passwords; none may show in a log line.
test('no password or token appears in any log line', async () => {
  const session = await register();
  await t.run(LoginDocument, { email: session.account.email, password: 'a wrong password!' });
  await t.run(RefreshSessionDocument, { refreshToken: session.refreshToken });
  await t.run(RefreshSessionDocument, { refreshToken: session.refreshToken });
  expect(lines.length).toBeGreaterThan(0);
  const log = JSON.stringify(lines);
  for (const secret of secrets) expect(log).not.toContain(secret);
  expect(log).not.toContain('a wrong password!');
});
