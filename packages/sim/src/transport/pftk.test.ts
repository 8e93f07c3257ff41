import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { BULK_TRANSFER, lineScenario } from '../testing/lineScenario.ts';

/**
 * Padhye, Firoiu, Towsley and Kurose 1998 (REFERENCES.md): a bulk Reno transfer
 * with Bernoulli loss on its data packets and timeouts. The scaling laws are
 * tight — doubling RTT halves throughput (±10 %), 4× p halves it (±15 %, p ≤ 2 %) —
 * and the PFTK value itself is an approximation (±30 %). Means over 5 seeds of
 * 600 s after a 30 s warm-up. — SPEC TCP-CC-7
 */
const SEEDS = [1, 2, 3, 4, 5];
const SECONDS = 600;
const WARM_UP_US = 30_000_000;

/** Mean goodput in packets (MSS = 1,000 bytes) per second over the seeds. */
function throughputPps(p: number, rttMs: number): number {
  let sum = 0;
  for (const seed of SEEDS) {
    // Host links add 1 ms each way: the r1—r2 link carries the rest of the RTT.
    const file = lineScenario({
      traffic: [BULK_TRANSFER],
      hostLinkKbps: 100_000_000,
      mid: { latencyMs: rttMs / 2 - 2, bandwidthKbps: 100_000_000, loss: p, lossDirection: 'ba' },
    }) as Record<string, unknown>;
    file.tcp = { rwndBytes: 10_000_000, maxRetries: 20 };
    const sim = new Simulation(loadScenario(file, 'pftk.json'), seed);
    let bytes = 0;
    sim.onRecord((r) => {
      if (r.k === 'segmentDelivered' && r.tUs > WARM_UP_US) bytes += r.bytes;
    });
    sim.advanceTo(WARM_UP_US + SECONDS * 1_000_000);
    sum += bytes / 1000 / SECONDS;
  }
  return sum / SEEDS.length;
}

/** PFTK's B(p) in packets/s with b = 1 (an ACK per segment) and no window limit. */
function pftk(p: number, rttS: number, t0S: number): number {
  const b = 1;
  const timeoutTerm = t0S * Math.min(1, 3 * Math.sqrt((3 * b * p) / 8)) * p * (1 + 32 * p * p);
  return 1 / (rttS * Math.sqrt((2 * b * p) / 3) + timeoutTerm);
}

describe('PFTK with Bernoulli loss — SPEC TCP-CC-7', () => {
  const at = new Map<string, number>();
  const tput = (p: number, rttMs: number) => {
    const key = `${p}/${rttMs}`;
    if (!at.has(key)) at.set(key, throughputPps(p, rttMs));
    return at.get(key) as number;
  };

  it('doubling the RTT halves throughput (±10 %)', () => {
    for (const p of [0.005, 0.02])
      expect(Math.abs(tput(p, 200) / tput(p, 100) - 0.5) / 0.5).toBeLessThanOrEqual(0.1);
  }, 120_000);

  it('4× the loss rate halves throughput (±15 %)', () => {
    for (const [p, rttMs] of [
      [0.005, 100],
      [0.0025, 100],
    ] as const)
      expect(Math.abs(tput(4 * p, rttMs) / tput(p, rttMs) - 0.5) / 0.5).toBeLessThanOrEqual(0.15);
  }, 120_000);

  it('matches the PFTK value within ±30 % (T0 = 1 s, the RTO floor)', () => {
    for (const [p, rttMs] of [
      [0.005, 100],
      [0.02, 100],
      [0.005, 200],
      [0.02, 200],
    ] as const) {
      const model = pftk(p, rttMs / 1000, 1);
      expect(Math.abs(tput(p, rttMs) - model) / model).toBeLessThanOrEqual(0.3);
    }
  }, 120_000);
});
