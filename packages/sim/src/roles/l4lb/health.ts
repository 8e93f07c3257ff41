/**
 * Health checks of the pool (SPEC LB-HEALTH-1): every interval a TCP SYN from the
 * virtual IP to each backend's port 7, closed on every host, so a live host answers
 * with a reset; `misses` unanswered probes in a row mark a backend down, one answered
 * marks it up. The same tick forgets old tracked connections and reports the balance.
 */
import type { SimCore } from '../../engine/core.ts';
import { type Packet, RST, SYN } from '../../engine/state.ts';
import { msToUs } from '../../engine/units.ts';
import { setTcpHeader } from '../../engine/wire.ts';
import { sendPacket } from '../../network/network.ts';
import { segmentSlot } from '../../transport/tcpConn.ts';
import { sweep } from './conntrack.ts';
import type { L4lbSpec } from './spec.ts';
import { eligible, type L4lbState } from './state.ts';

/** Probes go to this port, closed on every host (as the resolver's, SPEC GSLB-6). */
export const PROBE_PORT = 7;
/** A probe of backend b leaves from port PROBE_PORT_BASE + b (below the ephemeral ports the balancer uses for connections). */
export const PROBE_PORT_BASE = 40_000;
/** Role-timer args: 0 is the interval's tick, 1 + b backend b's probe timeout (the bot's are negative). */
const TICK_ARG = 0;

export function specOf(sim: SimCore, lb: L4lbState): L4lbSpec {
  return sim.sc.file.nodes[lb.node] as unknown as L4lbSpec;
}

export function startL4Health(sim: SimCore, lb: L4lbState): void {
  onL4Timer(sim, lb, TICK_ARG);
}

/** The tick (probes, the table's sweep, the balance record), or a probe's timeout. */
export function onL4Timer(sim: SimCore, lb: L4lbState, arg: number): void {
  const spec = specOf(sim, lb);
  const now = sim.st.nowUs;
  if (arg !== TICK_ARG) {
    const b = lb.backends[arg - 1];
    if (!b?.awaiting || b.sentUs + msToUs(spec.healthCheck.timeoutMs) !== now) return;
    b.awaiting = false;
    b.misses++;
    if (b.misses >= spec.healthCheck.misses && b.healthy) setHealthy(sim, lb, arg - 1, false);
    return;
  }
  for (let i = 0; i < lb.backends.length; i++) probe(sim, lb, spec, i);
  sweep(sim, lb, spec);
  const open = lb.backends.flatMap((b) => (eligible(b, 0) ? [b.open] : []));
  if (open.length > 0) sim.emit({ k: 'lbBalance', tUs: now, node: lb.node, open });
  sim.schedule({
    t: now + msToUs(spec.healthCheck.intervalMs),
    k: 'roleTimer',
    node: lb.node,
    arg: TICK_ARG,
  });
}

function probe(sim: SimCore, lb: L4lbState, spec: L4lbSpec, i: number): void {
  const b = lb.backends[i];
  if (!b) return;
  b.round = (b.round + 1) % 0x40000000;
  b.awaiting = true;
  b.sentUs = sim.st.nowUs;
  const slot = segmentSlot(sim, sim.sc.hostAddr[b.host] as number, 0, -1, -1);
  const vip = sim.sc.hostAddr[lb.node] as number;
  setTcpHeader(sim.st.wire, slot, vip, PROBE_PORT_BASE + i, PROBE_PORT, SYN, b.round, 0, 0);
  sendPacket(sim, sim.hooks, lb.node, slot);
  sim.schedule({
    t: sim.st.nowUs + msToUs(spec.healthCheck.timeoutMs),
    k: 'roleTimer',
    node: lb.node,
    arg: 1 + i,
  });
}

/** A reset answering the latest probe of a backend marks it up. */
export function onProbeReply(sim: SimCore, lb: L4lbState, p: Packet): void {
  const i = p.dstPort - PROBE_PORT_BASE;
  const b = lb.backends[i];
  if (!(p.flags & RST) || !b?.awaiting || p.ack !== b.round + 1) return;
  b.awaiting = false;
  b.misses = 0;
  if (!b.healthy) setHealthy(sim, lb, i, true);
}

function setHealthy(sim: SimCore, lb: L4lbState, i: number, up: boolean): void {
  const b = lb.backends[i] as { healthy: boolean; host: number };
  b.healthy = up;
  sim.emit({ k: 'lbHealth', tUs: sim.st.nowUs, node: lb.node, backend: sim.sc.nodeIds[b.host] ?? '', up });
}
