import type { SimCore } from './core.ts';
import { lossPlace, type NetworkHooks, sendOnPort } from './network.ts';
import { quicReceive } from './quic.ts';
import { quicApp, startQuicRequest } from './quicApp.ts';
import { closeQuic } from './quicConn.ts';
import { LOSS_REASON_TEXT, type LossReason } from './records.ts';
import { EPHEMERAL_BASE, failRequest, flowSpec, openRequest } from './requests.ts';
import { exponential } from './rng.ts';
import type { Port } from './scenario.ts';
import { HEADER_BYTES, type Packet } from './state.ts';
import { tcpReceive } from './tcp.ts';
import { startTcpRequest, tcpApp } from './tcpApp.ts';
import { closeConn } from './tcpConn.ts';
import { sToUs } from './units.ts';
import {
  allocSlot,
  CHANNEL_CODE,
  F_CREATED,
  freeSlot,
  I_CHANNEL,
  I_DELIVERED,
  I_DST,
  I_FLOW,
  I_FRAME,
  I_ID,
  I_KIND,
  I_LEN,
  I_LOSS,
  I_LOSS_AT,
  I_SIZE,
  I_TTL,
  I_UNIT,
  ISTRIDE,
  infoOf,
  KIND_FRAME,
  KIND_TICK,
  newPacketSlot,
  pathOf,
  release,
  STRIDE,
  type WireState,
} from './wire.ts';

/** UDP destination port for real-time frames (RTP's customary 5004). */
export const UDP_PORT = 5004;

/** Loss reasons by code (a frame record keeps code + 1; 0 = none). */
const LOSS_REASONS = Object.keys(LOSS_REASON_TEXT) as LossReason[];

/** The frame record a UDP packet points to, or −1 when that frame has settled (its slot freed or reused). */
function liveFrame(w: WireState, frame: number, flow: number, unit: number): number {
  if (frame < 0) return -1;
  const f = frame * ISTRIDE;
  return w.ints[f + I_KIND] === KIND_FRAME && w.ints[f + I_FLOW] === flow && w.ints[f + I_UNIT] === unit
    ? frame
    : -1;
}

/** Wiring handed to the network layer. */
export const hooks: NetworkHooks = {
  deliver(sim, node, slot) {
    const w = sim.st.wire;
    const channel = w.ints[slot * ISTRIDE + I_CHANNEL];
    if (channel === CHANNEL_CODE.udp) return deliverFrame(sim, slot);
    const p = release(w, slot);
    if (channel === CHANNEL_CODE.tcp) tcpReceive(sim, tcpApp, node, p);
    else quicReceive(sim, quicApp, node, p);
  },
  lost(sim, slot, reason, node, link) {
    const w = sim.st.wire;
    const i = slot * ISTRIDE;
    const flow = w.ints[i + I_FLOW] as number;
    const unit = w.ints[i + I_UNIT] as number;
    if (w.ints[i + I_CHANNEL] === CHANNEL_CODE.udp) {
      const frame = liveFrame(w, w.ints[i + I_FRAME] as number, flow, unit);
      if (frame < 0) return;
      w.ints[frame * ISTRIDE + I_LOSS] = LOSS_REASONS.indexOf(reason) + 1;
      w.ints[frame * ISTRIDE + I_LOSS_AT] = link >= 0 ? link * 2 : node * 2 + 1;
      return;
    }
    const request = openRequest(sim, flow, unit);
    if (request) {
      request.lastLoss = reason;
      request.lastLossAt = lossPlace(sim, node, link);
    }
  },
  take(sim, slot) {
    const w = sim.st.wire;
    if (infoOf(w, slot)) return release(w, slot);
    // A UDP frame's packet has no object inside the network: build it from its slot.
    const i = slot * ISTRIDE;
    const flow = w.ints[i + I_FLOW] as number;
    const unit = w.ints[i + I_UNIT] as number;
    const p: Packet = {
      id: w.ints[i + I_ID] as number,
      channel: 'udp',
      srcAddr: sim.sc.hostAddr[sim.sc.flowEnds[2 * flow] as number] as number,
      dstAddr: (w.ints[i + I_DST] as number) >>> 0,
      srcPort: EPHEMERAL_BASE + (flow % 16384),
      dstPort: UDP_PORT,
      flags: 0,
      seq: unit,
      ack: 0,
      wnd: 0,
      len: w.ints[i + I_LEN] as number,
      sizeBytes: w.ints[i + I_SIZE] as number,
      ttl: w.ints[i + I_TTL] as number,
      flow,
      unit,
      createdUs: w.hot[slot * STRIDE + F_CREATED] as number,
      path: pathOf(w, slot),
      frameRef: w.ints[i + I_FRAME] as number,
    };
    freeSlot(w, slot);
    return p;
  },
};

