import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';

/**
 * Queueing theory on one link (REFERENCES.md "Queues"): Poisson arrivals into the
 * r1→r2 interface of a 4 Mbit/s link. Mean payload 8,000 bytes keeps the 28 header
 * bytes (0.35 %) and UDP's 65,507-byte cap (P = e^-8) from bending the formulas.
 * Exact event times, no time step. ±5 % on means over 10 seeds.
 */
const BANDWIDTH_BPS = 4_000_000;
const PAYLOAD_BYTES = 8_000;
const WIRE_BYTES = PAYLOAD_BYTES + 28;
/** Service rate μ for the mean packet, packets/s. */
const MU = BANDWIDTH_BPS / (8 * WIRE_BYTES);
/** Propagation on the path (1 + 10 + 1 ms) plus two 1 µs serializations on the 100 Gbit/s host links. */
const FIXED_US = 12_000 + 2;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

interface QueueRun {
  meanSojournS: number;
  blockedShare: number;
}

function runQueue(
  rho: number,
  sizes: 'exponential' | 'fixed',
  queuePackets: number,
  seconds: number,
  seed: number,
): QueueRun {
  const flow = {
    id: 'q',
    kind: 'udp',
    from: 'h-a',
    to: 'h-b',
    startS: 0,
    stopS: seconds,
    intervalMs: 1000 / (rho * MU),
    arrival: 'poisson',
    frameBytes: PAYLOAD_BYTES,
    sizeDistribution: sizes,
    deadlineMs: 600_000,
  };
  const file = lineScenario({
    traffic: [flow],
    hostLinkKbps: 100_000_000,
    queuePackets,
    mid: { bandwidthKbps: BANDWIDTH_BPS / 1000 },
  });
  const sim = new Simulation(loadScenario(file, 'queue.json'), seed);
  let sent = 0;
  let blocked = 0;
  let latencySumUs = 0;
  let delivered = 0;
  sim.onRecord((r) => {
    if (r.k === 'frameSent') sent++;
    else if (r.k === 'drop' && r.reason === 'queue-full') blocked++;
    else if (r.k === 'frameDelivered') {
      latencySumUs += r.latencyUs;
      delivered++;
    }
  });
  sim.advanceTo((seconds + 60) * 1_000_000);
  return { meanSojournS: (latencySumUs / delivered - FIXED_US) / 1e6, blockedShare: blocked / sent };
}

function meanOverSeeds(f: (seed: number) => number): number {
  return SEEDS.reduce((sum, seed) => sum + f(seed), 0) / SEEDS.length;
}

describe('queues match queueing theory — SPEC LINK-1, QUEUE-1', () => {
  for (const rho of [0.5, 0.8]) {
    it(`M/M/1 at ρ = ${rho}: W = 1/(μ − λ)`, () => {
      const w = meanOverSeeds((seed) => runQueue(rho, 'exponential', 10_000, 500, seed).meanSojournS);
      const expected = 1 / (MU - rho * MU);
      expect(Math.abs(w - expected) / expected).toBeLessThanOrEqual(0.05);
    });
  }

  it('M/D/1 at ρ = 0.8: Wq = ρ / (2μ(1 − ρ))', () => {
    const serviceS = 1 / MU;
    const wq = meanOverSeeds((seed) => runQueue(0.8, 'fixed', 10_000, 500, seed).meanSojournS - serviceS);
    const expected = 0.8 / (2 * MU * (1 - 0.8));
    expect(Math.abs(wq - expected) / expected).toBeLessThanOrEqual(0.05);
  });

  for (const [rho, k] of [
    [0.8, 5],
    [0.5, 3],
  ] as const) {
    it(`M/M/1/K tail drop at ρ = ${rho}, K = ${k}: P_block = (1 − ρ)ρ^K / (1 − ρ^(K+1))`, () => {
      const p = meanOverSeeds((seed) => runQueue(rho, 'exponential', k, 300, seed).blockedShare);
      const expected = ((1 - rho) * rho ** k) / (1 - rho ** (k + 1));
      expect(Math.abs(p - expected) / expected).toBeLessThanOrEqual(0.05);
    });
  }
});
