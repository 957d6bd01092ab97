import type http from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { ErrorCode } from '../shared/errors';
import { freeSlotCostError, queryLimitProtections, type QueryLimits } from '../graphql/query-limits';
import { nulCharacterError } from '../graphql/input-hygiene';
import { fragmentsOf } from '../graphql/query-limits';
import { clientKey } from './client-address';
import { operationCost } from './rate-limits';
import { rememberSelection, sharedSubscribe } from './shared-subscribe';

/** Ceilings on live subscriptions (SUBSCRIPTION_* and SUBSCRIPTIONS_* variables; README, Live updates). */
export interface SubscriptionLimits {
  /** How long a new socket may take to send connection_init before it is closed with 4408. */
  initTimeoutMs: number;
  /** Subscriptions one socket may hold at once. */
  maxPerConnection: number;
  /** Subscriptions one process serves at once, over all its sockets. */
  maxPerProcess: number;
  /** Sockets one client address (client-address.ts: TRUST_PROXY, an IPv6 /64 as one) may hold open at once. */
  maxSocketsPerAddress: number;
  /** Subscriptions one client address may hold at once, over all its sockets. */
  maxPerAddress: number;
  /** Distinct argument sets (range, event type, duration) one owner's subscriptions may follow: each is recomputed on every change of the owner. */
  maxRangesPerOwner: number;
  /** Bytes a socket may leave unsent (ws bufferedAmount) before it is dropped as too slow. */
  maxBufferedBytes: number;
  /** How often a process on SQLite looks for committed changes. */
  pollIntervalMs: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = {
  initTimeoutMs: 3_000,
  maxPerConnection: 10,
  maxPerProcess: 10_000,
  maxSocketsPerAddress: 20,
  maxPerAddress: 100,
  maxRangesPerOwner: 64,
  maxBufferedBytes: 4 * 1024 * 1024,
  pollIntervalMs: 200,
};

/** Most bytes of one message from a client (a subscribe with its query), as the HTTP body limit. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Longest wait for in-flight HTTP requests before the sockets are closed anyway (Apollo's drain grace). */
const HTTP_DRAIN_WAIT_MS = 10_000;
/** How long a socket has to answer our close frame before it is cut. */
const CLOSE_GRACE_MS = 1_000;
/** How often every socket's unsent bytes are looked at. */
const SLOW_READER_SWEEP_MS = 1_000;

export interface SubscriptionServerOptions<TContext> {
  schema: GraphQLSchema;
  /** Which request paths serve GraphQL (the HTTP path's own pattern). */
  path: RegExp;
  limits: SubscriptionLimits;
  queryLimits: QueryLimits;
  introspection: boolean;
  /** The app's one formatError: every error a client sees passes through it. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** The context of one subscription, as the HTTP layer builds a request's. */
  context(request: http.IncomingMessage, connectionParams: Readonly<Record<string, unknown>> | undefined): TContext;
  /** The client address of an upgrade request, as the HTTP layer sees a request's (TRUST_PROXY). */
  clientAddress(request: http.IncomingMessage): string;
  /** Charges query cost to a client address (rate-limits.ts chargeCost); null when rate limits are off. */
  chargeCost: ((clientAddress: string, points: number) => Promise<GraphQLError | null>) | null;
  logger: Logger;
}

export interface SubscriptionServer {
  /**
   * Refuses new sockets, waits for the HTTP requests in flight, then closes every socket with
   * 1001 (going away) and cuts those that do not answer.
   */
  close(): Promise<void>;
}

function refusal(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** graphql-js's own errors with the code Apollo gives them over HTTP. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, originalError: error.originalError, extensions: { ...error.extensions, code } });
}

/** Query texts parsed and validated, most recently used last: a thousand pages send the same few. */
const MAX_CACHED_DOCUMENTS = 500;
/** Longer texts are parsed every time: the cache's keys may not grow to hundreds of megabytes. */
const MAX_CACHED_QUERY_CHARS = 10_000;

/**
 * GraphQL subscriptions over WebSocket (the graphql-transport-ws protocol of `graphql-ws`) on the
 * HTTP server's own port and GraphQL path. An operation passes the same gates as over HTTP: the
 * token limit of the parser, the validation rules of the query limits, the NUL check, the
 * freeSlots range budget and formatError; only subscriptions are served here (queries and
 * mutations go over HTTP, where the rate limits and request logs are).
 */
export function serveSubscriptions<TContext extends object>(httpServer: http.Server, options: SubscriptionServerOptions<TContext>): SubscriptionServer {
  const { schema, limits, queryLimits, formatError, logger } = options;
  const rules = [
    ...specifiedRules,
    ...queryLimitProtections(queryLimits).validationRules,
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  /**
   * A reader that cannot keep up: what it has not read waits in this process's memory. graphql-ws
   * sends a subscription's next list only once the previous one is written out, and LiveSlots
   * keeps one list per subscription meanwhile, but a stalled reader would still hold those until
   * the keep-alive gives up on it; it is cut as soon as its unsent bytes pass the limit, checked
   * before every send and by a sweep over every socket (a stalled socket sends nothing more).
   */
  const dropIfSlow = (socket: WebSocket): void => {
    if (socket.bufferedAmount <= limits.maxBufferedBytes) return;
    logger.warn({ bufferedBytes: socket.bufferedAmount }, 'live updates: dropping a socket that reads too slowly');
    socket.terminate();
  };
  const sweep = setInterval(() => {
    for (const socket of wss.clients) dropIfSlow(socket);
  }, SLOW_READER_SWEEP_MS).unref();
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));
  // Documents are shared by every subscription that sent the same text, as Apollo's document cache shares them over HTTP.
  const documents = new Map<string, { document: DocumentNode } | { errors: GraphQLError[] }>();
  const parseAndValidate = (query: string): { document: DocumentNode } | { errors: GraphQLError[] } => {
    let parsed = documents.get(query);
    if (parsed) {
      documents.delete(query);
    } else {
      try {
        const document = parse(query, { maxTokens: queryLimits.maxTokens });
        const invalid = validate(schema, document, rules);
        parsed = invalid.length > 0 ? { errors: invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) } : { document };
      } catch (err) {
        parsed = { errors: [withCode(err instanceof GraphQLError ? err : new GraphQLError(String(err)), 'GRAPHQL_PARSE_FAILED')] };
      }
      if (query.length > MAX_CACHED_QUERY_CHARS) return parsed;
      if (documents.size >= MAX_CACHED_DOCUMENTS) documents.delete(documents.keys().next().value!);
    }
    documents.set(query, parsed);
    return parsed;
  };

  const server = useServer(
    {
      schema,
      subscribe: sharedSubscribe,
      connectionInitWaitTimeout: limits.initTimeoutMs,
      async onSubscribe(ctx, _id, payload) {
        // The one being subscribed is already counted.
        if (Object.keys(ctx.subscriptions).length > limits.maxPerConnection) {
          return [refusal(ErrorCode.RateLimited, `at most ${limits.maxPerConnection} subscriptions per connection (SUBSCRIPTIONS_PER_CONNECTION); complete one or open another connection`)];
        }
        const parsed = parseAndValidate(payload.query);
        if (!('document' in parsed)) return parsed.errors;
        const { document } = parsed;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [refusal('OPERATION_RESOLUTION_FAILURE', 'Unable to identify the operation: name it with operationName')];
        if (operation.operation !== 'subscription') {
          return [refusal('BAD_REQUEST', 'only subscriptions are served over WebSocket; send queries and mutations over HTTP POST or GET')];
        }
        const variables = payload.variables ?? {};
        // Coerced here, as Apollo does over HTTP before executing: a bad or missing variable is the
        // client's BAD_USER_INPUT with graphql-js's message, not an error of the event stream.
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
        if (coerced.errors) return coerced.errors.map((e) => withCode(e, ErrorCode.BadUserInput));
        const refused = nulCharacterError(document, variables) ?? freeSlotCostError(schema, document, operation, variables, queryLimits.maxFreeSlotDays);
        if (refused) return [refused];
        // A subscribe costs what the same operation costs over HTTP (its first list is the same
        // work); each recomputation sent to it is charged by LiveSlots.
        const overBudget = await options.chargeCost?.(options.clientAddress(ctx.extra.request), operationCost({ schema, operation, fragments: fragmentsOf(document), variables }));
        if (overBudget) return [overBudget];
        const contextValue = options.context(ctx.extra.request, ctx.connectionParams);
        rememberSelection(contextValue, document, payload.operationName, variables);
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: variables, contextValue };
        return args;
      },
      onNext(ctx, _id, _payload, _args, result) {
        dropIfSlow(ctx.extra.socket);
        const sent = result.errors ? { ...result, errors: format(result.errors) } : { ...result };
        // graphql-ws's loop holds the result it was handed until the next one comes, which would
        // keep every subscription's last list (about 100 KiB for 90 days of hourly slots); the
        // copy sent above is let go once written. sharedSubscribe gives each subscription a result
        // object of its own, so emptying it takes nothing from another.
        delete (result as { data?: unknown }).data;
        return sent;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );

  let stopping = false;
  let inFlight = 0;
  const countRequest = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    res.once('close', () => inFlight--);
  };
  /** Open sockets per client key, counted from the upgrade request until the TCP socket closes. */
  const socketsByAddress = new Map<string, number>();
  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (stopping || !options.path.test(path)) {
      socket.end(`HTTP/1.1 ${stopping ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const key = clientKey(options.clientAddress(req));
    const open = socketsByAddress.get(key) ?? 0;
    if (open >= limits.maxSocketsPerAddress) {
      const body = JSON.stringify({ errors: [{ message: `at most ${limits.maxSocketsPerAddress} live-update sockets per client address (SUBSCRIPTION_SOCKETS_PER_ADDRESS); close one first`, extensions: { code: ErrorCode.RateLimited } }] });
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    socketsByAddress.set(key, open + 1);
    socket.once('close', () => {
      const left = (socketsByAddress.get(key) ?? 1) - 1;
      if (left > 0) socketsByAddress.set(key, left);
      else socketsByAddress.delete(key);
    });
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  httpServer.on('request', countRequest);
  httpServer.on('upgrade', upgrade);

  return {
    async close() {
      if (stopping) return;
      stopping = true;
      clearInterval(sweep);
      const deadline = Date.now() + HTTP_DRAIN_WAIT_MS;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      // graphql-ws closes every socket with 1001; one that never answers is cut after the grace.
      const cut = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await server.dispose();
      } finally {
        clearTimeout(cut);
        httpServer.off('request', countRequest);
        httpServer.off('upgrade', upgrade);
      }
    },
  };
}

