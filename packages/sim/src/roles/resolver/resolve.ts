/**
 * What a recursive resolver does with DNS messages (SPEC DNS-11..13): a query for a
 * cached name is answered at once with the remaining TTL; a miss asks the upstream once
 * per name, however many stubs wait for it; the answer is cached by the policy and sent
 * to every one of them; an expired answer may be served stale while upstream is silent.
 */
import {
  type CacheEntry,
  cacheLookup,
  cacheStore,
  cacheTtlS,
  canServeStale,
  type DnsAnswer,
  STALE_TTL_S,
} from '../../application/dns/cache.ts';
import { DNS_PORT, type DnsMessage } from '../../application/dns/message.ts';
import { answerOf, queryFor, responseTo, sendDns } from '../../application/dns/send.ts';
import { EPHEMERAL_BASE } from '../../application/requests.ts';
import type { SimCore } from '../../engine/core.ts';
import type { Packet } from '../../engine/state.ts';
import { msToUs } from '../../engine/units.ts';
import { CHANNEL_CODE, I_CHANNEL, I_DST, ISTRIDE, release } from '../../engine/wire.ts';
import { dropSlot, type NetworkHooks } from '../../network/network.ts';
import { ownAddress } from './address.ts';
import { gslbAnswer, gslbService, isDeadAddress, onHealthReply } from './gslb.ts';
import type { ResolverSpec } from './spec.ts';
import { type Asker, RECENT_ANSWERS_MAX, type ResolverState, type Upstream } from './state.ts';

function specOf(sim: SimCore, r: ResolverState): ResolverSpec {
  return sim.sc.file.nodes[r.node] as unknown as ResolverSpec;
}

/** A packet reached the resolver: DNS messages to its address are handled, anything else is dropped or ignored. */
export function resolverArrive(
  sim: SimCore,
  hooks: NetworkHooks,
  r: ResolverState,
  slot: number,
  link: number,
): void {
  const ints = sim.st.wire.ints;
  const dst = ints[slot * ISTRIDE + I_DST];
  if (dst !== ((sim.sc.hostAddr[r.node] as number) | 0) && dst !== (ownAddress(sim, r) | 0))
    return dropSlot(sim, hooks, slot, 'wrong-host', r.node, link);
  const channel = ints[slot * ISTRIDE + I_CHANNEL];
  const p = release(sim.st.wire, slot, false);
  // Resets answering its health probes (SPEC GSLB-6); otherwise it listens on port 53 only: other packets find no one.
  if (channel === CHANNEL_CODE.tcp) return onHealthReply(sim, r, p);
  if (channel !== CHANNEL_CODE.dns || !p.dns) return;
  if (p.dns.qr === 'query') onQuery(sim, r, p, p.dns);
  else onUpstreamAnswer(sim, r, p.dns);
}

function onQuery(sim: SimCore, r: ResolverState, p: Packet, m: DnsMessage): void {
  const now = sim.st.nowUs;
  const asker: Asker = {
    addr: p.srcAddr,
    port: p.srcPort,
    id: m.id,
    flow: p.flow,
    unit: p.unit,
    sinceUs: now,
  };
  r.queries++;
  // A GSLB name: the resolver answers itself, per the asker's region (SPEC GSLB-1).
  const svc = gslbService(sim, m.name);
  if (svc) {
    r.hits++;
    const { answer: got, dc, region } = gslbAnswer(sim, r, svc, asker.addr);
    if (sim.listeners.length > 0)
      sim.emit({
        k: 'gslbAnswer',
        tUs: now,
        node: r.node,
        flow: p.flow,
        unit: p.unit,
        name: m.name,
        region: sim.sc.file.regions[region]?.id ?? '',
        dc: sim.sc.file.dataCentres[dc]?.id ?? '',
        dark: sim.st.dcDown[dc] === true,
      });
    return answer(sim, r, asker, m.name, got, true, false);
  }
  const found = cacheLookup(r.cache, r.policy, m.name, now);
  if (found.kind === 'hit') {
    r.hits++;
    answer(sim, r, asker, m.name, cachedAnswer(found.entry, found.remainingTtlS), true, false);
    if (found.prefetch && !r.inflight[m.name]) ask(sim, r, newUpstream(r, m.name, [], p.flow, p.unit));
    return;
  }
  r.misses++;
  const up = r.inflight[m.name];
  if (!up) return ask(sim, r, newUpstream(r, m.name, [asker], p.flow, p.unit));
  // Upstream already missed its deadline once: an expired answer may go at once (SPEC DNS-12).
  if (found.kind === 'expired' && up.tries > 1 && serveStale(sim, r, [asker], m.name, found.entry)) return;
  if (!up.askers.some((a) => a.addr === asker.addr && a.port === asker.port && a.id === asker.id))
    up.askers.push(asker);
}

