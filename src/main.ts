import './node-env';
import 'reflect-metadata';
import pino from 'pino';
import { loadConfig, ConfigError, type AppConfig } from './config';
import { createApp } from './app';

/** Composition root: read config, build the app, listen, shut down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`slotbook: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel });
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    databasePoolSize: config.databasePoolSize,
    introspection: config.introspection,
    development: config.development,
    logger,
    queryLimits: config.queryLimits,
    corsOrigins: config.corsOrigins,
    rateLimits: config.rateLimits,
    trustProxy: config.trustProxy,
    subscriptions: config.subscriptions,
    webhooks: config.webhooks,
    emails: config.emails,
    calendarSources: config.calendarSources,
    httpCacheMaxAgeSeconds: config.httpCacheMaxAgeSeconds,
    publicUrl: config.publicUrl,
  }).catch((err: unknown) => exitExplaining(databaseProblem(err, config.databaseUrl), err));
  const { url } = await app.listen(config.port, config.host).catch(async (err: unknown) => {
    await app.close().catch(() => undefined);
    return exitExplaining(listenProblem(err, config), err);
  });
  // The pages share the API's origin (README, Pages): name where a newcomer starts.
  const origin = url.replace(/\/graphql$/, '');
  const ownerPage = `${origin}/owner`;
  logger.info(
    { url, ownerPage, bookingPages: `${origin}/book/<ownerId>`, sandbox: url, database: redactDatabaseUrl(config.databaseUrl) },
    `Slotbook ready at ${url} (Apollo Sandbox in a browser); your calendar: ${ownerPage}`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** DATABASE_URL without its user and password, for messages and logs. */
function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (!url.username && !url.password) return databaseUrl;
    url.username = '***';
    url.password = '';
    return url.toString();
  } catch {
    return databaseUrl.replace(/\/\/.*@/, '//***@');
  }
}

/** Why the error happened, for the codes of the system calls behind connecting and listening. */
const SYSTEM_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections at that host and port',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'no route to that host',
  ENETUNREACH: 'no route to that network',
  ENOTFOUND: 'no such host name',
  EAI_AGAIN: 'the host name cannot be resolved now',
  EADDRNOTAVAIL: 'not an address of this machine',
  EAFNOSUPPORT: 'this machine does not support that address family',
};

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown[] } | null;
  if (typeof e?.code === 'string') return e.code;
  // Node's AggregateError when every address of a host name refused: its parts carry the code.
  return Array.isArray(e?.errors) ? codeOf(e.errors[0]) : undefined;
}

/** The start-up failures a user fixes by changing DATABASE_URL or the database, in one line; null for anything else. */
function databaseProblem(err: unknown, databaseUrl: string): string | null {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; syscall?: unknown; path?: unknown };
  const code = codeOf(err);
  const where = `the database at DATABASE_URL ${redactDatabaseUrl(databaseUrl)}`;
  if (code && code in SYSTEM_ERRORS) return `cannot reach ${where}: ${code} (${SYSTEM_ERRORS[code]})`;
  if (e.name === 'KnexTimeoutError') return `cannot reach ${where}: no connection in time (${String(e.message)})`;
  // PostgreSQL's refusals: connection exceptions, authorization, unknown database, too many connections, shutting down.
  if (code && /^(08|28|3D|53|57P)[0-9A-Z]{2,3}$/.test(code)) return `cannot open ${where}: ${String(e.message)} (${code})`;
  if (code && /^SQLITE_(CANTOPEN|NOTADB|READONLY|PERM|CORRUPT|AUTH)$/.test(code)) return `cannot open ${where}: ${String(e.message)}`;
  // A SQLite file's folder that cannot be made or written: a file in its way, no permission, a read-only disk.
  if (typeof e.syscall === 'string' && typeof e.path === 'string') return `cannot open ${where}: ${String(e.message)}`;
  return null;
}

/** A refused listen() in one line naming PORT or HOST; null for anything else. */
function listenProblem(err: unknown, config: Pick<AppConfig, 'port' | 'host'>): string | null {
  const code = codeOf(err);
  if (code === 'EADDRINUSE') return `PORT ${config.port} is already in use on ${config.host} (EADDRINUSE); set PORT to a free port`;
  if (code === 'EACCES') return `PORT ${config.port} may not be listened on by this user (EACCES); set PORT to 1024 or above`;
  if (code && code in SYSTEM_ERRORS) {
    return `HOST "${config.host}" cannot be listened on (${code}: ${SYSTEM_ERRORS[code]}); set HOST to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`;
  }
  return null;
}

/** Prints the explained problem as one line and exits 1; an unexplained error goes on to the full report below. */
function exitExplaining(problem: string | null, err: unknown): never {
  if (problem === null) throw err;
  console.error(`slotbook: ${problem}`);
  process.exit(1);
}

main().catch((err: unknown) => {
  console.error('slotbook failed to start:', err);
  process.exit(1);
});
