import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from '../shared/errors';
import type { ErrorLogger } from '../graphql/format-error';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's own request id is kept when it is short and plain (so logs can be joined across services); else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,64}$/.test(value) ? value : randomUUID();
}

const requestLoggers = new AsyncLocalStorage<Logger>();

/** Runs the rest of an HTTP request with `logger` as the logger of whatever logs on its behalf. */
export function runWithRequestLogger<T>(logger: Logger, fn: () => T): T {
  return requestLoggers.run(logger, fn);
}

/** Logs through the current request's child logger (so the line carries its requestId), else through `fallback`. */
export function requestScopedLogger(fallback: Logger): ErrorLogger {
  return { error: (obj, msg) => (requestLoggers.getStore() ?? fallback).error(obj, msg) };
}

export interface LoggedContext {
  requestId: string;
  logger: Logger;
}

/**
 * One log line per GraphQL request (operation, duration, outcome, error codes), and the request
 * id on every masked INTERNAL_SERVER_ERROR so a user's report leads to the logged cause.
 */
export function requestLogPlugin<TContext extends LoggedContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName, operation }) {
          let codes: string[] = [];
          if (response.body.kind === 'single') {
            const result = response.body.singleResult as { errors?: readonly GraphQLFormattedError[] };
            if (result.errors?.length) {
              result.errors = result.errors.map((e) =>
                e.extensions?.code === ErrorCode.InternalServerError ? { ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } } : e,
              );
              codes = [...new Set(result.errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
            }
          }
          const outcome = codes.length === 0 ? 'ok' : codes.includes(ErrorCode.InternalServerError) ? 'failed' : 'refused';
          const line = {
            operationName: operationName ?? null,
            operationType: operation?.operation ?? null,
            durationMs: Math.round((performance.now() - started) * 100) / 100,
            outcome,
            ...(codes.length ? { errorCodes: codes } : {}),
            httpStatus: response.http.status ?? 200,
          };
          if (outcome === 'failed') contextValue.logger.error(line, 'graphql request');
          else contextValue.logger.info(line, 'graphql request');
        },
      };
    },
  };
}
