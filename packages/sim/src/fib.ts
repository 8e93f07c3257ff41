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

export class Fib {
  /** Per router ordinal × entry: the cached destination address as int32, and next hop (−1: no route). */
  private addr: Int32Array;
  private via: Int32Array;
  /** Which entries hold an answer (a separate array: every int32 is a possible address). */
  private valid: Uint8Array;
  /** Per node: its ordinal among routers (−1 for hosts), so the table is only as large as the routers need. */
  private ordinal: Int32Array;

  constructor(routerOfNode: readonly boolean[]) {
    this.ordinal = new Int32Array(routerOfNode.length).fill(-1);
    let routers = 0;
    routerOfNode.forEach((isRouter, node) => {
      if (isRouter) this.ordinal[node] = routers++;
    });
    this.addr = new Int32Array(routers * ENTRIES);
    this.via = new Int32Array(routers * ENTRIES);
    this.valid = new Uint8Array(routers * ENTRIES);
  }

  /** The next-hop node for `dstAddr` (int32 or unsigned) at this router, or −1 when no route matches (SPEC RT-1, RT-4). */
  nextHop(router: RouterState, dstAddr: number): number {
    const key = dstAddr | 0;
    // Fibonacci hashing spreads addresses that differ only in their low bytes.
    const i = (this.ordinal[router.node] as number) * ENTRIES + (Math.imul(key, 0x9e3779b1) >>> 24);
    if (this.valid[i] === 1 && this.addr[i] === key) return this.via[i] as number;
    const route = lookupRoute(router.routes, dstAddr);
    this.addr[i] = key;
    this.via[i] = route ? route.viaNode : -1;
    this.valid[i] = 1;
    return this.via[i] as number;
  }

  /** Forgets a router's answers (its table changed). */
  invalidate(node: number): void {
    const o = this.ordinal[node] as number;
    if (o >= 0) this.valid.fill(0, o * ENTRIES, (o + 1) * ENTRIES);
  }

  clear(): void {
    this.valid.fill(0);
  }
}
