import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import cors from 'cors';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { HttpValidators } from '../graphql/http-cache';

/** What the HTTP layer asks of the validators: whether a revalidation can be answered 304. */
type Revalidator = Pick<HttpValidators<BaseContext>, 'has' | 'knownValid' | 'stillValid' | 'keepBody' | 'cacheControl'>;
import { matches, type ValidAnswer } from '../graphql/http-cache';
import { ErrorCode } from '../shared/errors';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestLogger } from './observability';

/**
 * Which browser origins may call /graphql from their pages: any ('*'), none (same origin only),
 * or exactly the listed ones. Any is safe as a default because credentials travel only in the
 * Authorization header, never in cookies a browser would attach by itself.
 */
export type CorsOrigins = '*' | 'none' | string[];

export interface GraphqlHttpOptions<TContext> {
  /** Largest JSON body accepted (body-parser's syntax, e.g. '1mb'); larger ones get 413. */
  bodyLimit: string;
  /** Browser origins that may call from their pages (see CorsOrigins). */
  corsOrigins: CorsOrigins;
  logger: Logger;
  /** The request's context; `requestLogger` is the logger's child for this request, already carrying its requestId. */
  context(req: IncomingMessage, requestId: string, requestLogger: Logger): TContext | Promise<TContext>;
  /** ETags of public GET reads: a matching If-None-Match is answered 304 without running GraphQL. */
  validators?: Revalidator;
}

/**
 * GraphQL over plain node:http, as Apollo's own startStandaloneServer serves it: body-parser reads
 * the JSON body and Apollo's executeHTTPGraphQLRequest does everything else (CSRF prevention,
 * GET, the Sandbox landing page, status codes). No router and no Express request and response
 * decoration run on the hot path, where they cost a good part of a cached freeSlots request's
 * CPU (bench/results/decisions.md).
 *
 * Every answer carries X-Request-Id. Body refusals (over the limit, malformed JSON, an unsupported
 * charset or encoding) answer in GraphQL's error shape and say nothing of internals. The cors
 * package answers preflights and marks answers for the allowed origins.
 */
export function graphqlHttpHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: GraphqlHttpOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const readJson = bodyParser.json({ limit: options.bodyLimit });
  const crossOrigin = corsFor(options.corsOrigins);
  return (req, res) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    crossOrigin(req, res, () => {
      const revalidation = options.validators && revalidationOf(req, options.validators);
      if (revalidation) {
        // What the change feed vouches for is answered at once; otherwise after a read of the versions.
        const known = options.validators!.knownValid(revalidation.search);
        if (known && sendFromValidator(options.validators!, revalidation.ifNoneMatch, known, res, options.logger, requestId, performance.now())) return;
        void answerFromValidator(options.validators!, revalidation, res, options.logger, requestId).then(
          (answered) => answered || serve(),
          (failure: unknown) => sendRefusal(res, failure, options.logger),
        );
        return;
      }
      serve();
    });
    function serve(): void {
      readJson(req, res, (err?: unknown) => {
        if (err) {
          sendRefusal(res, err, options.logger);
          return;
        }
        // Once the body is read, so the request's logger reaches Apollo's pipeline and formatError.
        const requestLogger = options.logger.child({ requestId });
        runWithRequestLogger(requestLogger, () =>
          answer(server, req, res, () => options.context(req, requestId, requestLogger), options.validators).catch((failure: unknown) => sendRefusal(res, failure, options.logger)),
        );
      });
    }
  };
}

/** A GET without a token for which this process holds a usable validator: its query string and If-None-Match. */
function revalidationOf(req: IncomingMessage, validators: Revalidator): { search: string; ifNoneMatch: string | undefined } | null {
  if (req.method !== 'GET' || req.headers.authorization || !passesCsrfPrevention(req)) return null;
  const search = searchOf(req);
  if (search === '') return null;
  const ifNoneMatch = req.headers['if-none-match'];
  return validators.has(search, ifNoneMatch) ? { search, ifNoneMatch } : null;
}

/** The request URL's query string with its `?` (what validators are kept by, and what Apollo reads a GET from), or ''. */
function searchOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query < 0 ? '' : url.slice(query);
}

/** Content types a browser sends without a preflight (Apollo's list). */
const SIMPLE_CONTENT_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * Apollo's CSRF prevention, which the pipeline applies to every GET, as the answers from
 * validators must too: a header a browser would preflight (apollo-require-preflight,
 * x-apollo-operation-name), or a content type that is not a simple one.
 */
function passesCsrfPrevention(req: IncomingMessage): boolean {
  if (req.headers['apollo-require-preflight'] !== undefined || req.headers['x-apollo-operation-name'] !== undefined) return true;
  const contentType = req.headers['content-type'];
  return contentType !== undefined && !SIMPLE_CONTENT_TYPES.has(contentType.split(';', 1)[0]!.trim().toLowerCase());
}

