import {
  type CachePolicy,
  DEFAULT_CACHE_POLICY,
  type DnsCache,
  emptyCache,
} from '../../application/dns/cache.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RoleStateBase } from '../role.ts';
import { type AnswerPolicy, defaultAnswer } from './gslbSpec.ts';
import type { ResolverPolicy, ResolverSpec } from './spec.ts';

/** A stub waiting for the resolver's answer: where to send it, and since when it waits. */
export interface Asker {
  addr: number;
  port: number;
  /** The DNS id of its query. */
  id: number;
  flow: number;
  unit: number;
  sinceUs: number;
}

/** One upstream query in flight for a name, with everyone waiting for it (SPEC DNS-11). */
export interface Upstream {
  /** Never reused (the query's DNS id is its low 16 bits): its timer names it. */
  key: number;
  name: string;
  /** Queries sent so far. */
  tries: number;
  askers: Asker[];
  flow: number;
  unit: number;
}

/** Most recent answers kept for the panel's rate and percentiles. */
export const RECENT_ANSWERS_MAX = 512;

/** A resolver's state: policy, cache, upstream queries in flight, and its counters. */
export interface ResolverState extends RoleStateBase {
  role: 'resolver';
  node: number;
  dropped: number;
  policy: CachePolicy;
  cache: DnsCache;
  /** Upstream queries in flight, by name. */
  inflight: Record<string, Upstream>;
  nextKey: number;
  /** Queries received; answered from cache (hits); not (misses); served stale; answered SERVFAIL. */
  queries: number;
  hits: number;
  misses: number;
  stale: number;
  failures: number;
  /** The latest answers as pairs [time sent µs, resolution latency µs], oldest first. */
  recent: number[];
  /** The bot's looks so far, and the SERVFAILs it had seen at its last look (SPEC BOT-5). */
  botLooks?: number;
  botSeenFailures?: number;
  /** GSLB answer policy per region, in the scenario's `regions` order (SPEC GSLB-2). */
  answers: AnswerPolicy[];
  /** Per data centre: what its health checks say (SPEC GSLB-6). */
  health: DcHealth[];
  /** Answers it gave itself for GSLB names; answers naming a host of a dark data centre (SPEC DNS-SCORE-2). */
  gslbAnswers: number;
  deadAnswers: number;
}

/** A data centre's health as one resolver's probes see it (SPEC GSLB-6). */
export interface DcHealth {
  up: boolean;
  /** Probes missed in a row. */
  misses: number;
  /** The latest probe is unanswered; it was sent at `sentUs` with sequence number `round`. */
  awaiting: boolean;
  sentUs: number;
  round: number;
}

/** The cache policy a scenario's policy stands for (serve-stale for up to a day past expiry). */
export function cachePolicyOf(p: ResolverPolicy): CachePolicy {
  return { ...DEFAULT_CACHE_POLICY, ...p };
}

/** Each region's policy: the given one, else `latency` (SPEC GSLB-2). */
export function answersFor(sc: Scenario, given: readonly AnswerPolicy[]): AnswerPolicy[] {
  return sc.file.regions.map((region) => {
    const p = given.find((a) => a.region === region.id);
    return p ? structuredClone(p) : defaultAnswer(region.id);
  });
}

export function initialResolverState(spec: ResolverSpec, node: number, sc: Scenario): ResolverState {
  return {
    role: 'resolver',
    node,
    dropped: 0,
    policy: cachePolicyOf(spec.policy),
    cache: emptyCache(),
    inflight: {},
    nextKey: 0,
    queries: 0,
    hits: 0,
    misses: 0,
    stale: 0,
    failures: 0,
    recent: [],
    answers: answersFor(sc, spec.answers),
    health: sc.file.dataCentres.map(() => ({ up: true, misses: 0, awaiting: false, sentUs: 0, round: 0 })),
    gslbAnswers: 0,
    deadAnswers: 0,
  };
}
