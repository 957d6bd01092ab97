import type { DatabaseTarget } from './db/dialect';
import type { CorsOrigins } from './http/graphql-http';
import { DEFAULT_POOL_SIZE } from './db/database';
import { isIP } from 'node:net';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './graphql/query-limits';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limits';
import { compileTrustProxy, type TrustProxy } from './http/client-address';
import { DEFAULT_RETRY_DELAYS_MS } from './modules/webhook/dispatcher';
import { DEFAULT_EMAIL_OPTIONS, DEFAULT_EMAIL_RETRY_DELAYS_MS } from './modules/email/email.sender';
import type { EmailSettings } from './modules/email/email.content';
import { isEmail } from 'class-validator';
import { DEFAULT_HTTP_CACHE_MAX_AGE_SECONDS } from './graphql/http-cache';
import { DEFAULT_SUBSCRIPTION_LIMITS, type SubscriptionLimits } from './http/subscriptions';
import { DEFAULT_CALENDAR_SYNC_SECONDS } from './modules/calendar-source/calendar-sync';

/** The only reader of process.env: parses once at start and fails fast with a message that names the variable. */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  /** Most connections one process opens to PostgreSQL (SQLite always uses one). */
  databasePoolSize: number;
  introspection: boolean;
  /** NODE_ENV=development, set explicitly: stack traces in error responses. */
  development: boolean;
  logLevel: string;
  queryLimits: QueryLimits;
  corsOrigins: CorsOrigins;
  /** Per-client-address limits, on by default; RATE_LIMITS=off turns them all off. */
  rateLimits: RateLimits | 'off';
  trustProxy: TrustProxy;
  /** Live subscriptions over WebSocket (SUBSCRIPTION_* variables). */
  subscriptions: SubscriptionLimits;
  webhooks: WebhookConfig;
  /** SMTP_URL, MAIL_FROM, PUBLIC_URL, EMAIL_RETRY_DELAYS (docs/api.md, Part 3, 26-27), EMAIL_RENDER_THREADS. */
  emails: EmailSettings & { retryDelaysMs: number[]; renderThreads: number };
  /** HTTP_CACHE_MAX_AGE: seconds a cache may keep a public GET read without asking. */
  httpCacheMaxAgeSeconds: number;
  /** PUBLIC_URL: the origin links the server writes start with (a booking's .ics); unset: each request's own. */
  publicUrl?: string;
  calendarSources: CalendarSourceConfig;
}

/** CALENDAR_SYNC_SECONDS, CALENDAR_ALLOW_PRIVATE_URLS, SECRET_KEY (docs/api.md, Part 3, 30). */
export interface CalendarSourceConfig {
  /** How long after a successful sync a source is synced again. */
  everyMs: number;
  allowPrivateUrls: boolean;
  /** Seals sources' credentials; null: a key generated once and kept in the database (secret-key.ts). */
  secretKey: string | null;
}

/** WEBHOOK_*: how the dispatcher retries, and whether endpoints may be private addresses. */
export interface WebhookConfig {
  retryDelaysMs: number[];
  allowPrivateUrls: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/slotbook.sqlite';

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 4000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  return port;
}

/**
 * HOST: an IP address (IPv6 with or without brackets) or a host name, 127.0.0.1 when unset.
 * Whether this machine can listen there is only known at listen() (main.ts explains a refusal).
 */
export function parseHost(raw: string | undefined): string {
  const value = raw?.trim() ?? '';
  if (value === '') return '127.0.0.1';
  const unbracketed = /^\[(.*)\]$/.exec(value)?.[1] ?? value;
  if (isIP(unbracketed)) return unbracketed;
  const label = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i; // `_`: container names such as my_api
  if (value.length <= 253 && value.split('.').every((part) => label.test(part))) return value;
  throw new ConfigError(`HOST must be an IP address or a host name of this machine (e.g. 127.0.0.1, 0.0.0.0, ::, localhost), without scheme or port, got "${raw}"`);
}

function parsePositiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || !Number.isSafeInteger(value)) {
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/** GRAPHQL_MAX_* variables; each falls back to DEFAULT_QUERY_LIMITS (docs/operations.md lists them). */
function parseQueryLimits(env: NodeJS.ProcessEnv): QueryLimits {
  const d = DEFAULT_QUERY_LIMITS;
  return {
    maxDepth: parsePositiveInt('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, d.maxDepth),
    maxAliases: parsePositiveInt('GRAPHQL_MAX_ALIASES', env.GRAPHQL_MAX_ALIASES, d.maxAliases),
    maxTokens: parsePositiveInt('GRAPHQL_MAX_TOKENS', env.GRAPHQL_MAX_TOKENS, d.maxTokens),
    maxDirectives: parsePositiveInt('GRAPHQL_MAX_DIRECTIVES', env.GRAPHQL_MAX_DIRECTIVES, d.maxDirectives),
    maxCost: parsePositiveInt('GRAPHQL_MAX_COST', env.GRAPHQL_MAX_COST, d.maxCost),
    maxFreeSlotDays: parsePositiveInt('GRAPHQL_MAX_FREE_SLOT_DAYS', env.GRAPHQL_MAX_FREE_SLOT_DAYS, d.maxFreeSlotDays),
    maxFreeSlots: parsePositiveInt('GRAPHQL_MAX_FREE_SLOTS', env.GRAPHQL_MAX_FREE_SLOTS, d.maxFreeSlots),
  };
}

/**
 * SUBSCRIPTION_INIT_TIMEOUT_MS, SUBSCRIPTIONS_PER_CONNECTION, SUBSCRIPTIONS_PER_PROCESS,
 * SUBSCRIPTION_SOCKETS_PER_ADDRESS, SUBSCRIPTIONS_PER_ADDRESS, SUBSCRIPTION_RANGES_PER_OWNER,
 * SUBSCRIPTION_MAX_BUFFERED_BYTES, SQLITE_CHANGE_POLL_MS.
 */
function parseSubscriptionLimits(env: NodeJS.ProcessEnv): SubscriptionLimits {
  const d = DEFAULT_SUBSCRIPTION_LIMITS;
  return {
    initTimeoutMs: parsePositiveInt('SUBSCRIPTION_INIT_TIMEOUT_MS', env.SUBSCRIPTION_INIT_TIMEOUT_MS, d.initTimeoutMs),
    maxPerConnection: parsePositiveInt('SUBSCRIPTIONS_PER_CONNECTION', env.SUBSCRIPTIONS_PER_CONNECTION, d.maxPerConnection),
    maxPerProcess: parsePositiveInt('SUBSCRIPTIONS_PER_PROCESS', env.SUBSCRIPTIONS_PER_PROCESS, d.maxPerProcess),
    maxSocketsPerAddress: parsePositiveInt('SUBSCRIPTION_SOCKETS_PER_ADDRESS', env.SUBSCRIPTION_SOCKETS_PER_ADDRESS, d.maxSocketsPerAddress),
    maxPerAddress: parsePositiveInt('SUBSCRIPTIONS_PER_ADDRESS', env.SUBSCRIPTIONS_PER_ADDRESS, d.maxPerAddress),
    maxRangesPerOwner: parsePositiveInt('SUBSCRIPTION_RANGES_PER_OWNER', env.SUBSCRIPTION_RANGES_PER_OWNER, d.maxRangesPerOwner),
    maxBufferedBytes: parsePositiveInt('SUBSCRIPTION_MAX_BUFFERED_BYTES', env.SUBSCRIPTION_MAX_BUFFERED_BYTES, d.maxBufferedBytes),
    pollIntervalMs: parsePositiveInt('SQLITE_CHANGE_POLL_MS', env.SQLITE_CHANGE_POLL_MS, d.pollIntervalMs),
  };
}

/** RATE_LIMITS (on unless `off`) and RATE_LIMIT_* (positive integers; docs/operations.md lists them). */
function parseRateLimits(env: NodeJS.ProcessEnv): RateLimits | 'off' {
  const switched = env.RATE_LIMITS?.trim().toLowerCase() ?? '';
  if (switched === 'off') return 'off';
  if (switched !== '' && switched !== 'on') throw new ConfigError(`RATE_LIMITS must be on or off, got "${env.RATE_LIMITS}"`);
  const d = DEFAULT_RATE_LIMITS;
  return {
    createOwnerPerHour: parsePositiveInt('RATE_LIMIT_CREATE_OWNER_PER_HOUR', env.RATE_LIMIT_CREATE_OWNER_PER_HOUR, d.createOwnerPerHour),
    bookSlotPerMinute: parsePositiveInt('RATE_LIMIT_BOOK_PER_MINUTE', env.RATE_LIMIT_BOOK_PER_MINUTE, d.bookSlotPerMinute),
    manageTokenPerMinute: parsePositiveInt('RATE_LIMIT_MANAGE_TOKEN_PER_MINUTE', env.RATE_LIMIT_MANAGE_TOKEN_PER_MINUTE, d.manageTokenPerMinute),
    costPerMinute: parsePositiveInt('RATE_LIMIT_COST_PER_MINUTE', env.RATE_LIMIT_COST_PER_MINUTE, d.costPerMinute),
    accountCallsPerMinute: parsePositiveInt('RATE_LIMIT_ACCOUNT_PER_MINUTE', env.RATE_LIMIT_ACCOUNT_PER_MINUTE, d.accountCallsPerMinute!),
    accountCallsPerEmailPerMinute: parsePositiveInt('RATE_LIMIT_ACCOUNT_EMAIL_PER_MINUTE', env.RATE_LIMIT_ACCOUNT_EMAIL_PER_MINUTE, d.accountCallsPerEmailPerMinute!),
  };
}

/**
 * TRUST_PROXY (client-address.ts says what each form means): unset or `false` (nobody), a number
 * of proxy hops, or a comma-separated list of proxy addresses, CIDR ranges and the names
 * loopback, linklocal, uniquelocal. `true` is refused: it would believe whatever a client writes.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(false|0)$/i.test(value)) return false;
  if (/^true$/i.test(value)) {
    throw new ConfigError('TRUST_PROXY=true would believe any X-Forwarded-For a client writes; give the number of proxies in front of the server (e.g. 1) or their addresses (e.g. 10.0.0.0/8)');
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (!Number.isSafeInteger(hops)) throw new ConfigError(`TRUST_PROXY must be false, a number of proxy hops, or proxy addresses, got "${raw}"`);
    return hops;
  }
  const proxies = value.split(',').map((entry) => entry.trim());
  try {
    compileTrustProxy(proxies);
  } catch (err) {
    throw new ConfigError(`TRUST_PROXY must be false, a number of proxy hops, or comma-separated proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal): ${(err as Error).message} in "${raw}"`);
  }
  return proxies;
}

/** CORS_ORIGINS: `*` (the default), `none`, or a comma-separated list of origins such as https://app.example.com. */
export function parseCorsOrigins(raw: string | undefined): CorsOrigins {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '*') return '*';
  if (value === 'none') return 'none';
  return value.split(',').map((entry) => {
    const origin = entry.trim();
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS must be *, none or comma-separated origins like https://app.example.com (scheme, host, optional port; no path or trailing slash), got "${origin}"`);
    }
    return origin;
  });
}

