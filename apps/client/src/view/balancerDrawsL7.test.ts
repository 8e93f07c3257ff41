import { loadScenario } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { l7Requests, l7Scenario } from '../../../../packages/sim/src/testing/l7Scenario.ts';
import { ASSIGN_FADE_MS, backendColor, l7ColorIndexes } from './balancerDraws.ts';
import { replicaView } from './replicaView.fixture.ts';

const server = { processingMs: 20, concurrency: 4, queueLimit: 50 };

/** A view-model over a replica of the L7 fixture, stepped `ticks` ticks of 50 ms (the server's tick). */
function viewAfter(options: Parameters<typeof l7Scenario>[0], ticks: number) {
  const sc = loadScenario(
    l7Scenario({ apiServers: 2, rules: [{ prefix: '/', pool: 'web' }], ...options }),
    'l7.json',
  );
  const { vm, sim, step } = replicaView(sc, 'lb', true);
  step(ticks);
  return { vm, sim, step };
}

describe('the L7 balancer on the map — SPEC VIEW-12, VIEW-13, VIEW-14', () => {
  it('VIEW-12: colours run through the pools, then each pool’s backends', () => {
    expect(l7ColorIndexes([{ backends: [1, 2] }, { backends: [1] }, { backends: [1, 2, 3] }])).toEqual([
      [0, 1],
      [2],
      [3, 4, 5],
    ]);
  });

  it('VIEW-12: each pool named with a line to each backend; requests draw lines only to the pool that got them', () => {
    const { vm } = viewAfter({ server, traffic: [l7Requests('c1', 50, { path: '/x' })] }, 40);
    const f = vm.frame(performance.now());
    expect(f.pools.map((p) => p.label)).toEqual(['pool api', 'pool web']);
    expect(f.pools.map((p) => p.members.map((m) => m.color))).toEqual([
      [backendColor(0), backendColor(1)],
      [backendColor(2), backendColor(3)],
    ]);
    const lb = f.nodes.find((n) => n.id === 'lb');
    // Every path goes to web (rule / → web): lines to web-1 and web-2 only, in their colours.
    expect(f.assigns.map((a) => a.color).sort()).toEqual([backendColor(2), backendColor(3)].sort());
    for (const a of f.assigns) expect([a.ax, a.ay]).toEqual([lb?.x, lb?.y]);
    expect(f.serverLoads.map((s) => s.id).sort()).toEqual(['api-1', 'api-2', 'web-1', 'web-2']);
    expect(vm.frame(performance.now() + ASSIGN_FADE_MS + 1).assigns).toEqual([]);
  });

  it('VIEW-13: the balancer’s CPU bars, its queue filling when its work outruns its cores', () => {
    const { vm } = viewAfter(
      {
        server,
        lb: { cpu: { serviceUs: 40_000, concurrency: 1, queueLimit: 20 } },
        traffic: [l7Requests('c1', 20, { path: '/' }), l7Requests('c2', 20, { path: '/' })],
      },
      40,
    );
    const [cpu] = vm.frame(performance.now()).cpus;
    expect(cpu?.id).toBe('lb');
    expect(cpu?.busyFill).toBe(1);
    expect(cpu?.queueFill).toBeGreaterThan(0);
  });

  it('VIEW-14: requests refused at the balancer show why there, counted in requests', () => {
    const { vm } = viewAfter(
      { server, rules: [{ prefix: '/api', pool: 'api' }], traffic: [l7Requests('c1', 100, { path: '/x' })] },
      40,
    );
    const f = vm.frame(performance.now());
    const badge = f.badges.find((b) => b.text.includes('refused'));
    expect(badge?.text).toMatch(/^✖ (\d+ requests|request) refused: no rule takes its path$/);
    const lb = f.nodes.find((n) => n.id === 'lb');
    expect(badge?.y).toBeLessThan(lb?.y ?? 0);
  });
});
