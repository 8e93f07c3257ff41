import { describe, expect, it } from 'vitest';
import type { LossReason } from '../engine/records.ts';
import { linkViews, packetsInFlight } from '../observation/views.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { BURST_20_FRAMES as BURST, lineScenario } from '../testing/lineScenario.ts';

function burstSim(mid: Record<string, unknown> = {}) {
  const file = lineScenario({ traffic: [BURST], mid: { bandwidthKbps: 80, ...mid }, queuePackets: 100 });
  const sim = new Simulation(loadScenario(file, 'commit.json'), 1);
  const delivered: number[] = [];
  const drops: LossReason[] = [];
  sim.onRecord((r) => {
    if (r.k === 'frameDelivered') delivered.push(r.unit);
    if (r.k === 'drop') drops.push(r.reason);
  });
  return { sim, delivered, drops };
}

describe('FIFO interfaces commit each packet on admission — SPEC LINK-8', () => {
  it('counts a committed packet as queued, not as sent, until its last bit has left', () => {
    const { sim } = burstSim();
    sim.advanceTo(1_050_000); // the burst reached r1 (1 ms host link); the first frame is half-way out
    const mid = linkViews(sim)[1];
    expect(mid?.id).toBe('l-mid');
    expect(mid?.dirs[0].queuePackets).toBe(20);
    expect(mid?.dirs[0].txPackets).toBe(0);
    expect(mid?.dirs[0].txBytes).toBe(0);
    expect(packetsInFlight(sim).filter((p) => p.link === 1)).toEqual([]);
    sim.advanceTo(1_305_000); // three frames have left (100 ms each, the first at 1.101 s)
    const later = linkViews(sim)[1];
    expect(later?.dirs[0].queuePackets).toBe(17);
    expect(later?.dirs[0].txPackets).toBe(3);
    expect(later?.dirs[0].txBytes).toBe(3_000);
    // Of those three only the latest, which left < 10 ms ago, is still on the wire.
    expect(packetsInFlight(sim).filter((p) => p.link === 1).length).toBe(1);
  });

  it('delivers a burst in order with exact serialization and propagation — SPEC LINK-2', () => {
    const { sim, delivered } = burstSim();
    const at: number[] = [];
    sim.onRecord((r) => {
      if (r.k === 'frameDelivered') at.push(r.tUs);
    });
    sim.advanceTo(5_000_000);
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Frame k leaves r1 at 1 s + host hop + (k+1)·100 ms and arrives 10 ms + a host hop later.
    const first = at[0] as number;
    expect(at.map((t) => t - first)).toEqual(Array.from({ length: 20 }, (_, i) => i * 100_000));
  });

  for (const kind of ['fifo', 'priority'] as const)
    it(`a failing link loses what its ${kind} interface held, even if it is back before those packets would arrive — SPEC LINK-2`, () => {
      const { sim, delivered, drops } = burstSim({ queueDiscipline: { kind } });
      sim.advanceTo(1_250_000); // two frames have crossed; the third is being serialized, 17 wait
      sim.apply({ type: 'link.set', link: 'l-mid', up: false });
      sim.advanceTo(1_260_000);
      sim.apply({ type: 'link.set', link: 'l-mid', up: true });
      sim.advanceTo(5_000_000);
      expect(delivered).toEqual([0, 1]);
      expect(drops.filter((r) => r === 'link-down').length).toBe(18);
      // The flushed interface is free again: a new packet is not delayed behind the lost ones.
      expect(linkViews(sim)[1]?.dirs[0].queuePackets).toBe(0);
    });

  it('commits packets waiting under strict priority when the discipline switches to FIFO — SPEC QUEUE-5', () => {
    const { sim, delivered, drops } = burstSim({ queueDiscipline: { kind: 'priority' } });
    sim.advanceTo(1_150_000);
    expect(linkViews(sim)[1]?.dirs[0].queuePackets).toBe(19);
    expect(sim.apply({ type: 'queue.set', node: 'r1', via: 'r2', discipline: { kind: 'fifo' } })).toBeNull();
    sim.advanceTo(5_000_000);
    expect(drops).toEqual([]);
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
