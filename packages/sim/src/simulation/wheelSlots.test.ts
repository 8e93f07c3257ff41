/**
 * A snapshot lists the timing wheel's events in (t, s) order (SPEC SIM-4, SIM-5):
 * `wheelSlots` finds them from the live slots' times, and must give exactly what a scan
 * of every bucket from the cursor gives, on a real lesson's busy wheel.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { I_NEXT, ISTRIDE, type WireState, wheelSlots } from '../engine/wire.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from './simulation.ts';

/** Every bucket from the cursor on, until all events are found: the order the wheel pops them. */
function scanned(w: WireState, nowUs: number): number[] {
  const out: number[] = [];
  let t = Math.max(w.cursorUs, nowUs);
  for (let n = 0; out.length < w.wheelCount && n < w.wheelUs; n++, t++)
    for (
      let slot = w.buckets[2 * (t & (w.wheelUs - 1))] as number;
      slot >= 0;
      slot = w.ints[slot * ISTRIDE + I_NEXT] as number
    )
      out.push(slot);
  return out;
}

describe('the wheel in a snapshot (SPEC SIM-4, SIM-5)', () => {
  it.each(['lesson-2-mail', 'lesson-3-url', 'lesson-5-phonebook'])(
    'SIM-5: %s — the wheel’s events from the slots’ times, in the order a full scan finds them',
    (id) => {
      const file = new URL(`../../../../scenarios/${id}.json`, import.meta.url);
      const sim = new Simulation(loadScenario(readFileSync(file, 'utf8'), `${id}.json`), 7);
      let checked = 0;
      for (let tUs = 50_000; tUs <= 4_000_000; tUs += 50_000) {
        sim.advanceTo(tUs);
        const w = sim.st.wire;
        const expected = scanned(w, sim.nowUs);
        expect(expected).toHaveLength(w.wheelCount);
        expect(wheelSlots(w, sim.nowUs)).toEqual(expected);
        checked += expected.length;
      }
      expect(checked).toBeGreaterThan(50);
    },
  );
});
