import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario, ONE_REQUEST } from '../testing/lineScenario.ts';

// Twenty 1,000-byte frames 100 µs apart reach r1 within 2 ms; the r1—r2 link (1 Mbit/s) needs
// 8 ms to send each, so its queue of 5 fills at once. A TCP SYN follows at 2.5 ms.
const BURST = {
  id: 'burst',
  kind: 'udp',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  stopS: 0.002,
  intervalMs: 0.1,
  frameBytes: 972,
  deadlineMs: 1_000,
};
const LATE_SYN = { ...ONE_REQUEST, startS: 0.0015, stopS: 0.002 };

function dropsUnder(queueDiscipline: Record<string, unknown>) {
  const file = lineScenario({
    traffic: [BURST, LATE_SYN],
    queuePackets: 5,
    mid: { bandwidthKbps: 1_000, queueDiscipline },
  });
  const sim = new Simulation(loadScenario(file, 'line.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(100_000);
  const drops = records.filter((r) => r.k === 'drop');
  expect(drops.every((r) => r.k === 'drop' && r.reason === 'queue-full' && r.node === 1)).toBe(true);
  return {
    udp: drops.filter((r) => r.k === 'drop' && r.channel === 'udp').length,
    tcp: drops.filter((r) => r.k === 'drop' && r.channel === 'tcp').length,
  };
}

describe('interface disciplines and their limits — SPEC QUEUE-2', () => {
  it('fifo (the default) holds queuePackets, counting the packet in service; the SYN finds it full', () => {
    // 5 admitted (1 in service + 4 waiting), 15 dropped.
    expect(dropsUnder({ kind: 'fifo' })).toEqual({ udp: 15, tcp: 1 });
  });

  it('red holds at most queuePackets too (its thresholds are not reached this fast)', () => {
    expect(dropsUnder({ kind: 'red', minThPackets: 50, maxThPackets: 100 })).toEqual({ udp: 15, tcp: 1 });
  });

  it('priority gives each class its own queuePackets: UDP fills its own, the SYN still gets in', () => {
    expect(dropsUnder({ kind: 'priority' })).toEqual({ udp: 15, tcp: 0 });
  });
});
