import { isEmail } from 'class-validator';
import type { RequestContext } from '../context';
import { badInput, unauthenticated } from '../../shared/errors';
import { generateToken, hashToken } from '../../shared/tokens';
import { requireText } from '../../shared/validation';
import type { Account } from './account.entity';
import type { IssuedHashes } from './account.store';
import { ACCOUNT_EMAIL, ACCOUNT_NAME, type RegisterInput, type Session } from './account.inputs';
import { hashOfNobody, hashPassword, passwordMatches, requirePassword } from './password';

/** Access tokens live 15 minutes (docs/api.md, Part 3, 33). */
export const ACCESS_TOKEN_MINUTES = 15;
/** Refresh tokens live 30 days from when they were issued; each use issues a new one. */
export const REFRESH_TOKEN_DAYS = 30;
/** Password reset links work for one hour (docs/api.md, Part 3, 32). */
export const RESET_TOKEN_MINUTES = 60;

const MINUTE = 60_000;

/** Fails alike for a wrong email and a wrong password (docs/api.md, Part 3, 32). */
const wrongCredentials = () => unauthenticated('wrong email or password');

/** The lower-cased address accounts are unique by. */
export function emailKeyOf(email: string): string {
  return email.trim().toLowerCase();
}

/** Accounts: registering, signing in, sessions and their tokens, password resets. */
export class AccountService {
  constructor(private readonly ctx: RequestContext) {}

  async register(input: RegisterInput): Promise<Session> {
    const email = requireEmail('input.email', input.email);
    const name = requireText('input.name', input.name, ACCOUNT_NAME);
    const passwordHash = await hashPassword(requirePassword('input.password', input.password));
    const { tokens, hashes } = this.issueTokens();
    const registered = await this.ctx.stores.accounts.register({ email, emailKey: emailKeyOf(email), name, passwordHash, createdAt: this.ctx.now() }, hashes);
    if (registered === 'taken') throw badInput('input.email', 'an account with this email exists already');
    return { ...tokens, account: registered.account };
  }

  async login(email: string, password: string): Promise<Session> {
    const account = email.length <= ACCOUNT_EMAIL.max ? await this.ctx.stores.accounts.findByEmailKey(emailKeyOf(email)) : null;
    // An unknown email still costs one hash, so it answers as a wrong password does, in time too.
    const matches = await passwordMatches(password, account?.passwordHash ?? (await hashOfNobody()));
    if (!account || !matches) throw wrongCredentials();
    const { tokens, hashes } = this.issueTokens();
    await this.ctx.stores.accounts.openSession(account, hashes, this.ctx.now());
    return { ...tokens, account };
  }

  async refreshSession(refreshToken: string): Promise<Session> {
    const { tokens, hashes } = this.issueTokens();
    const outcome = await this.ctx.stores.accounts.rotateRefreshToken(hashToken(refreshToken), hashes, this.ctx.now(), this.refreshIssuedAfter());
    if (outcome.kind !== 'rotated') throw unauthenticated('this refresh token is not valid (wrong, spent or expired); sign in again');
    this.ctx.auth.forgetSession(outcome.sessionId);
    return { ...tokens, account: outcome.account };
  }

  async logout(refreshToken: string): Promise<boolean> {
    const ended = await this.ctx.stores.accounts.endSessionOfRefreshToken(hashToken(refreshToken), this.ctx.now(), this.refreshIssuedAfter());
    if (!ended) throw unauthenticated('this refresh token is not valid (wrong, spent or expired)');
    return true;
  }

  /**
   * Always true for a well-formed address (docs/api.md, Part 3, details of 32-34): whether an
   * account has it is not revealed. For one that does, a single-use token valid for an hour is
   * stored hashed and its email written in the same transaction.
   */
  async requestPasswordReset(rawEmail: string): Promise<boolean> {
    const email = requireEmail('email', rawEmail);
    const account = await this.ctx.stores.accounts.findByEmailKey(emailKeyOf(email));
    if (!account) return true;
    const token = generateToken('sbp');
    const now = this.ctx.now();
    await this.ctx.stores.accounts.addPasswordReset(account, hashToken(token), new Date(now.getTime() + RESET_TOKEN_MINUTES * MINUTE), now, (tx) =>
      this.ctx.stores.emails.addPasswordReset(tx, { to: account.email, toName: account.name, token, now }),
    );
    // The one outbox sends it now rather than at its next poll.
    this.ctx.webhooks.wake();
    return true;
  }

  /** Sets the password, spends the link, ends every session of the account and opens a new one. */
  async resetPassword(token: string, password: string): Promise<Session> {
    const passwordHash = await hashPassword(requirePassword('password', password));
    const { tokens, hashes } = this.issueTokens();
    const reset = await this.ctx.stores.accounts.resetPassword(hashToken(token), passwordHash, hashes, this.ctx.now());
    if (!reset) throw unauthenticated('this reset link is not valid (wrong, used or expired); ask for a new one');
    const acting = await this.ctx.auth.accountOrNull();
    if (acting?.id === reset.account.id) this.ctx.auth.forgetAccount(reset.account.id);
    return { ...tokens, account: reset.account };
  }

  /** The access token's account; null without one. */
  account(): Promise<Account | null> {
    return this.ctx.auth.accountOrNull();
  }

  private refreshIssuedAfter(): Date {
    return new Date(this.ctx.now().getTime() - REFRESH_TOKEN_DAYS * 24 * 60 * MINUTE);
  }

  private issueTokens(): { tokens: Omit<Session, 'account'>; hashes: IssuedHashes } {
    const accessToken = generateToken('sba');
    const refreshToken = generateToken('sbr');
    const accessExpiresAt = new Date(this.ctx.now().getTime() + ACCESS_TOKEN_MINUTES * MINUTE);
    return { tokens: { accessToken, accessExpiresAt, refreshToken }, hashes: { accessTokenHash: hashToken(accessToken), accessExpiresAt, refreshTokenHash: hashToken(refreshToken) } };
  }
}

/** A sign-in address: trimmed, 3 to 320 characters, a valid address. */
export function requireEmail(field: string, raw: string): string {
  const email = requireText(field, raw, ACCOUNT_EMAIL);
  if (!isEmail(email)) throw badInput(field, 'must be a valid e-mail address');
  return email;
}
