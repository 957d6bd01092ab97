/**
 * What a log line may say of an unexpected error: its class, its codes, a message that carries no
 * SQL statement and no value, and its stack's frames. A database driver's error (MikroORM's
 * DriverException and the driver errors it wraps) quotes the statement with its parameters —
 * an endpoint's generated secret, an invitee's e-mail — in its message and in its stack's first
 * lines, so neither is logged for it: only the identifiers the database names (constraint, table,
 * column). Every logger of the app serializes `err` through this (createApp).
 */
import { DriverException } from '@mikro-orm/core';

/** The longest message kept from an error that is not a database's. */
const MAX_MESSAGE = 300;

/** Schema identifiers a driver error may name: never values. */
const IDENTIFIERS = ['constraint', 'table', 'column'] as const;

/** Whether `err` comes from a database driver, so its message may quote a statement and its values. */
function isDatabaseError(err: Error & Record<string, unknown>): boolean {
  return err instanceof DriverException || typeof err.sqlState === 'string' || typeof err.sql === 'string' || /^SQLITE_/.test(String(err.code ?? ''));
}

function codesOf(err: Record<string, unknown>): Record<string, string | number> {
  const codes: Record<string, string | number> = {};
  for (const key of ['code', 'sqlState', 'errno'] as const) {
    const value = err[key];
    if (typeof value === 'string' || typeof value === 'number') codes[key] = value;
  }
  return codes;
}

/** The stack's frames alone: its first lines repeat the message. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at\s/.test(line));
  return frames.length ? frames.join('\n') : undefined;
}

export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err, message: 'a thrown value that is not an Error' };
  const fields = err as Error & Record<string, unknown>;
  const type = err.constructor?.name ?? err.name;
  if (isDatabaseError(fields)) {
    const named = Object.fromEntries(IDENTIFIERS.filter((key) => typeof fields[key] === 'string').map((key) => [key, fields[key]]));
    return { type, ...codesOf(fields), ...named, message: `database error (statement and values not logged)`, stack: framesOf(err.stack) };
  }
  const message = err.message.length > MAX_MESSAGE ? `${err.message.slice(0, MAX_MESSAGE)}…` : err.message;
  return { type, ...codesOf(fields), message, stack: framesOf(err.stack) };
}