/**
 * HTTP_CACHE_MAX_AGE: whole seconds from 0 to 3600; 0 makes caches ask every time (they still
 * get 304s). A cached slot list may show a slot taken in the last N seconds; bookSlot refuses it.
 */
export function parseHttpCacheMaxAge(raw: string | undefined): number {
  const value = raw?.trim() ?? '';
  if (value === '') return DEFAULT_HTTP_CACHE_MAX_AGE_SECONDS;
  if (!/^\d+$/.test(value) || Number(value) > 3600) throw new ConfigError(`HTTP_CACHE_MAX_AGE must be whole seconds from 0 to 3600, got "${raw}"`);
  return Number(value);
}

/** The origin a server listening on host:port answers at: emails' links without PUBLIC_URL (docs/api.md Part 3, 26). */
function localOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** PUBLIC_URL: an http(s) origin (scheme, host, optional port; no path), or unset. */
export function parsePublicUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim() ?? '';
  if (value === '') return undefined;
  let parsed: URL | null = null;
  try {
    parsed = new URL(value);
  } catch {
    parsed = null;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== value.replace(/\/$/, '')) {
    throw new ConfigError(`PUBLIC_URL must be an origin like https://book.example.com (scheme, host, optional port; no path), got "${raw}"`);
  }
  return parsed.origin;
}

/** The longest wait WEBHOOK_RETRY_DELAYS may name: a week, in seconds. */
const MAX_RETRY_DELAY_SECONDS = 7 * 24 * 3600;

/**
 * WEBHOOK_RETRY_DELAYS: a comma-separated list of seconds to wait after each failed attempt (a
 * delivery makes at most 1 + that many attempts), `none` for no retries; unset: the contract's
 * schedule, 5 s to 24 h. Fractions are allowed (tests wait 0.2 s).
 */
export function parseRetryDelays(raw: string | undefined, name = 'WEBHOOK_RETRY_DELAYS', fallback: readonly number[] = DEFAULT_RETRY_DELAYS_MS): number[] {
  const value = raw?.trim() ?? '';
  if (value === '') return [...fallback];
  if (value.toLowerCase() === 'none') return [];
  return value.split(',').map((entry) => {
    const text = entry.trim();
    const seconds = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || seconds > MAX_RETRY_DELAY_SECONDS) {
      throw new ConfigError(`${name} must be none or comma-separated seconds from 0 to ${MAX_RETRY_DELAY_SECONDS} (e.g. 5,300,1800), got "${raw}"`);
    }
    return Math.round(seconds * 1000);
  });
}

