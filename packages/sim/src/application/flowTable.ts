import { defineLayout } from '../engine/layout.ts';
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
export const FLOW_ROW = defineLayout({
  name: 'flow row',
  lineBytes: 64,
  lines: [
    {
      /** The gap between units (µs), or its mean for Poisson arrivals. */
      gapUs: 'f64',
      /**
       * Units start before this time, µs; −1 when the flow never stops. (Not +∞: every
       * number a tick hands on stays a small integer, so passing it boxes nothing.)
       */
      stopUs: 'f64',
      /** UDP: the frame's deadline after sending, µs; payload bytes (or their mean when exponential). */
      deadlineUs: 'f64',
      frameBytes: 'f64',
      /** Kind (0 UDP, 1 TCP, 2 QUIC) + FLAG_POISSON + FLAG_EXPONENTIAL_SIZES + FLAG_PAGE_LOAD. */
      flags: 'f64',
      /** The sending and receiving hosts (node indices) and the receiver's address (as int32, like a slot's). */
      from: 'f64',
      to: 'f64',
      dstAddr: 'f64',
    },
  ],
});
export const FT_STRIDE = FLOW_ROW.f64Stride;
export const FT_GAP_US = FLOW_ROW.f64.gapUs;
export const FT_STOP_US = FLOW_ROW.f64.stopUs;
export const FT_DEADLINE_US = FLOW_ROW.f64.deadlineUs;
export const FT_FRAME_BYTES = FLOW_ROW.f64.frameBytes;
export const FT_FLAGS = FLOW_ROW.f64.flags;
export const FT_FROM = FLOW_ROW.f64.from;
export const FT_TO = FLOW_ROW.f64.to;
export const FT_DST_ADDR = FLOW_ROW.f64.dstAddr;
export const FLAG_POISSON = 4;
export const FLAG_EXPONENTIAL_SIZES = 8;
/** A TCP flow whose units are page loads: a name to look up first (SPEC PAGE-1). */
export const FLAG_PAGE_LOAD = 16;
/** Set in a tick's record (never in a row) when its gap was shortened by a traffic spike (SPEC TRF-5). */
export const FLAG_SPIKED = 32;

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
    } else {
      rows[row + FT_GAP_US] = msToUs(f.everyMs);
      if (f.kind === 'tcp' && f.name !== undefined) flags += FLAG_PAGE_LOAD;
    }
    rows[row + FT_FLAGS] = flags;
    const from = flowEnds[2 * i] as number;
    const to = flowEnds[2 * i + 1] as number;
    rows[row + FT_FROM] = from;
    rows[row + FT_TO] = to;
    rows[row + FT_DST_ADDR] = (hostAddr[to] as number) | 0;
  });
  return { rows };
}
