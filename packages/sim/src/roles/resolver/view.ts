import type { SimCore } from '../../engine/core.ts';
import { percentile } from '../../engine/stats.ts';
import type { AnswerPolicy } from './gslbSpec.ts';
import type { ResolverPolicy } from './spec.ts';
import type { ResolverState } from './state.ts';

/** The span the panel's query rate is measured over, µs. */
export const RATE_WINDOW_US = 10_000_000;

/** What the resolver's panel and the scene read (SPEC DNS-16). */
export interface ResolverView {
  role: 'resolver';
  id: string;
  policy: ResolverPolicy;
  /** Answers sent per second over the last 10 s (of the latest 512). */
  queryRatePerS: number;
  queries: number;
  hits: number;
  misses: number;
  /** hits / queries; 0 before any query. */
  hitRatio: number;
  /** Resolution latency at the resolver over its latest answers, ms (0 for a hit). */
  p50LatencyMs: number;
  p95LatencyMs: number;
  stale: number;
  failures: number;
  cacheSize: number;
  /** Upstream queries in flight. */
  inflight: number;
  dropped: number;
  /** GSLB (SPEC GSLB-9): each region's answer policy, each data centre's health as its probes see it (and whether it is dark), answers it gave for GSLB names and answers naming a dark data centre's host. */
  answers: AnswerPolicy[];
  dcHealth: { dc: string; label: string; up: boolean; misses: number; dark: boolean }[];
  gslbAnswers: number;
  deadAnswers: number;
}

export function viewResolver(sim: SimCore, r: ResolverState): ResolverView {
  const now = sim.st.nowUs;
  const latenciesUs: number[] = [];
  let inWindow = 0;
  for (let i = 0; i < r.recent.length; i += 2) {
    latenciesUs.push(r.recent[i + 1] as number);
    if ((r.recent[i] as number) > now - RATE_WINDOW_US) inWindow++;
  }
  const windowUs = Math.min(RATE_WINDOW_US, Math.max(now, 1));
  return {
    role: 'resolver',
    id: sim.sc.nodeIds[r.node] ?? '?',
    policy: {
      minTtlS: r.policy.minTtlS,
      maxTtlS: r.policy.maxTtlS,
      serveStale: r.policy.serveStale,
      prefetch: r.policy.prefetch,
    },
    queryRatePerS: (inWindow * 1_000_000) / windowUs,
    queries: r.queries,
    hits: r.hits,
    misses: r.misses,
    hitRatio: r.queries === 0 ? 0 : r.hits / r.queries,
    p50LatencyMs: percentile(latenciesUs, 0.5) / 1000,
    p95LatencyMs: percentile(latenciesUs, 0.95) / 1000,
    stale: r.stale,
    failures: r.failures,
    cacheSize: r.cache.size,
    inflight: Object.keys(r.inflight).length,
    dropped: r.dropped,
    answers: r.answers.map((p) => structuredClone(p)),
    dcHealth: sim.sc.file.dataCentres.map((dc, i) => ({
      dc: dc.id,
      label: dc.label,
      up: r.health[i]?.up ?? true,
      misses: r.health[i]?.misses ?? 0,
      dark: sim.st.dcDown[i] === true,
    })),
    gslbAnswers: r.gslbAnswers,
    deadAnswers: r.deadAnswers,
  };
}
