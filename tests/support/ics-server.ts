/*
 * An in-process ICS feed server for the calendar-source tests: serves named feeds with a strong
 * ETag (answering If-None-Match with 304), counts full downloads, optionally demands Basic
 * credentials, and can answer a body of any size.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import type net from 'node:net';

export interface IcsServer {
  url(name: string): string;
  /** Serves `body` at /<name>.ics (replacing what was there). */
  publish(name: string, body: string | Buffer): void;
  /** Requests answered with a full body (200), per feed. */
  downloads(name: string): number;
  /** Requests to /private/… must carry these Basic credentials (else 401). */
  requireCredentials(username: string, password: string): void;
  close(): Promise<void>;
}

export async function startIcsServer(): Promise<IcsServer> {
  const feeds = new Map<string, Buffer>();
  const downloads = new Map<string, number>();
  let expectedAuthorization: string | null = null;
  const server = http.createServer((request, response) => {
    const name = decodeURIComponent((request.url ?? '').replace(/^\/(private\/)?/, '').replace(/\.ics$/, ''));
    if (request.url?.startsWith('/private/') && request.headers.authorization !== expectedAuthorization) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="feeds"' }).end();
      return;
    }
    const body = feeds.get(name);
    if (!body) return void response.writeHead(404).end();
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag }).end();
    downloads.set(name, (downloads.get(name) ?? 0) + 1);
    response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', etag, 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}.ics`,
    publish: (name, body) => void feeds.set(name, Buffer.isBuffer(body) ? body : Buffer.from(body)),
    downloads: (name) => downloads.get(name) ?? 0,
    requireCredentials: (username, password) => {
      expectedAuthorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
