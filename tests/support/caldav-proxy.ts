/*
 * A switchable HTTP proxy in front of a CalDAV server, on 127.0.0.1: it counts the requests
 * that reach the server by method and path, and while `down` answers 503 without forwarding
 * (a calendar server that is down, for the retry tests).
 */
import http from 'node:http';
import type net from 'node:net';

export interface CalDavProxy {
  /** The proxy's URL for a URL of the server behind it. */
  urlFor(serverUrl: string): string;
  down: boolean;
  /** Requests forwarded to the server, as `METHOD path`. */
  forwarded: string[];
  close(): Promise<void>;
}

export async function startCalDavProxy(target: string): Promise<CalDavProxy> {
  const { hostname, port } = new URL(target);
  const proxy: CalDavProxy = {
    urlFor: (serverUrl) => serverUrl.replace(new URL(target).origin, origin),
    down: false,
    forwarded: [],
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const server = http.createServer((request, response) => {
    if (proxy.down) {
      response.writeHead(503).end();
      return;
    }
    proxy.forwarded.push(`${request.method} ${request.url}`);
    const upstream = http.request({ hostname, port, method: request.method, path: request.url, headers: { ...request.headers, host: `${hostname}:${port}` } }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return proxy;
}