/**
 * A frame reached its receiver (SPEC TRF-1): the first copy before the deadline is
 * delivered (marked reordered if a later frame came first); further copies are
 * duplicates; copies after the deadline find the frame already settled as lost.
 */
function deliverFrame(sim: SimCore, slot: number): void {
  const w = sim.st.wire;
  const i = slot * ISTRIDE;
  const flow = w.ints[i + I_FLOW] as number;
  const unit = w.ints[i + I_UNIT] as number;
  const frame = liveFrame(w, w.ints[i + I_FRAME] as number, flow, unit);
  // frame < 0: its deadline passed, and onFrameDeadline already counted it lost.
  if (frame >= 0 && w.ints[frame * ISTRIDE + I_DELIVERED] === 1) {
    if (sim.listeners.length > 0) sim.emit({ k: 'frameDuplicate', tUs: sim.st.nowUs, flow, unit });
  } else if (frame >= 0) {
    w.ints[frame * ISTRIDE + I_DELIVERED] = 1;
    const highest = sim.st.udpHighestUnit[flow] as number;
    sim.st.udpHighestUnit[flow] = Math.max(highest, unit);
    if (sim.listeners.length > 0)
      sim.emit({
        k: 'frameDelivered',
        tUs: sim.st.nowUs,
        flow,
        unit,
        latencyUs: sim.st.nowUs - (w.hot[slot * STRIDE + F_CREATED] as number),
        bytes: w.ints[i + I_LEN] as number,
        path: pathOf(w, slot),
        reordered: unit < highest,
      });
  }
  freeSlot(w, slot);
}

/** One microsecond after a frame's deadline: if no copy arrived, it is lost with the last reason seen. */
export function onFrameDeadline(sim: SimCore, frame: number): void {
  const w = sim.st.wire;
  const i = frame * ISTRIDE;
  const flow = w.ints[i + I_FLOW] as number;
  const unit = w.ints[i + I_UNIT] as number;
  const delivered = w.ints[i + I_DELIVERED] === 1;
  const loss = w.ints[i + I_LOSS] as number;
  const lossAt = w.ints[i + I_LOSS_AT] as number;
  freeSlot(w, frame);
  if (delivered || sim.listeners.length === 0) return;
  sim.emit({
    k: 'frameLost',
    tUs: sim.st.nowUs,
    flow,
    unit,
    reason: loss > 0 ? (LOSS_REASONS[loss - 1] as LossReason) : 'deadline-missed',
    at:
      loss > 0
        ? lossPlace(sim, lossAt & 1 ? lossAt >> 1 : -1, lossAt & 1 ? -1 : lossAt >> 1)
        : flowSpec(sim, flow).to,
  });
}

/** Gives every flow its tick (a slot that comes back for each unit) and schedules the first (called once at start). */
export function scheduleFlows(sim: SimCore): void {
  sim.sc.file.traffic.forEach((f, flow) => {
    const tick = allocSlot(sim.st.wire, KIND_TICK);
    sim.st.wire.ints[tick * ISTRIDE + I_FLOW] = flow;
    sim.scheduleSlot(tick, sToUs(f.startS));
  });
}

