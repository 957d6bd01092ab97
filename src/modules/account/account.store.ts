import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { StoreDeps } from '../stores';
import { Owner } from '../owner/owner.entity';
import { Account, AccountSession, CalendarMembership, CalendarRole, PasswordReset, RefreshToken } from './account.entity';

/** A session's fresh pair of tokens, by their hashes, and when the access token expires. */
export interface IssuedHashes {
  accessTokenHash: string;
  accessExpiresAt: Date;
  refreshTokenHash: string;
}

/** What exchanging a refresh token came to (docs/api.md, Part 3, 33). */
export type RefreshOutcome = { kind: 'rotated'; account: Account; sessionId: string } | { kind: 'reused' } | { kind: 'invalid' };

/** An access token's session, account and memberships (accessOf). */
export interface AccessOf {
  account: Account;
  sessionId: string;
  memberships: Array<{ owner: Owner; role: CalendarRole }>;
}

interface AccessRow {
  s_id: string;
  a_id: string;
  a_email: string;
  a_email_key: string;
  a_name: string;
  a_password_hash: string;
  a_created_at: unknown;
  m_role: CalendarRole | null;
  o_id: string;
  o_name: string;
  o_time_zone: string;
  o_slot_minutes: number;
  o_email: string | null;
  o_token_hash: string;
  o_data_version: number;
  o_hosts_team_bookings: number | boolean;
  o_created_at: unknown;
}

/** accessOf's statement up to its membership condition; the same text on both dialects. */
const ACCESS_SQL = `select s.id as s_id, a.id as a_id, a.email as a_email, a.email_key as a_email_key, a.name as a_name, a.password_hash as a_password_hash, a.created_at as a_created_at,
  m.role as m_role, o.id as o_id, o.name as o_name, o.time_zone as o_time_zone, o.slot_minutes as o_slot_minutes, o.email as o_email, o.token_hash as o_token_hash,
  o.data_version as o_data_version, o.hosts_team_bookings as o_hosts_team_bookings, o.created_at as o_created_at
from account_session s join account a on a.id = s.account_id
left join (calendar_membership m join owner o on o.id = m.owner_id) on m.account_id = s.account_id`;

/** A membership with its calendar loaded. */
export type MembershipWithCalendar = CalendarMembership & { owner: Owner };

/**
 * Accounts: people, their sessions and tokens (by hash only), password resets and calendar
 * memberships. The only place that knows their SQL.
 */
export class AccountStore {
  constructor(private readonly deps: StoreDeps) {}

  private get em(): EntityManager {
    return this.deps.em();
  }

  findByEmailKey(emailKey: string): Promise<Account | null> {
    return this.em.findOne(Account, { emailKey });
  }

  findById(id: string): Promise<Account | null> {
    return this.em.findOne(Account, { id });
  }

