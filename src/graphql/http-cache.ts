/**
 * Validators for public GET reads (issue 17): a GET query whose root fields are only the public
 * reads of owners (`freeSlots`, `owner`, `eventType`), asked without a token, answers with an
 * ETag and `Cache-Control: public, max-age=N`, so browsers and CDNs can keep it; a later GET of
 * the same URL with that ETag in If-None-Match gets 304 from the HTTP layer without the GraphQL
 * pipeline, and one without it the kept JSON.
 *
 * What such an answer depends on, and so what its ETag is made of:
 * - the request itself: the URL's query string (the operation or its persisted-query hash, and
 *   the variables);
 * - each owner it names: its data version, which the database bumps on every change behind its
 *   slots and public fields (bookings, windows, exceptions, event types, zone, slot length, name);
 * - the clock, only as far as the answer shows it: free slots drop out as the clock passes their
 *   start (and notice) and enter as a horizon moves, so the answer holds until an instant the
 *   slot service computes (answerValidUntil, the engine's cutListValidUntil), and that instant
 *   is in the tag. A page polling an unchanged month gets 304s until its first slot passes.
 * The versions are read before the operation runs: a change committed while it runs leaves the
 * ETag older than the answer, so the next revalidation gets a fresh 200, never a stale 304.
 *
 * Revalidations are answered from what this process knows without a read while the change feed
 * (modules/live) is current: it hears of every committed change, LISTEN/NOTIFY on PostgreSQL, the
 * SQLite poll of PRAGMA data_version. A kept answer stands while no change of its owners was
 * reported since it was last checked; when the feed is not known to be current (its connection is
 * down, its poll late) the owners' versions are read, as before. A change made in another process
 * so reaches these answers within the feed's delay (milliseconds on PostgreSQL, the poll interval
 * SQLITE_CHANGE_POLL_MS on SQLite), well within max-age; a mutation answered by this process voids
 * every kept check at once, so a client reads its own writes.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { OwnerVersion as OwnerValidator } from '../modules/owner/owner.store';
import type { OwnerChangeClock } from '../modules/live/change-log';
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
  /** Until when a request's answer holds with only the clock moving (ms; Infinity: for ever). */
  validUntil(context: TContext): number;
  /** What the change feed has heard, to answer without reading the versions; absent: always read them. */
  changes?: OwnerChangeClock;
  /** Most bytes of URLs, validators and kept answers one process holds (oldest forgotten first). */
  maxBytes?: number;
}

/** How long a cache may keep a public GET answer without asking (HTTP_CACHE_MAX_AGE). */
export const DEFAULT_HTTP_CACHE_MAX_AGE_SECONDS = 15;

/** Most bytes of URLs, validators and kept answers one process holds by default. */
export const DEFAULT_HTTP_CACHE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * What an entry costs besides its strings: the Map slot, the entry and owner objects, the ETag.
 * Strings are counted at two bytes a code unit (V8 keeps some at one; two never undercounts).
 */
const ENTRY_OVERHEAD_BYTES = 256;
const OWNER_OVERHEAD_BYTES = 96;

/** Root fields whose answers depend only on the owners they name (and the clock), with the argument naming each. */
const PUBLIC_ROOTS: Record<string, string> = { freeSlots: 'ownerId', owner: 'id', eventType: 'ownerId' };

interface Entry {
  etag: string;
  owners: OwnerValidator[];
  ownerIds: string[];
  /** The app clock's instant from which the answer may read differently (ms). */
  validUntil: number;
  /** The change feed's mark taken before the owners were last read; null: read them next time. */
  checkedAt: number | null;
  /** The answer's JSON, once the HTTP layer has it: a GET without If-None-Match is answered from it. */
  body?: string;
  /** What this entry counts against maxBytes. */
  bytes: number;
}

/** What a still-valid validator offers the HTTP layer. */
export interface ValidAnswer {
  etag: string;
  /** The JSON answer, when this process kept it. */
  body?: string;
}

/** Apollo's view of the parts of a request this module reads. */
interface CacheableRequest {
  http?: { method: string; search: string; headers: { get(name: string): string | undefined } };
  variables?: Record<string, unknown>;
}

function entryBytes(search: string, entry: Omit<Entry, 'bytes'>): number {
  let bytes = ENTRY_OVERHEAD_BYTES + 2 * (search.length + entry.etag.length + (entry.body?.length ?? 0));
  for (const owner of entry.owners) bytes += OWNER_OVERHEAD_BYTES + 4 * owner.id.length + 2 * owner.name.length;
  return bytes;
}

export class HttpValidators<TContext extends BaseContext> {
  private readonly entries = new Map<string, Entry>();
  private heldBytes = 0;
  private versionReads = 0;
  /** The owners each request of this process is answered with, read before it runs. */
  private readonly pending = new WeakMap<TContext, { owners: OwnerValidator[]; checkedAt: number | null }>();

  constructor(readonly options: HttpCacheOptions<TContext>) {}

  /** `public, max-age=N`: what cacheable answers and 304s carry. */
  get cacheControl(): string {
    return `public, max-age=${this.options.maxAgeSeconds}`;
  }

  /** Bytes held now by URLs, validators and kept answers (at most maxBytes). */
  get bytesHeld(): number {
    return this.heldBytes;
  }

  /** URLs this process holds validators for. */
  get size(): number {
    return this.entries.size;
  }

  /** Reads of owners' versions made so far to revalidate kept entries (not those of requests that run). */
  get revalidationReads(): number {
    return this.versionReads;
  }

