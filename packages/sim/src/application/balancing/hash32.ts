/**
 * 32-bit hashes for load balancing: stable across JS engines (Math.imul and integer ops
 * only), so every replica of a room picks the same backend.
 */

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A flow's key from its client address and port (what an L4 balancer sees). */
export function flowKey32(addr: number, port: number): number {
  return mix32(mix32(addr >>> 0) ^ Math.imul(port + 1, 0x9e3779b1));
}

/** FNV-1a over a string, then mixed: a backend name's hash, with `seed` for independent ones. */
export function stringHash32(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}
