import 'reflect-metadata';
import http from 'node:http';
import { resolve as resolvePath } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import pino, { type Logger } from 'pino';
import { DEFAULT_POOL_SIZE, openDatabase, type Orm } from './db/database';
import { entities } from './modules/entities';
import { parseDatabaseUrl } from './config';
import { ErrorCode } from './shared/errors';
import { loggableError } from './shared/loggable-error';
import { createFormatError } from './graphql/format-error';
import { createRequestContext, type AppShared } from './graphql/context';
import type { RequestContext } from './modules/context';
import { FreeSlotCache } from './modules/slot/slot-cache';
import { bearerTokenFrom, calendarIdFrom, type Credentials } from './modules/auth';
import { DEFAULT_QUERY_LIMITS, queryLimitProtections, type QueryLimits } from './graphql/query-limits';
import { rejectNulCharactersPlugin } from './graphql/input-hygiene';
import { requestLogPlugin, requestScopedLogger } from './http/observability';
import { buildAppSchema } from './graphql/schema';
import type { CorsOrigins } from './http/graphql-http';
import { openReadConnection } from './db/connections';
import { openWriteConnection } from './db/write-connection';
import { jitGateway } from './graphql/jit-executor';
import { graphqlHttpHandler, sendJson } from './http/graphql-http';
import { DEFAULT_HTTP_CACHE_MAX_AGE_SECONDS, HttpValidators } from './graphql/http-cache';
import { createStores } from './modules/stores';
import { clientAddressResolver, clientKey, type TrustProxy } from './http/client-address';
import { calendarFeedHandler, isCalendarPath } from './http/calendar-feeds';
import { isPagePath, pagesHandler } from './http/pages';
import { isSessionPath, ownerSessionHandler } from './http/owner-session';
import { slotbookLandingPage } from './http/landing-page';
import { DEFAULT_DISPATCHER_OPTIONS, webhookDeliveries, type DispatcherOptions } from './modules/webhook/dispatcher';
import { Outbox, type OutboxKind } from './modules/outbox/outbox';
import { OutboxStore } from './modules/outbox/outbox.store';
import { DEFAULT_EMAIL_OPTIONS, emailDeliveries, type EmailOptions } from './modules/email/email.sender';
import { chargeCost, memoryRateLimiters, postgresRateLimiters, rateLimitPlugin, type RateLimits } from './http/rate-limits';
import { DEFAULT_SUBSCRIPTION_LIMITS, serveSubscriptions, type SubscriptionLimits } from './http/subscriptions';
import { LiveSlots } from './modules/live/live-slots';
import { openOwnerChangeFeed, type OwnerChanged } from './modules/live/change-feed';
import { answerValidUntil } from './modules/slot/answer-validity';
import { calendarSyncs, DEFAULT_CALENDAR_SYNC_OPTIONS, type CalendarSyncOptions } from './modules/calendar-source/calendar-sync';
import { secretBoxProvider } from './modules/calendar-source/secret-key';
import { calendarWrites, DEFAULT_CALENDAR_WRITE_OPTIONS, type CalendarWriteOptions } from './modules/calendar-write/calendar-writes';

