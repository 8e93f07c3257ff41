import { loadScenario } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { lbRequests, lbScenario } from '../../../../packages/sim/src/testing/lbScenario.ts';
import { ASSIGN_FADE_MS, BACKEND_COLORS, backendColor, cssColor } from './balancerDraws.ts';
import { replicaView } from './replicaView.fixture.ts';

const server = { processingMs: 20, concurrency: 4, queueLimit: 50 };

/** A view-model over a replica of the balancer fixture, stepped `ticks` ticks of 50 ms (the server's tick). */
function viewAfter(options: Parameters<typeof lbScenario>[0], ticks: number) {
  const sc = loadScenario(lbScenario(options), 'lb.json');
  const { vm, sim, step } = replicaView(sc, 'lb');
  step(ticks);
  return { vm, sim, sc, step };
}

describe('the L4 balancer on the map — SPEC VIEW-9, VIEW-10, VIEW-11', () => {
  it('VIEW-9: a line from the balancer to each backend it just chose, in that backend’s colour, fading', () => {
    const { vm, sc } = viewAfter({ server, traffic: [lbRequests('c1', 50)] }, 40);
    const now = performance.now();
    const f = vm.frame(now);
    const lb = f.nodes.find((n) => n.id === 'lb');
    expect(f.assigns.length).toBe(3);
    const backendsAt = ['web-1', 'web-2', 'web-3'].map((id) => f.nodes.find((n) => n.id === id));
    for (const a of f.assigns) {
      expect([a.ax, a.ay]).toEqual([lb?.x, lb?.y]);
      const i = backendsAt.findIndex((n) => n?.x === a.bx && n?.y === a.by);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(a.color).toBe(backendColor(i));
      // Round robin over 40 ticks at 20 connections a second: each took more than the 6 of full width.
      expect(a.weight).toBe(1);
      expect(a.alpha).toBeGreaterThan(0.5);
    }
    expect(sc.file.nodes.length).toBeGreaterThan(3);
    // Nothing new for a fade's length: the lines are gone.
    expect(vm.frame(now + ASSIGN_FADE_MS + 1).assigns).toEqual([]);
  });

  it('VIEW-9: the colours are apart, and CSS says the same colour as the map', () => {
    expect(new Set(BACKEND_COLORS).size).toBe(BACKEND_COLORS.length);
    expect(backendColor(BACKEND_COLORS.length)).toBe(backendColor(0));
    expect(cssColor(0x00ff0a)).toBe('#00ff0a');
  });

  it('VIEW-9: one line per backend however many connections arrive', () => {
    const { vm, sim, step } = viewAfter({ server, traffic: [lbRequests('c1', 10), lbRequests('c2', 10)] }, 0);
    let assigned = 0;
    sim.onRecord((r) => {
      if (r.k === 'lbAssigned') assigned++;
    });
    step(30);
    expect(assigned).toBeGreaterThan(100);
    expect(vm.frame(performance.now()).assigns.length).toBe(3);
  });

  it('VIEW-10: a backend’s queue and workers filling, and greyed while it is down', () => {
    const slow = { processingMs: 400, concurrency: 2, queueLimit: 10 };
    const { vm } = viewAfter(
      {
        server: slow,
        traffic: [lbRequests('c1', 20)],
        events: [
          {
            atS: 0.5,
            kind: 'command',
            command: { type: 'l4lb.backend', node: 'lb', backend: 'web-2', state: 'down' },
          },
        ],
      },
      30,
    );
    const loads = vm.frame(performance.now()).serverLoads;
    expect(loads.map((s) => s.id)).toEqual(['web-1', 'web-2', 'web-3']);
    const [one, two] = loads;
    expect(one?.busyFill).toBe(1);
    expect(one?.queueFill).toBeGreaterThan(0.4);
    expect(one?.out).toBe(false);
    expect(one?.color).toBe(backendColor(0));
    expect(two?.out).toBe(true);
  });

  it('VIEW-11: a pinned connection broken shows a badge at the balancer, counted in connections', () => {
    const { vm, sim, step } = viewAfter(
      {
        server,
        backendLinkKbps: 2_000,
        traffic: [lbRequests('c1', 100, { responseBytes: 100_000 })],
        events: [
          {
            atS: 1.05,
            kind: 'command',
            command: { type: 'l4lb.backend', node: 'lb', backend: 'web-1', state: 'down' },
          },
        ],
      },
      20,
    );
    let broken = 0;
    sim.onRecord((r) => {
      if (r.k === 'lbConnBroken') broken++;
    });
    step(40);
    expect(broken).toBeGreaterThan(0);
    const f = vm.frame(performance.now());
    const lb = f.nodes.find((n) => n.id === 'lb');
    const badge = f.badges.find((b) => b.text.startsWith('⚡'));
    expect(badge?.text).toBe(
      broken > 1
        ? `⚡ ${broken} connections broken: its backend is down`
        : '⚡ connection broken: its backend is down',
    );
    // Placed at the balancer (above it, moved up only to keep clear of other badges).
    expect(Math.abs((badge?.x ?? 0) - (lb?.x ?? 0))).toBeLessThan(1);
    expect(badge?.y).toBeLessThan(lb?.y ?? 0);
  });
});
