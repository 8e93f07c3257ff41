import type { SimRecord } from '../../engine/records.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { Credit } from '../role.ts';

/**
 * An L4 balancer's points (SPEC LB-SCORE-1): per request through it, more when fast; per
 * request through it that failed; per connection it broke; and each health-check
 * interval, up to `balance` for an even spread of open connections.
 */
export const L4LB_POINTS = { fast: 2, slow: 1, failed: -3, broken: -5, balance: 3 } as const;

/** The balancer a request flow goes to, or −1 (flows go `to` a balancer by its id). */
function balancerOf(sc: Scenario, flow: number): number {
  const to = sc.flowEnds[2 * flow + 1] as number;
  return sc.file.nodes[to]?.kind === 'l4lb' ? to : -1;
}

export function scoreL4lb(r: SimRecord, credit: Credit, sc: Scenario): void {
  switch (r.k) {
    case 'requestCompleted': {
      const lb = balancerOf(sc, r.flow);
      if (lb < 0) return;
      const spec = sc.file.nodes[lb] as { latencyTargetMs: number };
      const fast = r.latencyUs <= spec.latencyTargetMs * 1_000;
      return credit(lb, fast ? L4LB_POINTS.fast : L4LB_POINTS.slow, fast ? 'lb-fast' : 'lb-slow');
    }
    case 'requestFailed': {
      const lb = balancerOf(sc, r.flow);
      if (lb >= 0) credit(lb, L4LB_POINTS.failed, 'lb-failed');
      return;
    }
    case 'lbConnBroken':
      if (sc.file.nodes[r.node]?.kind === 'l4lb') credit(r.node, L4LB_POINTS.broken, 'lb-broken');
      return;
    case 'lbBalance': {
      if (sc.file.nodes[r.node]?.kind !== 'l4lb') return;
      const max = Math.max(...r.open);
      if (max === 0) return;
      const mean = r.open.reduce((a, b) => a + b, 0) / r.open.length;
      credit(r.node, Math.round(L4LB_POINTS.balance * (mean / max)), 'lb-balance');
      return;
    }
  }
}