  private get maxBytes(): number {
    return this.options.maxBytes ?? DEFAULT_HTTP_CACHE_MAX_BYTES;
  }

  /** Whether this process holds a validator for `search`, still valid by the clock, that a request could use. */
  has(search: string, ifNoneMatch: string | undefined): boolean {
    const entry = this.entries.get(search);
    return entry !== undefined && this.options.now().getTime() < entry.validUntil && (ifNoneMatch ? matches(ifNoneMatch, entry.etag) : entry.body !== undefined);
  }

  /**
   * The ETag (and kept JSON) of the answer to `search`, when nothing it depends on moved since:
   * the request can be answered without GraphQL (304 for a matching If-None-Match, else 200 with
   * the kept JSON). Null otherwise: run it. No read while the change feed vouches for the owners.
   */
  async stillValid(search: string): Promise<ValidAnswer | null> {
    const known = this.knownValid(search);
    if (known !== undefined) return known;
    const entry = this.entries.get(search)!;
    const changes = this.options.changes;
    const mark = changes?.mark() ?? null;
    this.versionReads++;
    const owners = await this.options.readOwners(entry.ownerIds);
    if (!sameOwners(owners, entry.owners)) return null;
    entry.checkedAt = mark;
    return { etag: entry.etag, body: entry.body };
  }

  /**
   * stillValid's answer when it needs no read (the hot path of a 304, answered without a promise):
   * the entry, or null when there is none or the clock moved past it; undefined when the owners'
   * versions must be read because the change feed does not vouch for them.
   */
  knownValid(search: string): ValidAnswer | null | undefined {
    const entry = this.entries.get(search);
    if (!entry || this.options.now().getTime() >= entry.validUntil) return null;
    const changes = this.options.changes;
    if (changes && entry.checkedAt !== null && !changes.changedSince(entry.checkedAt, entry.ownerIds)) return entry;
    return undefined;
  }

  /** Keeps the JSON of an answer this process just gave with `etag`, for GETs of the same URL while it holds. */
  keepBody(search: string, etag: string, body: string): void {
    const entry = this.entries.get(search);
    if (!entry || entry.etag !== etag || entry.body !== undefined) return;
    entry.body = body;
    this.resize(search, entry);
  }

  /** The Apollo plugin that reads the owners before a cacheable GET runs and marks its answer. */
  plugin(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ request, operation, document, contextValue }) => {
          if (!operation || !isPublicGet(request)) return;
          const ids = publicOwnerIds(operation, fragmentsOf(document), request.variables ?? {});
          if (!ids) return;
          const checkedAt = this.options.changes?.mark() ?? null;
          const owners = await this.options.readOwnersFor(contextValue, ids);
          // An unknown owner answers an error, which is not cached anyway.
          if (owners.length === ids.length) this.pending.set(contextValue, { owners, checkedAt });
        },
        willSendResponse: async ({ request, response, contextValue, operation }) => {
          // A write of this process: what was checked before it no longer vouches for anything.
          if (operation?.operation === 'mutation') this.options.changes?.committedHere();
          const read = this.pending.get(contextValue);
          if (!read || response.body.kind !== 'single' || response.body.singleResult.errors?.length || !request.http) return;
          const search = request.http.search;
          const validUntil = this.options.validUntil(contextValue);
          // -Infinity (UNCACHEABLE_ANSWER): the answer depends on owners the arguments do not name.
          if (validUntil === -Infinity) return;
          const etag = etagOf(search, read.owners, validUntil);
          response.http.headers.set('etag', etag);
          response.http.headers.set('cache-control', this.cacheControl);
          // A cache must not hand this public answer to a request that carries a token.
          response.http.headers.set('vary', 'authorization');
          this.remember(search, { etag, owners: read.owners, ownerIds: read.owners.map((o) => o.id), validUntil, checkedAt: read.checkedAt });
        },
      }),
    };
  }

  private remember(search: string, fields: Omit<Entry, 'bytes'>): void {
    const old = this.entries.get(search);
    if (old) this.forget(search, old);
    const entry: Entry = { ...fields, bytes: 0 };
    this.entries.set(search, entry);
    this.resize(search, entry);
  }

  /** Counts the entry anew, then forgets the oldest entries (this one last) while past the bound. */
  private resize(search: string, entry: Entry): void {
    this.heldBytes -= entry.bytes;
    entry.bytes = entryBytes(search, entry);
    this.heldBytes += entry.bytes;
    for (const [key, old] of this.entries) {
      if (this.heldBytes <= this.maxBytes) break;
      this.forget(key, old);
    }
  }

  private forget(search: string, entry: Entry): void {
    this.entries.delete(search);
    this.heldBytes -= entry.bytes;
  }
}

/** A GET without a token: the only requests whose answers may be shared. */
function isPublicGet(request: CacheableRequest): boolean {
  return request.http?.method === 'GET' && !request.http.headers.get('authorization');
}

/** W/"…": the same request, owners' versions and names, and instant of validity give the same tag in every process. */
export function etagOf(search: string, owners: readonly OwnerValidator[], validUntil: number): string {
  const hash = createHash('sha256').update(search).update('\0');
  for (const owner of [...owners].sort((a, b) => (a.id < b.id ? -1 : 1))) hash.update(`${owner.id}\0${owner.dataVersion}\0${owner.name}\0`);
  return `W/"${hash.update(String(validUntil)).digest('base64url').slice(0, 27)}"`;
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
