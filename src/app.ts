import 'reflect-metadata';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import pino, { type Logger } from 'pino';
import { dialectOf, openDatabase, type Orm } from './common/database';
import { createFormatError } from './common/errors';
import { createRequestContext, type AppShared, type RequestContext } from './common/context';
import { FreeSlotCache } from './modules/availability/slot-cache';
import { bearerTokenFrom } from './common/auth';
import { DEFAULT_QUERY_LIMITS, queryLimitProtections, type QueryLimits } from './common/query-limits';
import { rejectNulCharactersPlugin } from './common/input-hygiene';
import { REQUEST_ID_HEADER, requestIdFrom, requestLogPlugin, requestScopedLogger, runWithRequestLogger } from './common/observability';
import { buildAppSchema } from './schema';
import { openReadConnection, openWriteConnection } from './common/hot-connections';
import { jitGateway } from './common/jit-executor';

export interface AppOptions {
  databaseUrl: string;
  /** Most PostgreSQL connections this process opens (DATABASE_POOL_SIZE). */
  databasePoolSize?: number;
  /** The app's clock; tests inject a fixed one so they never rot with the calendar. */
  now?: () => Date;
  introspection?: boolean;
  production?: boolean;
  logger?: Logger;
  /** Overrides of the GRAPHQL_MAX_* limits (tests use small ones). */
  queryLimits?: Partial<QueryLimits>;
}

/** The resolvers' context plus the request's child logger, whose every line carries the requestId. */
export type AppContext = RequestContext & { logger: Logger };

export interface App {
  orm: Orm;
  server: ApolloServer<AppContext>;
  httpServer: http.Server;
  logger: Logger;
  /** A request context as the HTTP layer would build it for this bearer token. */
  contextFor(bearerToken?: string | null, requestId?: string): AppContext;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

export const BODY_LIMIT = '1mb';

/** Builds schema, Apollo Server, HTTP app and database; main.ts and the tests both start here. */
export async function createApp(options: AppOptions): Promise<App> {
  const now = options.now ?? (() => new Date());
  const introspection = options.introspection ?? true;
  const logger = options.logger ?? pino({ level: 'silent' });
  const orm = await openDatabase(options.databaseUrl, { poolSize: options.databasePoolSize });
  // One of each per app, so apps in one process (tests) never share a cache or a connection.
  const shared: AppShared = {
    dialect: dialectOf(options.databaseUrl),
    slotCache: new FreeSlotCache(),
    reads: await openReadConnection(options.databaseUrl, orm.em),
    writes: await openWriteConnection(options.databaseUrl, orm.em),
  };
  const schema = await buildAppSchema();

  const expressApp = express();
  expressApp.disable('x-powered-by');
  // No ETag: GraphQL answers are POST responses that no cache revalidates, and hashing each body
  // (9 KB for a month of slots) cost ~2% of a freeSlots request's CPU.
  expressApp.disable('etag');
  const httpServer = http.createServer(expressApp);
  const limits = queryLimitProtections<AppContext>({ ...DEFAULT_QUERY_LIMITS, ...options.queryLimits });
  const server = new ApolloServer<AppContext>({
    gateway: jitGateway(schema),
    introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT: it drains HTTP, stops Apollo and closes the database in that order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(requestScopedLogger(logger), !options.production),
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      rejectNulCharactersPlugin<AppContext>(),
      requestLogPlugin<AppContext>(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Slotbook sets no cache hints; the default cache-control plugin would still wrap every
      // field's resolver (hundreds per freeSlots answer) to compute a policy nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      introspection ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await server.start();

  // Object.assign, not a spread: the context's EntityManager, Auth and loaders are getters that make them on first use.
  const contextFor = (bearerToken: string | null = null, requestId: string = randomUUID()): AppContext =>
    Object.assign(createRequestContext(orm.em, shared, bearerToken, now, requestId), { logger: logger.child({ requestId }) });

  expressApp.get('/health', async (_req, res) => {
    try {
      await orm.em.fork().getConnection().execute('select 1');
      res.json({ status: 'ok' });
    } catch (err) {
      logger.error({ err }, 'health check failed');
      res.status(503).json({ status: 'unavailable' });
    }
  });
  expressApp.use(
    '/graphql',
    (req, res, next) => {
      res.locals.requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, res.locals.requestId);
      next();
    },
    express.json({ limit: BODY_LIMIT }),
    // After the body is read, so the async context reaches Apollo's pipeline and formatError's log lines.
    (_req, res, next) => runWithRequestLogger(logger.child({ requestId: res.locals.requestId }), next),
    expressMiddleware(server, {
      context: async ({ req, res }) => contextFor(bearerTokenFrom(req.headers.authorization), res.locals.requestId as string),
    }),
  );
  // Refusals from express.json (body over the limit, malformed JSON) would otherwise reach
  // Express's default handler, which prints the stack trace and file paths to the client.
  expressApp.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const { status, expose, message } = err as { status?: unknown; expose?: unknown; message?: unknown };
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    if (!clientError) logger.error({ err }, 'unexpected HTTP error');
    res.status(clientError ? status : 500).json({
      errors: [
        clientError
          ? { message: expose === true && typeof message === 'string' ? message : 'bad request', extensions: { code: 'BAD_REQUEST' } }
          : { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
  });

  let closed = false;
  return {
    orm,
    server,
    httpServer,
    logger,
    contextFor,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolve({ port: actualPort, url: `http://${host}:${actualPort}/graphql` });
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      await shared.reads.close();
      await shared.writes.close();
      await orm.close(true);
    },
  };
}
