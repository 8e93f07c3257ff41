import { describe, expect, it } from 'vitest';
import type { LossReason } from '../engine/records.ts';
import { MetricsCollector } from '../observation/metrics.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';
import type { QueueDiscipline } from './queueing.ts';

/** Runs `traffic` over the r1—r2 link (2 Mbit/s) with a queue discipline; returns metrics and drop reasons. */
function runWith(
  queueDiscipline: Record<string, unknown>,
  traffic: Record<string, unknown>[],
  seconds: number,
  setBy: 'file' | 'command' = 'file',
) {
  const file = lineScenario({
    traffic,
    hostLinkKbps: 1_000_000,
    queuePackets: 100,
    mid: { bandwidthKbps: 2_000, queueDiscipline: setBy === 'file' ? queueDiscipline : { kind: 'fifo' } },
  });
  const sim = new Simulation(loadScenario(file, 'queues.json'), 3);
  if (setBy === 'command') {
    const discipline = queueDiscipline as QueueDiscipline;
    expect(sim.apply({ type: 'queue.set', node: 'r1', via: 'r2', discipline })).toBeNull();
    expect(sim.apply({ type: 'queue.set', node: 'r2', via: 'r1', discipline })).toBeNull();
  }
  const metrics = new MetricsCollector();
  const drops: Partial<Record<LossReason, number>> = {};
  sim.onRecord((r) => {
    metrics.add(r);
    if (r.k === 'drop') drops[r.reason] = (drops[r.reason] ?? 0) + 1;
  });
  sim.advanceTo((seconds + 30) * 1_000_000);
  return { ...metrics.summary(seconds * 1_000_000), drops };
}

const CALL = {
  id: 'call',
  kind: 'udp',
  from: 'h-a',
  to: 'h-b',
  startS: 1,
  stopS: 30,
  intervalMs: 20,
  frameBytes: 200,
  deadlineMs: 1_000,
};
const BULK = {
  id: 'bulk',
  kind: 'tcp',
  from: 'h-b',
  to: 'h-a',
  startS: 0,
  stopS: 0.001,
  everyMs: 1_000,
  requestBytes: 100,
  responseBytes: 50_000_000,
  timeoutMs: 600_000,
};

describe('queue disciplines', () => {
  it('strict priority lets real-time UDP overtake a queue of TCP — SPEC QUEUE-3', () => {
    // The bulk response (server h-a to client h-b) fills the r1→r2 queue the call also crosses.
    const fifo = runWith({ kind: 'fifo' }, [BULK, CALL], 30);
    const priority = runWith({ kind: 'priority' }, [BULK, CALL], 30);
    // FIFO: frames wait behind up to 100 full-size TCP segments (≈ 0.4 s at 2 Mbit/s).
    expect(fifo.udp.p95LatencyMs).toBeGreaterThan(200);
    // Priority: at most one TCP segment ahead (≈ 4 ms) plus 12 ms of propagation.
    expect(priority.udp.p95LatencyMs).toBeLessThan(20);
    expect(priority.udp.lost).toBe(0);
    expect(priority.tcp.goodputKbps).toBeGreaterThan(1_500);
  });

  it('RED drops early, before the queue is full, and keeps the queue short — SPEC QUEUE-4', () => {
    // Poisson arrivals slightly above what the link carries (4.0 ms apart, 4.1 ms to send): tail drop fills the queue.
    const load = {
      id: 'load',
      kind: 'udp',
      from: 'h-a',
      to: 'h-b',
      startS: 0,
      stopS: 120,
      intervalMs: 4.0,
      arrival: 'poisson',
      frameBytes: 1_000,
      deadlineMs: 10_000,
    };
    const fifo = runWith({ kind: 'fifo' }, [load], 120);
    const red = runWith(
      { kind: 'red', minThPackets: 5, maxThPackets: 15, maxP: 0.1, weight: 0.02 },
      [load],
      120,
    );
    expect(fifo.drops['queue-full']).toBeGreaterThan(0);
    expect(red.drops['red-drop']).toBeGreaterThan(0);
    expect(red.drops['queue-full'] ?? 0).toBe(0);
    // A short queue is a short wait: 15 packets of ~4 ms bound RED's delay well below FIFO's.
    expect(red.udp.p95LatencyMs).toBeLessThan(fifo.udp.p95LatencyMs / 2);
  });

  it('a discipline set by command behaves as one set in the scenario — SPEC QUEUE-5, SIM-8', () => {
    // The hop path reads an interface's discipline from a table derived from the links' state.
    const inFile = runWith({ kind: 'priority' }, [BULK, CALL], 10);
    expect(runWith({ kind: 'priority' }, [BULK, CALL], 10, 'command')).toEqual(inFile);
    expect(inFile.udp.p95LatencyMs).toBeLessThan(20);
  });

  it('a router sets the discipline of its interface towards a neighbour — SPEC QUEUE-5', () => {
    const sim = new Simulation(loadScenario(lineScenario({}), 'q.json'), 1);
    expect(
      sim.apply({ type: 'queue.set', node: 'r1', via: 'r2', discipline: { kind: 'priority' } }),
    ).toBeNull();
    expect(sim.st.links[1]?.dirs[0].discipline).toEqual({ kind: 'priority' });
    expect(sim.st.links[1]?.dirs[1].discipline).toEqual({ kind: 'fifo' });
    const bad = { kind: 'red', minThPackets: 20, maxThPackets: 10, maxP: 0.1, weight: 0.002 } as const;
    expect(sim.apply({ type: 'queue.set', node: 'r1', via: 'r2', discipline: bad })).toMatch(/minTh/);
    expect(sim.apply({ type: 'queue.set', node: 'r1', via: 'h-b', discipline: { kind: 'fifo' } })).toMatch(
      /neighbour/,
    );
  });
});