export interface AppOptions {
  databaseUrl: string;
  /** Most PostgreSQL connections this process opens (DATABASE_POOL_SIZE). */
  databasePoolSize?: number;
  /** The app's clock; tests inject a fixed one so they never rot with the calendar. */
  now?: () => Date;
  introspection?: boolean;
  /** NODE_ENV=development: unexpected errors carry their stack trace to the client. Off otherwise. */
  development?: boolean;
  logger?: Logger;
  /** Overrides of the GRAPHQL_MAX_* limits (tests use small ones). */
  queryLimits?: Partial<QueryLimits>;
  /** Browser origins allowed to call /graphql (CORS_ORIGINS); any by default. */
  corsOrigins?: CorsOrigins;
  /** Per-client-address limits (RATE_LIMIT_*); off unless given, so tests opt in. main.ts passes the config's, on by default. */
  rateLimits?: RateLimits | 'off';
  /** Whose X-Forwarded-For names the client (TRUST_PROXY); nobody's by default. */
  trustProxy?: TrustProxy;
  /** Where the built pages are (`npm run build` writes dist/web/); served at /book/…, /manage/…, /owner. */
  pagesDirectory?: string;
  /** `Cache-Control: public, max-age=N` of public GET reads (HTTP_CACHE_MAX_AGE); 15 s by default. */
  httpCacheMaxAgeSeconds?: number;
  /** PUBLIC_URL: the origin of links the server writes (a booking's .ics); each request's own Host by default. */
  publicUrl?: string;
  /** The webhook dispatcher's settings (WEBHOOK_*); 'off': this process sends none (the outbox still fills). */
  webhooks?: Partial<DispatcherOptions> | 'off';
  /**
   * Emails (SMTP_URL, MAIL_FROM, PUBLIC_URL, EMAIL_RETRY_DELAYS): without smtpUrl they are recorded
   * NOT_SENT; 'off': this process settles none (the outbox still fills).
   */
  emails?: Partial<EmailOptions> | 'off';
  /** Overrides of the live subscriptions' limits (SUBSCRIPTION_*; tests use small ones). */
  subscriptions?: Partial<SubscriptionLimits>;
  /**
   * Calendar sources (CALENDAR_SYNC_SECONDS as everyMs, CALENDAR_ALLOW_PRIVATE_URLS, SECRET_KEY);
   * 'off': this process syncs none, in the background or on syncCalendarSource.
   */
  calendarSources?: (Partial<CalendarSyncOptions> & { secretKey?: string | null }) | 'off';
  /**
   * Bookings written back to CALDAV sources (docs/api.md, Part 3, 31); CALENDAR_ALLOW_PRIVATE_URLS
   * comes from calendarSources. 'off' (and, unless given, calendarSources 'off'): this process
   * writes none (the outbox still fills).
   */
  calendarWrites?: Partial<CalendarWriteOptions> | 'off';
}

/** The resolvers' context plus the request's child logger, whose every line carries the requestId. */
export type AppContext = RequestContext & { logger: Logger; clientAddress: string };

/** The client address of operations run in-process (contextFor), which share one rate-limit budget. */
export const IN_PROCESS_CLIENT = 'in-process';

export interface App {
  orm: Orm;
  server: ApolloServer<AppContext>;
  httpServer: http.Server;
  logger: Logger;
  /** A request context as the HTTP layer would build it for this bearer token (and Slotbook-Calendar header). */
  contextFor(bearerToken?: string | null, requestId?: string, calendarId?: string | null): AppContext;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  /** Live free slots (freeSlotsChanged): the subscriptions this process serves. */
  liveSlots: LiveSlots;
  /** The one outbox of this process (null when every kind is off); tests read what it holds. */
  outbox: Outbox | null;
  /** The validators of public GET reads (http-cache.ts); tests read what they hold. */
  validators: HttpValidators<AppContext>;
  /** Stops accepting, lets in-flight requests finish, closes WebSockets with 1001, closes the database. */
  close(): Promise<void>;
}

const BODY_LIMIT = '1mb';

/** Emails' defaults: recorded NOT_SENT (no SMTP_URL), from and linking to this machine. */
const DEFAULT_EMAIL_SETTINGS = { smtpUrl: null, mailFrom: 'Slotbook <slotbook@localhost>', publicUrl: 'http://127.0.0.1:4000' };

/** Where GraphQL is served: /graphql, with or without a trailing slash, in any case (as Express matched it). */
const GRAPHQL_PATH = /^\/graphql\/?$/i;

/** Opens Slotbook's database at DATABASE_URL's `databaseUrl` with every entity, migrated. */
export function openAppDatabase(databaseUrl: string, options: { poolSize?: number } = {}): Promise<Orm> {
  return openDatabase(parseDatabaseUrl(databaseUrl), { entities, ...options });
}

