import { ApiError, dataOf, postJson, type OwnerAuth } from '../lib/api';

/**
 * A signed-in account on the owner page (docs/api.md, Part 3, 34). The refresh token never
 * reaches this code: the server's /owner/session route keeps it in an HttpOnly cookie only it
 * reads (src/http/owner-session.ts). The access token lives in this object, in memory, and is
 * renewed through that route shortly before it expires.
 */
export interface SessionAnswer {
  accessToken: string;
  accessExpiresAt: string;
  /** Seconds the access token has left by the server's clock (the page's may differ). */
  accessExpiresIn: number;
  account: { id: string; email: string; name: string };
}

export type SessionAction = 'register' | 'login' | 'refresh' | 'logout' | 'reset-password';

/** Runs one action of the session route: the session it answers (null for logout), or its ApiError. */
export async function sessionAction(action: SessionAction, body: Record<string, string> = {}): Promise<SessionAnswer | null> {
  return dataOf(await postJson<{ session: SessionAnswer | null }>(`/owner/session/${action}`, body)).session;
}

/** Renew this long before the access token expires, so no request meets an expired one. */
const EARLY_MS = 60_000;

/**
 * Refreshes with the cookie, one tab at a time: two tabs presenting the same refresh token at
 * once would look like a stolen token and end the session (docs/api.md, Part 3, 33). The Web
 * Locks API serialises them, so the second tab sends the cookie the first one got.
 */
async function refreshSerially(): Promise<SessionAnswer | null> {
  // Web Locks exist only in secure contexts (https, localhost): elsewhere a tab refreshes alone.
  if (!('locks' in navigator) || !navigator.locks) return sessionAction('refresh');
  return await navigator.locks.request('slotbook-session-refresh', () => sessionAction('refresh'));
}

export class AccountSession {
  private accessToken: string;
  private expiresAtMs: number;
  private renewing: Promise<boolean> | null = null;
  readonly account: SessionAnswer['account'];

  constructor(answer: SessionAnswer) {
    this.account = answer.account;
    this.accessToken = answer.accessToken;
    this.expiresAtMs = Date.now() + answer.accessExpiresIn * 1000;
  }

  /** A live access token: the one held, or a new one when it is about to expire. */
  async currentToken(): Promise<string> {
    if (Date.now() > this.expiresAtMs - EARLY_MS && !(await this.renew())) throw new ApiError('Your session has ended. Please sign in again.', 'UNAUTHENTICATED');
    return this.accessToken;
  }

  /** A new access token through the cookie; false when the session has ended. One renewal at a time. */
  renew(): Promise<boolean> {
    this.renewing ??= refreshSerially()
      .then((answer) => {
        if (!answer) return false;
        this.accessToken = answer.accessToken;
        this.expiresAtMs = Date.now() + answer.accessExpiresIn * 1000;
        return true;
      })
      .catch(() => false)
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }

  /** The credential of requests on calendar `calendarId` (sent as Slotbook-Calendar). */
  on(calendarId: string): OwnerAuth {
    return {
      key: `account:${calendarId}`,
      headers: async () => ({ authorization: `Bearer ${await this.currentToken()}`, 'slotbook-calendar': calendarId }),
      renew: () => this.renew(),
    };
  }

  /** The credential for the account's own operations (its calendars, createCalendar), without a calendar. */
  get self(): OwnerAuth {
    return { key: 'account', headers: async () => ({ authorization: `Bearer ${await this.currentToken()}` }), renew: () => this.renew() };
  }
}

/** The session the cookie still holds (a reload), or null: signed out. Once per page load. */
let resumed: Promise<AccountSession | null> | null = null;
export function resumeSession(): Promise<AccountSession | null> {
  resumed ??= refreshSerially().then(
    (answer) => (answer ? new AccountSession(answer) : null),
    (error: unknown) => {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return null;
      throw error;
    },
  );
  return resumed;
}

/** Ends the session on the server and clears the cookie; signed out here whatever the answer. */
export async function endSession(): Promise<void> {
  resumed = Promise.resolve(null);
  await sessionAction('logout').catch(() => undefined);
}
