/** An authoritative DNS server: a host that answers its zone (SPEC DNS-10). */
import type { SimCore } from '../../engine/core.ts';
import type { Packet } from '../../engine/state.ts';
import { parseAddress } from '../../network/address.ts';
import type { ZoneSpec } from '../../scenario/scenarioSchema.ts';
import type { DnsAnswer } from './cache.ts';
import { DNS_PORT } from './message.ts';
import { responseTo, sendDns } from './send.ts';

/** The zone's answer for `name`: its A records, or NXDOMAIN with the SOA's timers (RFC 2308). */
export function zoneAnswer(sim: SimCore, zone: ZoneSpec, name: string): DnsAnswer {
  const entry = zone.names.find((n) => n.name === name);
  if (!entry)
    return { rcode: 'NXDOMAIN', addrs: [], ttlS: 0, soaMinimumS: zone.soa.minimumS, soaTtlS: zone.soa.ttlS };
  return { rcode: 'NOERROR', addrs: entry.addrs.map((a) => zoneAddress(sim, a)), ttlS: entry.ttlS };
}

/** A zone's address: a node's id (its address) or a dotted address (checked on load). */
export function zoneAddress(sim: SimCore, a: string): number {
  const node = sim.sc.nodeIndex.get(a);
  return node === undefined ? (parseAddress(a) as number) : (sim.sc.hostAddr[node] as number);
}

/** A query reached the authority: it answers at once, to where the query came from. */
export function authorityReceive(sim: SimCore, node: number, zone: ZoneSpec, p: Packet): void {
  const m = p.dns;
  if (m?.qr !== 'query') return;
  sendDns(
    sim,
    { node, dstAddr: p.srcAddr, srcPort: DNS_PORT, dstPort: p.srcPort, flow: p.flow, unit: p.unit },
    responseTo(m, zoneAnswer(sim, zone, m.name), false, false),
  );
}