  /** A new account with its first session, or 'taken' when the address (lower-cased) is registered already. */
  async register(fields: Pick<Account, 'email' | 'emailKey' | 'name' | 'passwordHash' | 'createdAt'>, hashes: IssuedHashes): Promise<{ account: Account; sessionId: string } | 'taken'> {
    try {
      return await this.em.transactional(async (tx) => {
        const account = tx.create(Account, fields);
        const sessionId = this.addSession(tx, account, hashes, fields.createdAt);
        await tx.flush();
        return { account, sessionId };
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return 'taken';
      throw err;
    }
  }

  async openSession(account: Account, hashes: IssuedHashes, now: Date): Promise<string> {
    return this.em.transactional(async (tx) => {
      const sessionId = this.addSession(tx, tx.getReference(Account, account.id), hashes, now);
      await tx.flush();
      return sessionId;
    });
  }

  private addSession(tx: EntityManager, account: Account, hashes: IssuedHashes, now: Date): string {
    const session = tx.create(AccountSession, { account, accessTokenHash: hashes.accessTokenHash, accessExpiresAt: hashes.accessExpiresAt, createdAt: now });
    tx.create(RefreshToken, { tokenHash: hashes.refreshTokenHash, session, createdAt: now });
    return session.id;
  }

  /**
   * What an access token may act on, in one statement (the path of every owner-only request made
   * with one; docs/api.md, Part 3, 33): its live session and account, and the account's
   * membership of `calendarId`, or without one up to two of its memberships (enough to tell
   * "its only calendar" from "several"). Null when no live session has this access token.
   */
  async accessOf(accessTokenHash: string, now: Date, calendarId: string | null): Promise<AccessOf | null> {
    const em = this.em;
    const at = this.deps.dialect === 'sqlite' ? now.getTime() : now;
    const rows = await em.getConnection().execute<AccessRow[]>(
      `${ACCESS_SQL}${calendarId === null ? '' : ' and m.owner_id = ?'} where s.access_token_hash = ? and s.ended_at is null and s.access_expires_at > ? order by m.created_at, m.owner_id limit 2`,
      calendarId === null ? [accessTokenHash, at] : [calendarId, accessTokenHash, at],
      'all',
    );
    const first = rows[0];
    if (!first) return null;
    const account = em.map(Account, { id: first.a_id, email: first.a_email, email_key: first.a_email_key, name: first.a_name, password_hash: first.a_password_hash, created_at: first.a_created_at });
    const memberships = rows.flatMap((row) => {
      if (row.m_role === null) return [];
      const owner = em.map(Owner, {
        id: row.o_id, name: row.o_name, time_zone: row.o_time_zone, slot_minutes: row.o_slot_minutes, email: row.o_email,
        token_hash: row.o_token_hash, data_version: row.o_data_version, hosts_team_bookings: Boolean(row.o_hosts_team_bookings), created_at: row.o_created_at,
      });
      return [{ owner, role: row.m_role }];
    });
    return { account, sessionId: first.s_id, memberships };
  }

  /**
   * Exchanges a refresh token for `next` (docs/api.md, Part 3, 33): marks it used only while it
   * is unused (of concurrent exchanges one wins), replaces the session's access token and adds
   * the new refresh token. A token already used ends its whole session: whoever presents it
   * again is either its thief or the person it was stolen from. Tokens older than `issuedAfter`
   * have expired.
   */
  async rotateRefreshToken(refreshTokenHash: string, next: IssuedHashes, now: Date, issuedAfter: Date): Promise<RefreshOutcome> {
    return this.em.transactional(async (tx): Promise<RefreshOutcome> => {
      const token = await tx.findOne(RefreshToken, { tokenHash: refreshTokenHash }, { populate: ['session', 'session.account'] });
      if (!token || token.session.endedAt || token.createdAt <= issuedAfter) return { kind: 'invalid' };
      const marked = await tx.nativeUpdate(RefreshToken, { tokenHash: refreshTokenHash, usedAt: null }, { usedAt: now });
      if (marked !== 1) {
        await tx.nativeUpdate(AccountSession, { id: token.session.id, endedAt: null }, { endedAt: now });
        return { kind: 'reused' };
      }
      token.session.accessTokenHash = next.accessTokenHash;
      token.session.accessExpiresAt = next.accessExpiresAt;
      tx.create(RefreshToken, { tokenHash: next.refreshTokenHash, session: token.session, createdAt: now });
      await tx.flush();
      return { kind: 'rotated', account: token.session.account, sessionId: token.session.id };
    });
  }

  /**
   * Ends the session of an unused refresh token (logout): true. A used one ends its session too,
   * as any reuse does, and answers false, as does an unknown or expired one.
   */
  async endSessionOfRefreshToken(refreshTokenHash: string, now: Date, issuedAfter: Date): Promise<boolean> {
    return this.em.transactional(async (tx) => {
      const token = await tx.findOne(RefreshToken, { tokenHash: refreshTokenHash });
      if (!token || token.createdAt <= issuedAfter) return false;
      const ended = await tx.nativeUpdate(AccountSession, { id: token.session.id, endedAt: null }, { endedAt: now });
      return ended === 1 && token.usedAt === null;
    });
  }

  /** Ends one session at once: its access token and refresh token stop working. */
  async endSession(sessionId: string, now: Date): Promise<void> {
    await this.em.nativeUpdate(AccountSession, { id: sessionId, endedAt: null }, { endedAt: now });
  }

  /** Stores a reset token's hash, and in the same transaction what `alongside` adds (its email). */
  async addPasswordReset(account: Account, tokenHash: string, expiresAt: Date, now: Date, alongside: (tx: EntityManager) => void): Promise<void> {
    await this.em.transactional(async (tx) => {
      tx.create(PasswordReset, { tokenHash, account: tx.getReference(Account, account.id), expiresAt, createdAt: now });
      alongside(tx);
      await tx.flush();
    });
  }

  /**
   * Spends a reset token, once and before it expires: sets the new password hash, spends every
   * other reset token of the account, ends every session of it and opens a new one, in one
   * transaction. Null for a wrong, spent or expired token.
   */
  async resetPassword(tokenHash: string, passwordHash: string, hashes: IssuedHashes, now: Date): Promise<{ account: Account; sessionId: string } | null> {
    return this.em.transactional(async (tx) => {
      const reset = await tx.findOne(PasswordReset, { tokenHash, usedAt: null, expiresAt: { $gt: now } });
      if (!reset) return null;
      const spent = await tx.nativeUpdate(PasswordReset, { tokenHash, usedAt: null }, { usedAt: now });
      if (spent !== 1) return null;
      const accountId = reset.account.id;
      await tx.nativeUpdate(PasswordReset, { account: accountId, usedAt: null }, { usedAt: now });
      await tx.nativeUpdate(Account, { id: accountId }, { passwordHash });
      await tx.nativeUpdate(AccountSession, { account: accountId, endedAt: null }, { endedAt: now });
      const account = await tx.findOneOrFail(Account, { id: accountId }, { refresh: true });
      const sessionId = this.addSession(tx, account, hashes, now);
      await tx.flush();
      return { account, sessionId };
    });
  }

  /** The account's memberships with their calendars, oldest first; at most `limit`. */
  membershipsOf(accountId: string, limit?: number): Promise<MembershipWithCalendar[]> {
    return this.em.find(CalendarMembership, { account: accountId }, { populate: ['owner'], orderBy: { createdAt: 'asc', owner: 'asc' }, limit }) as Promise<MembershipWithCalendar[]>;
  }

  /** The account's membership of one calendar, with the calendar; null when it is none. */
  membership(accountId: string, ownerId: string): Promise<MembershipWithCalendar | null> {
    return this.em.findOne(CalendarMembership, { account: accountId, owner: ownerId }, { populate: ['owner'] }) as Promise<MembershipWithCalendar | null>;
  }

  /** Adds the membership or changes its role. */
  async setMembership(accountId: string, ownerId: string, role: CalendarRole, now: Date): Promise<MembershipWithCalendar> {
    const existing = await this.membership(accountId, ownerId);
    if (existing) {
      existing.role = role;
      await this.em.flush();
      return existing;
    }
    const membership = this.em.create(CalendarMembership, { account: this.em.getReference(Account, accountId), owner: this.em.getReference(Owner, ownerId), role, createdAt: now });
    await this.em.flush();
    return this.membership(membership.account.id, ownerId) as Promise<MembershipWithCalendar>;
  }

  async removeMembership(accountId: string, ownerId: string): Promise<boolean> {
    return (await this.em.nativeDelete(CalendarMembership, { account: accountId, owner: ownerId })) === 1;
  }

  /** How many OWNERs the calendar has. */
  ownerCount(ownerId: string): Promise<number> {
    return this.em.count(CalendarMembership, { owner: ownerId, role: CalendarRole.OWNER });
  }
}
