/**
 * The routers' forwarding tables as real routers hold them (the FIB): for every
 * router and every host of the scenario, the port a packet to that host leaves
 * on. Longest-prefix match over ~40 routes costs ~140 ns and choosing the port
 * another scan, so each answer is computed once and kept in a dense table.
 * Derived data, never state: the simulation forgets a router's row whenever its
 * table changes, and every row when a link goes up or down (the port depends on
 * which parallel links are up) or the state is restored. The answers are those of
 * `lookupRoute` and `portTowards`, so the table changes nothing but speed.
 * Addresses that are no host's (rare: nothing sends to them) are looked up each time.
 */
import { assert, type SimCore } from '../engine/core.ts';
import type { Port } from '../scenario/scenario.ts';
import { type ForwardingTable, lookupRoute } from './forwarding.ts';

/** Table entry not computed yet. */
const UNKNOWN = -2;
/** Answer: no route (the packet is dropped). */
export const NO_ROUTE = -1;

export class Fib {
  /** Per router ordinal × host ordinal: the interface out (link × 2 + direction), NO_ROUTE or UNKNOWN. */
  private port: Int32Array;
  /** Per node: its ordinal among routers (−1 for hosts). */
  private ordinal: Int32Array;
  private hosts: number;
  /** Open-addressing hash of host addresses: the address as int32, and its host ordinal + 1 (0: empty cell). */
  private addrKeys: Int32Array;
  private addrHost: Int32Array;
  /** 32 − log2(cells of the hash). */
  private addrShift: number;

  /** `routerOfNode`: per node whether it forwards by a table; `hostAddrs`: per node its address, or a negative number for others (Scenario.hostAddr). */
  constructor(routerOfNode: readonly boolean[], hostAddrs: readonly number[]) {
    this.ordinal = new Int32Array(routerOfNode.length).fill(-1);
    let routers = 0;
    routerOfNode.forEach((isRouter, node) => {
      if (isRouter) this.ordinal[node] = routers++;
    });
    const addrs = hostAddrs.filter((a, node) => !routerOfNode[node] && a >= 0);
    this.hosts = addrs.length;
    let cells = 8;
    while (cells < 4 * addrs.length) cells *= 2;
    this.addrShift = 32 - Math.log2(cells);
    this.addrKeys = new Int32Array(cells);
    this.addrHost = new Int32Array(cells);
    addrs.forEach((a, h) => {
      let c = cellOf(a | 0, this.addrShift);
      while (this.addrHost[c] !== 0) c = (c + 1) & (cells - 1);
      this.addrKeys[c] = a | 0;
      this.addrHost[c] = h + 1;
    });
    this.port = new Int32Array(routers * this.hosts).fill(UNKNOWN);
  }

  /**
   * The interface a packet to `dstAddr` (int32 or unsigned) leaves router `node` on, as
   * link × 2 + direction, or NO_ROUTE (SPEC RT-1, RT-4). A known answer reads no
   * router state; only a miss asks the router's table.
   */
  interfaceTowards(sim: SimCore, node: number, dstAddr: number): number {
    const host = this.hostOf(dstAddr | 0);
    if (host < 0) return this.answerFor(sim, node, dstAddr);
    const i = (this.ordinal[node] as number) * this.hosts + host;
    const known = this.port[i] as number;
    if (known !== UNKNOWN) return known;
    const answer = this.answerFor(sim, node, dstAddr);
    this.port[i] = answer;
    return answer;
  }

  private answerFor(sim: SimCore, node: number, dstAddr: number): number {
    const table = sim.st.roles[node] as Partial<ForwardingTable> | null | undefined;
    assert(table?.routes !== undefined, 'only nodes with a forwarding table forward');
    return interfaceOf(sim, node, this.nextHop(table as ForwardingTable, dstAddr));
  }

  /** The next-hop node for `dstAddr` by longest-prefix match, or −1 when no route matches. */
  nextHop(table: ForwardingTable, dstAddr: number): number {
    return lookupRoute(table.routes, dstAddr)?.viaNode ?? -1;
  }

  /** Forgets a router's answers (its table changed). */
  invalidate(node: number): void {
    const o = this.ordinal[node] as number;
    if (o >= 0) this.port.fill(UNKNOWN, o * this.hosts, (o + 1) * this.hosts);
  }

  /** Forgets every answer (a link went up or down, or the state was restored). */
  clear(): void {
    this.port.fill(UNKNOWN);
  }

  /** The host ordinal of an address, or −1 when it is no host's. */
  private hostOf(addr: number): number {
    const mask = this.addrKeys.length - 1;
    for (let c = cellOf(addr, this.addrShift); ; c = (c + 1) & mask) {
      const host = this.addrHost[c] as number;
      if (host === 0) return -1;
      if (this.addrKeys[c] === addr) return host - 1;
    }
  }
}

/**
 * Fibonacci hashing into 2^(32 − shift) cells: the product's top bits,
 * which depend on every bit of the address. (Its low bits depend only on the
 * address's low bits, and hosts' addresses often share those, e.g. all x.x.x.10.)
 */
function cellOf(addr: number, shift: number): number {
  return Math.imul(addr, 0x9e3779b1) >>> shift;
}

function interfaceOf(sim: SimCore, node: number, via: number): number {
  if (via < 0) return NO_ROUTE;
  const port = portTowards(sim, node, via);
  assert(port !== undefined, 'routes only name neighbours');
  return port.link * 2 + port.dir;
}

/** The port from `node` to its neighbour `peer`: the first link that is up, else the first link. */
export function portTowards(sim: SimCore, node: number, peer: number): Port | undefined {
  let first: Port | undefined;
  for (const q of sim.sc.ports[node] ?? []) {
    if (q.peer !== peer) continue;
    if (sim.st.links[q.link]?.up) return q;
    first ??= q;
  }
  return first;
}
