import type { DnsMessage } from '../application/dns/message.ts';
import { UDP_PORT, udpSourcePort } from '../application/traffic.ts';
import type { Channel } from '../engine/state.ts';
import { msToUs } from '../engine/units.ts';
import {
  CHANNEL_CODE,
  CHANNELS,
  F_CREATED,
  F_DEPART,
  F_T,
  I_ACK,
  I_ARRIVING,
  I_CHANNEL,
  I_DST,
  I_DST_PORT,
  I_FLAGS,
  I_FLOW,
  I_FRAME,
  I_ID,
  I_KIND,
  I_LEN,
  I_LINK,
  I_NODE,
  I_SEQ,
  I_SIZE,
  I_SRC_ADDR,
  I_SRC_PORT,
  I_TTL,
  I_UNIT,
  I_WND,
  ISTRIDE,
  KIND_PACKET,
  pathOf,
  STRIDE,
} from '../engine/wire.ts';
import type { Simulation } from '../simulation/simulation.ts';
import type { QuicHeader } from '../transport/quicTypes.ts';

/**
 * Where a packet inside the network is now: propagating on a link (`wire`), or
 * waiting at the sending node's interface (`queued`: in its queue or being
 * serialized). `departUs` and `arriveUs` are −1 while a strict-priority queue
 * holds it (its departure is not known yet).
 */
export interface PacketWhere {
  state: 'wire' | 'queued';
  link: number;
  fromNode: number;
  toNode: number;
  departUs: number;
  arriveUs: number;
}

/** One packet's headers and place, read from its slot: a copy, which later hops do not change. */
export interface PacketHeaders {
  slot: number;
  id: number;
  channel: Channel;
  srcAddr: number;
  srcPort: number;
  dstAddr: number;
  dstPort: number;
  ttl: number;
  /** Bytes on the wire (payload + headers). */
  sizeBytes: number;
  payloadBytes: number;
  /** Flow index in the scenario's traffic list, and its unit (UDP frame, TCP/QUIC request). */
  flow: number;
  unit: number;
  /** When the sending host sent it, µs. */
  createdUs: number;
  /** Routers that forwarded it so far, oldest first (node indices). */
  path: number[];
  /** TCP segments: flags, sequence and ack numbers (the ISN is 0, so they are relative), advertised window. */
  tcp: { flags: number; seq: number; ack: number; windowBytes: number } | null;
  /** QUIC packets: packet type, connection IDs, packet number, frames. */
  quic: QuicHeader | null;
  /** DNS packets: the message (name, answer with its TTL, rcode). */
  dns: DnsMessage | null;
  /** UDP frames: the frame number and when it must have arrived, µs. */
  udp: { frame: number; deadlineUs: number } | null;
  /** Null when the packet is in no queue and on no link (never between events). */
  where: PacketWhere | null;
}

/** The slot of the packet with this id while it is inside the network, else −1. Cost grows with slots in use. */
export function findPacketSlot(sim: Simulation, id: number): number {
  const w = sim.st.wire;
  // A freed slot keeps its old fields: it is live when the free list does not name it.
  const free = new Set(w.freeSlots);
  for (let slot = 0; slot < w.highWater; slot++) {
    const i = slot * ISTRIDE;
    if (w.ints[i + I_KIND] === KIND_PACKET && w.ints[i + I_ID] === id && !free.has(slot)) return slot;
  }
  return -1;
}

