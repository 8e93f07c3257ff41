import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../engine/records.ts';
import { loadScenario } from '../../scenario/scenario.ts';
import { Simulation } from '../../simulation/simulation.ts';
import { lineScenario, ONE_FRAME } from '../../testing/lineScenario.ts';
import { HAND_QUEUE_MAX } from './handForwarding.ts';
import type { RouterState } from './state.ts';

describe('hand forwarding’s inbox — SPEC RT-6', () => {
  it('holds at most 12 packets per router; the 13th is dropped with hand-queue-full', () => {
    // Thirteen frames, one per millisecond, reach r1 (forwarding by hand) before anyone acts.
    const burst = { ...ONE_FRAME, intervalMs: 1, stopS: 0.013 };
    const sim = new Simulation(
      loadScenario(lineScenario({ traffic: [burst], handForwarding: true }), 'line.json'),
      1,
    );
    const records: SimRecord[] = [];
    sim.onRecord((r) => records.push(r));
    sim.advanceTo(100_000);
    expect(HAND_QUEUE_MAX).toBe(12);
    expect(records.filter((r) => r.k === 'frameSent')).toHaveLength(13);
    expect((sim.st.roles[1] as RouterState | null)?.handQueue).toHaveLength(12);
    const drops = records.filter((r) => r.k === 'drop');
    // The 13th frame left h-a at 12 ms and reached r1 1,011 µs later.
    expect(drops).toEqual([
      expect.objectContaining({ reason: 'hand-queue-full', node: 1, unit: 12, tUs: 13_011 }),
    ]);
    // Forwarding one makes room for the next arrival.
    const first = (sim.st.roles[1] as RouterState | null)?.handQueue[0]?.packet.id as number;
    expect(sim.apply({ type: 'hand.forward', node: 'r1', packetId: first, via: 'r2' })).toBeNull();
    expect((sim.st.roles[1] as RouterState | null)?.handQueue).toHaveLength(11);
  });
});
