import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { BULK_TRANSFER, lineScenario } from '../testing/lineScenario.ts';

/**
 * Mathis et al. 1997 (REFERENCES.md): with periodic loss (every 1/p-th data
 * packet), no timeouts and an ACK per segment, Reno's cwnd saws between W/2 and W,
 * W = √(8/(3p)), and throughput = (MSS/RTT)·√(3/2)/√p, ±10 %. — SPEC TCP-CC-6
 *
 * The model is continuous; Reno spends one RTT in fast recovery without growing
 * and sends whole segments only. Those cost a fixed ~1.5 RTT per cycle, so the
 * ±10 % holds where a cycle is long (W ≳ 30 segments, p ≤ 0.3 %); at p = 1 %
 * (W ≈ 16) the simulation measures 0.81 of the model (see docs/SPEC.md).
 */
const RTT_S = 0.1;
const MSS = 1000;

function bulkTransfer(p: number, seconds: number) {
  // 1 + 48 + 1 ms each way on 100 Gbit/s links: the RTT is 100 ms plus 4 µs of serialization, no queueing.
  const file = lineScenario({
    traffic: [BULK_TRANSFER],
    hostLinkKbps: 100_000_000,
    mid: {
      latencyMs: 48,
      bandwidthKbps: 100_000_000,
      lossModel: { kind: 'periodic', every: Math.round(1 / p) },
      lossDirection: 'ba',
    },
  }) as Record<string, unknown>;
  file.tcp = { rwndBytes: 10_000_000 };
  const sim = new Simulation(loadScenario(file, 'mathis.json'), 1);
  sim.traceCongestion = true;
  const warmUpUs = 60_000_000;
  let bytes = 0;
  let timeouts = 0;
  const windowsAtLossBytes: number[] = [];
  const windowsAfterRecoveryBytes: number[] = [];
  sim.onRecord((r) => {
    if (r.k === 'segmentDelivered' && r.tUs > warmUpUs) bytes += r.bytes;
    if (r.k !== 'tcpSample' || r.role !== 'server' || r.tUs <= warmUpUs) return;
    if (r.event === 'timeout') timeouts++;
    // At the third duplicate ACK the flight is the window at the loss (W); recovery leaves ssthresh = W/2.
    if (r.event === 'fast-retransmit') {
      windowsAtLossBytes.push(r.flightBytes);
      windowsAfterRecoveryBytes.push(r.ssthreshBytes);
    }
  });
  sim.advanceTo(warmUpUs + seconds * 1_000_000);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    throughputBps: bytes / seconds,
    timeouts,
    losses: windowsAtLossBytes.length,
    wSegments: mean(windowsAtLossBytes) / MSS,
    wAfterSegments: mean(windowsAfterRecoveryBytes) / MSS,
  };
}

describe('Mathis et al.: periodic loss, Reno saw-tooth — SPEC TCP-CC-6', () => {
  for (const p of [0.002, 0.001]) {
    it(`p = ${p}: cwnd saws between W/2 and W, throughput within 10 % of the model`, () => {
      const r = bulkTransfer(p, 300);
      const w = Math.sqrt(8 / (3 * p));
      expect(r.timeouts).toBe(0);
      expect(r.losses).toBeGreaterThan(50);
      expect(Math.abs(r.wSegments - w) / w).toBeLessThanOrEqual(0.1);
      expect(Math.abs(r.wAfterSegments - w / 2) / (w / 2)).toBeLessThanOrEqual(0.1);
      const model = ((MSS / RTT_S) * Math.sqrt(3 / 2)) / Math.sqrt(p);
      expect(Math.abs(r.throughputBps - model) / model).toBeLessThanOrEqual(0.1);
    });
  }
});
