import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';

/** Every code a client can see in `extensions.code` (../shared/API.md, Errors). */
export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  SlotUnavailable = 'SLOT_UNAVAILABLE',
  InternalServerError = 'INTERNAL_SERVER_ERROR',
}

/** A failure the client caused or may see; services throw these, formatError turns them into GraphQL errors. */
export class DomainError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, ErrorCode.InternalServerError>,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Invalid argument: the message names the field and the rule it broke. */
export const badInput = (field: string, rule: string): DomainError =>
  new DomainError(ErrorCode.BadUserInput, `${field}: ${rule}`, field);

export const notFound = (what: string): DomainError => new DomainError(ErrorCode.NotFound, `${what} not found`);
export const unauthenticated = (): DomainError =>
  new DomainError(ErrorCode.Unauthenticated, 'a valid owner token is required (Authorization: Bearer <token>)');
export const forbidden = (): DomainError => new DomainError(ErrorCode.Forbidden, 'this belongs to another owner');
export const slotUnavailable = (why: string): DomainError => new DomainError(ErrorCode.SlotUnavailable, why);

/** Thrown by scalar parsers; graphql-js wraps it, formatError recognises it and reports BAD_USER_INPUT. */
export class ScalarParseError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.BadUserInput } });
    this.name = 'ScalarParseError';
  }
}

const knownCodes = new Set<string>(Object.values(ErrorCode));

function describeValidationErrors(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((rule) => `${path}: ${rule}`);
    return [...own, ...describeValidationErrors(e.children ?? [], path)];
  });
}

export interface ErrorLogger {
  error(obj: unknown, msg?: string): void;
}

/**
 * The one place that decides what a client sees of a failure: domain errors keep their code,
 * GraphQL's own input errors become BAD_USER_INPUT, anything else is masked and logged.
 */
export function createFormatError(logger: ErrorLogger, exposeStack: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof DomainError) {
      return { ...base, message: original.message, extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) } };
    }
    if (original instanceof ArgumentValidationError) {
      const details = describeValidationErrors(original.extensions.validationErrors, 'input');
      return { ...base, message: details.join('; ') || 'invalid input', extensions: { code: ErrorCode.BadUserInput } };
    }
    const code = formatted.extensions?.code;
    if (original instanceof ScalarParseError || (error instanceof GraphQLError && error.originalError instanceof ScalarParseError)) {
      return { ...base, extensions: { code: ErrorCode.BadUserInput } };
    }
    if (typeof code === 'string' && (code === ErrorCode.BadUserInput || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_REQUEST' || code === 'OPERATION_RESOLUTION_FAILURE' || code === 'PERSISTED_QUERY_NOT_FOUND' || code === 'PERSISTED_QUERY_NOT_SUPPORTED')) {
      // The request itself is malformed; graphql-js messages name the argument and the type.
      return { ...base, extensions: { code } };
    }
    if (typeof code === 'string' && knownCodes.has(code) && code !== ErrorCode.InternalServerError) {
      return { ...base, extensions: { code } };
    }
    logger.error({ err: original }, 'unexpected error');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: ErrorCode.InternalServerError,
        ...(exposeStack && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}),
      },
    };
  };
}
