/**
 * Password hashes (docs/api.md, Part 3, 32): scrypt from node:crypto, memory-hard. N = 2^15,
 * r = 8, p = 1 (32 MiB and about 50-100 ms per hash on one core), a 16-byte random salt and a
 * 32-byte key, stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url) so a later cost can
 * sit beside this one. Hashing runs on libuv's thread pool, not the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { badInput } from '../../shared/errors';

export const SCRYPT_LOG2_N = 15;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** log2N, r, p, maxmem: 256 * 2 ** log2N * r + 2 ** 20 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** 12 to 200 characters, counted in code points (docs/api.md, Part 3, details of 32-34). */
export function requirePassword(field: string, password: string): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) throw badInput(field, `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  return password;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P);
  return ['scrypt', SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`, compared in constant time; false for a hash it cannot read. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, log2N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const derived = await derive(password, Buffer.from(salt, 'base64url'), Number(log2N), Number(r), Number(p));
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

/**
 * A hash of a password nobody knows, made once per process: login with an unknown email checks
 * the password against it, so a wrong email costs one hash as a wrong password does and the two
 * answer alike in time too.
 */
let unknownAccountHash: Promise<string> | undefined;
export function hashOfNobody(): Promise<string> {
  return (unknownAccountHash ??= hashPassword(randomBytes(24).toString('base64url')));
}
