/**
 * GSLB at the resolver (SPEC GSLB-1..6): names the scenario marks as GSLB services are
 * answered by the resolver itself, with one data centre's addresses chosen per client
 * region by that region's policy; health checks are TCP probes it sends to each data
 * centre every interval.
 */
import type { DnsAnswer } from '../../application/dns/cache.ts';
import type { SimCore } from '../../engine/core.ts';
import { nextFloat } from '../../engine/rng.ts';
import { type Packet, RST, SYN } from '../../engine/state.ts';
import { msToUs } from '../../engine/units.ts';
import { setTcpHeader } from '../../engine/wire.ts';
import { addressOf } from '../../network/address.ts';
import { sendPacket } from '../../network/network.ts';
import { routedEnd } from '../../network/routedPath.ts';
import type { GslbServiceSpec } from '../../scenario/scenarioSchema.ts';
import { segmentSlot } from '../../transport/tcpConn.ts';
import { ownAddress } from './address.ts';
import { type AnswerPolicy, checkedDcs } from './gslbSpec.ts';
import type { ResolverSpec } from './spec.ts';
import type { ResolverState } from './state.ts';

/** Probes go to this port, closed on every host: a live host answers the SYN with a reset (a "TCP ping"). */
export const HEALTH_PROBE_PORT = 7;
/** A probe of data centre d leaves from port HEALTH_PORT_BASE + d: the reset names the data centre. */
export const HEALTH_PORT_BASE = 40_000;
/**
 * Role-timer args from here up are the health checks': the interval's tick, then each data
 * centre's probe timeout. Upstream queries' keys count up from 0 and never get this far, and
 * negative args are the bot's (`botTimerArg`).
 */
export const HEALTH_TIMER_BASE = 2 ** 40;
const TICK_ARG = HEALTH_TIMER_BASE;
const timeoutArg = (dc: number) => HEALTH_TIMER_BASE + 1 + dc;

function specOf(sim: SimCore, r: ResolverState): ResolverSpec {
  return sim.sc.file.nodes[r.node] as unknown as ResolverSpec;
}

/** The GSLB service named `name`, if any. */
export function gslbService(sim: SimCore, name: string): GslbServiceSpec | undefined {
  return sim.sc.file.gslb.find((s) => s.name === name);
}

/** Whether `addr` is a host of a dark data centre now (SPEC DC-3). */
export function isDeadAddress(sim: SimCore, addr: number): boolean {
  const nodes = sim.sc.addrNodes.get(addr);
  if (!nodes) return false;
  const dc = sim.sc.regions.dcOfNode[nodes[0] as number] as number;
  return dc >= 0 && sim.st.dcDown[dc] === true;
}

/** The first address of data centre `dc` in a service. */
function dcAddr(sim: SimCore, svc: GslbServiceSpec, dc: number): number {
  const entry = svc.dcs.find((d) => sim.sc.regions.dcIndex.get(d.dc) === dc);
  return addressOf(entry?.addrs[0] ?? '', sim.sc.nodeIndex, sim.sc.hostAddr);
}

/** Propagation along the routed path from `from` to data centre `dc` of the service, µs (+∞ when no route leads there). */
function delayToDc(sim: SimCore, from: number, svc: GslbServiceSpec, dc: number): number {
  return routedEnd(sim, from, dcAddr(sim, svc, dc)).delayUs;
}

/** The data centre a policy picks among the service's, for a client at node `client` (−1 unknown) in `region` (SPEC GSLB-2..5). */
export function chooseDc(
  sim: SimCore,
  r: ResolverState,
  svc: GslbServiceSpec,
  p: AnswerPolicy,
  client: number,
  region: number,
): number {
  const dcIndex = sim.sc.regions.dcIndex;
  const offered = svc.dcs.map((d) => dcIndex.get(d.dc) as number);
  const first = offered[0] as number;
  const idOf = (dc: number) => sim.sc.file.dataCentres[dc]?.id ?? '';
  switch (p.policy) {
    case 'fixed': {
      const dc = dcIndex.get(p.dc ?? '') ?? -1;
      return offered.includes(dc) ? dc : first;
    }
    case 'geo': {
      const same = offered.find((dc) => sim.sc.regions.dcRegion[dc] === region);
      if (same !== undefined) return same;
      const nearest = dcIndex.get(sim.sc.file.regions[region]?.nearestDc ?? '') ?? -1;
      return offered.includes(nearest) ? nearest : first;
    }
    case 'weighted': {
      const weights = offered.map((dc) => p.weights?.[idOf(dc)] ?? 0);
      const total = weights.reduce((a, b) => a + b, 0);
      if (total <= 0) return first;
      let x = nextFloat(sim.st.rngGslb) * total;
      for (let i = 0; i < offered.length; i++) {
        x -= weights[i] as number;
        if (x < 0 && (weights[i] as number) > 0) return offered[i] as number;
      }
      return offered[weights.findLastIndex((w) => w > 0)] as number;
    }
    case 'failover': {
      const order = (p.order ?? [])
        .map((id) => dcIndex.get(id) as number)
        .filter((dc) => offered.includes(dc));
      return order.find((dc) => r.health[dc]?.up) ?? order[0] ?? first;
    }
    default: {
      const from = client >= 0 ? client : r.node;
      let best = first;
      let bestUs = Number.POSITIVE_INFINITY;
      for (const dc of offered) {
        const us = delayToDc(sim, from, svc, dc);
        if (us < bestUs) {
          best = dc;
          bestUs = us;
        }
      }
      return best;
    }
  }
}

/**
 * The resolver's own answer for a GSLB name asked from `askerAddr`: the chosen data centre's
 * addresses with the service's TTL capped by the resolver's maximum TTL (SPEC GSLB-1), so its
 * player chooses how long clients may hold an answer. The minimum TTL is left out: it exists to
 * spare upstream queries, and these answers need none.
 */
