import type { SimRecord } from '../../engine/records.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { Credit } from '../role.ts';

/**
 * An L7 balancer's points (SPEC LB-L7-SCORE-1): per request through it answered, more
 * when within its latency target; per request through it that failed (refused by it or
 * lost behind it); and for every request answered, the CPU its L7 work cost, so reading
 * requests is not free.
 */
export const L7LB_POINTS = { fast: 3, slow: 1, failed: -3, cpu: -1 } as const;

/** The L7 balancer a request flow goes to, or −1. */
function balancerOf(sc: Scenario, flow: number): number {
  const to = sc.flowEnds[2 * flow + 1] as number;
  return sc.file.nodes[to]?.kind === 'l7lb' ? to : -1;
}

export function scoreL7lb(r: SimRecord, credit: Credit, sc: Scenario): void {
  if (r.k === 'requestCompleted') {
    const lb = balancerOf(sc, r.flow);
    if (lb < 0) return;
    const spec = sc.file.nodes[lb] as { latencyTargetMs: number };
    const fast = r.latencyUs <= spec.latencyTargetMs * 1_000;
    credit(lb, fast ? L7LB_POINTS.fast : L7LB_POINTS.slow, fast ? 'lb-fast' : 'lb-slow');
    credit(lb, L7LB_POINTS.cpu, 'l7-cpu');
  } else if (r.k === 'requestFailed') {
    const lb = balancerOf(sc, r.flow);
    if (lb >= 0) credit(lb, L7LB_POINTS.failed, 'lb-failed');
  }
}
