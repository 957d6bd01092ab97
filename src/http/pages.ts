import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/**
 * The pages' routes (docs/api.md Part 2, 20-22; a team's booking page, Part 3, 39; the password reset link of Part 3, 32): each answers the one built document, whose
 * script reads the path. /assets/<file> are the files Vite built beside it.
 */
const PAGE_PATH = /^\/(?:book\/[^/]+(?:\/[^/]+)?|team\/[^/]+\/[^/]+|manage\/[^/]+|owner(?:\/reset-password)?)\/?$/;
const ASSET_PATH = /^\/assets\/([A-Za-z0-9_-][A-Za-z0-9._-]{0,199})$/;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A Host header that names a host and port and nothing else, fit to go into a CSP source. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * Only this server is a source of anything a page loads or sends: its own script, styles,
 * /graphql and the live updates' WebSocket on the same host (named, as not every browser lets
 * 'self' cover ws:). No inline script, no frames. The owner page alone allows inline styles: it
 * shows emails whole in a sandboxed srcdoc frame, which inherits this policy, and an email's
 * HTML is styled inline as mail clients need (no script runs there: the frame's sandbox).
 */
function contentSecurityPolicy(host: string | undefined, pathname: string): string {
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  const styles = pathname === '/owner' || pathname.startsWith('/owner/') ? "'self' 'unsafe-inline'" : "'self'";
  return `default-src 'self'; script-src 'self'; style-src ${styles}; img-src 'self' data:; connect-src 'self'${sockets}; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

export function isPagePath(pathname: string): boolean {
  return pathname === '/' || PAGE_PATH.test(pathname) || ASSET_PATH.test(pathname);
}

interface File {
  body: Buffer;
  etag: string;
  /** The gzip form of a compressible asset, made once; null when not worth it. */
  gzip?: { body: Buffer; etag: string } | null;
}

/** Text assets worth compressing: the bundle shrinks to about a third. */
const COMPRESSIBLE = /\.(?:js|css|map|svg)$/;

/** Whether the request takes gzip (and does not refuse it with q=0). */
function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  const gzip = typeof header === 'string' ? /(?:^|,)\s*gzip\s*(?:;\s*q=([0-9.]+))?\s*(?:,|$)/i.exec(header) : null;
  return gzip !== null && (gzip[1] === undefined || Number(gzip[1]) > 0);
}

function gzipped(name: string, file: File): { body: Buffer; etag: string } | null {
  if (file.gzip === undefined) {
    const body = COMPRESSIBLE.test(name) && file.body.length > 1024 ? gzipSync(file.body, { level: 9 }) : null;
    file.gzip = body && body.length < file.body.length ? { body, etag: `${file.etag.slice(0, -1)}-gz"` } : null;
  }
  return file.gzip;
}

async function readIfPresent(file: string): Promise<File | null> {
  try {
    const body = await readFile(file);
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw err;
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(text);
}

/**
 * Serves the built pages from `directory` (dist/web/, `npm run build`). Hashed assets are
 * immutable: a new build names them anew. The document is revalidated on every visit (no-cache
 * with an ETag), so a deploy reaches every browser at its next page load.
 */
export function pagesHandler(options: { directory: string; logger: Logger }) {
  // A hashed asset never changes under its name: read once, kept.
  const assets = new Map<string, File>();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendText(res, 405, 'method not allowed: GET or HEAD\n');
      return;
    }
    try {
      const pathname = (req.url ?? '/').split('?', 1)[0]!;
      // The root leads a newcomer to the owner page, where a calendar is created (README, Pages).
      if (pathname === '/') {
        res.statusCode = 302;
        res.setHeader('location', '/owner');
        res.setHeader('cache-control', 'no-cache');
        res.end();
        return;
      }
      const asset = ASSET_PATH.exec(pathname);
      let file: File | null;
      if (asset) {
        file = assets.get(asset[1]!) ?? (await readIfPresent(path.join(options.directory, 'assets', asset[1]!)));
        if (file) assets.set(asset[1]!, file);
      } else {
        file = await readIfPresent(path.join(options.directory, 'index.html'));
        if (!file) {
          sendText(res, 503, 'the pages are not built: run `npm run build`\n');
          return;
        }
      }
      if (!file) {
        sendText(res, 404, 'not found\n');
        return;
      }
      res.setHeader('x-content-type-options', 'nosniff');
      // A compressible asset has two forms, each with its own ETag, chosen by Accept-Encoding.
      const compressed = asset ? gzipped(asset[1]!, file) : null;
      const sent = compressed && acceptsGzip(req) ? compressed : file;
      if (compressed) {
        res.setHeader('vary', 'accept-encoding');
        if (sent === compressed) res.setHeader('content-encoding', 'gzip');
      }
      res.setHeader('etag', sent.etag);
      if (asset) {
        res.setHeader('content-type', CONTENT_TYPES[path.extname(asset[1]!)] ?? 'application/octet-stream');
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader('cache-control', 'no-cache');
        res.setHeader('content-security-policy', contentSecurityPolicy(req.headers.host, pathname));
        res.setHeader('referrer-policy', 'no-referrer');
        res.setHeader('x-frame-options', 'DENY');
      }
      if (req.headers['if-none-match'] === sent.etag) {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.statusCode = 200;
      res.setHeader('content-length', sent.body.length);
      res.end(req.method === 'HEAD' ? undefined : sent.body);
    } catch (err) {
      options.logger.error({ err }, 'serving a page failed');
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.destroy();
    }
  };
}
