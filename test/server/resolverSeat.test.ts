/**
 * A player seated at a resolver changes its policy (SPEC DNS-16, CMD-3, ROOM-5): the
 * room's own parts — `decide()` and a `SimCopy` — on the DNS test network, without
 * booting a server; a replica applies the tick's commands and keeps the same state.
 * (Lesson 3 plays it against the real server in Chromium: test/e2e/lesson3.test.ts.)
 */
import { loadScenario, type ResolverView, Simulation, viewResolver } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { SimCopy } from '../../packages/server/src/copies.ts';
import { decide, type Sender } from '../../packages/server/src/dispatch.ts';
import { dnsScenario, lookups } from '../../packages/sim/src/testing/dnsScenario.ts';

const scenario = loadScenario(dnsScenario({ traffic: [lookups(['www.example'], 200)] }), 'dns-line.json');

function view(sim: Simulation): ResolverView {
  const state = sim.st.roles[sim.sc.nodeIndex.get('res') ?? -1];
  if (state?.role !== 'resolver') throw new Error('res is a resolver');
  return viewResolver(sim, state);
}

describe('a player seated at a resolver — SPEC DNS-16, CMD-3', () => {
  it('sends resolver.policy and resolver.flush; they apply to their copy only, at the next tick, and replicas follow', () => {
    expect(scenario.seats).toEqual([{ node: 'res', role: 'resolver' }]);
    const copies = [new SimCopy(0, scenario, 7), new SimCopy(1, scenario, 7)];
    const replica = new Simulation(scenario, 7);
    const player: Sender = { kind: 'player', seat: { copy: 1, node: 'res', role: 'resolver' } };
    const policy = { minTtlS: 60, maxTtlS: 600, serveStale: true, prefetch: true };
    const decision = decide({ phase: 'running', sender: player, copyCount: 2 }, 'resolver.policy', policy);
    expect(decision).toEqual({
      ok: true,
      action: { kind: 'command', copy: 1, cmd: { type: 'resolver.policy', node: 'res', ...policy } },
    });
    if (!decision.ok || decision.action.kind !== 'command') throw new Error('a command');
    expect(
      copies[1]?.enqueue({ cmd: decision.action.cmd, senderSessionId: 'p1', request: 'resolver.policy' }),
    ).toBeNull();
    // Not before the tick.
    expect(view(copies[1]?.sim as Simulation).policy.serveStale).toBe(false);
    const steps = copies.map((c) => c.step(50_000));
    expect(steps[1]?.rejected).toEqual([]);
    expect(view(copies[1]?.sim as Simulation).policy).toEqual(policy);
    expect(view(copies[0]?.sim as Simulation).policy).toEqual({
      minTtlS: 0,
      maxTtlS: 86_400,
      serveStale: false,
      prefetch: false,
    });
    for (const cmd of steps[1]?.tick.commands ?? []) expect(replica.apply(cmd)).toBeNull();
    replica.advanceTo(50_000);
    expect(replica.stateHash()).toBe(copies[1]?.sim.stateHash());

    const flush = decide({ phase: 'paused', sender: player, copyCount: 2 }, 'resolver.flush', {});
    expect(flush).toMatchObject({ ok: true, action: { cmd: { type: 'resolver.flush', node: 'res' } } });
    // A router's player may not touch the resolver.
    const router: Sender = { kind: 'player', seat: { copy: 1, node: 'r', role: 'router' } };
    expect(
      decide({ phase: 'running', sender: router, copyCount: 2 }, 'resolver.policy', policy),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    // A bad policy never reaches the simulation: the message names the field.
    const bad = decide({ phase: 'running', sender: player, copyCount: 2 }, 'resolver.policy', {
      ...policy,
      minTtlS: -1,
    });
    expect(bad.ok || bad.message).toContain('minTtlS');
  });
});