/** The headers of the packet in `slot` (read-only), or null when the slot holds no packet. */
export function packetHeaders(sim: Simulation, slot: number): PacketHeaders | null {
  const w = sim.st.wire;
  if (slot < 0 || slot >= w.highWater || w.freeSlots.includes(slot)) return null;
  const i = slot * ISTRIDE;
  const ints = w.ints;
  if (ints[i + I_KIND] !== KIND_PACKET) return null;
  const code = ints[i + I_CHANNEL] as number;
  const flow = ints[i + I_FLOW] as number;
  const unit = ints[i + I_UNIT] as number;
  const createdUs = w.hot[slot * STRIDE + F_CREATED] as number;
  const object = w.info[slot];
  const headers: PacketHeaders = {
    slot,
    id: ints[i + I_ID] as number,
    channel: CHANNELS[code] as Channel,
    srcAddr: 0,
    srcPort: 0,
    dstAddr: (ints[i + I_DST] as number) >>> 0,
    dstPort: 0,
    ttl: ints[i + I_TTL] as number,
    sizeBytes: ints[i + I_SIZE] as number,
    payloadBytes: ints[i + I_LEN] as number,
    flow,
    unit,
    createdUs,
    path: pathOf(w, slot),
    tcp: null,
    quic: null,
    dns: null,
    udp: null,
    where: whereIs(sim, slot),
  };
  if (code === CHANNEL_CODE.tcp) {
    headers.srcAddr = (ints[i + I_SRC_ADDR] as number) >>> 0;
    headers.srcPort = ints[i + I_SRC_PORT] as number;
    headers.dstPort = ints[i + I_DST_PORT] as number;
    headers.tcp = {
      flags: ints[i + I_FLAGS] as number,
      seq: ints[i + I_SEQ] as number,
      ack: ints[i + I_ACK] as number,
      windowBytes: ints[i + I_WND] as number,
    };
  } else if (object) {
    // QUIC packets (and any packet that keeps its object): addresses and ports from the object.
    headers.srcAddr = object.srcAddr;
    headers.srcPort = object.srcPort;
    headers.dstPort = object.dstPort;
    if (object.quic) headers.quic = structuredClone(object.quic);
    if (object.dns) headers.dns = structuredClone(object.dns);
  } else {
    // A UDP frame keeps no object: its ends are its flow's.
    headers.srcAddr = sim.sc.hostAddr[sim.sc.flowEnds[2 * flow] as number] as number;
    headers.srcPort = udpSourcePort(flow);
    headers.dstPort = UDP_PORT;
    const spec = sim.sc.file.traffic[flow];
    if ((ints[i + I_FRAME] as number) >= 0 && spec?.kind === 'udp')
      headers.udp = { frame: unit, deadlineUs: createdUs + msToUs(spec.deadlineMs) };
  }
  return headers;
}

function whereIs(sim: Simulation, slot: number): PacketWhere | null {
  const w = sim.st.wire;
  const i = slot * ISTRIDE;
  if (w.ints[i + I_ARRIVING] === 1) {
    const link = w.ints[i + I_LINK] as number;
    const toNode = w.ints[i + I_NODE] as number;
    const a = sim.sc.linkEnds[2 * link] as number;
    const departUs = w.hot[slot * STRIDE + F_DEPART] as number;
    return {
      state: departUs > sim.st.nowUs ? 'queued' : 'wire',
      link,
      fromNode: toNode === a ? (sim.sc.linkEnds[2 * link + 1] as number) : a,
      toNode,
      departUs,
      arriveUs: w.hot[slot * STRIDE + F_T] as number,
    };
  }
  // Not committed yet: waiting in (or being sent from) a strict-priority queue.
  for (let link = 0; link < sim.st.links.length; link++) {
    const dirs = sim.st.links[link]?.dirs;
    for (const dir of [0, 1] as const) {
      const d = dirs?.[dir];
      if (!d || (d.inService !== slot && !d.queue.includes(slot) && !d.queueHigh.includes(slot))) continue;
      const a = sim.sc.linkEnds[2 * link] as number;
      const b = sim.sc.linkEnds[2 * link + 1] as number;
      return {
        state: 'queued',
        link,
        fromNode: dir === 0 ? a : b,
        toNode: dir === 0 ? b : a,
        departUs: -1,
        arriveUs: -1,
      };
    }
  }
  return null;
}
