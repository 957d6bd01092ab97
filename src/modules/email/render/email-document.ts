import { Body, Container, Heading, Hr, Html, Link, Preview, Section, Text } from '@react-email/components';
import { toPlainText } from '@react-email/render';
import { createElement as h, type CSSProperties } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { EmailContent } from './email-content';

/**
 * The one template of every email: React elements rendered by react-email, so every name and
 * title is escaped by React and no HTML is glued by hand (docs/api.md, Part 3, 26). Written with
 * createElement rather than JSX because the server build and jest compile .ts files only.
 */

const page: CSSProperties = { backgroundColor: '#f6f7f9', fontFamily: 'Helvetica, Arial, sans-serif', color: '#1f2328' };
const card: CSSProperties = { backgroundColor: '#ffffff', padding: '24px', margin: '24px auto', maxWidth: '560px', borderRadius: '8px' };
const label: CSSProperties = { color: '#59636e' };
const button: CSSProperties = { backgroundColor: '#0b5cd5', color: '#ffffff', padding: '10px 16px', borderRadius: '6px', display: 'inline-block' };
const small: CSSProperties = { color: '#59636e', fontSize: '13px' };
/** react-email's plain-text conversion skips elements marked so (the text part already shows the URL). */
const htmlOnly: Record<string, string> = { 'data-skip-in-text': 'true' };

function emailElement(content: EmailContent) {
  return h(
    Html,
    { lang: 'en' },
    h(Preview, null, content.subject),
    h(
      Body,
      { style: page },
      h(
        Container,
        { style: card },
        h(Heading, { as: 'h1', style: { fontSize: '22px' } }, content.heading),
        ...content.paragraphs.map((paragraph, i) => h(Text, { key: `p${i}` }, paragraph)),
        content.details.length > 0
          ? h(
              Section,
              null,
              ...content.details.map((row) => h(Text, { key: row.label, style: { margin: '4px 0' } }, h('span', { style: label }, `${row.label}: `), row.value)),
            )
          : null,
        content.link ? h(Text, null, h(Link, { href: content.link.url, style: button }, content.link.label)) : null,
        content.link ? h(Text, { style: small, ...htmlOnly }, 'Or paste this address into your browser: ', content.link.url) : null,
        content.footnote ? h(Hr, null) : null,
        content.footnote ? h(Text, { style: small }, content.footnote) : null,
      ),
    ),
  );
}

/** html-to-text uppercases headings by default; names in them must read as written. */
const TEXT_OPTIONS = { selectors: [{ selector: 'h1', options: { uppercase: false } }] };

/** The doctype react-email's render() writes: email clients expect XHTML 1.0 Transitional. */
const DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * The HTML part and the plain-text part derived from that same HTML. React's synchronous
 * renderToStaticMarkup rather than react-email's render(): the template has nothing to await, and
 * render() loads react-dom/server by a dynamic import() that jest's CommonJS runtime refuses.
 */
export function renderDocument(content: EmailContent): { html: string; text: string } {
  const html = DOCTYPE + renderToStaticMarkup(emailElement(content));
  return { html, text: toPlainText(html, TEXT_OPTIONS) };
}
