/**
 * Lesson 4's trade-off, measured headless: the laptop and the tablet keep one connection
 * for 20 requests (HTTP/1.1 keep-alive, SPEC KA-1), the phone and the office PC open one
 * per request, all over TLS 1.3; all go through the edge balancer (L7), whose keep-alive pool to the web
 * servers a player sets (SPEC LB-L7-5). Web 2's cable is cut at 30 s; before that nothing
 * fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { US_PER_S } from '../engine/units.ts';
import type { L7lbView } from '../roles/l7lb/view.ts';
import { nodeView } from '../roles/registry.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';

const path = join(import.meta.dirname, '../../../../scenarios/lesson-4-keep-alive.json');
const lesson4 = loadScenario(readFileSync(path, 'utf8'), path);
const LB = 'edge';
const CALM_US = 28 * US_PER_S;
const flowIndex = (id: string) => lesson4.file.traffic.findIndex((f) => f.id === id);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

function play(poolSize: number | null, seed = 1, untilUs = CALM_US) {
  const sim = new Simulation(lesson4, seed);
  sim.apply({ type: 'seat.player', node: LB });
  if (poolSize !== null) {
    const refused = sim.apply({ type: 'l7lb.poolSize', node: LB, size: poolSize });
    if (refused) throw new Error(refused);
  }
  /** Completed requests' latencies (ms) per flow, and whether each opened its connection. */
  const done = new Map<number, { ms: number; first: boolean }[]>();
  let failed = 0;
  sim.onRecord((r) => {
    if (r.k === 'requestFailed') failed++;
    if (r.k !== 'requestCompleted') return;
    const perConn =
      (lesson4.file.traffic[r.flow] as { requestsPerConnection?: number }).requestsPerConnection ?? 1;
    const list = done.get(r.flow) ?? [];
    list.push({ ms: r.latencyUs / 1_000, first: r.unit % perConn === 0 });
    done.set(r.flow, list);
  });
  sim.advanceTo(untilUs);
  const lat = (id: string, reused: boolean) =>
    (done.get(flowIndex(id)) ?? []).filter((d) => d.first !== reused).map((d) => d.ms);
  return { lat, failed, view: nodeView(sim, LB) as L7lbView };
}

describe('lesson 4: keep-alive saves handshakes, at the browser and at the balancer — SPEC KA-1, KA-2, LB-L7-5', () => {
  it.each([1, 2, 3])(
    'seed %i: a request on a kept-alive connection skips the browser’s handshake round trip',
    (seed) => {
      const { lat, failed } = play(4, seed);
      expect(failed).toBe(0);
      const reused = lat('ka-laptop', true);
      const fresh = lat('new-phone', false);
      expect(reused.length).toBeGreaterThan(50);
      expect(fresh.length).toBeGreaterThan(50);
      // The browser–balancer round trip is 2 × (15 + 1) ms; a fresh connection pays two of
      // them first, TCP's handshake and TLS 1.3's (KA-2).
      expect(median(fresh) - median(reused)).toBeGreaterThan(60);
      expect(median(fresh) - median(reused)).toBeLessThan(70);
    },
  );

  it('pool size 0: every request opens its own connection to a server and none is saved', () => {
    const { view, failed } = play(null);
    expect(failed).toBe(0);
    expect(view.poolSize).toBe(0);
    expect(view.handshakesSaved).toBe(0);
    const backends = view.pools.flatMap((p) => p.backends);
    expect(backends.reduce((s, b) => s + b.total, 0)).toBe(view.routed);
    for (const b of backends) expect(b.opened).toBe(b.total);
    expect(view.routed).toBeGreaterThan(200);
  });

  it('pool size 4: nearly every request reuses a warm connection, and the servers see a few', () => {
    const { view } = play(4);
    expect(view.handshakesSaved).toBeGreaterThan(0.9 * view.routed);
    for (const b of view.pools.flatMap((p) => p.backends)) {
      expect(b.opened).toBeLessThanOrEqual(8);
      expect(b.opened + b.saved).toBe(b.total);
    }
  });
});
