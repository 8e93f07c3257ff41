import { assert, type SimCore } from './core.ts';
import { type NetworkHooks, sendOnPort } from './network.ts';
import type { LossReason } from './records.ts';
import { exponential } from './rng.ts';
import type { FlowSpec } from './scenarioSchema.ts';
import { HEADER_BYTES, type Packet, type TcpConn } from './state.ts';
import { closeByApp, closeConn, openClient, SERVER_PORT, type TcpApp, tcpReceive, trySend } from './tcp.ts';
import { msToUs, sToUs } from './units.ts';

/** UDP destination port for real-time frames (RTP's customary 5004). */
export const UDP_PORT = 5004;
/** First ephemeral port (RFC 6335). */
const EPHEMERAL_BASE = 49152;

function unitKey(flow: number, unit: number): string {
  return `${flow}:${unit}`;
}

function flowSpec(sim: SimCore, flow: number): FlowSpec {
  const f = sim.sc.file.traffic[flow];
  assert(f !== undefined, 'flow index is valid');
  return f;
}

function hostNode(sim: SimCore, id: string): number {
  return sim.sc.nodeIndex.get(id) as number;
}

/** Sends a packet from a host out of its only port. */
function sendFromHost(sim: SimCore, node: number, p: Packet): void {
  const port = sim.sc.ports[node]?.[0];
  assert(port !== undefined, 'hosts have one port');
  if (sim.listeners.length > 0)
    sim.emit({
      k: 'hostSend',
      tUs: sim.st.nowUs,
      node,
      channel: p.channel,
      flags: p.flags,
      seq: p.seq,
      ack: p.ack,
      len: p.len,
      flow: p.flow,
      unit: p.unit,
    });
  sendOnPort(sim, hooks, node, port, p);
}

/** The request/response application on top of TCP (SPEC TRF-2). */
export const tcpApp: TcpApp = {
  established(sim, c) {
    const f = flowSpec(sim, c.flow);
    if (c.role === 'client' && f.kind === 'tcp') c.sendBytes += f.requestBytes;
  },
  delivered(sim, c) {
    const f = flowSpec(sim, c.flow);
    if (f.kind !== 'tcp') return;
    if (c.role === 'server' && c.deliveredBytes >= f.requestBytes && c.sendBytes === 0) {
      c.sendBytes = f.responseBytes;
      // HTTP/1.0 style: the server closes once the response is queued (SPEC TRF-3).
      if (f.closeBy !== 'client') closeByApp(sim, tcpApp, c);
      else trySend(sim, tcpApp, c);
    } else if (c.role === 'client' && c.deliveredBytes >= f.responseBytes && !c.finQueued) {
      completeRequest(sim, c);
      if (f.closeBy !== 'server') closeByApp(sim, tcpApp, c);
    }
  },
  peerClosed(sim, c) {
    closeByApp(sim, tcpApp, c);
  },
  aborted(sim, c) {
    const req = sim.st.requests[unitKey(c.flow, c.unit)];
    if (req && c.role === 'client')
      failRequest(sim, c.flow, c.unit, req.lastLoss || 'timed-out', req.lastLossAt);
  },
  transmit(sim, node, p) {
    sendFromHost(sim, node, p);
  },
};

