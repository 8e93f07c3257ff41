/**
 * A forwarding cache per router (what real routers call the FIB): the
 * longest-prefix match over a table of ~40 routes costs ~140 ns, so each router
 * remembers its latest answers in a small direct-mapped table keyed by
 * destination address. Derived data, never state: the simulation clears a
 * router's entries whenever its table changes, and all of them on restore. The
 * answers are those of `lookupRoute`, so the cache changes nothing but speed.
 */
import { lookupRoute } from './forwarding.ts';
import type { RouterState } from './state.ts';

/** Entries per router (a power of two). */
const ENTRIES = 256;
const EMPTY = -1;

export class Fib {
  /** Per node × entry: the cached destination address (−1 empty) and next hop (−1: no route). */
  private addr: Float64Array;
  private via: Int32Array;

  constructor(nodeCount: number) {
    this.addr = new Float64Array(nodeCount * ENTRIES).fill(EMPTY);
    this.via = new Int32Array(nodeCount * ENTRIES);
  }

  /** The next-hop node for `dstAddr` at this router, or −1 when no route matches (SPEC RT-1, RT-4). */
  nextHop(router: RouterState, dstAddr: number): number {
    // Fibonacci hashing spreads addresses that differ only in their low bytes.
    const i = router.node * ENTRIES + (Math.imul(dstAddr, 0x9e3779b1) >>> 24);
    if (this.addr[i] === dstAddr) return this.via[i] as number;
    const route = lookupRoute(router.routes, dstAddr);
    this.addr[i] = dstAddr;
    this.via[i] = route ? route.viaNode : -1;
    return this.via[i] as number;
  }

  /** Forgets a router's answers (its table changed). */
  invalidate(node: number): void {
    this.addr.fill(EMPTY, node * ENTRIES, (node + 1) * ENTRIES);
  }

  clear(): void {
    this.addr.fill(EMPTY);
  }
}
