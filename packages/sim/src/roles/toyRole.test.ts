/**
 * The worked example of docs/ARCHITECTURE.md ("Adding a role"): a toy role, the
 * relay, that forwards every packet to one neighbour. Everything it is lives in this
 * file — spec, state, what it does with a packet, a command, its bot, a view, a score
 * rule — plus one line in a registry. A real role keeps the same parts in
 * roles/<role>/ and its line in roles/registry.ts.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NODE_ROLE } from '../engine/core.ts';
import type { SimRecord } from '../engine/records.ts';
import { forward } from '../network/network.ts';
import { Scoreboard } from '../observation/scoring.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { nodeId, roleNodeFields } from './nodeFields.ts';
import { erase, RoleRegistry, STANDARD_ROLES } from './registry.ts';
import { defineRole } from './role.ts';

// 1. Its node spec: the fields every role node has, its kind, its own options.
const relaySpec = z.strictObject({ ...roleNodeFields, kind: z.literal('relay'), via: nodeId });

// 2. Its state, 3. its command, 4. the role.
interface RelayState {
  role: 'relay';
  node: number;
  dropped: number;
  viaNode: number;
}
type RelayCommand = { type: 'relay.via'; node: string; via: string };

const relayRole = defineRole<z.infer<typeof relaySpec>, RelayState, RelayCommand, { via: string }>({
  name: 'relay',
  nodeSchema: relaySpec,
  checkSpec(spec, ctx) {
    const via = ctx.nodeIndex.get(spec.via);
    if (via === undefined || !(ctx.ports[ctx.node] ?? []).some((p) => p.peer === via))
      ctx.at('via', `"${spec.via}" is not a neighbour`);
  },
  forwards: false,
  initialState: (spec, node, sc) => ({
    role: 'relay',
    node,
    dropped: 0,
    viaNode: sc.nodeIndex.get(spec.via) ?? -1,
  }),
  mode: () => NODE_ROLE,
  // Every packet goes to the one neighbour (TTL decremented, path recorded: the network's forward).
  arrive: (sim, hooks, r, slot) => forward(sim, hooks, r.node, slot, r.viaNode),
  onTimer: () => {},
  commands: {
    'relay.via': (sim, r, cmd) => {
      const via = sim.neighbour(r.node, cmd.via);
      if (via < 0) return `"${cmd.via}" is not a neighbour of ${cmd.node}`;
      r.viaNode = via;
      return null;
    },
  },
  // Its bot has one level of its own (SPEC BOT-1): nothing outside this file lists it.
  botSkills: ['steady'],
  defaultBotSkill: 'steady',
  bot: (sim, r, spec) => {
    r.viaNode = sim.sc.nodeIndex.get(spec.via) as number;
    return null;
  },
  view: (sim, r) => ({ via: sim.sc.nodeIds[r.viaNode] ?? '?' }),
  // Two points per frame it carried to its destination.
  score(rec: SimRecord, credit, sc) {
    if (rec.k !== 'frameDelivered') return;
    for (const node of new Set(rec.path))
      if ((sc.file.nodes[node]?.kind as string) === 'relay') credit(node, 2, 'carried');
  },
});

// 5. The one line in the registry (here a registry of its own, so the standard game is untouched).
const roles = new RoleRegistry([...STANDARD_ROLES.roles, erase(relayRole)]);

/** h-a — r1 — x (the relay) — h-b; frames from h-a to h-b. */
function relayScenario() {
  return loadScenario(
    {
      id: 'relay-example',
      title: 'A relay',
      lesson: 1,
      durationS: 10,
      initialTtl: 8,
      nodes: [
        { id: 'h-a', kind: 'host', address: '10.1.0.10', x: 0, y: 0 },
        { id: 'r1', kind: 'router', x: 1, y: 0, routes: [{ prefix: '10.2.0.0/16', via: 'x' }] },
        { id: 'x', kind: 'relay', x: 2, y: 0, via: 'h-b' },
        { id: 'h-b', kind: 'host', address: '10.2.0.10', x: 3, y: 0 },
      ],
      links: [
        { id: 'l-a', a: 'h-a', b: 'r1', latencyMs: 1, bandwidthKbps: 10_000, queuePackets: 100 },
        { id: 'l-mid', a: 'r1', b: 'x', latencyMs: 5, bandwidthKbps: 10_000, queuePackets: 100 },
        { id: 'l-b', a: 'x', b: 'h-b', latencyMs: 1, bandwidthKbps: 10_000, queuePackets: 100 },
      ],
      traffic: [
        {
          id: 'call',
          kind: 'udp',
          from: 'h-a',
          to: 'h-b',
          intervalMs: 100,
          frameBytes: 200,
          deadlineMs: 500,
        },
      ],
    },
    'relay-example.json',
    roles,
  );
}

