/**
 * Validators for public GET reads (issue 17): a GET query whose root fields are only the public
 * reads of owners (`freeSlots`, `owner`, `eventType`), asked without a token, answers with an
 * ETag and `Cache-Control: public, max-age=N`, so browsers and CDNs can keep it; a later GET of
 * the same URL with that ETag in If-None-Match gets 304 from the HTTP layer without the GraphQL
 * pipeline, after one cheap read of the owners' versions.
 *
 * What such an answer depends on, and so what its ETag is made of:
 * - the request itself: the URL's query string (the operation or its persisted-query hash, and
 *   the variables);
 * - each owner it names: its data version, which the database bumps on every change behind its
 *   slots (bookings, windows, exceptions, event types, zone and slot length), and its name;
 * - the time bucket: free slots drop out as the clock passes their start (and notice), so a
 *   validator holds for one minute of the app's clock at most.
 * The versions are read before the operation runs: a change committed while it runs leaves the
 * ETag older than the answer, so the next revalidation gets a fresh 200, never a stale 304.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { OwnerVersion as OwnerValidator } from '../modules/owner/owner.store';
import { fragmentsOf } from './query-limits';
import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';


export interface HttpCacheOptions<TContext extends BaseContext> {
  /** `Cache-Control: public, max-age=N` (HTTP_CACHE_MAX_AGE): how long a cache may answer without asking. */
  maxAgeSeconds: number;
  /** The app's clock (slots depend on it). */
  now: () => Date;
  /** The owners' current versions and names, in one cheap read; unknown ids are left out. */
  readOwners(ids: readonly string[]): Promise<OwnerValidator[]>;
  /** The same read for a request about to run, which may keep what it read for its resolvers. */
  readOwnersFor(context: TContext, ids: readonly string[]): Promise<OwnerValidator[]>;
}

/** How long a cache may keep a public GET answer without asking (HTTP_CACHE_MAX_AGE). */
export const DEFAULT_HTTP_CACHE_MAX_AGE_SECONDS = 15;

/** How long a validator holds at most: free slots change as the clock passes their start. */
export const TIME_BUCKET_MS = 60_000;

/** Most URLs whose validators one process remembers (oldest forgotten first). */
const MAX_ENTRIES = 5_000;

/** Root fields whose answers depend only on the owners they name (and the clock), with the argument naming each. */
const PUBLIC_ROOTS: Record<string, string> = { freeSlots: 'ownerId', owner: 'id', eventType: 'ownerId' };

interface Entry {
  etag: string;
  owners: OwnerValidator[];
  bucket: number;
  /** The answer's JSON, once the HTTP layer has it: a GET without If-None-Match is answered from it. */
  body?: string;
}

/** What a still-valid validator offers the HTTP layer. */
export interface ValidAnswer {
  etag: string;
  /** The JSON answer, when this process kept it. */
  body?: string;
}

/** Most bytes of answers one process keeps (oldest forgotten first). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Apollo's view of the parts of a request this module reads. */
interface CacheableRequest {
  http?: { method: string; search: string; headers: { get(name: string): string | undefined } };
  variables?: Record<string, unknown>;
}

export class HttpValidators<TContext extends BaseContext> {
  private readonly entries = new Map<string, Entry>();
  /** UTF-16 code units of the kept bodies, about their bytes for this JSON. */
  private bodyBytes = 0;
  /** The owners each request of this process is answered with, read before it runs. */
  private readonly pending = new WeakMap<TContext, { owners: OwnerValidator[]; bucket: number }>();

  constructor(readonly options: HttpCacheOptions<TContext>) {}

  /** `public, max-age=N`: what cacheable answers and 304s carry. */
  get cacheControl(): string {
    return `public, max-age=${this.options.maxAgeSeconds}`;
  }

  private bucket(): number {
    return Math.floor(this.options.now().getTime() / TIME_BUCKET_MS);
  }

  /** Whether this process holds a validator for `search` of this minute that a request could use. */
  has(search: string, ifNoneMatch: string | undefined): boolean {
    const entry = this.entries.get(search);
    return entry !== undefined && entry.bucket === this.bucket() && (ifNoneMatch ? matches(ifNoneMatch, entry.etag) : entry.body !== undefined);
  }

  /**
   * The ETag (and kept JSON) of the answer to `search`, when nothing it depends on moved since:
   * the request can be answered without GraphQL (304 for a matching If-None-Match, else 200 with
   * the kept JSON). Null otherwise: run it.
   */
  async stillValid(search: string): Promise<ValidAnswer | null> {
    const entry = this.entries.get(search);
    if (!entry || entry.bucket !== this.bucket()) return null;
    const owners = await this.options.readOwners(entry.owners.map((o) => o.id));
    return sameOwners(owners, entry.owners) ? { etag: entry.etag, body: entry.body } : null;
  }

