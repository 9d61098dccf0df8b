/**
 * Whether a feed lives on a private, loopback or link-local address. Item links that resolve to such
 * an address are refused by the HTTP getter, unless the feed itself is on one (an intranet feed, or
 * a test's loopback newsroom): then its own pages are allowed to be there too.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from './http-get.ts';

/**
 * True when `hostname` is `localhost`, an address that is not public, or a name any of whose
 * addresses is not public. A name that does not resolve counts as public (the fetch then fails
 * on its own terms).
 *
 * @example await isPrivateHost('127.0.0.1') // true
 * @example await isPrivateHost('www.dni.gov') // false
 */
export async function isPrivateHost(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host)) return !isPublicAddress(host);
  try {
    const addresses = await lookup(host, { all: true });
    return addresses.some((a) => !isPublicAddress(a.address));
  } catch {
    return false;
  }
}
