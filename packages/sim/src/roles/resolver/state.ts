import {
  type CachePolicy,
  DEFAULT_CACHE_POLICY,
  type DnsCache,
  emptyCache,
} from '../../application/dns/cache.ts';
import type { RoleStateBase } from '../role.ts';
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
}

/** The cache policy a scenario's policy stands for (serve-stale for up to a day past expiry). */
export function cachePolicyOf(p: ResolverPolicy): CachePolicy {
  return { ...DEFAULT_CACHE_POLICY, ...p };
}

export function initialResolverState(spec: ResolverSpec, node: number): ResolverState {
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
  };
}
