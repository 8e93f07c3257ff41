import type { NetworkInterfaceInfo } from 'node:os';

/** Hosts that only this machine can reach: a join link on them is useless to a phone. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0)$/i;

/** A private (RFC 1918) IPv4 address: the school's LAN, preferred over others (VPNs, docker bridges come later). */
function rank(address: string): number {
  if (/^192\.168\./.test(address)) return 0;
  if (/^10\./.test(address)) return 1;
  if (/^172\.(1[6-9]|2\d|3[01])\./.test(address)) return 2;
  return 3;
}

/** This machine's LAN IPv4 addresses, best first (no loopback, no link-local 169.254/16). */
export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const found: string[] = [];
  for (const [name, list] of Object.entries(interfaces)) {
    // Container and VM bridges are not the classroom's network.
    if (/^(docker|br-|veth|virbr|vboxnet|vmnet)/.test(name)) continue;
    for (const i of list ?? [])
      if (i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.')) found.push(i.address);
  }
  return found.sort((a, b) => rank(a) - rank(b));
}

/**
 * The origin students open to join (SPEC CLASS-1): PUBLIC_URL when set; else the address
 * the host's page was loaded from, unless that is this machine only (localhost), in
 * which case the machine's LAN address on the same port. Null when there is none to give.
 */
export function classOrigin(opts: {
  publicUrl: string | undefined;
  /** The Host header of the host's request (e.g. "localhost:2567"). */
  requestHost: string | undefined;
  protocol: string;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
}): string | null {
  const configured = opts.publicUrl?.trim();
  if (configured) return new URL(configured).origin;
  if (!opts.requestHost) return null;
  const url = new URL(`${opts.protocol}://${opts.requestHost}`);
  if (!LOOPBACK.test(url.hostname)) return url.origin;
  const lan = lanAddresses(opts.interfaces)[0];
  if (!lan) return null;
  url.hostname = lan;
  return url.origin;
}