describe('a role is its own files plus a line in the registry (the relay example) — SPEC ROLE-1..4', () => {
  it('reads the relay from a scenario, makes it a seat, and checks its references — SPEC ROLE-1', () => {
    const sc = relayScenario();
    expect(sc.seats).toEqual([
      { node: 'r1', role: 'router' },
      { node: 'x', role: 'relay' },
    ]);
    const bad = {
      ...(sc.file as object),
      nodes: sc.file.nodes.map((n) => (n.id === 'x' ? { ...n, via: 'h-a' } : n)),
    };
    expect(() => loadScenario(bad, 'bad.json', roles)).toThrow(
      /nodes\[2\] \(x\)\.via: "h-a" is not a neighbour/,
    );
    // The standard game does not know the relay.
    expect(() => loadScenario(sc.file, 'standard.json')).toThrow(/kind/);
  });

  it('carries every packet to its neighbour, and scores by its own rule — SPEC ROLE-2, ROLE-4', () => {
    const sc = relayScenario();
    const sim = new Simulation(sc, 1);
    const scores = new Scoreboard(sc);
    const delivered: number[][] = [];
    sim.onRecord((r) => {
      scores.add(r);
      if (r.k === 'frameDelivered') delivered.push(r.path);
    });
    sim.advanceTo(1_000_000);
    expect(delivered.length).toBe(10);
    expect(delivered[0]).toEqual([1, 2]); // r1, then the relay
    expect(scores.nodeScore('x')).toBe(20);
    expect(scores.nodeScore('r1')).toBe(10); // the router's own rule: a point per delivered packet
  });

  it("takes its commands, refuses bad ones, and its bot (at its own skill) restores the scenario's policy — SPEC ROLE-3, CMD-1, CMD-2, BOT-1", () => {
    const sim = new Simulation(relayScenario(), 1);
    const drops: string[] = [];
    sim.onRecord((r) => {
      if (r.k === 'drop') drops.push(r.reason);
    });
    expect(sim.apply({ type: 'relay.via', node: 'x', via: 'h-a' } as never)).toMatch(/not a neighbour/);
    expect(sim.apply({ type: 'relay.via', node: 'r1', via: 'x' } as never)).toBe('unknown relay "r1"');
    // Pointed back at r1, packets bounce between the two until their TTL runs out.
    expect(sim.apply({ type: 'relay.via', node: 'x', via: 'r1' } as never)).toBeNull();
    sim.advanceTo(1_000_000);
    expect(drops.length).toBeGreaterThan(0);
    expect(new Set(drops)).toEqual(new Set(['ttl-expired']));
    expect(sim.apply({ type: 'seat.bot', node: 'x', skill: 'expert' })).toBe(
      'a relay bot\'s skill is one of steady, not "expert"',
    );
    expect(sim.apply({ type: 'seat.bot', node: 'x' })).toBeNull();
    expect(sim.st.roles[2]?.botSkill).toBe('steady');
    const before = drops.length;
    sim.advanceTo(3_000_000);
    expect(drops.length - before).toBeLessThanOrEqual(1); // at most a frame already bouncing
    expect(sim.sc.roles.of(sim.st.roles[2] as never).view(sim, sim.st.roles[2] as never)).toEqual({
      via: 'h-b',
    });
  });

  it('survives a snapshot and restore like any state — SPEC SIM-5', () => {
    const a = new Simulation(relayScenario(), 3);
    a.apply({ type: 'relay.via', node: 'x', via: 'r1' } as never);
    a.advanceTo(700_000);
    const b = new Simulation(relayScenario(), 3);
    b.restore(a.snapshot());
    a.advanceTo(2_000_000);
    b.advanceTo(2_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
  });
});