/** A flow's next unit is due: send a frame or start a request, then schedule the next (SPEC TRF-1, TRF-4). */
export function onFlowTick(sim: SimCore, tick: number): void {
  const flow = sim.st.wire.ints[tick * ISTRIDE + I_FLOW] as number;
  const table = sim.sc.flowTable;
  const unit = sim.st.unitsStarted[flow] as number;
  sim.st.unitsStarted[flow] = unit + 1;
  const kind = table.kind[flow];
  if (kind === 0) sendFrame(sim, flow, unit);
  else if (kind === 1) startTcpRequest(sim, flow, unit);
  else startQuicRequest(sim, flow, unit);
  const meanGapUs = table.gapUs[flow] as number;
  const poisson = table.poisson[flow] === 1;
  const gapUs = poisson ? Math.round(exponential(sim.st.rngTraffic, meanGapUs)) : meanGapUs;
  if (sim.st.nowUs + gapUs >= (table.stopUs[flow] as number)) freeSlot(sim.st.wire, tick);
  else if (poisson) sim.scheduleSlot(tick, sim.st.nowUs + gapUs);
  else sim.scheduleSlotAfter(tick, gapUs);
}

/** Sends frame `unit` of a UDP flow: its record (with its deadline) and its packet, which keeps no object. */
function sendFrame(sim: SimCore, flow: number, unit: number): void {
  const table = sim.sc.flowTable;
  const from = sim.sc.flowEnds[2 * flow] as number;
  const to = sim.sc.flowEnds[2 * flow + 1] as number;
  const mean = table.frameBytes[flow] as number;
  const bytes =
    table.exponentialSizes[flow] === 1
      ? Math.min(65_507, Math.max(1, Math.ceil(exponential(sim.st.rngTraffic, mean))))
      : mean;
  const now = sim.st.nowUs;
  if (sim.listeners.length > 0) sim.emit({ k: 'frameSent', tUs: now, flow, unit });
  const w = sim.st.wire;
  const frame = allocSlot(w, KIND_FRAME);
  const f = frame * ISTRIDE;
  w.ints[f + I_FLOW] = flow;
  w.ints[f + I_UNIT] = unit;
  w.ints[f + I_DELIVERED] = 0;
  w.ints[f + I_LOSS] = 0;
  w.ints[f + I_LOSS_AT] = -1;
  sim.scheduleSlotAfter(frame, (table.deadlineUs[flow] as number) + 1);
  const dstAddr = sim.sc.hostAddr[to] as number;
  const id = sim.st.nextPacketId++;
  const size = bytes + HEADER_BYTES.udp;
  const slot = newPacketSlot(
    w,
    id,
    'udp',
    dstAddr,
    sim.sc.file.initialTtl,
    size,
    bytes,
    flow,
    unit,
    frame,
    now,
  );
  if (sim.listeners.length > 0)
    sim.emit({
      k: 'hostSend',
      tUs: now,
      node: from,
      channel: 'udp',
      flags: 0,
      seq: unit,
      ack: 0,
      len: bytes,
      flow,
      unit,
    });
  sendOnPort(sim, hooks, from, sim.sc.ports[from]?.[0] as Port, slot);
}

/** The request's deadline passed: it fails with the last loss reason seen, and its connections are torn down. */
export function onRequestTimeout(sim: SimCore, flow: number, unit: number): void {
  if (!openRequest(sim, flow, unit)) return;
  failRequest(sim, flowSpec(sim, flow).kind === 'quic' ? 'quic' : 'tcp', flow, unit, '');
  for (const c of Object.values(sim.st.conns)) if (c.flow === flow && c.unit === unit) closeConn(sim, c);
  for (const q of Object.values(sim.st.quicConns)) if (q.flow === flow && q.unit === unit) closeQuic(sim, q);
}
