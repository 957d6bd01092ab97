import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { DomainError, ErrorCode, ScalarParseError } from '../shared/errors';

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** Every broken rule with the path of its field (`input.invitee.name`), depth first. */
function brokenRules(errors: ValidationError[], prefix: string): Array<{ field: string; rule: string }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((rule) => ({ field, rule }));
    return [...own, ...brokenRules(e.children ?? [], field)];
  });
}

export interface ErrorLogger {
  error(obj: unknown, msg?: string): void;
}

export interface FormatErrorOptions {
  /** Put the stack of an unexpected error into the response (NODE_ENV=development only). */
  exposeStack: boolean;
  /** Drop graphql-js's "Did you mean …?" hints, which would reveal the schema when introspection is off. */
  hideSuggestions: boolean;
}

/** Apollo's request-level codes: the request itself is malformed, and the message names what. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** "Did you mean "x"?", "Did you mean the enum value X?", "Did you mean "a" or "b"?" and the like. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Apollo refuses a few requests before parsing with a GraphQLError that carries an HTTP status but
 * no code (a persisted query of another version, a hash that does not match its query). They are
 * the client's fault: give them Apollo's persisted-query code where one fits, else BAD_REQUEST.
 */
function codeOfCodelessRefusal(error: unknown): string | null {
  if (!(error instanceof GraphQLError) || error.path) return null;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  return /persisted query version/i.test(error.message) ? 'PERSISTED_QUERY_NOT_SUPPORTED' : 'BAD_REQUEST';
}

/**
 * The one place that decides what a client sees of a failure: domain errors keep their code,
 * GraphQL's own input errors become BAD_USER_INPUT, Apollo's request-level refusals keep (or get)
 * Apollo's code, anything else is masked and logged.
 */
export function createFormatError(logger: ErrorLogger, options: FormatErrorOptions) {
  const clean = (message: string): string => (options.hideSuggestions ? message.replace(SUGGESTION, '').trim() : message);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: clean(formatted.message), locations: formatted.locations, path: formatted.path };
    if (original instanceof DomainError) {
      return { ...base, message: original.message, extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) } };
    }
    if (original instanceof ArgumentValidationError) {
      const broken = brokenRules(original.extensions.validationErrors, 'input');
      const message = broken.map(({ field, rule }) => `${field}: ${rule}`).join('; ') || 'invalid input';
      // The first broken field, as a DomainError from badInput() names it.
      return { ...base, message, extensions: { code: ErrorCode.BadUserInput, ...(broken[0] ? { field: broken[0].field } : {}) } };
    }
    // Apollo fills in INTERNAL_SERVER_ERROR for an error that carries no code of its own.
    const ownCode = error instanceof GraphQLError ? error.extensions?.code : undefined;
    const code = (ownCode == null && codeOfCodelessRefusal(error)) || formatted.extensions?.code;
    if (original instanceof ScalarParseError || (error instanceof GraphQLError && error.originalError instanceof ScalarParseError)) {
      return { ...base, extensions: { code: ErrorCode.BadUserInput } };
    }
    if (typeof code === 'string' && REQUEST_CODES.has(code)) {
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
        ...(options.exposeStack && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}),
      },
    };
  };
}
