/** A scenario may script a role's command at a time, as if its seat sent it — SPEC SCN-5. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolverState } from '../roles/resolver/state.ts';
import { Simulation } from '../simulation/simulation.ts';
import { loadScenario } from './scenario.ts';

const raw = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../../scenarios/lesson-3-url.json'), 'utf8'),
);
const withEvents = (events: unknown[]) => loadScenario({ ...raw, events }, 'x.json');

describe('scripted role commands — SPEC SCN-5', () => {
  it('runs the command at its time: a scripted flush empties the resolver’s cache', () => {
    const sim = new Simulation(
      withEvents([{ atS: 5, kind: 'command', command: { type: 'resolver.flush', node: 'res' } }]),
      1,
    );
    const res = sim.st.roles[sim.sc.nodeIndex.get('res') as number] as ResolverState;
    sim.advanceTo(4_999_999);
    expect(res.cache.size).toBeGreaterThan(0);
    sim.advanceTo(5_000_000);
    expect(res.cache.size).toBe(0);
  });

  it('refuses a command no role has, or one sent to a node of another role, naming the field', () => {
    expect(() =>
      withEvents([{ atS: 1, kind: 'command', command: { type: 'dns.explode', node: 'res' } }]),
    ).toThrow(/events\[0\]\.command\.type: unknown command "dns\.explode"; expected a role's command/);
    expect(() =>
      withEvents([{ atS: 1, kind: 'command', command: { type: 'resolver.flush', node: 'r-home' } }]),
    ).toThrow(/events\[0\]\.command\.node: "r-home" is no resolver; "resolver\.flush" goes to a resolver/);
  });

  it('a command its role refuses when it runs changes nothing (CMD-1)', () => {
    const cmd = {
      type: 'resolver.policy',
      node: 'res',
      minTtlS: 9,
      maxTtlS: 1,
      serveStale: true,
      prefetch: true,
    };
    const sim = new Simulation(withEvents([{ atS: 1, kind: 'command', command: cmd }]), 1);
    const res = sim.st.roles[sim.sc.nodeIndex.get('res') as number] as ResolverState;
    const before = { ...res.policy };
    sim.advanceTo(2_000_000);
    expect(res.policy).toEqual(before);
  });
});
