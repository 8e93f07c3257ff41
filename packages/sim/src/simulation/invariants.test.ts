import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../scenario/scenario.ts';
import { lineScenario, ONE_FRAME, ONE_REQUEST } from '../testing/lineScenario.ts';
import type { SimCommand } from './commands.ts';
import { Simulation } from './simulation.ts';

const BROKEN = /^simulation invariant broken: /;

function line(): Simulation {
  const sim = new Simulation(
    loadScenario(lineScenario({ traffic: [ONE_FRAME, ONE_REQUEST] }), 'line.json'),
    1,
  );
  sim.advanceTo(1_000);
  return sim;
}

describe('invariants — SPEC SIM-6', () => {
  it('a broken invariant throws: time going back, or between two microseconds (SPEC SIM-1)', () => {
    const sim = line();
    expect(() => sim.advanceTo(999)).toThrow(BROKEN);
    expect(() => sim.advanceTo(1_000.5)).toThrow(BROKEN);
    expect(() => sim.schedule({ t: 999, k: 'script', index: 0 })).toThrow(BROKEN);
    expect(() => sim.schedule({ t: 2_000.25, k: 'script', index: 0 })).toThrow(BROKEN);
    expect(() => sim.scheduleSlot(0, 500)).toThrow(BROKEN);
  });

  it('bad commands never throw: each is refused with a sentence and changes nothing (SPEC CMD-1)', () => {
    const sim = line();
    const before = sim.stateHash();
    const bad: SimCommand[] = [
      { type: 'route.set', node: 'nobody', prefix: '10.0.0.0/8', via: 'r2' },
      { type: 'route.set', node: 'h-a', prefix: '10.0.0.0/8', via: 'r1' },
      { type: 'route.set', node: 'r1', prefix: 'ten', via: 'r2' },
      { type: 'route.delete', node: 'r1', prefix: '10.0.0.0/33' },
      { type: 'hand.mode', node: 'l-mid', enabled: true },
      { type: 'hand.forward', node: 'r1', packetId: 123_456, via: 'r2' },
      { type: 'hand.forward', node: 'r1', packetId: -1, via: 'nowhere' },
      { type: 'seat.bot', node: 'h-b' },
      {
        type: 'queue.set',
        node: 'r1',
        via: 'r2',
        discipline: { kind: 'red', minThPackets: 9, maxThPackets: 3, maxP: 0.1, weight: 0.002 },
      },
      { type: 'queue.set', node: 'r1', via: 'h-b', discipline: { kind: 'fifo' } },
      { type: 'link.set', link: 'nope', up: false },
      { type: 'link.loss', link: 'nope', loss: 0.5 },
      { type: 'host.rebind', host: 'r1' },
    ];
    for (const cmd of bad) {
      let answer: string | null = null;
      expect(() => {
        answer = sim.apply(cmd);
      }, JSON.stringify(cmd)).not.toThrow();
      expect(answer, JSON.stringify(cmd)).toMatch(/\w+ \w+/);
    }
    expect(sim.stateHash()).toBe(before);
    sim.advanceTo(5_000_000);
  });

  it('a bad scenario file is refused with a ScenarioError listing its problems, not an invariant (SPEC SCN-1)', () => {
    const file = lineScenario({ traffic: [{ ...ONE_FRAME, from: 'r1' }] });
    expect(() => loadScenario(file, 'bad.json')).toThrow(ScenarioError);
    expect(() => loadScenario(file, 'bad.json')).not.toThrow(BROKEN);
  });
});
