import type { TypedDocumentString } from '../generated/graphql';

/** Codes the pages explain in words (docs/api.md, Errors), plus NETWORK when no answer came. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'SLOT_UNAVAILABLE'
  | 'TOO_LATE'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK';

/** A failed operation, as the server's first error describes it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode | string,
    /** extensions.field of a BAD_USER_INPUT, e.g. `invitee.email`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/**
 * Who the owner page acts as (docs/api.md, Part 3, 33): an owner token, or an account's access
 * token on one of its calendars (owner/account-session.ts).
 */
export interface OwnerAuth {
  /** The same while the page acts as the same caller on the same calendar: what loads are keyed by. */
  readonly key: string;
  /** The headers of one request: Authorization, and Slotbook-Calendar for an account. */
  headers(): Promise<Record<string, string>>;
  /** After an UNAUTHENTICATED answer: gets a new access token (true) so the request is sent once more. */
  renew?(): Promise<boolean>;
}

/** An owner token as the page's credential (docs/api.md, Part 2, 22). */
export function ownerTokenAuth(token: string): OwnerAuth {
  return { key: token, headers: () => Promise.resolve({ authorization: `Bearer ${token}` }) };
}

/**
 * Runs one of the pages' typed operations against this server's /graphql as a POST (Apollo's
 * CSRF prevention accepts it: the JSON content type is no simple request), with the owner's
 * credential's headers when given.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: { auth?: OwnerAuth | null } = {},
): Promise<TResult> {
  const send = async () => postJson<TResult>('/graphql', { query: document.toString(), variables }, options.auth ? await options.auth.headers() : {});
  let body = await send();
  // An access token ended by another tab's refresh: one new token, one more try.
  if (body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' && options.auth?.renew && (await options.auth.renew())) body = await send();
  return dataOf(body);
}

/** POSTs `value` as JSON to this server and reads the JSON answer; NETWORK when none came. */
export async function postJson<TResult>(path: string, value: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse<TResult>> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) });
  } catch {
    throw new ApiError('The server could not be reached. Check your connection and try again.', 'NETWORK');
  }
  return bodyOf<TResult>(response);
}

async function bodyOf<TResult>(response: Response): Promise<GraphQLResponse<TResult>> {
  try {
    return (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw new ApiError(`The server answered ${response.status} without a readable body.`, 'NETWORK');
  }
}

export function dataOf<TResult>(body: GraphQLResponse<TResult>): TResult {
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.extensions?.field);
  if (!body.data) throw new ApiError('The server answered without data.', 'INTERNAL_SERVER_ERROR');
  return body.data;
}

/** Hex SHA-256 of a text, or null where the page has no Web Crypto (plain http on a non-local host). */
async function sha256Hex(text: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Runs a public read as an automatic persisted query over GET (README, Caching public reads): the
 * hash alone, and the query too only when the server does not know the hash yet. The server
 * answers with an ETag, and `no-cache` makes the browser send it back every time, so an unchanged
 * list costs a 304 and the page never shows a list older than the server's. Without Web Crypto it
 * falls back to a POST.
 */
export async function persistedGet<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const query = document.toString();
  const hash = await sha256Hex(query);
  if (!hash) return request(document, variables);
  const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
  const get = async (withQuery: boolean) => {
    const search = new URLSearchParams({ ...(withQuery ? { query } : {}), variables: JSON.stringify(variables), extensions });
    try {
      // apollo-require-preflight: Apollo's CSRF prevention takes a GET only with such a header.
      return await bodyOf<TResult>(await fetch(`/graphql?${search}`, { cache: 'no-cache', headers: { 'apollo-require-preflight': 'true' } }));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('The server could not be reached. Check your connection and try again.', 'NETWORK');
    }
  };
  const byHash = await get(false);
  return dataOf(byHash.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND' ? await get(true) : byHash);
}

/** A sentence for a person, for the errors every page can meet. */
export function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'SLOT_UNAVAILABLE':
      return 'Sorry, that time is no longer free. Please pick another time.';
    case 'TOO_LATE':
      return 'It is too close to the start to change this booking online. Please contact the host directly.';
    case 'RATE_LIMITED':
      return 'Too many attempts in a short time. Please wait a minute and try again.';
    case 'NOT_FOUND':
      return 'This was not found. The link may be incomplete or out of date.';
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return 'That token was not accepted.';
    case 'BAD_USER_INPUT':
      return error.message;
    case 'NETWORK':
      return error.message;
    default:
      return 'Something went wrong on the server. Please try again.';
  }
}

/**
 * A fresh key for one booking attempt (README: a random value per attempt, reused only to retry
 * it). getRandomValues works on plain http too, where crypto.randomUUID does not exist.
 */
export function newAttemptKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A BAD_USER_INPUT that names one of a form's inputs, said beside that input. */
export interface FieldProblem<K extends string> {
  input: K;
  message: string;
}

/**
 * Where a refusal belongs on a form: `inputs` maps the end of an `extensions.field` path (e.g.
 * `invitee.email` of `input.invitee.email`) to the form's input and its label. The message loses
 * the path the server puts first ("input.invitee.email: must be …") and names the label instead:
 * "Email must be a valid e-mail address." Null: no input of the form is named.
 */
export function fieldProblem<K extends string>(error: unknown, inputs: Readonly<Record<string, { input: K; label: string }>>): FieldProblem<K> | null {
  if (!(error instanceof ApiError) || error.code !== 'BAD_USER_INPUT' || !error.field) return null;
  const field = error.field;
  const match = Object.keys(inputs).find((suffix) => field === suffix || field.endsWith(`.${suffix}`));
  if (!match) return null;
  const { input, label } = inputs[match]!;
  const rule = error.message.startsWith(`${field}:`) ? error.message.slice(field.length + 1).trim() : error.message;
  const sentence = `${label} ${rule}`.replace(/[.\s]*$/, '.');
  return { input, message: sentence };
}
