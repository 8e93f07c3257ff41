/**
 * A client host's stub resolver (SPEC DNS-9): a cache of its own honouring TTLs; on a
 * miss a query to its resolver, asked again after `timeoutMs` up to `retries` times,
 * then the lookup fails (`timeout`).
 */
import { assert, type SimCore } from '../../engine/core.ts';
import type { Packet } from '../../engine/state.ts';
import { msToUs } from '../../engine/units.ts';
import { routedEnd } from '../../network/routedPath.ts';
import type { DnsFlowSpec, NodeSpec, StubSpec } from '../../scenario/scenarioSchema.ts';
import { EPHEMERAL_BASE } from '../requests.ts';
import { cacheLookup, cacheStore, DEFAULT_CACHE_POLICY, type DnsCache, emptyCache } from './cache.ts';
import { DNS_PORT, type DnsFailure, type DnsSource, type Rcode } from './message.ts';
import { answerOf, queryFor, sendDns } from './send.ts';
import { stubOf } from './stubResolver.ts';

/** A lookup waiting for its answer. */
export interface StubLookup {
  /** Never reused (the query's DNS id is its low 16 bits): a retry timer names its lookup by it. */
  key: number;
  flow: number;
  unit: number;
  name: string;
  startUs: number;
  /** Queries sent so far. */
  tries: number;
  /** An anycast resolver's lookup: the instance routes led its latest query to, −1 none (SPEC ANY-3). */
  reached?: number;
}

/** A stub resolver's state: its cache and its lookups in flight, by DNS id. */
export interface StubState {
  cache: DnsCache;
  pending: Record<number, StubLookup>;
  nextKey: number;
}

/** A stub's cache keeps every TTL as given (no clamps). */
const STUB_POLICY = DEFAULT_CACHE_POLICY;

/** The stubs of a scenario's hosts, by node index. */
export function initialStubs(nodes: readonly NodeSpec[]): Record<number, StubState> {
  const stubs: Record<number, StubState> = {};
  nodes.forEach((n, node) => {
    if (stubOf(n)) stubs[node] = { cache: emptyCache(), pending: {}, nextKey: 0 };
  });
  return stubs;
}

function stubAt(sim: SimCore, node: number): { spec: StubSpec; state: StubState } {
  const spec = stubOf(sim.sc.file.nodes[node]);
  const state = sim.st.stubs[node];
  assert(
    spec !== undefined && state !== undefined,
    'a DNS flow starts at a host with a stub (checked on load)',
  );
  return { spec, state };
}

/** How a lookup ended: an answer (NOERROR or NXDOMAIN) and whose cache gave it, or a failure (SPEC DNS-9). */
export type LookupResult =
  | {
      flow: number;
      unit: number;
      name: string;
      rcode: Rcode;
      addrs: number[];
      source: DnsSource;
      stale: boolean;
    }
  | { flow: number; unit: number; name: string; failure: DnsFailure };

/** Unit `unit` of DNS flow `flow` starts: its name (round-robin) from the stub's cache, else a query (SPEC DNS-9). */
export function startLookup(sim: SimCore, flow: number, unit: number): void {
  const f = sim.sc.file.traffic[flow] as DnsFlowSpec;
  lookupName(sim, sim.sc.flowEnds[2 * flow] as number, flow, unit, f.names[unit % f.names.length] as string);
}

/**
 * Host `node`'s stub looks `name` up for unit `unit` of `flow`: a fresh answer in its
 * cache ends the lookup at once (returned), else a query goes to its resolver (null:
 * the result comes from stubReceive or onStubTimer).
 */
