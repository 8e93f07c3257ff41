/** IPv4 addresses as unsigned 32-bit integers, and prefixes for longest-prefix match. */

/** A parsed prefix such as 10.1.0.0/16. */
export interface Prefix {
  networkAddr: number;
  lengthBits: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses dotted-quad text; returns null when it is not an IPv4 address. */
export function parseAddress(text: string): number | null {
  const m = OCTETS.exec(text);
  if (!m) return null;
  let addr = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    addr = addr * 256 + octet;
  }
  return addr;
}

/** Formats a uint32 as dotted quad. */
export function formatAddress(addr: number): string {
  return [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255].join('.');
}

/** The network mask for a prefix length, as uint32. */
export function maskBits(lengthBits: number): number {
  return lengthBits === 0 ? 0 : (0xffffffff << (32 - lengthBits)) >>> 0;
}

/** Parses "a.b.c.d/len"; host bits must be zero so that one prefix has one spelling. */
export function parsePrefix(text: string): Prefix | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const addr = parseAddress(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (addr === null || !/^\d{1,2}$/.test(lenText)) return null;
  const lengthBits = Number(lenText);
  if (lengthBits > 32) return null;
  if ((addr & ~maskBits(lengthBits)) >>> 0 !== 0) return null;
  return { networkAddr: addr, lengthBits };
}

/** Canonical text of a prefix. */
export function formatPrefix(p: Prefix): string {
  return `${formatAddress(p.networkAddr)}/${p.lengthBits}`;
}

/** True when `addr` falls inside `prefix`. */
export function prefixContains(prefix: Prefix, addr: number): boolean {
  return (addr & maskBits(prefix.lengthBits)) >>> 0 === prefix.networkAddr;
}

/** An address as a zone or GSLB service writes it: a node's id (its address) or a dotted address (0 when neither, refused on load). */
export function addressOf(
  a: string,
  nodeIndex: ReadonlyMap<string, number>,
  hostAddr: readonly number[],
): number {
  const node = nodeIndex.get(a);
  return node === undefined ? (parseAddress(a) ?? 0) : (hostAddr[node] as number);
}
