import DataLoader from 'dataloader';
import type { Owner } from './owner/owner.entity';
import type { Stores } from './stores';
import type { Account } from './account/account.entity';
import { CalendarRole } from './account/account.entity';
import { badInput, forbidden, notFound, unauthenticated, type DomainError } from '../shared/errors';
import { hashToken, tokenMatches } from '../shared/tokens';

/** The header naming the calendar an access token acts on (docs/api.md, Part 3, 33), as Stripe's `Stripe-Account`. */
export const CALENDAR_HEADER = 'Slotbook-Calendar';

/** What a request presents: its bearer token and its Slotbook-Calendar header. */
export interface Credentials {
  bearerToken: string | null;
  calendarId: string | null;
}

/** Who acts, decided once per request. */
type Acting =
  | { by: 'nobody' }
  | { by: 'owner token'; owner: Owner; refusal: DomainError | null }
  | { by: 'account'; account: Account; sessionId: string; calendar: { owner: Owner; role: CalendarRole } | null; refusal: DomainError | null };

const NOBODY: Acting = { by: 'nobody' };

/** Access tokens start so (shared/tokens.ts); any other bearer token is tried as an owner token. */
const ACCESS_TOKEN_PREFIX = 'sba_';

/**
 * Resolves who acts and on which calendar, once per request and only when an operation asks
 * (docs/api.md, Part 3, 33): an owner token acts for its one calendar; an access token acts for
 * its account, on the calendar the Slotbook-Calendar header names (the account's only one
 * without it), with the account's role there. Services ask this, never the headers.
 */
export class Auth {
  private resolved?: Promise<Acting>;
  private administered?: DataLoader<string, boolean>;

  constructor(
    private readonly stores: Stores,
    private readonly credentials: Credentials,
    private readonly now: () => Date,
  ) {}

  private acting(): Promise<Acting> {
    this.resolved ??= this.lookUp();
    return this.resolved;
  }

  /** The calendar acted on, or null without a (valid) token or a calendar the token may act on. */
  async ownerOrNull(): Promise<Owner | null> {
    const acting = await this.acting();
    if (acting.by === 'owner token') return acting.refusal ? null : acting.owner;
    if (acting.by === 'account') return acting.calendar?.owner ?? null;
    return null;
  }

  /** The calendar acted on: UNAUTHENTICATED without a valid token; the header's refusal (BAD_USER_INPUT, FORBIDDEN) with an access token. */
  async requireOwner(): Promise<Owner> {
    return (await this.requireCalendar()).owner;
  }

  /** The calendar acted on, which must be `ownerId`: FORBIDDEN for another one. */
  async requireOwnerOf(ownerId: string): Promise<Owner> {
    const owner = await this.requireOwner();
    if (owner.id !== ownerId) throw forbidden();
    return owner;
  }

  /**
   * The calendar acted on, by its OWNER: an owner token, or an account whose role there is
   * OWNER (docs/api.md, Part 3, 33: members, the owner token, the calendar's sources). FORBIDDEN
   * for an ADMIN.
   */
  async requireCalendarOwner(): Promise<Owner> {
    const { owner, role } = await this.requireCalendar();
    if (role !== CalendarRole.OWNER) throw forbidden('only an OWNER of this calendar may do this');
    return owner;
  }

  /**
   * For operations that name the calendar by argument (addCalendarMember, removeCalendarMember):
   * the Slotbook-Calendar header is ignored (docs/api.md, Part 3, details of 32-34). Passes for
   * that calendar's owner token or an account that is its OWNER; FORBIDDEN otherwise.
   */
  async requireOwnerRoleIn(calendarId: string): Promise<void> {
    const acting = await this.acting();
    if (acting.by === 'nobody') throw unauthenticated();
    if (acting.by === 'owner token') {
      if (acting.owner.id !== calendarId) throw forbidden();
      return;
    }
    const membership = calendarId === acting.calendar?.owner.id ? acting.calendar : await this.stores.accounts.membership(acting.account.id, calendarId);
    if (!membership) throw forbidden('the account is not a member of this calendar');
    if (membership.role !== CalendarRole.OWNER) throw forbidden('only an OWNER of this calendar may do this');
  }

  /**
   * The account of the access token, which must administer the team (docs/api.md, Part 3,
   * details of 35-39: team operations need no Slotbook-Calendar header): UNAUTHENTICATED without
   * a valid access token, NOT_FOUND for an unknown team, FORBIDDEN for an account that does not
   * administer it.
   */
  async requireTeamAdmin(teamId: string): Promise<Account> {
    const { account } = await this.requireAccount();
    const team = await this.stores.teams.findById(teamId);
    if (!team) throw notFound(`team ${JSON.stringify(teamId.slice(0, 64))} (teamId)`);
    if (!(await this.stores.teams.isAdmin(teamId, account.id))) throw forbidden('the account does not administer this team');
    return account;
  }

