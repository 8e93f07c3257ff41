/** Sending a DNS message: a packet on the `dns` channel that keeps its object in the network (engine/wire.ts). */
import type { SimCore } from '../../engine/core.ts';
import { HEADER_BYTES, type Packet } from '../../engine/state.ts';
import { inject } from '../../engine/wire.ts';
import { sendFromHost } from '../requests.ts';
import type { DnsAnswer } from './cache.ts';
import { type DnsMessage, dnsMessageBytes } from './message.ts';

/** Where a DNS message goes and what it belongs to (the lookup's flow and unit, for drop records). */
export interface DnsSend {
  /** The sending node: a host, or a role node with an address (a resolver). */
  node: number;
  /** Its source address when not the node's (an anycast resolver's own queries). */
  srcAddr?: number;
  dstAddr: number;
  srcPort: number;
  dstPort: number;
  flow: number;
  unit: number;
}

/** Puts `msg` on the wire from `to.node`'s only link (UDP: 28 header bytes, SPEC DNS-8). */
export function sendDns(sim: SimCore, to: DnsSend, msg: DnsMessage): void {
  const len = dnsMessageBytes(msg);
  const p: Packet = {
    id: sim.st.nextPacketId++,
    channel: 'dns',
    srcAddr: to.srcAddr ?? (sim.sc.hostAddr[to.node] as number),
    dstAddr: to.dstAddr,
    srcPort: to.srcPort,
    dstPort: to.dstPort,
    flags: 0,
    seq: msg.id,
    ack: 0,
    wnd: 0,
    len,
    sizeBytes: len + HEADER_BYTES.dns,
    ttl: sim.sc.file.initialTtl,
    flow: to.flow,
    unit: to.unit,
    createdUs: sim.st.nowUs,
    path: [],
    dns: msg,
  };
  sendFromHost(sim, sim.hooks, to.node, inject(sim.st.wire, p));
}

/** A response to `query` carrying `answer`. */
export function responseTo(
  query: DnsMessage,
  answer: DnsAnswer,
  fromCache: boolean,
  stale: boolean,
): DnsMessage {
  return {
    id: query.id,
    qr: 'response',
    name: query.name,
    rcode: answer.rcode,
    addrs: answer.addrs.slice(),
    ttlS: answer.ttlS,
    ...(answer.soaMinimumS === undefined ? {} : { soaMinimumS: answer.soaMinimumS }),
    ...(answer.soaTtlS === undefined ? {} : { soaTtlS: answer.soaTtlS }),
    fromCache,
    stale,
  };
}

/** A query for `name` with `id`. */
export function queryFor(id: number, name: string): DnsMessage {
  return { id, qr: 'query', name, rcode: 'NOERROR', addrs: [], ttlS: 0, fromCache: false, stale: false };
}

/** The answer a response carries, as a cache stores it. */
export function answerOf(m: DnsMessage): DnsAnswer {
  return {
    rcode: m.rcode,
    addrs: m.addrs,
    ttlS: m.ttlS,
    ...(m.soaMinimumS === undefined ? {} : { soaMinimumS: m.soaMinimumS }),
    ...(m.soaTtlS === undefined ? {} : { soaTtlS: m.soaTtlS }),
  };
}
