import { stubResolverOf } from '../../application/dns/stubResolver.ts';
import type { SimRecord } from '../../engine/records.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { Credit } from '../role.ts';

/** A resolver's points (SPEC DNS-SCORE-1, DNS-SCORE-2): per lookup it answered from its cache, per lookup it had to ask upstream, per lookup that failed. */
export const RESOLVER_POINTS = { fromCache: 2, fromUpstream: 1, failed: -5, deadAnswer: -3 } as const;

/** The resolver a DNS flow's stub asks earns for its lookups' outcomes (SPEC DNS-SCORE-1). */
export function scoreResolver(r: SimRecord, credit: Credit, sc: Scenario): void {
  // An answer naming a host of a dark data centre (SPEC DNS-SCORE-2).
  if (r.k === 'deadAnswer') return credit(r.node, RESOLVER_POINTS.deadAnswer, 'dns-dead-answer');
  if (r.k !== 'dnsResolved' && r.k !== 'dnsFailed') return;
  // An anycast lookup names the instance it reached (SPEC ANY-3); else the stub's resolver,
  // for a DNS flow and a page load alike (a page load's `to` is the web server).
  const stub = stubResolverOf(sc.file.nodes[sc.flowEnds[2 * r.flow] as number]);
  const node = r.resolver ?? (stub === undefined ? -1 : (sc.nodeIndex.get(stub) ?? -1));
  if (sc.file.nodes[node]?.kind !== 'resolver') return;
  if (r.k === 'dnsFailed') credit(node, RESOLVER_POINTS.failed, 'dns-failed');
  else if (r.fromCache === 'resolver') credit(node, RESOLVER_POINTS.fromCache, 'dns-cache');
  else if (r.fromCache === 'authority') credit(node, RESOLVER_POINTS.fromUpstream, 'dns-upstream');
}
