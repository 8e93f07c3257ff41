import { describe, expect, it } from 'vitest';
import { loadScenario } from './scenario.ts';
import { Simulation } from './simulation.ts';
import { SlotLanes } from './slotLanes.ts';
import { lineScenario } from './testing/lineScenario.ts';

/** Slot (t, s) kept the way the wire keeps them: two float64 per slot. */
const STRIDE = 2;

/** Schedules like the simulation: now only grows, seq counts up, t = now + delay. */
function schedule(lanes: SlotLanes, hot: Float64Array, plan: [number, number, number][]): void {
  let seq = 0;
  for (const [nowUs, delayUs, slot] of plan) {
    hot[slot * STRIDE] = nowUs + delayUs;
    hot[slot * STRIDE + 1] = seq;
    lanes.push(delayUs, slot, nowUs + delayUs, seq++);
  }
}

function drain(lanes: SlotLanes, hot: Float64Array): number[] {
  const out: number[] = [];
  while (lanes.peekTimeUs() < Number.POSITIVE_INFINITY) out.push(lanes.pop(hot, STRIDE, 0, 1));
  return out;
}

describe('slot lanes — SPEC SIM-2', () => {
  it('give slot events in (t, s) order across lanes, ties by sequence, through ring growth', () => {
    const hot = new Float64Array(2 * 500);
    const plan: [number, number, number][] = [];
    // Three delays interleaved over time; 150 events per lane (the first ring holds 64).
    for (let k = 0; k < 450; k++) plan.push([k * 10, [300, 200, 100][k % 3] as number, k]);
    const lanes = new SlotLanes();
    schedule(lanes, hot, plan);
    const expected = [...plan]
      .map(([now, delay, slot], seq) => ({ t: now + delay, seq, slot }))
      .sort((a, b) => a.t - b.t || a.seq - b.seq)
      .map((e) => e.slot);
    expect(lanes.size()).toBe(450);
    expect(drain(lanes, hot)).toEqual(expected);
  });

  it('round-trip through plain data: the same events in the same order', () => {
    const hot = new Float64Array(2 * 100);
    const plan: [number, number, number][] = [];
    for (let k = 0; k < 100; k++) plan.push([k * 7, k % 2 ? 500 : 350, k]);
    const lanes = new SlotLanes();
    schedule(lanes, hot, plan);
    for (let k = 0; k < 30; k++) lanes.pop(hot, STRIDE, 0, 1);
    const plain = lanes.toPlain();
    expect(plain.map((l) => l.delayUs)).toEqual([350, 500]);
    const back = SlotLanes.fromPlain(
      plain,
      (slot) => hot[slot * STRIDE] as number,
      (slot) => hot[slot * STRIDE + 1] as number,
    );
    expect(back.toPlain()).toEqual(plain);
    expect(drain(back, hot)).toEqual(drain(lanes, hot));
  });

  it('keep a simulation’s frame deadlines and ticks through snapshot and restore — SPEC SIM-5', () => {
    // A 40 ms interval and a 500 ms deadline are beyond the small wheel (32 ms): both wait in lanes.
    const call = {
      id: 'c',
      kind: 'udp',
      from: 'h-a',
      to: 'h-b',
      startS: 0,
      intervalMs: 40,
      frameBytes: 100,
      deadlineMs: 500,
    };
    const sc = loadScenario(lineScenario({ traffic: [call], loss: 0.3 }), 'lanes.json');
    const a = new Simulation(sc, 9);
    a.advanceTo(1_234_567);
    expect(a.st.wire.lanes.size()).toBeGreaterThan(10);
    const b = new Simulation(sc, 9);
    b.restore(a.snapshot());
    expect(b.stateHash()).toBe(a.stateHash());
    a.advanceTo(3_000_000);
    b.advanceTo(3_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
  });
});
