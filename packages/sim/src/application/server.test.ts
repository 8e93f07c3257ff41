/** Servers in data centres: processing time, a concurrency limit and a FIFO queue, refusal beyond it (SPEC DC-2). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { hostViews } from '../observation/views.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { gslbScenario } from '../testing/gslbScenario.ts';

/** One plain request (no name, no TLS) from each client to web-w at 0 s. */
const oneRequestEach = ['cw', 'cs', 'ce'].map((from) => ({
  id: `req-${from}`,
  kind: 'tcp',
  from,
  to: 'web-w',
  everyMs: 1_000,
  stopS: 0.5,
  requestBytes: 300,
  responseBytes: 2_000,
  timeoutMs: 5_000,
}));

function run(server?: Record<string, number>) {
  const sim = new Simulation(
    loadScenario(
      gslbScenario(server ? { traffic: oneRequestEach, server } : { traffic: oneRequestEach }),
      'srv.json',
    ),
    1,
  );
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  const views: ReturnType<typeof hostViews>[] = [];
  for (let t = 50_000; t <= 2_000_000; t += 50_000) {
    sim.advanceTo(t);
    views.push(hostViews(sim));
  }
  const firstByte = (flow: number) =>
    records.find((r) => r.k === 'firstByte' && r.flow === flow)?.tUs ?? Number.NaN;
  return { sim, records, views, firstByte };
}

describe('a server host — SPEC DC-2', () => {
  it('processes each request for processingMs, runs `concurrency` at once, queues up to queueLimit and refuses the rest', () => {
    const plain = run();
    const busy = run({ processingMs: 200, concurrency: 1, queueLimit: 1 });
    // cw's request arrives first and is processed at once: its response is exactly 200 ms later.
    expect(busy.firstByte(0) - plain.firstByte(0)).toBe(200_000);
    // cs's waits in the queue until cw's is done, then takes its own 200 ms.
    expect(busy.firstByte(1)).toBeGreaterThanOrEqual(plain.firstByte(0) + 200_000 + 200_000);
    // ce's finds the worker busy and the queue full: a reset.
    expect(busy.records).toContainEqual(
      expect.objectContaining({ k: 'requestFailed', flow: 2, reason: 'connection-reset' }),
    );
    expect(plain.records.filter((r) => r.k === 'requestFailed')).toEqual([]);
    // The overload shows in the host's view: one busy and one waiting at 100 ms; two served and one refused at the end.
    expect(busy.views[1]?.find((h) => h.id === 'web-w')?.server).toMatchObject({
      busy: 1,
      queued: 1,
      refused: 1,
    });
    expect(busy.views.at(-1)?.find((h) => h.id === 'web-w')?.server).toEqual({
      busy: 0,
      concurrency: 1,
      queued: 0,
      queueLimit: 1,
      peakQueue: 1,
      served: 2,
      refused: 1,
      openConns: 0,
      peakConns: 3,
      memoryKB: 0,
      memoryLimitKB: 0,
      refusedConns: 0,
    });
    // Hosts without `server` show no queue.
    expect(plain.views.at(-1)?.find((h) => h.id === 'web-w')?.server).toBeNull();
  });

  it('with enough workers, requests run side by side: each takes processingMs and no more', () => {
    const plain = run();
    const wide = run({ processingMs: 50, concurrency: 8, queueLimit: 0 });
    for (const flow of [0, 1, 2]) expect(wide.firstByte(flow) - plain.firstByte(flow)).toBe(50_000);
  });

  it('each open connection holds connMemoryKB; a SYN beyond memoryKB is refused with a reset (SPEC DC-4)', () => {
    const tight = run({ processingMs: 200, concurrency: 1, queueLimit: 5, connMemoryKB: 64, memoryKB: 128 });
    // Two connections fit in 128 KB; the third client's SYN finds the memory full.
    expect(tight.views[1]?.find((h) => h.id === 'web-w')?.server).toMatchObject({
      openConns: 2,
      memoryKB: 128,
      memoryLimitKB: 128,
      refusedConns: 1,
    });
    expect(tight.records.filter((r) => r.k === 'requestFailed')).toEqual([
      expect.objectContaining({ reason: 'connection-reset' }),
    ]);
    expect(tight.views.at(-1)?.find((h) => h.id === 'web-w')?.server).toMatchObject({
      openConns: 0,
      peakConns: 2,
      memoryKB: 0,
      served: 2,
    });
  });

  it('survives a snapshot and restore while requests wait (SPEC SIM-5)', () => {
    const file = gslbScenario({
      traffic: oneRequestEach,
      server: { processingMs: 200, concurrency: 1, queueLimit: 1 },
    });
    const a = new Simulation(loadScenario(file, 'srv.json'), 1);
    a.advanceTo(150_000);
    const b = new Simulation(loadScenario(file, 'srv.json'), 1);
    b.restore(a.snapshot());
    a.advanceTo(1_000_000);
    b.advanceTo(1_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
  });
});
