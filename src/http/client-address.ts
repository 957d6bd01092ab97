import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import ipaddr from 'ipaddr.js';

/**
 * Whose X-Forwarded-For to believe (TRUST_PROXY), with Express's `trust proxy` meaning, computed
 * by the same `proxy-addr` package:
 * - `false`: nobody's; the client is the socket's peer and X-Forwarded-For is ignored.
 * - a number N: the N nearest hops are our proxies; the client is the N-th address from the right
 *   of [...X-Forwarded-For, socket peer] (1: the right-most X-Forwarded-For entry).
 * - a list of addresses, CIDR ranges or the names loopback, linklocal, uniquelocal: hops from
 *   those addresses are proxies; the client is the nearest hop that is not one of them.
 * Never "every hop" (Express's `true`): the left-most entry is whatever the client wrote.
 */
export type TrustProxy = false | number | string[];

/** A trust function for proxy-addr; throws a TypeError naming a bad address or range. */
export function compileTrustProxy(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false || trust === 0) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

/** The client address of a request: its socket peer, or what trusted proxies say (see TrustProxy). */
export function clientAddressResolver(trust: TrustProxy): (req: IncomingMessage) => string {
  if (trust === false || trust === 0) return (req) => req.socket.remoteAddress ?? 'unknown';
  const trusted = compileTrustProxy(trust);
  return (req) => proxyaddr(req, trusted) ?? 'unknown';
}

/**
 * The key that one client's budget is counted under: an IPv4 address (IPv4-mapped IPv6 included)
 * as is, an IPv6 address by its /64 (one subscriber or host usually holds a whole /64 and can
 * pick any address in it), anything else as given, shortened.
 */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address.slice(0, 100);
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