/** Wiring handed to the network layer. */
export const hooks: NetworkHooks = {
  deliver(sim, node, p) {
    if (p.channel === 'tcp') return tcpReceive(sim, tcpApp, node, p);
    deliverFrame(sim, p);
  },
  lost(sim, p, reason, where) {
    const pending =
      p.channel === 'udp' ? sim.st.frames[unitKey(p.flow, p.unit)] : sim.st.requests[unitKey(p.flow, p.unit)];
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
  const key = unitKey(p.flow, p.unit);
  const frame = sim.st.frames[key];
  if (!frame) return; // Its deadline passed: onFrameDeadline already counted it lost.
  if (frame.delivered) {
    sim.emit({ k: 'frameDuplicate', tUs: sim.st.nowUs, flow: p.flow, unit: p.unit });
    return;
  }
  frame.delivered = true;
  const highest = sim.st.udpHighestUnit[p.flow] as number;
  sim.st.udpHighestUnit[p.flow] = Math.max(highest, p.unit);
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
  const key = unitKey(flow, unit);
  const frame = sim.st.frames[key];
  if (!frame) return;
  delete sim.st.frames[key];
  if (frame.delivered) return;
  const f = flowSpec(sim, flow);
  const reason = frame.lastLoss || 'deadline-missed';
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
export function onFlowTick(sim: SimCore, flow: number): void {
  const f = flowSpec(sim, flow);
  const unit = sim.st.unitsStarted[flow] as number;
  sim.st.unitsStarted[flow] = unit + 1;
  if (f.kind === 'udp') sendFrame(sim, flow, f, unit);
  else startRequest(sim, flow, f, unit);
  const next = sim.st.nowUs + gapUs(sim, f);
  if (f.stopS === undefined || next < sToUs(f.stopS)) sim.schedule({ t: next, k: 'flowTick', flow });
}

/** Time to a flow's next unit: fixed, or exponential for Poisson arrivals (SPEC TRF-4). */
function gapUs(sim: SimCore, f: FlowSpec): number {
  if (f.kind === 'tcp') return msToUs(f.everyMs);
  if (f.arrival === 'poisson') return Math.round(exponential(sim.st.rngTraffic, f.intervalMs * 1000));
  return msToUs(f.intervalMs);
}

function frameSize(sim: SimCore, f: FlowSpec & { kind: 'udp' }): number {
  if (f.sizeDistribution === 'fixed') return f.frameBytes;
  return Math.min(65_507, Math.max(1, Math.ceil(exponential(sim.st.rngTraffic, f.frameBytes))));
}

function sendFrame(sim: SimCore, flow: number, f: FlowSpec & { kind: 'udp' }, unit: number): void {
  const from = hostNode(sim, f.from);
  const to = hostNode(sim, f.to);
  const bytes = frameSize(sim, f);
  sim.emit({ k: 'frameSent', tUs: sim.st.nowUs, flow, unit });
  sim.st.frames[unitKey(flow, unit)] = { delivered: false, lastLoss: '', lastLossAt: '' };
  sim.schedule({ t: sim.st.nowUs + msToUs(f.deadlineMs) + 1, k: 'frameDeadline', flow, unit });
  sendFromHost(sim, from, {
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

function startRequest(sim: SimCore, flow: number, f: FlowSpec & { kind: 'tcp' }, unit: number): void {
  const from = hostNode(sim, f.from);
  const to = hostNode(sim, f.to);
  sim.st.requests[unitKey(flow, unit)] = {
    flow,
    unit,
    startUs: sim.st.nowUs,
    lastLoss: '',
    lastLossAt: '',
  };
  sim.emit({ k: 'requestStarted', tUs: sim.st.nowUs, flow, unit });
  sim.schedule({ t: sim.st.nowUs + msToUs(f.timeoutMs), k: 'requestTimeout', flow, unit });
  openClient(sim, tcpApp, {
    node: from,
    flow,
    unit,
    localAddr: sim.sc.hostAddr[from] as number,
    localPort: EPHEMERAL_BASE + ((flow * 997 + unit) % 16384),
    peerAddr: sim.sc.hostAddr[to] as number,
    peerPort: SERVER_PORT,
  });
}

function completeRequest(sim: SimCore, c: TcpConn): void {
  const key = unitKey(c.flow, c.unit);
  const req = sim.st.requests[key];
  if (!req) return;
  delete sim.st.requests[key];
  sim.emit({
    k: 'requestCompleted',
    tUs: sim.st.nowUs,
    flow: c.flow,
    unit: c.unit,
    latencyUs: sim.st.nowUs - req.startUs,
    bytes: c.deliveredBytes,
  });
}

function failRequest(sim: SimCore, flow: number, unit: number, reason: LossReason, at: string): void {
  const key = unitKey(flow, unit);
  if (!sim.st.requests[key]) return;
  delete sim.st.requests[key];
  sim.emit({ k: 'requestFailed', tUs: sim.st.nowUs, flow, unit, reason, at });
}

/** The request's deadline passed: it fails with the last loss reason seen, and its connections are torn down. */
export function onRequestTimeout(sim: SimCore, flow: number, unit: number): void {
  const req = sim.st.requests[unitKey(flow, unit)];
  if (!req) return;
  failRequest(sim, flow, unit, req.lastLoss || 'timed-out', req.lastLossAt);
  for (const c of Object.values(sim.st.conns)) if (c.flow === flow && c.unit === unit) closeConn(sim, c);
}
