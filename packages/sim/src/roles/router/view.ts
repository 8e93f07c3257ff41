import type { SimCore } from '../../engine/core.ts';
import type { Channel } from '../../engine/state.ts';
import { formatAddress } from '../../network/address.ts';
import type { RouterState } from './state.ts';

/** A packet waiting for hand forwarding, as the router panel lists it. */
export interface HandWaitView {
  packetId: number;
  channel: Channel;
  dst: string;
  ttl: number;
  waitedUs: number;
  fromLink: string;
}

/** What the router's panel and the scene read: its table, hand queue and counters. */
export interface RouterView {
  role: 'router';
  id: string;
  routes: { prefix: string; via: string }[];
  handForwarding: boolean;
  handQueue: HandWaitView[];
  neighbours: string[];
  forwarded: number;
  dropped: number;
}

export function viewRouter(sim: SimCore, r: RouterState): RouterView {
  const ids = sim.sc.nodeIds;
  return {
    role: 'router',
    id: ids[r.node] ?? '?',
    routes: r.routes.map((x) => ({ prefix: x.prefix, via: ids[x.viaNode] ?? '?' })),
    handForwarding: r.handForwarding,
    handQueue: r.handQueue.map((w) => ({
      packetId: w.packet.id,
      channel: w.packet.channel,
      dst: formatAddress(w.packet.dstAddr),
      ttl: w.packet.ttl,
      waitedUs: sim.st.nowUs - w.sinceUs,
      fromLink: sim.sc.file.links[w.fromLink]?.id ?? '?',
    })),
    neighbours: [...new Set((sim.sc.ports[r.node] ?? []).map((p) => ids[p.peer] ?? '?'))],
    forwarded: sim.st.forwardedByNode[r.node] ?? 0,
    dropped: r.dropped,
  };
}

/** The router `id`'s view; null when `id` is not a router. */
export function routerView(sim: SimCore, id: string): RouterView | null {
  const node = sim.sc.nodeIndex.get(id);
  const state = node === undefined ? null : sim.st.roles[node];
  return state?.role === 'router' ? viewRouter(sim, state) : null;
}
