import { beforeAll, describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';

const FLOW = { kind: 'udp', from: 'h-a', to: 'h-b', startS: 0, stopS: 100, deadlineMs: 1_000 };

function run(traffic: Record<string, unknown>[], seed: number): SimRecord[] {
  const sim = new Simulation(
    loadScenario(lineScenario({ traffic, queuePackets: 10_000 }), 'line.json'),
    seed,
  );
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(102_000_000);
  return records;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** |estimate − expected| ≤ 4 standard errors. */
const within4Se = (estimate: number, expected: number, sd: number, n: number) =>
  Math.abs(estimate - expected) <= (4 * sd) / Math.sqrt(n);

describe('random arrivals and sizes (fixed seed) — SPEC TRF-4', () => {
  let records: SimRecord[] = [];
  beforeAll(() => {
    records = run(
      [
        { ...FLOW, id: 'poisson', intervalMs: 10, frameBytes: 200, arrival: 'poisson' },
        { ...FLOW, id: 'sizes', intervalMs: 100, frameBytes: 500, sizeDistribution: 'exponential' },
        { ...FLOW, id: 'capped', intervalMs: 100, frameBytes: 60_000, sizeDistribution: 'exponential' },
      ],
      5,
    );
  });
  const sentAt = (flow: number) =>
    records.flatMap((r) => (r.k === 'frameSent' && r.flow === flow ? [r.tUs] : []));
  const sizes = (flow: number) =>
    records.flatMap((r) => (r.k === 'frameDelivered' && r.flow === flow ? [r.bytes] : []));

  it('poisson arrivals: exponential gaps of mean intervalMs', () => {
    const times = sentAt(0);
    const gapsUs = times.slice(1).map((t, i) => t - (times[i] as number));
    const n = gapsUs.length;
    expect(n).toBeGreaterThan(9_000);
    expect(within4Se(mean(gapsUs), 10_000, 10_000, n)).toBe(true);
    // Memoryless: P(gap > mean) = e^−1, where periodic sending gives 0.
    const above = gapsUs.filter((g) => g > 10_000).length / n;
    expect(within4Se(above, Math.exp(-1), Math.sqrt(Math.exp(-1) * (1 - Math.exp(-1))), n)).toBe(true);
  });

  it('a periodic flow keeps its exact interval', () => {
    const times = sentAt(1);
    expect(new Set(times.slice(1).map((t, i) => t - (times[i] as number)))).toEqual(new Set([100_000]));
  });

  it('exponential sizes: whole bytes, rounded up, of mean frameBytes', () => {
    const bytes = sizes(1);
    const n = bytes.length;
    expect(n).toBe(1_000);
    expect(bytes.every((b) => Number.isInteger(b) && b >= 1)).toBe(true);
    // Rounding up adds half a byte to the mean.
    expect(within4Se(mean(bytes), 500.5, 500, n)).toBe(true);
    const above = bytes.filter((b) => b > 500).length / n;
    expect(within4Se(above, Math.exp(-1), Math.sqrt(Math.exp(-1) * (1 - Math.exp(-1))), n)).toBe(true);
  });

  it('exponential sizes are capped at 65,507 bytes', () => {
    const bytes = sizes(2);
    const n = bytes.length;
    expect(Math.max(...bytes)).toBe(65_507);
    // P(X ≥ 65,507) for a mean of 60,000: e^(−65,507/60,000) ≈ 0.336 of the frames sit at the cap.
    const p = Math.exp(-65_507 / 60_000);
    const capped = bytes.filter((b) => b === 65_507).length / n;
    expect(within4Se(capped, p, Math.sqrt(p * (1 - p)), n)).toBe(true);
  });
});