/** SMTP_URL: unset (emails recorded NOT_SENT, nothing sent) or smtp:// / smtps:// with a host. */
export function parseSmtpUrl(raw: string | undefined): string | null {
  const value = raw?.trim() ?? '';
  if (value === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !/^smtps?:$/.test(url.protocol) || !url.hostname) {
    // Never echoes the value: it may hold a password.
    throw new ConfigError('SMTP_URL must be smtp://user:password@host:port or smtps://user:password@host:port (or unset: emails are recorded, not sent)');
  }
  return value;
}

/** MAIL_FROM: `address` or `Name <address>`; unset: Slotbook <slotbook@localhost>. */
export function parseMailFrom(raw: string | undefined): string {
  const value = raw?.trim() ?? '';
  if (value === '') return 'Slotbook <slotbook@localhost>';
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1]?.trim() ?? value;
  if (/[\r\n]/.test(value) || !isEmail(address, { require_tld: false })) throw new ConfigError(`MAIL_FROM must be an address or Name <address>, got "${raw}"`);
  return value;
}

/** `sqlite:<file>` or `sqlite::memory:` (embedded), or `postgres://user:pass@host:port/db` (scale-out). */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const dbName = url.slice('sqlite:'.length);
    if (dbName === '') throw new ConfigError('DATABASE_URL sqlite: needs a file path or :memory:');
    return { dialect: 'sqlite', dbName };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL');
    }
    const dbName = decodeURIComponent(parsed.pathname.slice(1));
    if (!parsed.hostname || dbName === '' || dbName.includes('/')) {
      throw new ConfigError('DATABASE_URL postgres:// needs a host and a database name, e.g. postgres://slotbook:secret@127.0.0.1:5432/slotbook');
    }
    return { dialect: 'postgresql', clientUrl: url, dbName };
  }
  throw new ConfigError(
    `DATABASE_URL must start with sqlite: (e.g. ${DEFAULT_DATABASE_URL} or sqlite::memory:) or postgres://, got "${url.replace(/\/\/[^@/]*@/, '//***@')}"`,
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  parseDatabaseUrl(databaseUrl);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!/^(fatal|error|warn|info|debug|trace|silent)$/.test(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${logLevel}"`);
  }
  return {
    port: parsePort(env.PORT),
    host: parseHost(env.HOST),
    databaseUrl,
    databasePoolSize: parsePositiveInt('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, DEFAULT_POOL_SIZE),
    introspection: parseBoolean('GRAPHQL_INTROSPECTION', env.GRAPHQL_INTROSPECTION, true),
    development: env.NODE_ENV === 'development',
    logLevel,
    queryLimits: parseQueryLimits(env),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    rateLimits: parseRateLimits(env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    subscriptions: parseSubscriptionLimits(env),
    httpCacheMaxAgeSeconds: parseHttpCacheMaxAge(env.HTTP_CACHE_MAX_AGE),
    publicUrl: parsePublicUrl(env.PUBLIC_URL),
    emails: {
      smtpUrl: parseSmtpUrl(env.SMTP_URL),
      mailFrom: parseMailFrom(env.MAIL_FROM),
      publicUrl: parsePublicUrl(env.PUBLIC_URL) ?? localOrigin(parseHost(env.HOST), parsePort(env.PORT)),
      retryDelaysMs: parseRetryDelays(env.EMAIL_RETRY_DELAYS, 'EMAIL_RETRY_DELAYS', DEFAULT_EMAIL_RETRY_DELAYS_MS),
      renderThreads: env.EMAIL_RENDER_THREADS === '0' ? 0 : parsePositiveInt('EMAIL_RENDER_THREADS', env.EMAIL_RENDER_THREADS, DEFAULT_EMAIL_OPTIONS.renderThreads),
    },
    calendarSources: {
      everyMs: parsePositiveInt('CALENDAR_SYNC_SECONDS', env.CALENDAR_SYNC_SECONDS, DEFAULT_CALENDAR_SYNC_SECONDS) * 1000,
      allowPrivateUrls: parseBoolean('CALENDAR_ALLOW_PRIVATE_URLS', env.CALENDAR_ALLOW_PRIVATE_URLS, false),
      secretKey: env.SECRET_KEY ? env.SECRET_KEY : null,
    },
    webhooks: {
      retryDelaysMs: parseRetryDelays(env.WEBHOOK_RETRY_DELAYS),
      allowPrivateUrls: parseBoolean('WEBHOOK_ALLOW_PRIVATE_URLS', env.WEBHOOK_ALLOW_PRIVATE_URLS, false),
    },
  };
}
