import { assert, type SimCore } from '../engine/core.ts';
import {
  F_TICK_DEADLINE_US,
  F_TICK_DST_ADDR,
  F_TICK_FRAME_BYTES,
  F_TICK_STOP_US,
  LANE_FRAME,
  LANE_TICK,
  R_FLOW,
  R_LOSS_AT,
  R_STATUS,
  R_TICK_FLAGS,
  R_TICK_FROM,
  R_UNIT,
  type RecordLane,
} from '../engine/recordLanes.ts';
import { LOSS_REASON_TEXT, type LossReason } from '../engine/records.ts';
import { exponential } from '../engine/rng.ts';
import { HEADER_BYTES, type Packet } from '../engine/state.ts';
import { sToUs } from '../engine/units.ts';
import {
  allocSlot,
  CHANNEL_CODE,
  F_CREATED,
  F_FRAME_SEQ,
  freeSlot,
  I_CHANNEL,
  I_DST,
  I_FLOW,
  I_FRAME,
  I_ID,
  I_LEN,
  I_SIZE,
  I_TTL,
  I_UNIT,
  ISTRIDE,
  KIND_TICK,
  newPacketSlot,
  pathOf,
  release,
  STRIDE,
  type WireState,
} from '../engine/wire.ts';
import { lossPlace, type NetworkHooks, sendOnPort } from '../network/network.ts';
import { quicReceive } from '../transport/quic.ts';
import { closeQuic } from '../transport/quicConn.ts';
import { tcpReceive } from '../transport/tcp.ts';
import { closeConn } from '../transport/tcpConn.ts';
import { dnsDeliver } from './dns/dnsHost.ts';
import { startLookup } from './dns/stub.ts';
import {
  FLAG_EXPONENTIAL_SIZES,
  FLAG_PAGE_LOAD,
  FLAG_POISSON,
  FLAG_SPIKED,
  FT_DEADLINE_US,
  FT_DST_ADDR,
  FT_FLAGS,
  FT_FRAME_BYTES,
  FT_FROM,
  FT_GAP_US,
  FT_STOP_US,
  FT_STRIDE,
} from './flowTable.ts';
import { failPageLoadRequest } from './pageLoad.ts';
import { startPageLoad } from './pageLoadStart.ts';
import { quicApp, startQuicRequest } from './quicApp.ts';
import { EPHEMERAL_BASE, failRequest, flowSpec, openRequest } from './requests.ts';
import { spikedGapUs } from './spike.ts';
import { startTcpRequest, tcpApp } from './tcpApp.ts';

/** UDP destination port for real-time frames (RTP's customary 5004). */
export const UDP_PORT = 5004;

/** A UDP flow's source port: one per flow, within the ephemeral range. */
export function udpSourcePort(flow: number): number {
  return EPHEMERAL_BASE + (flow % 16384);
}

/** Loss reasons by code (a frame record keeps code + 1; 0 = none). */
const LOSS_REASONS = Object.keys(LOSS_REASON_TEXT) as LossReason[];

/**
 * The frame record a UDP packet points to — its offset in the lane's `ints` — or −1
 * when that frame has settled (its deadline passed).
 */
function liveFrame(w: WireState, slot: number): number {
  const lane = w.ints[slot * ISTRIDE + I_FRAME] as number;
  if (lane < 0) return -1;
  const at = w.records.recordAt(lane, w.hot[slot * STRIDE + F_FRAME_SEQ] as number);
  assert(
    at < 0 ||
      (w.records.ints(lane)[at + R_FLOW] === w.ints[slot * ISTRIDE + I_FLOW] &&
        w.records.ints(lane)[at + R_UNIT] === w.ints[slot * ISTRIDE + I_UNIT]),
    'a live frame record belongs to its packet',
  );
  return at;
}

/**
 * Frame record status: bit 0 delivered; above it the last loss's reason code + 1 (0 none).
 * Bit 0 is kept beside the ring (recordLanes.ts `isDelivered`), so R_STATUS in the ring holds
 * only the loss.
 */
const DELIVERED = 1;

