import { assert, type NewEvent, type SimCore } from './core.ts';
import type { NetworkHooks } from './network.ts';
import { quicReceive } from './quic.ts';
import { quicApp, startQuicRequest } from './quicApp.ts';
import { closeQuic } from './quicConn.ts';
import { EPHEMERAL_BASE, failRequest, flowSpec, openRequest, sendFromHost } from './requests.ts';
import { exponential } from './rng.ts';
import type { FlowSpec } from './scenarioSchema.ts';
import { type FlowFrames, type FrameState, HEADER_BYTES, type Packet, type SimEvent } from './state.ts';
import { tcpReceive } from './tcp.ts';
import { startTcpRequest, tcpApp } from './tcpApp.ts';
import { closeConn } from './tcpConn.ts';
import { msToUs, sToUs } from './units.ts';

/** UDP destination port for real-time frames (RTP's customary 5004). */
export const UDP_PORT = 5004;

/** A UDP frame before its deadline, or undefined once it has settled. */
function pendingFrame(sim: SimCore, flow: number, unit: number): FrameState | undefined {
  const frames = sim.st.frames[flow];
  const i = frames ? unit - frames.firstUnit : -1;
  return frames && i >= 0 ? frames.pending[i] : undefined;
}

/** Wiring handed to the network layer. */
export const hooks: NetworkHooks = {
  deliver(sim, node, p) {
    if (p.channel === 'tcp') return tcpReceive(sim, tcpApp, node, p);
    if (p.channel === 'quic') return quicReceive(sim, quicApp, node, p);
    deliverFrame(sim, p);
  },
  lost(sim, p, reason, where) {
    const pending =
      p.channel === 'udp' ? pendingFrame(sim, p.flow, p.unit) : openRequest(sim, p.flow, p.unit);
    if (pending) {
      pending.lastLoss = reason;
      pending.lastLossAt = where;
    }
  },
};

/**
 * A frame reached its receiver (SPEC TRF-1): the first copy before the deadline is
 * delivered (marked reordered if a later frame came first); further copies are
 * duplicates; copies after the deadline find the frame already settled as lost.
 */
function deliverFrame(sim: SimCore, p: Packet): void {
  const frame = pendingFrame(sim, p.flow, p.unit);
  if (!frame) return; // Its deadline passed: onFrameDeadline already counted it lost.
  if (frame.delivered) {
    if (sim.listeners.length > 0)
      sim.emit({ k: 'frameDuplicate', tUs: sim.st.nowUs, flow: p.flow, unit: p.unit });
    return;
  }
  frame.delivered = true;
  const highest = sim.st.udpHighestUnit[p.flow] as number;
  sim.st.udpHighestUnit[p.flow] = Math.max(highest, p.unit);
  if (sim.listeners.length > 0)
    sim.emit({
      k: 'frameDelivered',
      tUs: sim.st.nowUs,
      flow: p.flow,
      unit: p.unit,
      latencyUs: sim.st.nowUs - p.createdUs,
      bytes: p.len,
      path: p.path,
      reordered: p.unit < highest,
    });
}

/** One microsecond after a frame's deadline: if no copy arrived, it is lost with the last reason seen. */
export function onFrameDeadline(sim: SimCore, flow: number, unit: number): void {
  const frames = sim.st.frames[flow];
  // Deadlines come in unit order (SPEC TRF-1), so the frame is the oldest pending one.
  if (!frames || frames.firstUnit !== unit) assert(false, 'frame deadlines settle in unit order');
  const frame = frames.pending.shift();
  frames.firstUnit++;
  if (!frame || frame.delivered) return;
  const f = flowSpec(sim, flow);
  const reason = frame.lastLoss || 'deadline-missed';
  if (sim.listeners.length > 0)
    sim.emit({
      k: 'frameLost',
      tUs: sim.st.nowUs,
      flow,
      unit,
      reason,
      at: frame.lastLoss ? frame.lastLossAt : f.to,
    });
}

/** Schedules every flow's first unit (called once when a simulation starts). */
export function scheduleFlows(sim: SimCore): void {
  sim.sc.file.traffic.forEach((f, flow) => {
    sim.schedule({ t: sToUs(f.startS), k: 'flowTick', flow });
  });
}

