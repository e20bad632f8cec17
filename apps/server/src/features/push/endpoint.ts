/**
 * A push endpoint is a URL our server will POST to, so it is an SSRF surface (docs/push.md, "SSRF").
 *
 * Accepted: `https:` URLs on a host *name* (never an IP literal in any spelling), no userinfo, whose every
 * resolved address is public unicast. Refused: loopback, private, link-local, unique-local, CGNAT,
 * multicast, unspecified, documentation, benchmarking, NAT64/6to4/Teredo (they can embed any IPv4
 * address) and other special-use ranges. `PUSH_ENDPOINT_BASE_URL` allows exactly one more origin outside
 * production (the local stand-in, scripts/fake-push).
 *
 * The same rules run twice: when a device subscribes, and at send time inside the socket's DNS lookup
 * (`pinnedLookup`), so the address actually connected to is the address that was checked and a DNS
 * answer that changed since (rebinding) cannot reach an internal service.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { PUSH_ENDPOINT_MAX } from '@queuecrew/shared';

export const MAX_ENDPOINT_LENGTH = PUSH_ENDPOINT_MAX;

/** Resolves a host name to every address it has (the default is the system resolver, node:dns lookup). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const DNS_TIMEOUT_MS = 3_000;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new PushEndpointError('The push service host name did not resolve in time.')), DNS_TIMEOUT_MS);
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      clearTimeout(timer);
      if (err) reject(new PushEndpointError('The push service host name does not resolve.'));
      else resolve(addresses);
    });
  });

export class PushEndpointError extends Error {
  override name = 'PushEndpointError';
}

/**
 * Special-use ranges (IANA IPv4/IPv6 special-purpose registries) that a push service never lives in. Two
 * lists: a BlockList holding IPv6 rules also matches IPv4 addresses through their mapped form
 * (::ffff:0:0/96 would block every IPv4 address).
 */
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT (shared address space)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives at 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64 (embeds an IPv4 address)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, benchmarking, …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds an IPv4 address)
  ['3fff::', 20], // documentation
  ['5f00::', 16], // SRv6 SIDs
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  blocked6.addSubnet(net, prefix, 'ipv6');
/** Global unicast IPv6 is 2000::/3; anything outside it is not a public address. */
const globalUnicast6 = new BlockList();
globalUnicast6.addSubnet('2000::', 3, 'ipv6');

/** True only for a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked4.check(address, 'ipv4');
  if (family === 6) return globalUnicast6.check(address, 'ipv6') && !blocked6.check(address, 'ipv6');
  return false;
}

/** Host names that are special-use by definition (RFC 6761, RFC 6762, RFC 8375, RFC 7686, ICANN .internal). */
const SPECIAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.onion', '.invalid'];
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export interface EndpointRules {
  /** The one extra origin allowed outside production (PUSH_ENDPOINT_BASE_URL), or undefined. */
  allowedOrigin?: string | undefined;
}

/** What a checked endpoint is: the stand-in origin, or a public https host that must be pinned at connect. */
export interface CheckedEndpoint {
  url: URL;
  /** True for the PUSH_ENDPOINT_BASE_URL origin (development and tests only). */
  allowance: boolean;
}

/**
 * The syntactic half of the check (no DNS): scheme, userinfo, IP literals, host name shape. Throws
 * PushEndpointError with a sentence a person can act on.
 */
export function parsePushEndpoint(raw: string, rules: EndpointRules): CheckedEndpoint {
  if (raw.length > MAX_ENDPOINT_LENGTH) throw new PushEndpointError('The push endpoint is too long.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PushEndpointError('The push endpoint is not a URL.');
  }
  if (url.username !== '' || url.password !== '')
    throw new PushEndpointError('The push endpoint must not contain a user name or password.');
  if (url.hash !== '') throw new PushEndpointError('The push endpoint must not contain a fragment.');
  if (rules.allowedOrigin !== undefined && url.origin === rules.allowedOrigin) return { url, allowance: true };
  if (url.protocol !== 'https:') throw new PushEndpointError('The push endpoint must be an https: URL.');
  // WHATWG parsing has already turned 0x7f000001, 2130706433, 0177.1 and friends into dotted IPv4,
  // and IPv6 (including ::ffff:127.0.0.1) into a bracketed literal: every IP literal lands here.
  const host = url.hostname;
  if (host.startsWith('[') || isIP(host) !== 0) throw new PushEndpointError('The push endpoint must use a host name, not an IP address.');
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const labels = name.split('.');
  if (name === '' || !labels.every((l) => LABEL.test(l))) throw new PushEndpointError('The push endpoint host name is not valid.');
  // A last label of digits only would be read as an IPv4 number by some resolvers.
  if (/^[0-9]+$/.test(labels[labels.length - 1]!))
    throw new PushEndpointError('The push endpoint must use a host name, not an IP address.');
  // (`localhost` itself is left to the resolver, which answers loopback and is refused there.)
  if (SPECIAL_SUFFIXES.some((s) => name.endsWith(s))) throw new PushEndpointError('The push endpoint host name is not a public host.');
  return { url, allowance: false };
}

function refuseUnlessPublic(addresses: readonly LookupAddress[]): void {
  if (addresses.length === 0) throw new PushEndpointError('The push service host name does not resolve.');
  if (addresses.some((a) => !isPublicAddress(a.address)))
    throw new PushEndpointError('The push service host name resolves to an address that is not public.');
}

/** The full check at subscribe time: syntax, then every address the name resolves to. */
export async function checkPushEndpoint(raw: string, rules: EndpointRules, resolve: Resolver = systemResolver): Promise<CheckedEndpoint> {
  const checked = parsePushEndpoint(raw, rules);
  if (!checked.allowance) refuseUnlessPublic(await resolve(checked.url.hostname));
  return checked;
}

/**
 * A `lookup` for the socket (http.request/https.request option): resolves, refuses unless every address
 * is public, and hands exactly those checked addresses to the connection. Because the connection only
 * ever sees addresses that passed the check, the check cannot be raced by a second DNS answer.
 */
export function pinnedLookup(resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((all) => {
        refuseUnlessPublic(all);
        const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
        const usable = family === 0 ? all : all.filter((a) => a.family === family);
        const first = usable[0];
        if (!first) throw new PushEndpointError('The push service host name has no address of the requested family.');
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      })
      .catch((err: unknown) => callback(err instanceof Error ? (err as NodeJS.ErrnoException) : new PushEndpointError(String(err)), ''));
  };
}
