/**
 * Safe webhook URLs (docs/api.md, Part 2, 16): http or https, to a public unicast address
 * only, so an owner cannot make the server POST into its own network (SSRF). Checked when an
 * endpoint is added or changed, and again at every attempt on the very address the request
 * connects to (safeLookup), so a name that later resolves to a private address (DNS rebinding)
 * is refused too. ipaddr.js (2.x, the IANA special-purpose registries) classifies the addresses,
 * with a few ranges refused explicitly (ALSO_REFUSED).
 */
import dns from 'node:dns';
import type { LookupAddress, LookupOneOptions, LookupAllOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export const MAX_URL_LENGTH = 2048;

/** Why a URL or address is refused, in words for the owner (lastError, BAD_USER_INPUT). */
export class UnsafeUrlError extends Error {}

/**
 * Ranges refused besides those ipaddr.js classifies as other than unicast: its classes are the
 * IANA special-purpose registries' as of its version, and these are kept here so that they hold
 * whatever it calls them. IPv4-compatible IPv6 (::a.b.c.d, deprecated by RFC 4291) embeds an IPv4
 * address that some stacks still route to, and ipaddr.js calls it unicast.
 */
const ALSO_REFUSED = [
  '::/96', // IPv4-compatible IPv6 (RFC 4291 2.5.5.1)
  '64:ff9b:1::/48', // local-use NAT64 (RFC 8215)
  'fec0::/10', // site-local, deprecated (RFC 3879)
  '198.18.0.0/15', // benchmarking (RFC 2544)
].map((cidr) => ipaddr.parseCIDR(cidr));

/**
 * Whether an address is public unicast: not loopback, private, link-local, unique-local,
 * site-local, unspecified, carrier-grade NAT, benchmarking, multicast, broadcast, reserved or
 * documentation, and for IPv6 not an IPv4-compatible, NAT64 (RFC 6052 and RFC 8215) or
 * 6to4/Teredo form of any address. An IPv4-mapped address is judged by the IPv4 address it maps.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (ALSO_REFUSED.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) return false;
  return parsed.range() === 'unicast';
}

/** The URL's host as a bare name or address (IPv6 literals lose their brackets). */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Parses and checks a webhook URL's form: http(s), a host, at most MAX_URL_LENGTH characters as typed and as normalized. */
export function parseWebhookUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new UnsafeUrlError(`must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrlError('must use http or https');
  if (!url.hostname) throw new UnsafeUrlError('must name a host');
  // What is stored and sent is the normalized href, whose percent-encoding can make it several
  // times longer than what was typed (one "é" is "%C3%A9").
  if (url.href.length > MAX_URL_LENGTH) throw new UnsafeUrlError(`must be at most ${MAX_URL_LENGTH} characters as stored (normalized and percent-encoded)`);
  return url;
}

/**
 * The refusal of a host that is, or resolves to, an address that is not public, or to none: one
 * message naming only the host the owner gave, so the addresses an internal name resolves to,
 * and whether it resolves at all, stay unsaid.
 */
function refuse(host: string): UnsafeUrlError {
  return new UnsafeUrlError(`${host} is not a public address`);
}

/**
 * Resolves the URL's host (every address it has) and refuses it unless all are public. With
 * `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_URLS=true) only the form is checked.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = parseWebhookUrl(raw);
  if (allowPrivate) return url;
  const host = hostOf(url);
  if (net.isIP(host)) {
    if (!isPublicAddress(host)) throw refuse(host);
    return url;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw refuse(host);
  }
  if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) throw refuse(host);
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses a host with any non-public address, so the check
 * holds for the address actually connected to. (Node does not call it for IP literals: the
 * dispatcher checks those with isPublicAddress before the request.)
 */
export function safeLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { all: true, verbatim: true, family: options.family }, (err, addresses) => {
    if (err) return callback(err, '');
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) return callback(Object.assign(refuse(hostname), { code: 'EUNSAFEADDRESS' }), '');
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/** Whether a URL's host is an IP literal that is not public (http.request skips `lookup` for those). */
export function literalHostRefusal(url: URL): UnsafeUrlError | null {
  const host = hostOf(url);
  return net.isIP(host) && !isPublicAddress(host) ? refuse(host) : null;
}
