/*
 * The one way calendar sources reach the network: a `fetch` (the signature tsdav accepts) over
 * node:http(s) with the limits of docs/api.md Part 3, 30 (20 s and 10 MB per request) and the
 * safe-address rules of 16, enforced by the webhooks' own guard (url-safety.ts) on the address
 * actually connected to. Failures are CalendarSourceErrors whose messages name neither the URL
 * nor any credential.
 */
import http from 'node:http';
import https from 'node:https';
import { literalHostRefusal, safeLookup } from '../webhook/url-safety';
import { CalendarSourceError } from './calendar-source.errors';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}
export const FETCH_LIMITS: FetchLimits = { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024 };

export interface SafeFetchOptions {
  /** CALENDAR_ALLOW_PRIVATE_URLS=true: any address (tests, private networks). */
  allowPrivate: boolean;
  limits?: FetchLimits;
}

export interface Credentials {
  username: string;
  password: string;
}

export const basicAuthorization = ({ username, password }: Credentials): string =>
  `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;

const MAX_REDIRECTS = 5;
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

export function createSafeFetch(options: SafeFetchOptions): typeof fetch {
  const limits = options.limits ?? FETCH_LIMITS;
  return async (input, init = {}) => {
    let url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init.method ?? 'GET').toUpperCase();
    // forEach, not entries(): the browser tests' type check (DOM lib without DOM.Iterable) reaches this file through app.ts.
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = typeof init.body === 'string' ? init.body : undefined;
    // Redirects are followed for reads only (feeds move from http to https); a write is answered as is.
    for (let redirects = 0; ; redirects++) {
      const response = await requestOnce(url, method, headers, body, options.allowPrivate, limits);
      const location = response.headers.get('location');
      if (!(response.status >= 301 && response.status <= 308) || !location || (method !== 'GET' && method !== 'HEAD')) return response;
      if (redirects === MAX_REDIRECTS) throw new CalendarSourceError('HTTP_STATUS', `the calendar server redirected more than ${MAX_REDIRECTS} times`);
      const next = new URL(location, url);
      // As browsers' fetch does: credentials never follow a redirect to another origin.
      if (next.origin !== url.origin) delete headers.authorization;
      url = next;
    }
  };
}

function requestOnce(url: URL, method: string, headers: Record<string, string>, body: string | undefined, allowPrivate: boolean, limits: FetchLimits): Promise<Response> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new CalendarSourceError('UNSAFE_ADDRESS', 'the calendar URL must use http or https'));
  const refusal = allowPrivate ? null : literalHostRefusal(url);
  if (refusal) return Promise.reject(new CalendarSourceError('UNSAFE_ADDRESS', refusal.message));
  return new Promise((resolve, reject) => {
    let settled = false;
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, { method, headers, lookup: allowPrivate ? undefined : safeLookup }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const tooLarge = () => fail(new CalendarSourceError('TOO_LARGE', `the calendar server's answer is larger than ${limits.maxBytes / 1024 / 1024} MB`));
      if (Number(response.headers['content-length']) > limits.maxBytes) return tooLarge();
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) tooLarge();
        else chunks.push(chunk);
      });
      response.on('error', () => fail(new CalendarSourceError('UNREACHABLE', 'the connection to the calendar server broke')));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        const answer = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) answer.set(name, Array.isArray(value) ? value.join(', ') : value);
        try {
          resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage ?? '', headers: answer }));
        } catch {
          reject(new CalendarSourceError('HTTP_STATUS', `the calendar server answered an invalid status (${status})`));
        }
      });
    });
    const timer = setTimeout(() => fail(new CalendarSourceError('TIMEOUT', `the calendar server did not answer within ${limits.timeoutMs / 1000} seconds`)), limits.timeoutMs);
    function fail(error: CalendarSourceError): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    }
    request.on('error', (error: NodeJS.ErrnoException) => {
      // safeLookup's refusal is written for the owner (host and address); other network errors are not.
      if (error.code === 'EUNSAFEADDRESS') fail(new CalendarSourceError('UNSAFE_ADDRESS', error.message));
      else if (error.code === 'ENOTFOUND') fail(new CalendarSourceError('UNREACHABLE', `${url.hostname} does not resolve`));
      else fail(new CalendarSourceError('UNREACHABLE', `could not reach the calendar server (${error.code ?? 'connection failed'})`));
    });
    request.end(body);
  });
}

/** The failure a non-2xx answer stands for, worded for the owner. */
export function statusFailure(status: number): CalendarSourceError {
  if (status === 401 || status === 403) return new CalendarSourceError('UNAUTHORIZED', `the calendar server refused the credentials (${status})`);
  if (status === 412) return new CalendarSourceError('CONFLICT', 'the event on the calendar server changed or already exists (412)');
  return new CalendarSourceError('HTTP_STATUS', `the calendar server answered ${status}`);
}