export function lookupName(
  sim: SimCore,
  node: number,
  flow: number,
  unit: number,
  name: string,
): LookupResult | null {
  const { spec, state } = stubAt(sim, node);
  const now = sim.st.nowUs;
  sim.emit({ k: 'dnsLookup', tUs: now, flow, unit, name });
  if (spec.cache) {
    const found = cacheLookup(state.cache, STUB_POLICY, name, now);
    if (found.kind === 'hit') {
      const { rcode, addrs } = found.entry;
      sim.emit({
        k: 'dnsResolved',
        tUs: now,
        flow,
        unit,
        name,
        latencyUs: 0,
        rcode,
        fromCache: 'stub',
        stale: false,
      });
      return { flow, unit, name, rcode, addrs, source: 'stub', stale: false };
    }
  }
  const key = state.nextKey++;
  const lookup: StubLookup = { key, flow, unit, name, startUs: now, tries: 0 };
  state.pending[key & 0xffff] = lookup;
  ask(sim, node, spec, lookup);
  return null;
}

function ask(sim: SimCore, node: number, spec: StubSpec, lookup: StubLookup): void {
  lookup.tries++;
  const id = lookup.key & 0xffff;
  const addr = sim.sc.stubResolverAddr[node] as number;
  // An anycast address: the instance the routes lead this query to is the one a timeout is charged to (SPEC ANY-3).
  if ((sim.sc.addrNodes.get(addr)?.length ?? 0) > 1) lookup.reached = routedEnd(sim, node, addr).node;
  sendDns(
    sim,
    {
      node,
      // By id or by address: an anycast address reaches whichever instance routes lead to (SPEC ANY-1).
      dstAddr: addr,
      srcPort: EPHEMERAL_BASE + (id % 16384),
      dstPort: DNS_PORT,
      flow: lookup.flow,
      unit: lookup.unit,
    },
    queryFor(id, lookup.name),
  );
  sim.schedule({ t: sim.st.nowUs + msToUs(spec.timeoutMs), k: 'dnsTimer', node, query: lookup.key });
}

/** A stub's retry timer: ask again, or give up after `retries` retries (SPEC DNS-9); returns the failure then. */
export function onStubTimer(sim: SimCore, node: number, key: number): LookupResult | null {
  const { spec, state } = stubAt(sim, node);
  const lookup = state.pending[key & 0xffff];
  if (!lookup || lookup.key !== key) return null;
  if (lookup.tries <= spec.retries) {
    ask(sim, node, spec, lookup);
    return null;
  }
  delete state.pending[key & 0xffff];
  const { flow, unit, name } = lookup;
  sim.emit({
    k: 'dnsFailed',
    tUs: sim.st.nowUs,
    flow,
    unit,
    name,
    reason: 'timeout',
    ...(lookup.reached === undefined ? {} : { resolver: lookup.reached }),
  });
  return { flow, unit, name, failure: 'timeout' };
}

/**
 * A response reached the stub: the lookup it answers ends, and is returned (a late copy
 * finds none and is ignored).
 */
export function stubReceive(sim: SimCore, node: number, p: Packet): LookupResult | null {
  const { spec, state } = stubAt(sim, node);
  const m = p.dns;
  const lookup = m ? state.pending[m.id] : undefined;
  if (m?.qr !== 'response' || !lookup || lookup.name !== m.name) return null;
  delete state.pending[m.id];
  const now = sim.st.nowUs;
  const { flow, unit, name } = lookup;
  if (m.rcode === 'SERVFAIL') {
    sim.emit({
      k: 'dnsFailed',
      tUs: now,
      flow,
      unit,
      name,
      reason: 'servfail',
      ...(m.by === undefined ? {} : { resolver: m.by }),
    });
    return { flow, unit, name, failure: 'servfail' };
  }
  if (spec.cache) cacheStore(state.cache, STUB_POLICY, name, answerOf(m), now);
  const source: DnsSource = m.fromCache ? 'resolver' : 'authority';
  sim.emit({
    k: 'dnsResolved',
    tUs: now,
    flow,
    unit,
    name,
    latencyUs: now - lookup.startUs,
    rcode: m.rcode,
    fromCache: source,
    stale: m.stale,
    ...(m.by === undefined ? {} : { resolver: m.by }),
  });
  return { flow, unit, name, rcode: m.rcode, addrs: m.addrs, source, stale: m.stale };
}
