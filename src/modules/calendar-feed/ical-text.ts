import { escape, foldLines } from 'ical-generator';

/**
 * RFC 5545 (3.3.11) lets TEXT hold no control character but HTAB, and line breaks only as the
 * escape `\n`. Names come from clients and rows written before names were checked, so every
 * other control character is dropped first (CR and LF stay: the escapes below turn them into `\n`).
 */
export function withoutControls(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/**
 * A TEXT value escaped for a property ical-generator writes as given (NAME, X-WR-CALNAME): `\`,
 * `;`, `,` and line breaks escaped by ical-generator's own `escape`, as it escapes SUMMARY.
 */
export function escapedText(value: string): string {
  return escape(withoutControls(value), false);
}

/**
 * A quoted parameter value (CN=…): RFC 5545 allows no DQUOTE or control character in one, and
 * RFC 6868 spells `^`, a line break and `"` as `^^`, `^n` and `^'`.
 */
function quotedParameter(value: string): string {
  const encoded = withoutControls(value)
    .replace(/\^/g, '^^')
    .replace(/\r\n|\r|\n/g, '^n')
    .replace(/"/g, "^'");
  return `"${encoded}"`;
}

/**
 * The ORGANIZER content line, folded: CN is the owner's name; the address is `mailto:` when the
 * owner's e-mail is known, else `invalid:nomail` (Outlook's spelling of "no address"), since the
 * property's value must be some CAL-ADDRESS and ical-generator can only write a `mailto:` one.
 */
export function organizerLine(name: string, email: string | null): string {
  const address = email ? `mailto:${encodeURI(withoutControls(email))}` : 'invalid:nomail';
  return foldLines(`ORGANIZER;CN=${quotedParameter(name)}:${address}`);
}
