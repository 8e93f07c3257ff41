/**
 * Where routing takes a packet, read off the forwarding tables without sending one
 * (SPEC GSLB-2, ANY-2): the node a packet from a host or resolver to an address ends
 * at, and the propagation delay of that path. Not on the hop path: GSLB answers and
 * failed anycast lookups ask it, a few times per lookup at most.
 */
import type { SimCore } from '../engine/core.ts';
import { msToUs } from '../engine/units.ts';
import { NO_ROUTE } from './fib.ts';

/** The routed path's end: the node reached and the sum of the links' latencies, µs; node −1 when no route leads there. */
export interface RoutedEnd {
  node: number;
  delayUs: number;
}

/** Follows the tables from `from` (a node with one link) towards `addr`, as a packet with TTL 64 would go. */
export function routedEnd(sim: SimCore, from: number, addr: number): RoutedEnd {
  const sc = sim.sc;
  let out = sc.hostOut[from] as number;
  let delayUs = 0;
  for (let hops = 0; hops < 64 && out >= 0; hops++) {
    const link = out >> 1;
    if (!sim.st.links[link]?.up) break;
    delayUs += msToUs(sc.file.links[link]?.latencyMs ?? 0);
    const node = sc.linkEnds[link * 2 + 1 - (out & 1)] as number;
    if (sc.hostAddr[node] === addr) return { node, delayUs };
    const role = sim.st.roles[node];
    if (!role || !sc.roles.of(role).forwards) break;
    out = sim.fib.interfaceTowards(sim, node, addr);
    if (out === NO_ROUTE) break;
  }
  return { node: -1, delayUs: Number.POSITIVE_INFINITY };
}
