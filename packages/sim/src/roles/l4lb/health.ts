/**
 * The L4 balancer's health checks (SPEC LB-HEALTH-1, application/balancing/health.ts):
 * its tick probes every backend, forgets old tracked connections and reports the balance.
 */
import {
  HEALTH_TICK_ARG,
  onProbeReply as healthReply,
  onProbeTimeout,
  probeAll,
  scheduleTick,
} from '../../application/balancing/health.ts';
import type { SimCore } from '../../engine/core.ts';
import type { Packet } from '../../engine/state.ts';
import { sweep } from './conntrack.ts';
import type { L4lbSpec } from './spec.ts';
import { eligible, type L4lbState } from './state.ts';

export function specOf(sim: SimCore, lb: L4lbState): L4lbSpec {
  return sim.sc.file.nodes[lb.node] as unknown as L4lbSpec;
}

export function startL4Health(sim: SimCore, lb: L4lbState): void {
  onL4Timer(sim, lb, HEALTH_TICK_ARG);
}

/** The tick (probes, the table's sweep, the balance record), or a probe's timeout. */
export function onL4Timer(sim: SimCore, lb: L4lbState, arg: number): void {
  const spec = specOf(sim, lb);
  if (arg !== HEALTH_TICK_ARG) return onProbeTimeout(sim, lb.backends, spec.healthCheck, arg, health(lb));
  probeAll(sim, lb.node, lb.backends, spec.healthCheck);
  sweep(sim, lb, spec);
  const open = lb.backends.flatMap((b) => (eligible(b, 0) ? [b.open] : []));
  if (open.length > 0) sim.emit({ k: 'lbBalance', tUs: sim.st.nowUs, node: lb.node, open });
  scheduleTick(sim, lb.node, spec.healthCheck);
}

/** A reset answering the latest probe of a backend marks it up. */
export function onProbeReply(sim: SimCore, lb: L4lbState, p: Packet): void {
  healthReply(sim, lb.backends, p, health(lb));
}

function health(lb: L4lbState) {
  return (sim: SimCore, i: number, up: boolean) =>
    sim.emit({
      k: 'lbHealth',
      tUs: sim.st.nowUs,
      node: lb.node,
      backend: sim.sc.nodeIds[lb.backends[i]?.host ?? -1] ?? '',
      up,
    });
}