  /** Keeps the JSON of an answer this process just gave with `etag`, for GETs of the same URL while it holds. */
  keepBody(search: string, etag: string, body: string): void {
    const entry = this.entries.get(search);
    if (!entry || entry.etag !== etag || entry.body !== undefined) return;
    entry.body = body;
    this.bodyBytes += body.length;
    for (const [key, old] of this.entries) {
      if (this.bodyBytes <= MAX_BODY_BYTES) break;
      this.forget(key, old);
    }
  }

  /** The Apollo plugin that reads the owners before a cacheable GET runs and marks its answer. */
  plugin(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ request, operation, document, contextValue }) => {
          if (!operation || !isPublicGet(request)) return;
          const ids = publicOwnerIds(operation, fragmentsOf(document), request.variables ?? {});
          if (!ids) return;
          const bucket = this.bucket();
          const owners = await this.options.readOwnersFor(contextValue, ids);
          // An unknown owner answers an error, which is not cached anyway.
          if (owners.length === ids.length) this.pending.set(contextValue, { owners, bucket });
        },
        willSendResponse: async ({ request, response, contextValue }) => {
          const read = this.pending.get(contextValue);
          if (!read || response.body.kind !== 'single' || response.body.singleResult.errors?.length || !request.http) return;
          const search = request.http.search;
          const etag = etagOf(search, read.owners, read.bucket);
          response.http.headers.set('etag', etag);
          response.http.headers.set('cache-control', this.cacheControl);
          // A cache must not hand this public answer to a request that carries a token.
          response.http.headers.set('vary', 'authorization');
          this.remember(search, { etag, ...read });
        },
      }),
    };
  }

  private remember(search: string, entry: Entry): void {
    const old = this.entries.get(search);
    if (old) this.forget(search, old);
    this.entries.set(search, entry);
    if (this.entries.size > MAX_ENTRIES) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.forget(oldestKey, oldest);
    }
  }

  private forget(search: string, entry: Entry): void {
    this.entries.delete(search);
    this.bodyBytes -= entry.body?.length ?? 0;
  }
}

/** A GET without a token: the only requests whose answers may be shared. */
function isPublicGet(request: CacheableRequest): boolean {
  return request.http?.method === 'GET' && !request.http.headers.get('authorization');
}

/** W/"…": the same request, owners' versions and names, and time bucket give the same tag in every process. */
export function etagOf(search: string, owners: readonly OwnerValidator[], bucket: number): string {
  const hash = createHash('sha256').update(search).update('\0');
  for (const owner of [...owners].sort((a, b) => (a.id < b.id ? -1 : 1))) hash.update(`${owner.id}\0${owner.dataVersion}\0${owner.name}\0`);
  return `W/"${hash.update(String(bucket)).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match holds `etag` (weak comparison, as RFC 9110 has for If-None-Match), or is `*`. */
export function matches(ifNoneMatch: string, etag: string): boolean {
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

function sameOwners(now: readonly OwnerValidator[], then: readonly OwnerValidator[]): boolean {
  if (now.length !== then.length) return false;
  const byId = new Map(now.map((o) => [o.id, o]));
  return then.every((o) => {
    const current = byId.get(o.id);
    return current !== undefined && current.dataVersion === o.dataVersion && current.name === o.name;
  });
}

/**
 * The owners a query names when every root field is a public read (PUBLIC_ROOTS, or
 * __typename) with its owner given as a string literal or variable; null when any is not, and
 * the answer must not be cached.
 */
export function publicOwnerIds(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, variables: Record<string, unknown>): string[] | null {
  if (operation.operation !== 'query') return null;
  const ids = new Set<string>();
  const visit = (selectionSet: SelectionSetNode, seen: Set<string>): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet, seen);
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) return false;
        return visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
      }
      const name = selection.name.value;
      if (name === '__typename') return true;
      const argument = PUBLIC_ROOTS[name];
      if (!argument) return false;
      const value = selection.arguments?.find((a) => a.name.value === argument)?.value;
      const id = value && stringOf(value, variables);
      if (id === null || id === undefined) return false;
      ids.add(id);
      return true;
    });
  return visit(operation.selectionSet, new Set()) && ids.size > 0 ? [...ids] : null;
}

function stringOf(value: ValueNode, variables: Record<string, unknown>): string | null {
  if (value.kind === Kind.STRING) return value.value;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'string' ? given : null;
  }
  return null;
}
