import { msToUs, sToUs } from '../engine/units.ts';
import type { FlowSpec } from '../scenario/scenarioSchema.ts';

/**
 * Per flow (index = flow), what sending a unit needs, as one 64-byte row of
 * float64 — a tick reads one cache line, not one per field (10,000 flows are never
 * all in cache). Fields at `flow * FT_STRIDE + FT_*`.
 */
export interface FlowTable {
  rows: Float64Array;
}
export const FT_STRIDE = 8;
/** The gap between units (µs), or its mean for Poisson arrivals. */
export const FT_GAP_US = 0;
/**
 * Units start before this time, µs; −1 when the flow never stops. (Not +∞: every
 * number a tick hands on stays a small integer, so passing it boxes nothing.)
 */
export const FT_STOP_US = 1;
/** UDP: the frame's deadline after sending, µs; payload bytes (or their mean when exponential). */
export const FT_DEADLINE_US = 2;
export const FT_FRAME_BYTES = 3;
/** Kind (0 UDP, 1 TCP, 2 QUIC) + FLAG_POISSON + FLAG_EXPONENTIAL_SIZES. */
export const FT_FLAGS = 4;
/** The sending and receiving hosts (node indices) and the receiver's address (as int32, like a slot's). */
export const FT_FROM = 5;
export const FT_TO = 6;
export const FT_DST_ADDR = 7;
export const FLAG_POISSON = 4;
export const FLAG_EXPONENTIAL_SIZES = 8;

/** A flow's kind as FT_FLAGS's low two bits hold it (3: DNS, whose receiver is its stub's resolver). */
export const FLOW_KIND_CODE: Record<FlowSpec['kind'], number> = { udp: 0, tcp: 1, quic: 2, dns: 3 };

/** The flow table of `traffic`, whose ends (node indices) are `flowEnds` (Scenario.flowEnds). */
export function flowTable(traffic: readonly FlowSpec[], flowEnds: Int32Array, hostAddr: number[]): FlowTable {
  const rows = new Float64Array(traffic.length * FT_STRIDE);
  traffic.forEach((f, i) => {
    const row = i * FT_STRIDE;
    let flags = FLOW_KIND_CODE[f.kind];
    rows[row + FT_STOP_US] = f.stopS === undefined ? -1 : sToUs(f.stopS);
    if (f.kind === 'udp') {
      rows[row + FT_GAP_US] = f.arrival === 'poisson' ? f.intervalMs * 1000 : msToUs(f.intervalMs);
      if (f.arrival === 'poisson') flags += FLAG_POISSON;
      rows[row + FT_DEADLINE_US] = msToUs(f.deadlineMs);
      rows[row + FT_FRAME_BYTES] = f.frameBytes;
      if (f.sizeDistribution === 'exponential') flags += FLAG_EXPONENTIAL_SIZES;
    } else if (f.kind === 'dns') {
      rows[row + FT_GAP_US] = f.arrival === 'poisson' ? f.everyMs * 1000 : msToUs(f.everyMs);
      if (f.arrival === 'poisson') flags += FLAG_POISSON;
    } else rows[row + FT_GAP_US] = msToUs(f.everyMs);
    rows[row + FT_FLAGS] = flags;
    const from = flowEnds[2 * i] as number;
    const to = flowEnds[2 * i + 1] as number;
    rows[row + FT_FROM] = from;
    rows[row + FT_TO] = to;
    rows[row + FT_DST_ADDR] = (hostAddr[to] as number) | 0;
  });
  return { rows };
}