/** A cached entry as an answer, carrying its remaining TTL (SPEC DNS-3); a negative one's SOA timers are that TTL too. */
function cachedAnswer(entry: CacheEntry, ttlS: number): DnsAnswer {
  if (entry.addrs.length > 0) return { rcode: entry.rcode, addrs: entry.addrs, ttlS };
  return { rcode: entry.rcode, addrs: [], ttlS: 0, soaMinimumS: ttlS, soaTtlS: ttlS };
}

function newUpstream(r: ResolverState, name: string, askers: Asker[], flow: number, unit: number): Upstream {
  const up: Upstream = { key: r.nextKey++, name, tries: 0, askers, flow, unit };
  r.inflight[name] = up;
  return up;
}

/** Sends (again) the upstream query and arms its timer. */
function ask(sim: SimCore, r: ResolverState, up: Upstream): void {
  const spec = specOf(sim, r);
  up.tries++;
  const id = up.key & 0xffff;
  const authority = sim.sc.nodeIndex.get(spec.upstream) as number;
  sendDns(
    sim,
    {
      node: r.node,
      srcAddr: ownAddress(sim, r),
      dstAddr: sim.sc.hostAddr[authority] as number,
      srcPort: EPHEMERAL_BASE + (id % 16384),
      dstPort: DNS_PORT,
      flow: up.flow,
      unit: up.unit,
    },
    queryFor(id, up.name),
  );
  sim.schedule({ t: sim.st.nowUs + msToUs(spec.timeoutMs), k: 'roleTimer', node: r.node, arg: up.key });
}

/** The upstream's answer: cached by the policy (SPEC DNS-1, 2, 4) and sent to everyone waiting. */
function onUpstreamAnswer(sim: SimCore, r: ResolverState, m: DnsMessage): void {
  const up = r.inflight[m.name];
  if (!up || (up.key & 0xffff) !== m.id) return;
  delete r.inflight[m.name];
  const got = answerOf(m);
  const cached = cacheStore(r.cache, r.policy, m.name, got, sim.st.nowUs);
  const ttlS = cacheTtlS(got, r.policy);
  const out: DnsAnswer = !cached
    ? got
    : got.addrs.length > 0
      ? { ...got, ttlS }
      : { ...got, soaMinimumS: ttlS, soaTtlS: ttlS };
  if (m.rcode === 'SERVFAIL') r.failures += up.askers.length;
  for (const a of up.askers) answer(sim, r, a, m.name, out, false, false);
}

/** The upstream query's timer: serve stale to those waiting if allowed, ask again, or give up with SERVFAIL. */
export function onResolverTimer(sim: SimCore, r: ResolverState, key: number): void {
  const up = Object.values(r.inflight).find((u) => u.key === key);
  if (!up) return;
  const found = cacheLookup(r.cache, r.policy, up.name, sim.st.nowUs);
  if (found.kind === 'expired' && serveStale(sim, r, up.askers, up.name, found.entry)) up.askers = [];
  if (up.tries <= specOf(sim, r).retries) return ask(sim, r, up);
  delete r.inflight[up.name];
  r.failures += up.askers.length;
  for (const a of up.askers)
    answer(sim, r, a, up.name, { rcode: 'SERVFAIL', addrs: [], ttlS: 0 }, false, false);
}

/** Answers `askers` with the expired entry and a TTL of 30 s, when the policy allows (SPEC DNS-5, DNS-12). */
function serveStale(
  sim: SimCore,
  r: ResolverState,
  askers: Asker[],
  name: string,
  entry: CacheEntry,
): boolean {
  if (!canServeStale(entry, r.policy, sim.st.nowUs)) return false;
  r.stale += askers.length;
  for (const a of askers) answer(sim, r, a, name, cachedAnswer(entry, STALE_TTL_S), true, true);
  return true;
}

function answer(
  sim: SimCore,
  r: ResolverState,
  a: Asker,
  name: string,
  got: DnsAnswer,
  fromCache: boolean,
  stale: boolean,
): void {
  const now = sim.st.nowUs;
  r.recent.push(now, now - a.sinceUs);
  if (r.recent.length > 2 * RECENT_ANSWERS_MAX) r.recent.splice(0, 2);
  // An answer naming a host of a dark data centre sends its stub to a dead address (SPEC DNS-SCORE-2).
  const dead = got.addrs.find((addr) => isDeadAddress(sim, addr));
  if (dead !== undefined) {
    r.deadAnswers++;
    sim.emit({ k: 'deadAnswer', tUs: now, node: r.node, flow: a.flow, unit: a.unit, name, addr: dead });
  }
  const msg = responseTo(queryFor(a.id, name), got, fromCache, stale);
  // An anycast instance signs its answers (not on the wire): the stub's records name who answered (SPEC ANY-3).
  if (specOf(sim, r).anycast) msg.by = r.node;
  sendDns(
    sim,
    { node: r.node, dstAddr: a.addr, srcPort: DNS_PORT, dstPort: a.port, flow: a.flow, unit: a.unit },
    msg,
  );
}