/** Wiring handed to the network layer. */
export const hooks: NetworkHooks = {
  deliver(sim, node, slot) {
    const w = sim.st.wire;
    const channel = w.ints[slot * ISTRIDE + I_CHANNEL];
    if (channel === CHANNEL_CODE.udp) return deliverFrame(sim, slot);
    if (channel === CHANNEL_CODE.dns) return dnsDeliver(sim, node, release(w, slot, false));
    // The path is only read by records (segmentDelivered).
    const p = release(w, slot, sim.listeners.length > 0);
    if (channel === CHANNEL_CODE.tcp) tcpReceive(sim, tcpApp, node, p);
    else quicReceive(sim, quicApp, node, p);
  },
  lost(sim, slot, reason, node, link) {
    const w = sim.st.wire;
    const i = slot * ISTRIDE;
    const flow = w.ints[i + I_FLOW] as number;
    const unit = w.ints[i + I_UNIT] as number;
    if (w.ints[i + I_CHANNEL] === CHANNEL_CODE.udp) {
      const at = liveFrame(w, slot);
      if (at < 0) return;
      const record = w.records.ints(w.ints[i + I_FRAME] as number);
      record[at + R_STATUS] = (LOSS_REASONS.indexOf(reason) + 1) << 1;
      record[at + R_LOSS_AT] = link >= 0 ? link * 2 : node * 2 + 1;
      return;
    }
    // A lost DNS message is noticed by its sender's timer (SPEC DNS-9).
    if (w.ints[i + I_CHANNEL] === CHANNEL_CODE.dns) return;
    const request = openRequest(sim, flow, unit);
    if (request) {
      request.lastLoss = reason;
      request.lastLossAt = lossPlace(sim, node, link);
    }
  },
  take(sim, slot) {
    const w = sim.st.wire;
    if (w.ints[slot * ISTRIDE + I_CHANNEL] !== CHANNEL_CODE.udp) return release(w, slot, true);
    // A UDP frame's packet has no object inside the network: build it from its slot.
    const i = slot * ISTRIDE;
    const flow = w.ints[i + I_FLOW] as number;
    const unit = w.ints[i + I_UNIT] as number;
    const p: Packet = {
      id: w.ints[i + I_ID] as number,
      channel: 'udp',
      srcAddr: sim.sc.hostAddr[sim.sc.flowEnds[2 * flow] as number] as number,
      dstAddr: (w.ints[i + I_DST] as number) >>> 0,
      srcPort: udpSourcePort(flow),
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
      frameSeq: w.hot[slot * STRIDE + F_FRAME_SEQ] as number,
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
  const lane = w.ints[i + I_FRAME] as number;
  const frameSeq = w.hot[slot * STRIDE + F_FRAME_SEQ] as number;
  // The record itself is not read: by now it is cold, while its delivered bit, beside the
  // ring, is not. Not live: its deadline passed, and onFrameDeadline already counted it lost.
  const live = lane >= 0 && w.records.recordAt(lane, frameSeq) >= 0;
  if (live && w.records.isDelivered(lane, frameSeq)) {
    if (sim.listeners.length > 0) sim.emit({ k: 'frameDuplicate', tUs: sim.st.nowUs, flow, unit });
  } else if (live) {
    w.records.markDelivered(lane, frameSeq);
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

/** A frame's record is the earliest in the lanes: it leaves its lane, and its deadline passes. */
export function onFrameRecord(sim: SimCore, lane: number): void {
  const records = sim.st.wire.records;
  const at = records.headAt(lane);
  const fields = records.ints(lane);
  const flow = fields[at + R_FLOW] as number;
  const unit = fields[at + R_UNIT] as number;
  const status = (fields[at + R_STATUS] as number) | (records.headDelivered(lane) ? DELIVERED : 0);
  const lossAt = fields[at + R_LOSS_AT] as number;
  records.pop();
  onFrameDeadline(sim, flow, unit, status, lossAt);
}

/**
 * A fixed-interval tick is the earliest record in the lanes: its unit starts with the
 * flow's numbers the record carries. It is read before it is popped, since the next
 * tick is appended to the same lane, where the popped record was.
 */
export function onTickRecord(sim: SimCore, lane: number): void {
  const records = sim.st.wire.records;
  const at = records.headAt(lane);
  const ints = records.ints(lane);
  const floats = records.floats(lane);
  const f = at / 2;
  const flow = ints[at + R_FLOW] as number;
  const unit = ints[at + R_UNIT] as number;
  const flags = ints[at + R_TICK_FLAGS] as number;
  const from = ints[at + R_TICK_FROM] as number;
  const stopUs = floats[f + F_TICK_STOP_US] as number;
  const frameBytes = floats[f + F_TICK_FRAME_BYTES] as number;
  const deadlineUs = floats[f + F_TICK_DEADLINE_US] as number;
  const dstAddr = floats[f + F_TICK_DST_ADDR] as number;
  const gapUs = (records.lanes[lane] as RecordLane).delayUs;
  records.pop();
  startUnit(sim, flow, unit, -1, flags, from, stopUs, frameBytes, deadlineUs, dstAddr, gapUs);
}

/**
 * One microsecond after a frame's deadline (its record just left its lane): if no
 * copy arrived, it is lost with the last reason seen.
 */
function onFrameDeadline(sim: SimCore, flow: number, unit: number, status: number, lossAt: number): void {
  if ((status & DELIVERED) !== 0 || sim.listeners.length === 0) return;
  const loss = status >> 1;
  sim.emit({
    k: 'frameLost',
    tUs: sim.st.nowUs,
    flow,
    unit,
    reason: loss > 0 ? (LOSS_REASONS[loss - 1] as LossReason) : 'deadline-missed',
    at:
      loss > 0
        ? lossPlace(sim, lossAt & 1 ? lossAt >> 1 : -1, lossAt & 1 ? -1 : lossAt >> 1)
        : (sim.sc.nodeIds[sim.sc.flowEnds[2 * flow + 1] as number] as string),
  });
}

/** Gives every flow a tick slot for its first unit (unit 0) and schedules it (called once at start). */
export function scheduleFlows(sim: SimCore): void {
  sim.sc.file.traffic.forEach((f, flow) => {
    const tick = allocSlot(sim.st.wire, KIND_TICK);
    sim.st.wire.ints[tick * ISTRIDE + I_FLOW] = flow;
    sim.st.wire.ints[tick * ISTRIDE + I_UNIT] = 0;
    sim.scheduleSlot(tick, sToUs(f.startS));
  });
}

/**
 * A flow's tick slot is due (its first unit, or every unit of a Poisson flow): unit
 * `unit` starts, with what it needs read from the flow's row.
 */
export function onFlowTick(sim: SimCore, flow: number, unit: number, tick: number): void {
  const rows = sim.sc.flowTable.rows;
  const row = flow * FT_STRIDE;
  startUnit(
    sim,
    flow,
    unit,
    tick,
    rows[row + FT_FLAGS] as number,
    rows[row + FT_FROM] as number,
    rows[row + FT_STOP_US] as number,
    rows[row + FT_FRAME_BYTES] as number,
    rows[row + FT_DEADLINE_US] as number,
    rows[row + FT_DST_ADDR] as number,
    rows[row + FT_GAP_US] as number,
  );
}

/**
 * Unit `unit` of a flow is due: send a frame or start a request, then schedule the
 * next (SPEC TRF-1, TRF-4). The tick came from its slot (`tick`) or from a tick lane
 * (−1: a fixed interval, `meanGapUs` the lane's delay); either way it brings the
 * flow's numbers (its row, or the copy in the tick's record), and the next tick of a
 * fixed-interval flow takes a copy along in its record.
 */
function startUnit(
  sim: SimCore,
  flow: number,
  unit: number,
  tick: number,
  flags: number,
  from: number,
  /** −1: the flow never stops. */
  stopUs: number,
  frameBytes: number,
  deadlineUs: number,
  dstAddr: number,
  meanGapUs: number,
): void {
  const kind = flags & 3;
  if (kind === 0)
    sendFrame(sim, flow, unit, from, frameBytes, (flags & FLAG_EXPONENTIAL_SIZES) !== 0, deadlineUs, dstAddr);
  else if (kind === 1 && (flags & FLAG_PAGE_LOAD) === 0) startTcpRequest(sim, flow, unit);
  else if (kind === 1) startPageLoad(sim, flow, unit);
  else if (kind === 2) startQuicRequest(sim, flow, unit);
  else startLookup(sim, flow, unit);
  const poisson = (flags & FLAG_POISSON) !== 0;
  let gapUs = poisson ? Math.round(exponential(sim.st.rngTraffic, meanGapUs)) : meanGapUs;
  // A host's traffic spike (SPEC TRF-5): while one lasts, and for the first unit after a
  // spiked one (whose lane's delay is the spiked gap), the gap is the flow's own, rescaled.
  // Without spikes this costs a bit test and one comparison.
  if ((flags & FLAG_SPIKED) !== 0 || sim.st.nowUs < sim.st.spikeEndUs) {
    const ownGapUs = poisson ? gapUs : (sim.sc.flowTable.rows[flow * FT_STRIDE + FT_GAP_US] as number);
    gapUs = spikedGapUs(sim.st, flow, ownGapUs);
    flags = gapUs === ownGapUs ? flags & ~FLAG_SPIKED : flags | FLAG_SPIKED;
  }
  const stop = stopUs >= 0 && sim.st.nowUs + gapUs >= stopUs;
  const w = sim.st.wire;
  if (poisson && !stop) {
    assert(tick >= 0, 'a Poisson flow ticks through its slot');
    w.ints[tick * ISTRIDE + I_UNIT] = unit + 1;
    return sim.scheduleSlot(tick, sim.st.nowUs + gapUs);
  }
  if (tick >= 0) freeSlot(w, tick);
  if (stop) return;
  const lane = w.records.laneFor(LANE_TICK, gapUs);
  const at = w.records.recordAt(lane, sim.scheduleRecord(lane, gapUs));
  const ints = w.records.ints(lane);
  ints[at + R_FLOW] = flow;
  ints[at + R_UNIT] = unit + 1;
  ints[at + R_TICK_FLAGS] = flags;
  ints[at + R_TICK_FROM] = from;
  const floats = w.records.floats(lane);
  const f = at / 2;
  floats[f + F_TICK_STOP_US] = stopUs;
  floats[f + F_TICK_FRAME_BYTES] = frameBytes;
  floats[f + F_TICK_DEADLINE_US] = deadlineUs;
  floats[f + F_TICK_DST_ADDR] = dstAddr;
}

/** Sends frame `unit` of a UDP flow: its record (with its deadline) and its packet, which keeps no object. */
function sendFrame(
  sim: SimCore,
  flow: number,
  unit: number,
  from: number,
  meanBytes: number,
  exponentialSizes: boolean,
  deadlineUs: number,
  dstAddr: number,
): void {
  const bytes = exponentialSizes
    ? Math.min(65_507, Math.max(1, Math.ceil(exponential(sim.st.rngTraffic, meanBytes))))
    : meanBytes;
  const now = sim.st.nowUs;
  if (sim.listeners.length > 0) sim.emit({ k: 'frameSent', tUs: now, flow, unit });
  const w = sim.st.wire;
  const delayUs = deadlineUs + 1;
  const lane = w.records.laneFor(LANE_FRAME, delayUs);
  const frameSeq = sim.scheduleRecord(lane, delayUs);
  const record = w.records.ints(lane);
  const at = w.records.recordAt(lane, frameSeq);
  record[at + R_FLOW] = flow;
  record[at + R_UNIT] = unit;
  record[at + R_STATUS] = 0;
  record[at + R_LOSS_AT] = -1;
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
    lane,
    frameSeq,
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
  const out = sim.sc.hostOut[from] as number;
  sendOnPort(sim, hooks, from, out >> 1, (out & 1) as 0 | 1, slot);
}

/** The request's deadline passed: it fails with the last loss reason seen, and its connections are torn down. */
export function onRequestTimeout(sim: SimCore, flow: number, unit: number): void {
  if (!openRequest(sim, flow, unit)) return;
  const failed = failRequest(sim, flowSpec(sim, flow).kind === 'quic' ? 'quic' : 'tcp', flow, unit, '');
  if (failed) failPageLoadRequest(sim, flow, unit, failed, '');
  for (const c of Object.values(sim.st.conns)) if (c.flow === flow && c.unit === unit) closeConn(sim, c);
  for (const q of Object.values(sim.st.quicConns)) if (q.flow === flow && q.unit === unit) closeQuic(sim, q);
}
