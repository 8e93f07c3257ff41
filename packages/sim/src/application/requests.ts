import { assert, type SimCore } from '../engine/core.ts';
import { LANE_REQUEST_TIMEOUT, R_FLOW, R_UNIT } from '../engine/recordLanes.ts';
import type { LossReason, RequestChannel } from '../engine/records.ts';
import type { EndpointFields, RequestState } from '../engine/state.ts';
import { msToUs } from '../engine/units.ts';
import { packetAt } from '../engine/wire.ts';
import { type NetworkHooks, sendPacket } from '../network/network.ts';
import type { FlowSpec } from '../scenario/scenarioSchema.ts';

/** First ephemeral port (RFC 6335). */
export const EPHEMERAL_BASE = 49152;

/** The open request `unit` of `flow`, if any. */
export function openRequest(sim: SimCore, flow: number, unit: number): RequestState | undefined {
  return sim.st.requests[flow]?.[unit];
}

export function flowSpec(sim: SimCore, flow: number): FlowSpec {
  const f = sim.sc.file.traffic[flow];
  assert(f !== undefined, 'flow index is valid');
  return f;
}

/** A request flow (TCP or QUIC). */
export type RequestFlow = Extract<FlowSpec, { kind: 'tcp' | 'quic' }>;

export function requestFlow(sim: SimCore, flow: number): RequestFlow {
  const f = flowSpec(sim, flow);
  assert(f.kind === 'tcp' || f.kind === 'quic', 'a request flow');
  return f;
}

/**
 * A client's source port: one per (flow, request), shifted each time its host is
 * rebound (SPEC QUIC-10), within the ephemeral range.
 */
export function clientPort(sim: SimCore, node: number, flow: number, unit: number): number {
  const rebinds = sim.st.hostRebinds[node] ?? 0;
  return EPHEMERAL_BASE + ((flow * 997 + unit + rebinds * 4099) % 16384);
}

/**
 * A request's client end: on the flow's source host, from its client port to `serverPort`
 * at `peerAddr` — the flow's destination host, or a page load's answered address.
 */
export function clientEnd(
  sim: SimCore,
  flow: number,
  unit: number,
  serverPort: number,
  peerAddr: number = sim.sc.hostAddr[sim.sc.flowEnds[2 * flow + 1] as number] as number,
): EndpointFields {
  const from = sim.sc.flowEnds[2 * flow] as number;
  return {
    node: from,
    role: 'client',
    flow,
    unit,
    localAddr: sim.sc.hostAddr[from] as number,
    localPort: clientPort(sim, from, flow, unit),
    peerAddr,
    peerPort: serverPort,
  };
}

/** Sends the packet in `slot` from a host out of its only port, recording it for traces. */
export function sendFromHost(sim: SimCore, hooks: NetworkHooks, node: number, slot: number): void {
  if (sim.listeners.length > 0) {
    const p = packetAt(sim.st.wire, slot);
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
      ...(p.quic ? { quic: p.quic } : {}),
    });
  }
  sendPacket(sim, hooks, node, slot);
}

/** Opens the request's record and its deadline (SPEC TRF-2). */
export function beginRequest(sim: SimCore, channel: RequestChannel, flow: number, unit: number): void {
  const f = requestFlow(sim, flow);
  (sim.st.requests[flow] as Record<number, RequestState>)[unit] = {
    flow,
    unit,
    startUs: sim.st.nowUs,
    streamsDone: 0,
    firstByteUs: -1,
    lastLoss: '',
    lastLossAt: '',
  };
  sim.emit({ k: 'requestStarted', tUs: sim.st.nowUs, channel, flow, unit });
  const records = sim.st.wire.records;
  const lane = records.laneFor(LANE_REQUEST_TIMEOUT, msToUs(f.timeoutMs));
  const at = records.recordAt(lane, sim.scheduleRecord(lane, msToUs(f.timeoutMs)));
  records.ints(lane)[at + R_FLOW] = flow;
  records.ints(lane)[at + R_UNIT] = unit;
}

/** The first response byte reached the client application (recorded once). */
export function noteFirstByte(sim: SimCore, channel: RequestChannel, flow: number, unit: number): void {
  const req = openRequest(sim, flow, unit);
  if (!req || req.firstByteUs >= 0) return;
  req.firstByteUs = sim.st.nowUs;
  sim.emit({ k: 'firstByte', tUs: sim.st.nowUs, channel, flow, unit, latencyUs: sim.st.nowUs - req.startUs });
}

/** Stream `stream` of the request was delivered whole (SPEC H2-2, QUIC-6). */
export function noteStreamDone(
  sim: SimCore,
  channel: RequestChannel,
  flow: number,
  unit: number,
  stream: number,
): void {
  const req = openRequest(sim, flow, unit);
  if (!req) return;
  req.streamsDone++;
  sim.emit({
    k: 'streamCompleted',
    tUs: sim.st.nowUs,
    channel,
    flow,
    unit,
    stream,
    latencyUs: sim.st.nowUs - req.startUs,
  });
}

/** The whole response arrived: the request's record; returns the request it closed, if it was open. */
export function completeRequest(
  sim: SimCore,
  channel: RequestChannel,
  flow: number,
  unit: number,
  bytes: number,
): RequestState | undefined {
  const req = openRequest(sim, flow, unit);
  if (!req) return undefined;
  delete sim.st.requests[flow]?.[unit];
  sim.emit({
    k: 'requestCompleted',
    tUs: sim.st.nowUs,
    channel,
    flow,
    unit,
    latencyUs: sim.st.nowUs - req.startUs,
    bytes,
  });
  return req;
}

/**
 * Fails an open request with `reason`, or with the last loss of one of its packets, else
 * timed-out; returns the request it closed, if it was open.
 */
export function failRequest(
  sim: SimCore,
  channel: RequestChannel,
  flow: number,
  unit: number,
  reason: LossReason | '',
): RequestState | undefined {
  const req = openRequest(sim, flow, unit);
  if (!req) return undefined;
  delete sim.st.requests[flow]?.[unit];
  const why = reason || req.lastLoss || 'timed-out';
  // With no loss to blame (or a reason the caller names), the failure is placed at the server's host (SPEC SCORE-4).
  const at = (!reason && req.lastLossAt) || requestFlow(sim, flow).to;
  sim.emit({ k: 'requestFailed', tUs: sim.st.nowUs, channel, flow, unit, reason: why, at });
  return req;
}
