import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import bodyParser from 'body-parser';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from '../shared/errors';
import { sendJson, sendRefusal } from './graphql-http';

/**
 * The owner page's session route (docs/api.md, Part 3, 34): POST /owner/session/<action> runs
 * the account mutation of that name and answers its result with the refresh token moved out of
 * the body into an HttpOnly, SameSite=Strict cookie scoped to this path, so no script of the page
 * ever holds it. The access token is answered in the body; the page keeps it in memory only.
 */
export const SESSION_PATH = '/owner/session';
/** The cookie holding the refresh token; sent back by the browser only to SESSION_PATH. */
export const REFRESH_COOKIE = 'slotbook_refresh';

const SESSION_FIELDS = 'accessToken accessExpiresAt refreshToken account { id email name }';

/** Each action: its mutation, and the body fields it takes as variables (strings only). */
const ACTIONS: Record<string, { query: string; fields: string[]; field: string }> = {
  register: { query: `mutation PageRegister($input: RegisterInput!) { register(input: $input) { ${SESSION_FIELDS} } }`, fields: ['email', 'password', 'name'], field: 'register' },
  login: { query: `mutation PageLogin($email: String!, $password: String!) { login(email: $email, password: $password) { ${SESSION_FIELDS} } }`, fields: ['email', 'password'], field: 'login' },
  refresh: { query: `mutation PageRefreshSession($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`, fields: [], field: 'refreshSession' },
  logout: { query: 'mutation PageLogout($refreshToken: String!) { logout(refreshToken: $refreshToken) }', fields: [], field: 'logout' },
  'reset-password': {
    query: `mutation PageResetPassword($token: String!, $password: String!) { resetPassword(token: $token, password: $password) { ${SESSION_FIELDS} } }`,
    fields: ['token', 'password'],
    field: 'resetPassword',
  },
};

const ACTION_PATH = /^\/owner\/session\/([a-z-]{1,20})$/;

export function isSessionPath(pathname: string): boolean {
  return ACTION_PATH.test(pathname);
}

/** One operation's outcome, as Apollo's executeOperation gives it. */
export interface ExecutedOperation {
  status: number;
  headers: Iterable<[string, string]>;
  data: Record<string, unknown> | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

export interface OwnerSessionOptions {
  /** Runs a mutation as /graphql would for this request (its client address, so login's rate limits apply). */
  execute(req: IncomingMessage, query: string, variables: Record<string, unknown>): Promise<ExecutedOperation>;
  /** PUBLIC_URL, when set: its origin is the page's, and an https one makes the cookie Secure. */
  publicUrl?: string;
  /** The app's clock, which accessExpiresAt was computed by. */
  now(): Date;
  logger: Logger;
}

/** Refresh tokens live 30 days (docs/accounts.md); the cookie no longer. */
const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export function ownerSessionHandler(options: OwnerSessionOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const readJson = bodyParser.json({ limit: '16kb', strict: true, type: () => true });
  return (req, res) => {
    res.setHeader('cache-control', 'no-store');
    const action = ACTIONS[ACTION_PATH.exec((req.url ?? '').split('?', 1)[0]!)?.[1] ?? ''];
    if (!action) return refuse(res, 404, ErrorCode.NotFound, 'not found: the session actions are register, login, refresh, logout and reset-password');
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'method not allowed: POST');
    }
    const secure = isSecure(req, options.publicUrl);
    // CSRF: SameSite=Strict keeps other sites' requests from carrying the cookie; the Origin check
    // refuses them even where a browser would, and a JSON body cannot be sent by a plain form.
    if (!sameOrigin(req, secure, options.publicUrl)) return refuse(res, 403, ErrorCode.Forbidden, 'forbidden: this route answers only the page of this server (Origin)');
    const contentType = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (contentType !== 'application/json') return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be JSON (Content-Type: application/json)');
    readJson(req, res, (err?: unknown) => {
      if (err) return sendRefusal(res, err, options.logger);
      const body = (req as IncomingMessage & { body?: unknown }).body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(res, 400, ErrorCode.BadUserInput, 'the body must be a JSON object');
      const values = body as Record<string, unknown>;
      const given: Record<string, unknown> = {};
      for (const field of action.fields) given[field] = values[field];
      const variables = action === ACTIONS.register ? { input: given } : action.fields.length ? given : { refreshToken: refreshTokenOf(req) ?? '' };
      void run(req, res, action.field, action.query, variables, secure).catch((failure: unknown) => sendRefusal(res, failure, options.logger));
    });
  };

  async function run(req: IncomingMessage, res: ServerResponse, field: string, query: string, variables: Record<string, unknown>, secure: boolean): Promise<void> {
    const outcome = await options.execute(req, query, variables);
    for (const [key, value] of outcome.headers) if (key.toLowerCase() === 'retry-after') res.setHeader(key, value);
    const answer = outcome.data?.[field];
    if (field === 'logout') {
      // Signed out whatever the answer: a spent or unknown token leaves nothing worth keeping.
      res.setHeader('set-cookie', refreshCookie('', secure, 0));
      return sendJson(res, outcome.status, outcome.errors?.length ? { errors: outcome.errors } : { data: { session: null } });
    }
    if (!answer || typeof answer !== 'object' || outcome.errors?.length) {
      // A refresh that failed means the cookie is wrong, spent or expired: it goes.
      if (field === 'refreshSession') res.setHeader('set-cookie', refreshCookie('', secure, 0));
      return sendJson(res, outcome.status, { errors: outcome.errors ?? [] });
    }
    const { refreshToken, ...session } = answer as { refreshToken: string; accessExpiresAt: string };
    res.setHeader('set-cookie', refreshCookie(refreshToken, secure, COOKIE_MAX_AGE_SECONDS));
    // Seconds left as well as the instant: the page's clock may differ from the server's.
    const accessExpiresIn = Math.max(0, Math.floor((Date.parse(session.accessExpiresAt) - options.now().getTime()) / 1000));
    sendJson(res, 200, { data: { session: { ...session, accessExpiresIn } } });
  }
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** The Set-Cookie value: HttpOnly, SameSite=Strict, Path=/owner/session, Secure over https; maxAge 0 clears it. */
export function refreshCookie(value: string, secure: boolean, maxAgeSeconds: number): string {
  return [`${REFRESH_COOKIE}=${value}`, `Path=${SESSION_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

/** The refresh token the request's cookie carries, or null. Tokens are URL-safe: no decoding needed. */
function refreshTokenOf(req: IncomingMessage): string | null {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = pair.split('=');
    if (name?.trim() === REFRESH_COOKIE) return rest.join('=').trim() || null;
  }
  return null;
}

/** Served over https: TLS here, an https PUBLIC_URL, or a proxy that says so. */
function isSecure(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',', 1)[0]?.trim().toLowerCase();
  return (req.socket as TLSSocket).encrypted === true || publicUrl?.startsWith('https://') === true || proto === 'https';
}

/** The Origin header names this server: PUBLIC_URL's origin, or the scheme and Host the request came to. */
function sameOrigin(req: IncomingMessage, secure: boolean, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false;
  if (publicUrl && origin === new URL(publicUrl).origin) return true;
  return req.headers.host !== undefined && origin === `${secure ? 'https' : 'http'}://${req.headers.host}`;
}