/** A flow's next unit is due: send a frame or start a request, then schedule the next (SPEC TRF-1). */
export function onFlowTick(sim: SimCore, tick: Extract<SimEvent, { k: 'flowTick' }>): void {
  const flow = tick.flow;
  const f = flowSpec(sim, flow);
  const unit = sim.st.unitsStarted[flow] as number;
  sim.st.unitsStarted[flow] = unit + 1;
  if (f.kind === 'udp') sendFrame(sim, flow, f, unit);
  else if (f.kind === 'tcp') startTcpRequest(sim, flow, unit);
  else startQuicRequest(sim, flow, unit);
  const next = sim.st.nowUs + gapUs(sim, f);
  if (f.stopS !== undefined && next >= sToUs(f.stopS)) return;
  // The tick that just ran is reused (no allocation per unit). A fixed period waits in a
  // FIFO lane; Poisson gaps differ every time, so they go to the heap.
  const again = tick as NewEvent;
  again.t = next;
  if (f.kind === 'udp' && f.arrival === 'poisson') sim.schedule(again);
  else sim.scheduleAtFixedDelay(again);
}

/** Time to a flow's next unit: fixed, or exponential for Poisson arrivals (SPEC TRF-4). */
function gapUs(sim: SimCore, f: FlowSpec): number {
  if (f.kind !== 'udp') return msToUs(f.everyMs);
  if (f.arrival === 'poisson') return Math.round(exponential(sim.st.rngTraffic, f.intervalMs * 1000));
  return msToUs(f.intervalMs);
}

function frameSize(sim: SimCore, f: FlowSpec & { kind: 'udp' }): number {
  if (f.sizeDistribution === 'fixed') return f.frameBytes;
  return Math.min(65_507, Math.max(1, Math.ceil(exponential(sim.st.rngTraffic, f.frameBytes))));
}

function sendFrame(sim: SimCore, flow: number, f: FlowSpec & { kind: 'udp' }, unit: number): void {
  const from = sim.sc.flowEnds[2 * flow] as number;
  const to = sim.sc.flowEnds[2 * flow + 1] as number;
  const bytes = frameSize(sim, f);
  if (sim.listeners.length > 0) sim.emit({ k: 'frameSent', tUs: sim.st.nowUs, flow, unit });
  const frames = sim.st.frames[flow] as FlowFrames;
  if (unit !== frames.firstUnit + frames.pending.length) assert(false, 'frames are sent in unit order');
  frames.pending.push({ delivered: false, lastLoss: '', lastLossAt: '' });
  sim.scheduleAtFixedDelay({ t: sim.st.nowUs + msToUs(f.deadlineMs) + 1, k: 'frameDeadline', flow, unit });
  sendFromHost(sim, hooks, from, {
    id: sim.st.nextPacketId++,
    channel: 'udp',
    srcAddr: sim.sc.hostAddr[from] as number,
    dstAddr: sim.sc.hostAddr[to] as number,
    srcPort: EPHEMERAL_BASE + (flow % 16384),
    dstPort: UDP_PORT,
    flags: 0,
    seq: unit,
    ack: 0,
    wnd: 0,
    len: bytes,
    sizeBytes: bytes + HEADER_BYTES.udp,
    ttl: sim.sc.file.initialTtl,
    flow,
    unit,
    createdUs: sim.st.nowUs,
    path: [],
  });
}

/** The request's deadline passed: it fails with the last loss reason seen, and its connections are torn down. */
export function onRequestTimeout(sim: SimCore, flow: number, unit: number): void {
  if (!openRequest(sim, flow, unit)) return;
  failRequest(sim, flowSpec(sim, flow).kind === 'quic' ? 'quic' : 'tcp', flow, unit, '');
  for (const c of Object.values(sim.st.conns)) if (c.flow === flow && c.unit === unit) closeConn(sim, c);
  for (const q of Object.values(sim.st.quicConns)) if (q.flow === flow && q.unit === unit) closeQuic(sim, q);
}
