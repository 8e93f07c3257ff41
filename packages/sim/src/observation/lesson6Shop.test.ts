/**
 * Lesson 6's L7 half, measured headless: the shop's L7 balancer reads each request's path
 * and sends `/api…` to the API pool and everything else to the frontend pool (SPEC
 * LB-L7-2); sticky sessions keep each basket's cookie on one API server until that
 * server is cut off (API 2's cable, 50–70 s), when its cookies miss and move (LB-L7-4);
 * and every request read costs the balancer CPU time (LB-L7-6), which the L4 chat
 * balancer next to it never pays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { US_PER_S } from '../engine/units.ts';
import type { L4lbView } from '../roles/l4lb/view.ts';
import type { L7lbView } from '../roles/l7lb/view.ts';
import { nodeView } from '../roles/registry.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';

const path = join(import.meta.dirname, '../../../../scenarios/lesson-6-traffic-cops.json');
const lesson6 = loadScenario(readFileSync(path, 'utf8'), path);

function play(untilS: number, commands: { type: string; [k: string]: unknown }[] = [], seed = 1) {
  const sim = new Simulation(lesson6, seed);
  for (const { node } of lesson6.seats) sim.apply({ type: 'seat.player', node });
  sim.apply({ type: 'l4lb.tracking', node: 'chat-lb', on: true });
  for (const cmd of commands) {
    const refused = sim.apply({ node: 'shop-lb', ...cmd } as never);
    if (refused) throw new Error(refused);
  }
  sim.advanceTo(untilS * US_PER_S);
  return {
    shop: nodeView(sim, 'shop-lb') as unknown as L7lbView,
    chat: nodeView(sim, 'chat-lb') as unknown as L4lbView,
  };
}

/** Requests each pool's backends were given, by the flows' paths. */
const expected = (prefixApi: boolean) =>
  lesson6.file.traffic.filter(
    (f) => 'to' in f && f.to === 'shop-lb' && (f as { path?: string }).path?.startsWith('/api') === prefixApi,
  ).length;

describe('lesson 6: the L7 balancer splits /api from / and keeps baskets sticky — SPEC LB-L7-2, LB-L7-4, LB-L7-6', () => {
  it.each([1, 2, 3])('seed %i: /api requests reach only the API pool, the rest only the frontend', (seed) => {
    const { shop } = play(45, [], seed);
    const [front, api] = ['front', 'api'].map((n) => shop.pools.find((p) => p.name === n)) as [
      L7lbView['pools'][number],
      L7lbView['pools'][number],
    ];
    expect(expected(true)).toBeGreaterThan(0);
    expect(expected(false)).toBeGreaterThan(0);
    // Browsing (/ and /products) every 0.4–0.5 s and baskets (/api/cart) as often, for 45 s.
    expect(front.completed).toBeGreaterThan(150);
    expect(api.completed).toBeGreaterThan(150);
    expect(shop.routed).toBe(shop.pools.reduce((s, p) => s + p.backends.reduce((t, b) => t + b.total, 0), 0));
    expect(shop.refused).toBe(0);
    // Point /api at the frontend too: the API servers get nothing more.
    const moved = play(45, [{ type: 'l7lb.rule', prefix: '/api', pool: 'front' }], seed).shop;
    expect(moved.pools.find((p) => p.name === 'api')?.completed).toBe(0);
    expect(moved.pools.find((p) => p.name === 'front')?.completed).toBeGreaterThan(front.completed + 150);
  });

  it('sticky baskets stay on their server until it is cut off, then miss and move', () => {
    const before = play(45).shop;
    expect(before.sticky).toBe(true);
    expect(before.stickyMisses).toBe(0);
    // The tablet's cookies s0–s2 and the office's s0–s4: five cookies, each bound to one API server.
    expect(before.sessions).toBe(5);
    const after = play(60).shop;
    expect(after.stickyMisses).toBeGreaterThan(0);
    // Without sticky sessions nothing is bound, so nothing can miss.
    const off = play(60, [{ type: 'l7lb.sticky', on: false }]).shop;
    expect(off.sessions).toBe(0);
    expect(off.stickyMisses).toBe(0);
  });

  it('reading requests costs the L7 balancer CPU; the L4 balancer reads none', () => {
    const { shop, chat } = play(45);
    expect(shop.cpu.done).toBe(shop.routed);
    // Its busy share is the work done (8 ms a request) over 2 workers × 45 s.
    const work = (shop.cpu.done * shop.cpu.serviceUs) / (shop.cpu.concurrency * 45 * US_PER_S);
    expect(shop.cpu.busyShare).toBeGreaterThan(0.02);
    expect(Math.abs(shop.cpu.busyShare - work)).toBeLessThan(0.002);
    expect(chat.accepted).toBeGreaterThan(0);
    expect('cpu' in chat).toBe(false);
  });
});
