import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * 256 random bits, URL-safe; the prefix tells a leaked token's kind at a glance: owner, manage,
 * feed, and an account's access, refresh and password reset tokens.
 */
export function generateToken(prefix: 'sbo' | 'sbm' | 'sbf' | 'sba' | 'sbr' | 'sbp'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented token against a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
