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
 * What no text a user sets may hold: it ends up in calendars, e-mails, headers and logs, where a
 * control character forges lines or fields (CR/LF in a header, a line of an iCalendar object) or
 * hides text (ESC sequences in a terminal). Single-line text (names, titles, e-mail addresses,
 * keys) refuses every C0 control (U+0000-U+001F, TAB, CR and LF included), DEL (U+007F), every C1
 * control (U+0080-U+009F) and the Unicode line and paragraph separators (U+2028, U+2029).
 * Multi-line text (descriptions) keeps TAB, LF and CR, and U+2028/U+2029, for its layout, and
 * refuses the other controls.
 */
const CONTROL_CHARACTERS = {
  singleLine: { pattern: /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/, rule: 'must not contain control characters or line breaks (U+0000-U+001F, U+007F-U+009F, U+2028, U+2029)' },
  multiLine: { pattern: /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/, rule: 'must not contain control characters other than tab and line breaks (U+0000-U+001F except U+0009, U+000A and U+000D; U+007F-U+009F)' },
} as const;

/** How requireText checks one input: its length in characters, whether it is trimmed, whether it may hold line breaks. */
export interface TextRule {
  min: number;
  max: number;
  trim?: boolean;
  /** Line breaks and tabs allowed (a description); otherwise one line. */
  multiLine?: boolean;
}

/**
 * Every string input a user sets goes through here: with `trim`, white space at either end
 * (String.prototype.trim: Unicode white space, U+3000, TAB, CR and LF included) is removed first,
 * and the trimmed text is what is checked and returned; then no control characters
 * (CONTROL_CHARACTERS) and `min` to `max` characters as the database counts them
 * (characterCount), else BAD_USER_INPUT naming `field` and the rule. A value of only spaces is
 * refused rather than stored as "".
 */
export function requireText(field: string, raw: string, rule: TextRule): string {
  const text = rule.trim ? raw.trim() : raw;
  const controls = CONTROL_CHARACTERS[rule.multiLine ? 'multiLine' : 'singleLine'];
  if (controls.pattern.test(text)) throw badInput(field, controls.rule);
  const count = characterCount(text);
  if (count < rule.min || count > rule.max) {
    throw badInput(field, `must be ${rule.min} to ${rule.max} characters${rule.trim ? ', not only white space' : ''}`);
  }
  return text;
}
