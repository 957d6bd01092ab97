/*
 * Reading an ICS feed (docs/api.md Part 3, 28 and 30): one GET through the safe fetch, with the
 * feed's ETag as If-None-Match, so an unchanged feed costs a 304 and no download.
 */
import { basicAuthorization, createSafeFetch, statusFailure, type Credentials, type FetchLimits } from './safe-fetch';

export interface IcsFeedRequest {
  url: string;
  /** The ETag of the last successful read; null or absent: download in any case. */
  etag?: string | null;
  credentials?: Credentials | null;
  allowPrivate: boolean;
  limits?: FetchLimits;
}

export type IcsFeedResult = { changed: false } | { changed: true; text: string; etag: string | null };

export async function fetchIcsFeed(request: IcsFeedRequest): Promise<IcsFeedResult> {
  const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5' };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.credentials) headers.authorization = basicAuthorization(request.credentials);
  const safeFetch = createSafeFetch({ allowPrivate: request.allowPrivate, limits: request.limits });
  const response = await safeFetch(request.url, { headers });
  if (response.status === 304) return { changed: false };
  if (!response.ok) throw statusFailure(response.status);
  return { changed: true, text: await response.text(), etag: response.headers.get('etag') };
}
