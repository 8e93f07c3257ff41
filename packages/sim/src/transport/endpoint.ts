import type { EndpointFields, Packet } from '../engine/state.ts';

/** The server end a client's first packet asks for: on `node`, answering that packet's sender. */
export function serverEnd(node: number, p: Packet): EndpointFields {
  return {
    node,
    role: 'server',
    flow: p.flow,
    unit: p.unit,
    localAddr: p.dstAddr,
    localPort: p.dstPort,
    peerAddr: p.srcAddr,
    peerPort: p.srcPort,
  };
}