/** Builds schema, Apollo Server, HTTP app and database; main.ts and the tests both start here. */
export async function createApp(options: AppOptions): Promise<App> {
  const now = options.now ?? (() => new Date());
  const introspection = options.introspection ?? true;
  // Every line's `err` says what failed without the statement or values a driver error quotes.
  const logger = (options.logger ?? pino({ level: 'silent' })).child({}, { serializers: { err: loggableError } });
  const database = parseDatabaseUrl(options.databaseUrl);
  // On PostgreSQL one of DATABASE_POOL_SIZE's connections is live updates' LISTEN connection (change-feed.ts), opened beside the pool.
  const poolSize = database.dialect === 'postgresql' ? (options.databasePoolSize ?? DEFAULT_POOL_SIZE) - 1 : options.databasePoolSize;
  const orm = await openDatabase(database, { entities, poolSize });
  const webhookOptions = options.webhooks === 'off' ? null : { ...DEFAULT_DISPATCHER_OPTIONS, ...options.webhooks };
  const emailOptions: EmailOptions | null =
    options.emails === 'off' ? null : { ...DEFAULT_EMAIL_SETTINGS, ...DEFAULT_EMAIL_OPTIONS, ...options.emails };
  const { secretKey = null, ...syncOverrides } = options.calendarSources === 'off' ? {} : (options.calendarSources ?? {});
  const syncOptions: CalendarSyncOptions | null = options.calendarSources === 'off' ? null : { ...DEFAULT_CALENDAR_SYNC_OPTIONS, ...syncOverrides };
  const writeOptions: CalendarWriteOptions | null =
    options.calendarWrites === 'off' || (options.calendarSources === 'off' && options.calendarWrites === undefined)
      ? null
      : { ...DEFAULT_CALENDAR_WRITE_OPTIONS, allowPrivateUrls: syncOptions?.allowPrivateUrls ?? false, ...options.calendarWrites };
  // Both made below, once the stores exist; the request context reaches them through `shared`.
  let calendarSync: OutboxKind<any> | null = null;
  // One of each per app, so apps in one process (tests) never share a cache or a connection.
  const shared: AppShared = {
    dialect: database.dialect,
    slotCache: new FreeSlotCache(),
    reads: await openReadConnection(database, orm.em),
    writes: await openWriteConnection(database, orm.em),
    maxFreeSlots: options.queryLimits?.maxFreeSlots ?? DEFAULT_QUERY_LIMITS.maxFreeSlots,
    webhooks: { allowPrivateUrls: webhookOptions?.allowPrivateUrls ?? false, wake: () => outbox?.wake(), outboxNow: () => new Date() },
    emails: emailOptions ?? DEFAULT_EMAIL_SETTINGS,
    calendarSources: {
      allowPrivateUrls: syncOptions?.allowPrivateUrls ?? false,
      secretBox: () => secretBox(),
      jobNow: () => (calendarSync ? calendarSync.now() : now()),
      wake: () => outbox?.wake(),
      // Syncs off in this process: syncCalendarSource answers the source as it stands.
      attemptNow: async (id) => (outbox && calendarSync ? outbox.attemptNow(calendarSync.name, id) : false),
      leaseMs: (syncOptions ?? DEFAULT_CALENDAR_SYNC_OPTIONS).timeoutMs + 5_000,
    },
  };
  // Stores for the app's own work outside any request (the outbox, the HTTP validators' version
  // reads): every call forks its own EntityManager, and nothing is kept between calls.
  const appStores = createStores({ dialect: shared.dialect, reads: shared.reads, writes: shared.writes, slotCache: shared.slotCache, em: () => orm.em.fork() });
  const secretBox = secretBoxProvider(secretKey, (candidate) => appStores.calendarSources.storedSecretKey(candidate), logger);
  calendarSync =
    syncOptions &&
    calendarSyncs({ sources: appStores.calendarSources, busyIntervals: appStores.busyIntervals, secretBox, now, logger: logger.child({ component: 'calendar-sync' }) }, syncOptions);
  // One outbox per process for every side effect; each kind brings its sending and its pacing.
  const outboxKinds: OutboxKind<any>[] = [
    ...(webhookOptions ? [webhookDeliveries(appStores.webhooks, webhookOptions)] : []),
    ...(emailOptions ? [emailDeliveries(appStores.emails, emailOptions, now)] : []),
    ...(calendarSync ? [calendarSync] : []),
    ...(writeOptions ? [calendarWrites({ writes: appStores.calendarWrites, secretBox, now, logger: logger.child({ component: 'calendar-write' }) }, writeOptions)] : []),
  ];
  const paced = [webhookOptions, emailOptions, syncOptions, writeOptions].flatMap((o) => (o ? [o] : []));
  const outbox =
    outboxKinds.length === 0
      ? null
      : new Outbox(new OutboxStore({ dialect: shared.dialect, em: () => orm.em.fork() }), outboxKinds, logger.child({ component: 'outbox' }), {
          pollIntervalMs: Math.min(...paced.map((o) => o.pollIntervalMs)),
          stopGraceMs: Math.max(...paced.map((o) => o.stopGraceMs)),
        });
  const schema = await buildAppSchema();
  const rateLimits = options.rateLimits ?? 'off';
  const limiters =
    rateLimits === 'off' ? null : shared.dialect === 'postgresql' ? await postgresRateLimiters(rateLimits, orm.em.getConnection().getKnex()) : memoryRateLimiters(rateLimits);

  // Its request listener is attached once Apollo has started (below); nothing listens before listen().
  const httpServer = http.createServer();
  const queryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits };
  const limits = queryLimitProtections<AppContext>(queryLimits);
  const formatError = createFormatError(requestScopedLogger(logger), { exposeStack: options.development ?? false, hideSuggestions: !introspection });
  // Every committed change, whichever process made it (change-feed.ts): live updates recompute
  // from it, and the HTTP validators answer revalidations from it without a read.
  const subscriptionLimits = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...options.subscriptions };
  let reportChange: OwnerChanged = () => undefined;
  const changeFeed = await openOwnerChangeFeed(database, orm.em, { pollIntervalMs: subscriptionLimits.pollIntervalMs, onChange: (id) => reportChange(id), logger });
  // ETags and 304s for public GET reads (http-cache.ts): the owners' versions come off the hot read connection.
  const validators = new HttpValidators<AppContext>({
    maxAgeSeconds: options.httpCacheMaxAgeSeconds ?? DEFAULT_HTTP_CACHE_MAX_AGE_SECONDS,
    now,
    readOwners: (ids) => appStores.owners.versions(ids),
    readOwnersFor: (context, ids) => context.stores.owners.seedHeads(ids),
    validUntil: (context) => answerValidUntil(context),
    changes: changeFeed.clock,
  });
  const server = new ApolloServer<AppContext>({
    gateway: jitGateway(schema),
    introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT: it drains HTTP, stops Apollo and closes the database in that order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      ...(limiters ? [rateLimitPlugin<AppContext>(limiters)] : []),
      rejectNulCharactersPlugin<AppContext>(),
      validators.plugin(),
      requestLogPlugin<AppContext>(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Slotbook sets no cache hints; the default cache-control plugin would still wrap every
      // field's resolver (hundreds per freeSlots answer) to compute a policy nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      introspection ? slotbookLandingPage<AppContext>() : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await server.start();

  // Object.assign, not a spread: the context's Auth, loaders and stores are getters that make them on first use.
  const contextWith = (credentials: Credentials, requestId: string, requestLogger: Logger, clientAddress: string): AppContext =>
    Object.assign(createRequestContext(orm.em, shared, credentials, now, requestId), { logger: requestLogger, clientAddress });
  const contextFor = (bearerToken: string | null = null, requestId: string = randomUUID(), calendarId: string | null = null): AppContext =>
    contextWith({ bearerToken, calendarId }, requestId, logger.child({ requestId }), IN_PROCESS_CLIENT);
  // Who acts and for which calendar (docs/api.md, Part 3, 33): the bearer token and the Slotbook-Calendar header.
  const credentialsOf = (req: http.IncomingMessage, authorization = req.headers.authorization): Credentials => ({
    bearerToken: bearerTokenFrom(authorization),
    calendarId: calendarIdFrom(req.headers['slotbook-calendar']),
  });
  const clientAddressOf = clientAddressResolver(options.trustProxy ?? false);

  const health = async (res: http.ServerResponse): Promise<void> => {
    try {
      await orm.em.fork().getConnection().execute('select 1');
      sendJson(res, 200, { status: 'ok' });
    } catch (err) {
      logger.error({ err }, 'health check failed');
      sendJson(res, 503, { status: 'unavailable' });
    }
  };
  const serveGraphql = graphqlHttpHandler(server, {
    bodyLimit: BODY_LIMIT,
    corsOrigins: options.corsOrigins ?? '*',
    logger,
    validators,
    // The HTTP layer's child logger for the request, not a second one.
    context: (req, requestId, requestLogger) => contextWith(credentialsOf(req), requestId, requestLogger, clientAddressOf(req)),
  });
  // Live updates spend the same per-address query-cost budget as HTTP requests.
  const chargeLiveCost = limiters && ((address: string, points: number) => chargeCost(limiters, address, points));
  const liveSlots = await LiveSlots.open({
    openFeed: (onChange) => {
      reportChange = onChange;
      return Promise.resolve(changeFeed);
    },
    newContext: () => contextFor(null),
    limits: subscriptionLimits,
    addressKey: clientKey,
    chargeCost: chargeLiveCost,
    logger,
  });
  // WebSocket upgrades of /graphql: freeSlotsChanged (http/subscriptions.ts).
  const subscriptions = serveSubscriptions(httpServer, {
    schema,
    path: GRAPHQL_PATH,
    limits: subscriptionLimits,
    queryLimits,
    introspection,
    formatError,
    logger,
    clientAddress: clientAddressOf,
    chargeCost: chargeLiveCost,
    context: (req, connectionParams) => {
      const requestId = randomUUID();
      const authorization = typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : req.headers.authorization;
      return Object.assign(contextWith(credentialsOf(req, authorization), requestId, logger.child({ requestId }), clientAddressOf(req)), { liveSlots });
    },
  });
  // Calendar feeds take no bearer token: the secret in the path, or the manage token, is the credential.
  const serveCalendar = calendarFeedHandler({ context: () => contextFor(null), logger, limiters, clientAddress: clientAddressOf, publicUrl: options.publicUrl });
  // src/app.ts and dist/app.js both sit one folder below the package root.
  const servePages = pagesHandler({ directory: options.pagesDirectory ?? resolvePath(__dirname, '..', 'dist', 'web'), logger });
  // The owner page's sign-in: the account mutations with the refresh token in a cookie (owner-session.ts).
  const serveSession = ownerSessionHandler({
    publicUrl: options.publicUrl,
    now,
    logger,
    async execute(req, query, variables) {
      const requestId = randomUUID();
      const context = contextWith({ bearerToken: null, calendarId: null }, requestId, logger.child({ requestId }), clientAddressOf(req));
      const response = await server.executeOperation<Record<string, unknown>>({ query, variables }, { contextValue: context });
      const result = response.body.kind === 'single' ? response.body.singleResult : { data: null, errors: undefined };
      return { status: response.http.status ?? 200, headers: response.http.headers, data: result.data, errors: result.errors };
    },
  });
  // Routed by hand: /graphql, /health, the .ics feeds and the pages (graphql-http.ts says why there is no Express).
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (GRAPHQL_PATH.test(path)) serveGraphql(req, res);
    else if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) void health(res);
    else if (isCalendarPath(path)) void serveCalendar(req, res);
    else if (isSessionPath(path)) serveSession(req, res);
    else if (isPagePath(path)) void servePages(req, res);
    else sendJson(res, 404, { errors: [{ message: 'not found: GraphQL is served at /graphql', extensions: { code: ErrorCode.NotFound } }] });
  });

  // Every process sends what is due in the outbox, its own changes' and any other's.
  outbox?.start();

  let closed = false;
  return {
    orm,
    server,
    httpServer,
    logger,
    liveSlots,
    outbox,
    validators,
    contextFor,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolve({ port: actualPort, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/graphql` });
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Apollo's drain stops accepting and half-closes a keep-alive socket once its last
      // response is sent, then waits for the client to hang up, which a pooled client may leave
      // to the server's keep-alive timeout (5 s). Node's closeIdleConnections() ends every
      // socket with no request in flight; repeated until the drain is over, it also ends those
      // whose requests finish during it.
      const closeIdle = setInterval(() => httpServer.closeIdleConnections(), 20);
      try {
        // Before Apollo's drain, which would end a WebSocket's TCP connection without a close frame.
        await subscriptions.close();
        await server.stop();
      } finally {
        clearInterval(closeIdle);
      }
      await liveSlots.close();
      // After the drain, so changes committed by in-flight requests are in the outbox; before the database closes.
      await outbox?.stop();
      await shared.reads.close();
      await shared.writes.close();
      await orm.close(true);
    },
  };
}
