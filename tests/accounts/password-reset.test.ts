import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from '../support/app';
import { capturedLogger, type LogLine } from '../support/log-capture';
import { pollUntil } from '../support/poll';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { CurrentAccountDocument, LoginDocument, RefreshSessionDocument, RegisterDocument, RequestPasswordResetDocument, ResetPasswordDocument } from '../generated/graphql';

// docs/api.md, Part 3, 32 and its details: requestPasswordReset answers true for any
// well-formed email and, for an account's, emails (PASSWORD_RESET) a single-use link valid for
// an hour; resetPassword ends every session. The message is read off a real SMTP server
// (smtp-server) and parsed by mailparser. The app's clock starts at the real time (the outbox
// sends what is due by the later of both) and moves for the expiry.

const PUBLIC_URL = 'https://app.example.test';
const OLD_PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'staple tree orange 42';
const MINUTE = 60_000;

let smtp: TestSmtpServer;
let t: TestApp;
let lines: LogLine[];
const secrets = new Set<string>([OLD_PASSWORD, NEW_PASSWORD]);

beforeAll(async () => {
  smtp = await startSmtpServer();
  const captured = capturedLogger();
  lines = captured.lines;
  t = await startTestApp({ now: new Date(), logger: captured.logger, emails: { smtpUrl: smtp.url, mailFrom: 'Slotbook <accounts@slotbook.test>', publicUrl: PUBLIC_URL, pollIntervalMs: 50 } });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

let counter = 0;
async function person() {
  const email = `reset${++counter}.${Date.now()}@example.com`;
  const { register } = await t.ok(RegisterDocument, { input: { email, password: OLD_PASSWORD, name: 'Grace Hopper' } });
  secrets.add(register.accessToken).add(register.refreshToken);
  return { email, session: register };
}

/** The reset message sent to `email`, and the token its link carries. */
async function resetMailTo(email: string, nth = 1): Promise<{ mail: ParsedMail; token: string }> {
  await smtp.waitFor((received) => received.filter((m) => m.to && JSON.stringify(m.to).includes(email)).length >= nth, 10_000);
  const mail = smtp.received.filter((m) => JSON.stringify(m.to).includes(email))[nth - 1]!;
  const link = /https:\/\/app\.example\.test\/owner\/reset-password\?token=([\w%-]+)/.exec(mail.text ?? '');
  expect(link).not.toBeNull();
  const token = decodeURIComponent(link![1]!);
  secrets.add(token);
  return { mail, token };
}

test('a reset email arrives with a single-use link; resetPassword ends every session and signs in anew', async () => {
  const { email, session } = await person();
  expect((await t.ok(RequestPasswordResetDocument, { email: email.toUpperCase() })).requestPasswordReset).toBe(true);
  const { mail, token } = await resetMailTo(email);
  expect(mail.subject).toBe('Reset your Slotbook password');
  expect(mail.html).toContain(`${PUBLIC_URL}/owner/reset-password?token=${encodeURIComponent(token)}`);
  expect(mail.attachments).toHaveLength(0);

  const reset = await t.ok(ResetPasswordDocument, { token, password: NEW_PASSWORD });
  secrets.add(reset.resetPassword.accessToken).add(reset.resetPassword.refreshToken);
  expect(reset.resetPassword.account.email).toBe(email);
  // Every earlier session ended at once: its access token and its refresh token.
  expect((await t.ok(CurrentAccountDocument, {}, session.accessToken)).account).toBeNull();
  await t.fails(RefreshSessionDocument, { refreshToken: session.refreshToken }, 'UNAUTHENTICATED');
  expect((await t.ok(CurrentAccountDocument, {}, reset.resetPassword.accessToken)).account?.email).toBe(email);
  await t.fails(LoginDocument, { email, password: OLD_PASSWORD }, 'UNAUTHENTICATED');
  await t.ok(LoginDocument, { email, password: NEW_PASSWORD });
  // Single use.
  await t.fails(ResetPasswordDocument, { token, password: 'yet another password' }, 'UNAUTHENTICATED');
});

test('a reset link works for one hour, not after', async () => {
  const start = new Date();
  t.clock.now = start;
  const { email } = await person();
  await t.ok(RequestPasswordResetDocument, { email });
  const first = await resetMailTo(email, 1);
  await t.ok(RequestPasswordResetDocument, { email });
  const second = await resetMailTo(email, 2);
  try {
    t.clock.now = new Date(start.getTime() + 60 * MINUTE + 1000);
    await t.fails(ResetPasswordDocument, { token: first.token, password: NEW_PASSWORD }, 'UNAUTHENTICATED');
    t.clock.now = new Date(start.getTime() + 59 * MINUTE);
    await t.ok(ResetPasswordDocument, { token: second.token, password: NEW_PASSWORD });
  } finally {
    t.clock.now = new Date();
  }
});

test('an unknown email answers true too and sends nothing; a malformed one is BAD_USER_INPUT naming email', async () => {
  const before = smtp.offered;
  expect((await t.ok(RequestPasswordResetDocument, { email: `nobody.${Date.now()}@example.com` })).requestPasswordReset).toBe(true);
  const error = await t.fails(RequestPasswordResetDocument, { email: 'not an email' }, 'BAD_USER_INPUT');
  expect(error.extensions?.field).toBe('email');
  // A known address sent after it arrives alone.
  const { email } = await person();
  await t.ok(RequestPasswordResetDocument, { email });
  await resetMailTo(email);
  expect(smtp.offered).toBe(before + 1);
});

test('the reset token is not kept once its email is sent; no token or password is in any log line', async () => {
  await pollUntil(
    async () => Number((await t.app.orm.em.fork().getConnection().execute<Array<{ n: number | string }>>('select count(*) as n from password_reset_email_link'))[0]!.n),
    (n) => n === 0,
    (n) => `no reset token kept; ${n} are`,
  );
  const log = JSON.stringify(lines);
  expect(lines.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(log).not.toContain(secret);
});