  /**
   * Whether the caller is an account administering the team; false without an access token.
   * Batched: the teams of one query (Account.teams with their members) are asked about in one
   * statement. Kept for the request, which is safe: no operation takes an administrator away, and
   * a team created later in the request has an id not asked about before.
   */
  async administers(teamId: string): Promise<boolean> {
    const acting = await this.acting();
    if (acting.by !== 'account') return false;
    const accountId = acting.account.id;
    this.administered ??= new DataLoader(async (teamIds: readonly string[]) => {
      const administered = await this.stores.teams.administeredAmong(accountId, teamIds);
      return teamIds.map((id) => administered.has(id));
    });
    return this.administered.load(teamId);
  }

  /** The account of the access token, or null without a valid one. */
  async accountOrNull(): Promise<Account | null> {
    const acting = await this.acting();
    return acting.by === 'account' ? acting.account : null;
  }

  /** The account of the access token and its session: UNAUTHENTICATED without a valid one. */
  async requireAccount(): Promise<{ account: Account; sessionId: string }> {
    const acting = await this.acting();
    if (acting.by !== 'account') throw unauthenticated('a valid access token is required (Authorization: Bearer <token>)');
    return acting;
  }

  /** The owner token was just rotated away: later operations of this request act without it. An access token keeps acting. */
  forgetOwner(): void {
    this.resolved = this.acting().then((acting) => (acting.by === 'owner token' ? NOBODY : acting));
  }

  /** This request's session just ended (logout, reset): its access token stops for the rest of the request too. */
  forgetSession(sessionId: string): void {
    this.resolved = this.acting().then((acting) => (acting.by === 'account' && acting.sessionId === sessionId ? NOBODY : acting));
  }

  /** Every session of the account just ended (resetPassword): its access token stops for the rest of the request too. */
  forgetAccount(accountId: string): void {
    this.resolved = this.acting().then((acting) => (acting.by === 'account' && acting.account.id === accountId ? NOBODY : acting));
  }

  private async requireCalendar(): Promise<{ owner: Owner; role: CalendarRole }> {
    const acting = await this.acting();
    if (acting.by === 'nobody') throw unauthenticated();
    if (acting.refusal) throw acting.refusal;
    if (acting.by === 'owner token') return { owner: acting.owner, role: CalendarRole.OWNER };
    return acting.calendar!;
  }

  private async lookUp(): Promise<Acting> {
    const { bearerToken, calendarId } = this.credentials;
    if (!bearerToken) return NOBODY;
    if (bearerToken.startsWith(ACCESS_TOKEN_PREFIX)) return this.lookUpAccount(bearerToken, calendarId);
    const owner = await this.stores.owners.findByTokenHash(hashToken(bearerToken));
    if (!owner || !tokenMatches(bearerToken, owner.tokenHash)) return NOBODY;
    // An owner token acts for its one calendar: a header naming another is a calendar it is no member of.
    const refusal = calendarId !== null && calendarId !== owner.id ? forbidden('an owner token acts only for its own calendar') : null;
    return { by: 'owner token', owner, refusal };
  }

  private async lookUpAccount(accessToken: string, calendarId: string | null): Promise<Acting> {
    if (calendarId !== null && (calendarId.length === 0 || calendarId.length > 64)) {
      const session = await this.stores.accounts.accessOf(hashToken(accessToken), this.now(), null);
      const refusal = badInput(CALENDAR_HEADER, 'must be the id of a calendar (Owner.id) the account is a member of');
      return session ? { by: 'account', account: session.account, sessionId: session.sessionId, calendar: null, refusal } : NOBODY;
    }
    const access = await this.stores.accounts.accessOf(hashToken(accessToken), this.now(), calendarId);
    if (!access) return NOBODY;
    const base = { by: 'account' as const, account: access.account, sessionId: access.sessionId };
    const [only, second] = access.memberships;
    if (only && !second) return { ...base, calendar: only, refusal: null };
    if (calendarId !== null) return { ...base, calendar: null, refusal: forbidden('the account is not a member of this calendar') };
    if (!only) return { ...base, calendar: null, refusal: forbidden('the account is a member of no calendar yet (createCalendar, claimCalendar)') };
    return { ...base, calendar: null, refusal: badInput(CALENDAR_HEADER, `required: the account is a member of several calendars; name one with the ${CALENDAR_HEADER} header`) };
  }
}

/** `Authorization: Bearer <token>` → token; anything else → null. */
export function bearerTokenFrom(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** The Slotbook-Calendar header's value, trimmed; null when absent. */
export function calendarIdFrom(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined ? null : value.trim();
}
