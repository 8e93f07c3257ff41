import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.ts';
import { Fib } from './fib.ts';
import { lookupRoute, makeRoute, type Route } from './forwarding.ts';
import { loadScenario } from './scenario.ts';
import { Simulation } from './simulation.ts';
import type { RouterState } from './state.ts';
import { lineScenario } from './testing/lineScenario.ts';

const addr = (s: string) => parseAddress(s) as number;

/** A frame every 100 ms from h-a to h-b on the test line. */
const CALL = {
  id: 'f',
  kind: 'udp',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  intervalMs: 100,
  frameBytes: 100,
  deadlineMs: 500,
};

function router(node: number, routes: [string, number][]): RouterState {
  return {
    node,
    routes: routes.map(([p, via]) => makeRoute(p, via) as Route),
    handForwarding: false,
    handQueue: [],
    forwarded: 0,
    dropped: 0,
  };
}

describe('forwarding cache — SPEC RT-1, RT-4', () => {
  it('answers exactly as the longest-prefix match, for every address, colliding or not', () => {
    const fib = new Fib([true, true, true, true]);
    const r = router(2, [
      ['10.0.0.0/8', 1],
      ['10.2.0.0/16', 3],
      ['10.2.3.0/24', 0],
    ]);
    // 3,000 addresses over 256 entries: most share an entry with another and are looked up twice.
    for (let pass = 0; pass < 2; pass++)
      for (let i = 0; i < 3_000; i++) {
        const a = addr(`10.${i % 4}.${(i >> 2) % 8}.${i % 251}`);
        expect(fib.nextHop(r, a)).toBe(lookupRoute(r.routes, a)?.viaNode ?? -1);
      }
    expect(fib.nextHop(r, addr('192.0.2.1'))).toBe(-1);
  });

  it('treats addresses above 128.0.0.0 alike as unsigned or as int32 (how packet slots hold them)', () => {
    const fib = new Fib([false, true]);
    const r = router(1, [
      ['192.168.0.0/16', 0],
      ['0.0.0.0/0', 1],
    ]);
    const high = addr('192.168.7.9');
    expect(high).toBeGreaterThan(2 ** 31);
    expect(fib.nextHop(r, high | 0)).toBe(0);
    expect(fib.nextHop(r, addr('200.1.1.1') | 0)).toBe(1);
  });

  it('forgets a router’s answers when told its table changed, and no other router’s', () => {
    const fib = new Fib([true, true, true, true]);
    const a = router(1, [['10.0.0.0/8', 2]]);
    const b = router(3, [['10.0.0.0/8', 0]]);
    const dst = addr('10.2.0.10');
    expect(fib.nextHop(a, dst)).toBe(2);
    expect(fib.nextHop(b, dst)).toBe(0);
    a.routes = [makeRoute('10.2.0.0/16', 0) as Route];
    b.routes = [];
    fib.invalidate(1);
    expect(fib.nextHop(a, dst)).toBe(0);
    expect(fib.nextHop(b, dst)).toBe(0); // still cached: b's change was not announced
  });

  it('a route change in a running simulation takes effect on the next packet — SPEC RT-1', () => {
    const sim = new Simulation(loadScenario(lineScenario({ traffic: [CALL] }), 'fib.json'), 1);
    const lost: string[] = [];
    sim.onRecord((r) => {
      if (r.k === 'drop') lost.push(r.reason);
    });
    sim.advanceTo(1_000_000);
    expect(lost).toEqual([]);
    expect(sim.apply({ type: 'route.delete', router: 'r1', prefix: '10.2.0.0/16' })).toBeNull();
    sim.advanceTo(2_000_000);
    expect(lost.length).toBeGreaterThanOrEqual(9);
    expect(new Set(lost)).toEqual(new Set(['no-route']));
    expect(sim.apply({ type: 'route.set', router: 'r1', prefix: '10.2.0.0/16', via: 'r2' })).toBeNull();
    const before = lost.length;
    sim.advanceTo(3_000_000);
    expect(lost.length).toBe(before);
  });

  it('after a link fails, the next packet leaves on a parallel link that is up — SPEC RT-1, LINK-2', () => {
    const file = lineScenario({ traffic: [CALL] }) as { links: Record<string, unknown>[] };
    file.links.push({
      id: 'l-mid2',
      a: 'r1',
      b: 'r2',
      latencyMs: 30,
      bandwidthKbps: 10_000,
      queuePackets: 100,
    });
    const sim = new Simulation(loadScenario(file, 'parallel.json'), 1);
    const latencyMs: number[] = [];
    const lost: string[] = [];
    sim.onRecord((r) => {
      if (r.k === 'frameDelivered') latencyMs.push(Math.round(r.latencyUs / 1000));
      if (r.k === 'drop') lost.push(r.reason);
    });
    sim.advanceTo(1_000_000);
    expect(new Set(latencyMs)).toEqual(new Set([12])); // 1 + 10 + 1 ms over l-mid
    sim.apply({ type: 'link.set', link: 'l-mid', up: false });
    latencyMs.length = 0;
    sim.advanceTo(2_000_000);
    expect(lost).toEqual([]);
    expect(new Set(latencyMs)).toEqual(new Set([32])); // 1 + 30 + 1 ms over l-mid2
  });
});
