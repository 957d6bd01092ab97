// react-email's components one package each: the @react-email/components bundle also loads
// Tailwind, Prism and a Markdown parser, 1.7 s and 39 MB at start-up for components not used here.
import { Body } from '@react-email/body';
import { Container } from '@react-email/container';
import { Heading } from '@react-email/heading';
import { Hr } from '@react-email/hr';
import { Html } from '@react-email/html';
import { Link } from '@react-email/link';
import { Preview } from '@react-email/preview';
import { Section } from '@react-email/section';
import { plainTextSelectors } from '@react-email/render';
import { compile } from 'html-to-text';
import { createElement as h, type CSSProperties, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { EmailContent } from './email-content';

/**
 * The one template of every email: React elements (react-email's layout components) rendered by
 * React, so every name and title is escaped by React and no HTML is glued by hand (docs/api.md,
 * Part 3, 26). Written with createElement rather than JSX because the server build and jest
 * compile .ts files only.
 */

const page: CSSProperties = { backgroundColor: '#f6f7f9', fontFamily: 'Helvetica, Arial, sans-serif', color: '#1f2328' };
const card: CSSProperties = { backgroundColor: '#ffffff', padding: '24px', margin: '24px auto', maxWidth: '560px', borderRadius: '8px' };
const paragraph: CSSProperties = { fontSize: '14px', lineHeight: '24px', margin: '16px 0' };
const detail: CSSProperties = { ...paragraph, margin: '4px 0' };
const label: CSSProperties = { color: '#59636e' };
const button: CSSProperties = { backgroundColor: '#0b5cd5', color: '#ffffff', padding: '10px 16px', borderRadius: '6px', display: 'inline-block' };
const small: CSSProperties = { ...paragraph, color: '#59636e', fontSize: '13px' };
/** react-email's plain-text selectors skip elements marked so (the text part already shows the URL). */
const htmlOnly: Record<string, string> = { 'data-skip-in-text': 'true' };

// Paragraphs are plain <p> elements with the styles of react-email's <Text>: that component
// recomputes its margins from the style on every render, a cost paid per line per email.
function p(style: CSSProperties, ...children: ReactNode[]) {
  return h('p', { style }, ...children);
}

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
        ...content.paragraphs.map((text) => p(paragraph, text)),
        content.details.length > 0 ? h(Section, null, ...content.details.map((row) => p(detail, h('span', { style: label }, `${row.label}: `), row.value))) : null,
        content.link ? p(paragraph, h(Link, { href: content.link.url, style: button }, content.link.label)) : null,
        content.link ? h('p', { style: small, ...htmlOnly }, 'Or paste this address into your browser: ', content.link.url) : null,
        content.footnote ? h(Hr, null) : null,
        content.footnote ? p(small, content.footnote) : null,
      ),
    ),
  );
}

/** The doctype react-email's render() writes: email clients expect XHTML 1.0 Transitional. */
const DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * react-email's HTML-to-text conversion (its toPlainText options), compiled once: toPlainText
 * compiles the selectors on every call. Headings keep their case (html-to-text uppercases them by
 * default), so the text part reads as the HTML does.
 */
const toText = compile({ wordwrap: false, selectors: [...plainTextSelectors, { selector: 'h1', options: { uppercase: false } }] });

/**
 * The HTML part and the plain-text part derived from that same HTML. React's synchronous
 * renderToStaticMarkup rather than react-email's render(): the template has nothing to await, and
 * render() loads react-dom/server by a dynamic import() that jest's CommonJS runtime refuses.
 */
export function renderDocument(content: EmailContent): { html: string; text: string } {
  const html = DOCTYPE + renderToStaticMarkup(emailElement(content));
  return { html, text: toText(html) };
}
