import { GraphQLError } from 'graphql';

/** Every code a client can see in `extensions.code` (docs/api.md, Errors). */
export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  SlotUnavailable = 'SLOT_UNAVAILABLE',
  TooLate = 'TOO_LATE',
  RateLimited = 'RATE_LIMITED',
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
export const unauthenticated = (what = 'a valid owner token or access token is required (Authorization: Bearer <token>)'): DomainError =>
  new DomainError(ErrorCode.Unauthenticated, what);
export const forbidden = (why = 'this belongs to another owner'): DomainError => new DomainError(ErrorCode.Forbidden, why);
export const slotUnavailable = (why: string): DomainError => new DomainError(ErrorCode.SlotUnavailable, why);
/** An invitee's cancel or reschedule inside the event type's minCancelNoticeMinutes. */
export const tooLate = (why: string): DomainError => new DomainError(ErrorCode.TooLate, why);

/** Thrown by scalar parsers; graphql-js wraps it, formatError recognises it and reports BAD_USER_INPUT. */
export class ScalarParseError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.BadUserInput } });
    this.name = 'ScalarParseError';
  }
}
