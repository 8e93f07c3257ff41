import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';

const FLOW = { kind: 'udp', from: 'h-a', to: 'h-b', startS: 0, frameBytes: 200, deadlineMs: 1_000 };
const TRAFFIC = [
  { ...FLOW, id: 'calls', intervalMs: 100 },
  { ...FLOW, id: 'random', intervalMs: 50, arrival: 'poisson' },
  {
    id: 'web',
    kind: 'tcp',
    from: 'h-a',
    to: 'h-b',
    everyMs: 500,
    requestBytes: 200,
    responseBytes: 2_000,
    timeoutMs: 5_000,
  },
];

function sim(seed = 3): { sim: Simulation; records: SimRecord[] } {
  const s = new Simulation(
    loadScenario(lineScenario({ traffic: TRAFFIC, queuePackets: 10_000 }), 'line.json'),
    seed,
  );
  const records: SimRecord[] = [];
  s.onRecord((r) => records.push(r));
  return { sim: s, records };
}

/** Units started by flow `flow` in [fromS, toS). */
function started(records: SimRecord[], flow: number, fromS: number, toS: number): number {
  return records.filter(
    (r) =>
      (r.k === 'frameSent' || r.k === 'requestStarted') &&
      r.flow === flow &&
      r.tUs >= fromS * 1e6 &&
      r.tUs < toS * 1e6,
  ).length;
}

describe('traffic spikes — SPEC TRF-5', () => {
  it('multiplies every flow’s units for the spike’s seconds, then gives the old rate back', () => {
    const { sim: s, records } = sim();
    s.advanceTo(2_000_000);
    expect(s.apply({ type: 'traffic.spike', factor: 4, seconds: 4 })).toBeNull();
    s.advanceTo(10_000_000);
    // A fixed-interval flow: 10 a second before, 40 during (after its next unit), 10 after.
    expect(started(records, 0, 1, 2)).toBe(10);
    expect(started(records, 0, 3, 5)).toBe(80);
    expect(started(records, 0, 7, 10)).toBe(30);
    // Poisson: about 20 a second before and after, about 80 during.
    expect(started(records, 1, 2.2, 6)).toBeGreaterThan(3.8 * 80 * 0.75);
    expect(started(records, 1, 7, 10)).toBeLessThan(3 * 20 * 1.5);
    // Requests: 2 a second before, 8 during.
    expect(started(records, 2, 3, 5)).toBe(16);
    expect(started(records, 2, 7, 9)).toBe(4);
  });

  it('spikes only the flow it names', () => {
    const { sim: s, records } = sim();
    s.advanceTo(1_000_000);
    expect(s.apply({ type: 'traffic.spike', factor: 3, seconds: 3, flow: 'web' })).toBeNull();
    s.advanceTo(5_000_000);
    expect(started(records, 0, 2, 4)).toBe(20);
    expect(started(records, 2, 2, 4)).toBe(12);
  });

  it('is the same on a replica and across a snapshot taken during the spike', () => {
    const a = sim(9);
    const b = sim(9);
    for (const x of [a, b]) {
      x.sim.advanceTo(1_500_000);
      x.sim.apply({ type: 'traffic.spike', factor: 5, seconds: 2 });
      x.sim.advanceTo(2_500_000);
    }
    const restored = new Simulation(a.sim.sc, 9);
    restored.restore(a.sim.snapshot());
    const after: SimRecord[] = [];
    restored.onRecord((r) => after.push(r));
    a.sim.advanceTo(6_000_000);
    b.sim.advanceTo(6_000_000);
    restored.advanceTo(6_000_000);
    expect(b.records).toEqual(a.records);
    expect(after).toEqual(a.records.filter((r) => r.tUs > 2_500_000));
    expect(restored.stateHash()).toBe(a.sim.stateHash());
  });

  it('refuses an unknown flow and a factor or length out of range (CMD-1)', () => {
    const { sim: s } = sim();
    const before = s.stateHash();
    expect(s.apply({ type: 'traffic.spike', factor: 2, seconds: 5, flow: 'nope' })).toMatch(
      /unknown flow "nope"/,
    );
    expect(s.apply({ type: 'traffic.spike', factor: 1, seconds: 5 })).toMatch(/more than 1/);
    expect(s.apply({ type: 'traffic.spike', factor: 50, seconds: 5 })).toMatch(/at most 20/);
    expect(s.apply({ type: 'traffic.spike', factor: 2, seconds: 0 })).toMatch(/seconds/);
    expect(s.stateHash()).toBe(before);
  });
});
