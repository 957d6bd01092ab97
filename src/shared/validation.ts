import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { badInput } from './errors';

/**
 * An optional whole number from `min` to `max` (inclusive), refused with "must be at least …" or
 * "must be at most …" (`unit` appended, e.g. " minutes"), which BAD_USER_INPUT carries.
 */
export function OptionalIntBetween(min: number, max: number, unit = ''): PropertyDecorator {
  const rules = [
    IsOptional(),
    IsInt(),
    Min(min, { message: `must be at least ${min}${unit}` }),
    Max(max, { message: `must be at most ${max}${unit}` }),
  ];
  return (target, property) => {
    for (const rule of rules) rule(target, property as string);
  };
}

/**
 * The length of `text` as PostgreSQL's varchar(n) counts it: Unicode code points. UTF-16 code
 * units count a surrogate pair twice; class-validator's Length (validator.js isLength) counts
 * the pair once but skips variation selectors (U+FE0E, U+FE0F), so "a\uFE0F" × 200 passed a
 * 200-character rule and overflowed varchar(200). SQLite stores any length; the rule is the same
 * on both databases.
 */
export function characterCount(text: string): number {
  let count = 0;
  // The string iterator steps by code point (a lone surrogate is one step), without an array.
  for (const _codePoint of text) count++;
  return count;
}

/**
 * Every length-limited string input goes through here: `min` to `max` characters as the database
 * counts them (characterCount), else BAD_USER_INPUT naming `field`. With `trim`, white space at
 * either end (String.prototype.trim: Unicode white space, U+3000 included) is removed first and
 * the trimmed text is what is checked and returned, so a value of only spaces is refused rather
 * than stored as "".
 */
export function requireText(field: string, raw: string, rule: { min: number; max: number; trim?: boolean }): string {
  const text = rule.trim ? raw.trim() : raw;
  const count = characterCount(text);
  if (count < rule.min || count > rule.max) {
    throw badInput(field, `must be ${rule.min} to ${rule.max} characters${rule.trim ? ', not only white space' : ''}`);
  }
  return text;
}