export function gslbAnswer(
  sim: SimCore,
  r: ResolverState,
  svc: GslbServiceSpec,
  askerAddr: number,
): { answer: DnsAnswer; dc: number; region: number } {
  const client = sim.sc.addrNodes.get(askerAddr)?.[0] ?? -1;
  const region = client >= 0 ? (sim.sc.regions.regionOfNode[client] as number) : -1;
  const policy: AnswerPolicy = r.answers[region] ?? { region: '', policy: 'latency' };
  const dc = chooseDc(sim, r, svc, policy, client, region);
  const entry = svc.dcs.find((d) => sim.sc.regions.dcIndex.get(d.dc) === dc);
  const addrs = (entry?.addrs ?? []).map((a) => addressOf(a, sim.sc.nodeIndex, sim.sc.hostAddr));
  r.gslbAnswers++;
  return { answer: { rcode: 'NOERROR', addrs, ttlS: Math.min(svc.ttlS, r.policy.maxTtlS) }, dc, region };
}

/** A resolver with GSLB services to answer starts probing their data centres at once (SPEC GSLB-6). */
export function startHealthChecks(sim: SimCore, r: ResolverState): void {
  if (checkedDcs(sim.sc).length === 0) return;
  onHealthTimer(sim, r, TICK_ARG);
}

/** The interval's tick (a probe to every data centre), or a probe's timeout (a miss). */
export function onHealthTimer(sim: SimCore, r: ResolverState, arg: number): void {
  const check = specOf(sim, r).healthCheck;
  const now = sim.st.nowUs;
  if (arg !== TICK_ARG) {
    const dc = arg - HEALTH_TIMER_BASE - 1;
    const h = r.health[dc];
    if (!h?.awaiting || h.sentUs + msToUs(check.timeoutMs) !== now) return;
    h.awaiting = false;
    h.misses++;
    if (h.misses >= check.misses && h.up) setHealth(sim, r, dc, false);
    return;
  }
  for (const dc of checkedDcs(sim.sc)) probe(sim, r, dc);
  sim.schedule({ t: now + msToUs(check.intervalMs), k: 'roleTimer', node: r.node, arg: TICK_ARG });
}

/** A TCP SYN to the data centre's first host, on a closed port: a live host's reset is the reply. */
function probe(sim: SimCore, r: ResolverState, dc: number): void {
  const h = r.health[dc];
  const host = sim.sc.nodeIndex.get(sim.sc.file.dataCentres[dc]?.hosts[0] ?? '');
  if (!h || host === undefined) return;
  h.round = (h.round + 1) % 0x40000000;
  h.awaiting = true;
  h.sentUs = sim.st.nowUs;
  const slot = segmentSlot(sim, sim.sc.hostAddr[host] as number, 0, -1, -1);
  setTcpHeader(
    sim.st.wire,
    slot,
    ownAddress(sim, r),
    HEALTH_PORT_BASE + dc,
    HEALTH_PROBE_PORT,
    SYN,
    h.round,
    0,
    0,
  );
  sendPacket(sim, sim.hooks, r.node, slot);
  const timeoutUs = msToUs(specOf(sim, r).healthCheck.timeoutMs);
  sim.schedule({ t: sim.st.nowUs + timeoutUs, k: 'roleTimer', node: r.node, arg: timeoutArg(dc) });
}

/** A TCP segment reached the resolver: a reset answering its latest probe of a data centre marks it up. */
export function onHealthReply(sim: SimCore, r: ResolverState, p: Packet): void {
  const dc = p.dstPort - HEALTH_PORT_BASE;
  const h = r.health[dc];
  if (!(p.flags & RST) || !h?.awaiting || p.ack !== h.round + 1) return;
  h.awaiting = false;
  h.misses = 0;
  if (!h.up) setHealth(sim, r, dc, true);
}

function setHealth(sim: SimCore, r: ResolverState, dc: number, up: boolean): void {
  (r.health[dc] as { up: boolean }).up = up;
  sim.emit({
    k: 'dcHealth',
    tUs: sim.st.nowUs,
    node: r.node,
    dc: sim.sc.file.dataCentres[dc]?.id ?? '',
    up,
  });
}

/** The bot's policies (SPEC GSLB-8): its `botAnswers`, else failover for every region in order of propagation from it. */
export function botAnswers(sim: SimCore, r: ResolverState): AnswerPolicy[] {
  const spec = specOf(sim, r);
  if (spec.botAnswers) return spec.botAnswers.map((p) => structuredClone(p));
  const svc = sim.sc.file.gslb[0];
  const dcs = sim.sc.file.dataCentres;
  return sim.sc.file.regions.map((region, ri) => {
    const regionOf = sim.sc.regions.regionOfNode;
    // A client of the region (a host outside any data centre) if there is one, else any node there.
    let from = -1;
    regionOf.forEach((rg, node) => {
      if (rg === ri && from < 0 && (sim.sc.regions.dcOfNode[node] as number) < 0) from = node;
    });
    if (from < 0) from = regionOf.indexOf(ri);
    if (!svc || from < 0) return { region: region.id, policy: 'failover', order: dcs.map((d) => d.id) };
    const offered = svc.dcs.map((d) => sim.sc.regions.dcIndex.get(d.dc) as number);
    const delay = offered.map((dc) => delayToDc(sim, from, svc, dc));
    const order = offered
      .map((dc, i) => ({ dc, us: delay[i] as number }))
      .sort((a, b) => a.us - b.us || a.dc - b.dc)
      .map((x) => dcs[x.dc]?.id as string);
    return { region: region.id, policy: 'failover', order };
  });
}