/**
 * Answers from the validator of this URL while it holds (http-cache.ts): 304 when If-None-Match
 * names its tag, else 200 with the JSON this process kept; after one read of the owners' versions
 * (the change feed did not vouch for them), and no GraphQL pipeline. Logged as the request log
 * plugin logs every answered request.
 */
async function answerFromValidator(
  validators: Revalidator,
  { search, ifNoneMatch }: { search: string; ifNoneMatch: string | undefined },
  res: ServerResponse,
  logger: Logger,
  requestId: string,
): Promise<boolean> {
  const started = performance.now();
  const valid = await validators.stillValid(search);
  return valid !== null && sendFromValidator(validators, ifNoneMatch, valid, res, logger, requestId, started);
}

/** Sends 304 or the kept JSON for a valid validator; false when neither applies (no kept JSON): run the request. */
function sendFromValidator(validators: Revalidator, ifNoneMatch: string | undefined, valid: ValidAnswer, res: ServerResponse, logger: Logger, requestId: string, started: number): boolean {
  const notModified = ifNoneMatch !== undefined && matches(ifNoneMatch, valid.etag);
  if (notModified) sendNotModified(res, valid.etag, validators.cacheControl);
  else if (valid.body !== undefined) sendKept(res, valid.etag, validators.cacheControl, valid.body);
  else return false;
  // No child logger: this path is the hottest there is, and the line is written only when info is on.
  if (!logger.isLevelEnabled('info')) return true;
  const status = notModified ? 304 : 200;
  logger.info({ requestId, operationName: null, operationType: 'query', durationMs: Math.round((performance.now() - started) * 100) / 100, outcome: notModified ? 'not modified' : 'ok (kept answer)', httpStatus: status }, 'graphql request');
  return true;
}

function sendKept(res: ServerResponse, etag: string, cacheControl: string, body: string): void {
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  setValidatorHeaders(res, etag, cacheControl);
  res.end(body);
}

/** What every answer with a validator carries (http-cache.ts sets the same on the pipeline's answers). */
function setValidatorHeaders(res: ServerResponse, etag: string, cacheControl: string): void {
  res.setHeader('etag', etag);
  res.setHeader('cache-control', cacheControl);
  res.setHeader('vary', 'authorization');
}

function sendNotModified(res: ServerResponse, etag: string, cacheControl: string): void {
  res.statusCode = 304;
  setValidatorHeaders(res, etag, cacheControl);
  res.end();
}

/**
 * Preflights are answered here (204) and cached by browsers for 10 minutes; X-Request-Id is
 * readable by the page, so a browser client can quote it. `none` adds no CORS headers at all:
 * browsers then keep other origins' pages from reading answers.
 */
function corsFor(origins: CorsOrigins): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  if (origins === 'none') return (_req, _res, next) => next();
  return cors({ origin: origins, methods: ['GET', 'POST'], exposedHeaders: [REQUEST_ID_HEADER], maxAge: 600 });
}

async function answer<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  context: () => Promise<TContext> | TContext,
  validators?: Revalidator,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const search = searchOf(req);
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search, body: req.body },
    context: async () => context(),
  });
  // An answer with validators: this process keeps its JSON for the next GET of the URL.
  const etag = response.headers.get('etag');
  if (etag && validators && response.body.kind === 'complete') validators.keepBody(search, etag, response.body.string);
  // The pipeline ran (this process had no validator for the URL, another may have made the
  // tag): a tag the client already holds still needs no body.
  const ifNoneMatch = req.headers['if-none-match'];
  if (etag && ifNoneMatch && (response.status ?? 200) === 200 && matches(ifNoneMatch, etag)) {
    sendNotModified(res, etag, response.headers.get('cache-control') ?? 'no-cache');
    return;
  }
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // end() with the whole body sets Content-Length (and sends no body to a HEAD request).
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Writes `value` as a JSON answer with `status`. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(body);
}

/**
 * A request refused outside GraphQL execution: body-parser's 4xx errors keep their status and,
 * where body-parser marks the message safe to show (`expose`), their message; anything else is
 * logged and answered as a bare 500.
 */
export function sendRefusal(res: ServerResponse, err: unknown, logger: Logger): void {
  const { status, expose, message } = (err ?? {}) as { status?: unknown; expose?: unknown; message?: unknown };
  const clientError = typeof status === 'number' && status >= 400 && status < 500;
  if (!clientError) logger.error({ err }, 'unexpected HTTP error');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, clientError ? status : 500, {
    errors: [
      clientError
        ? { message: expose === true && typeof message === 'string' ? message : 'bad request', extensions: { code: 'BAD_REQUEST' } }
        : { message: 'Internal server error', extensions: { code: ErrorCode.InternalServerError } },
    ],
  });
}
