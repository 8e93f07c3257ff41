import { describe, expect, it } from 'vitest';
import type { RouterState } from '../roles/router/state.ts';
import { loadScenario, type Port } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';
import { parseAddress } from './address.ts';
import { NO_ROUTE, portTowards } from './fib.ts';
import { lookupRoute, makeRoute, type Route } from './forwarding.ts';

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

/** The line network with h-b at a high address (above 128.0.0.0: int32 and unsigned views differ). */
function highLine(): Simulation {
  const file = lineScenario({
    routes: {
      r1: [
        { prefix: '10.1.0.0/16', via: 'h-a' },
        { prefix: '192.168.0.0/16', via: 'r2' },
        { prefix: '192.168.7.0/24', via: 'h-a' },
      ],
      r2: [
        { prefix: '10.1.0.0/16', via: 'r1' },
        { prefix: '192.168.0.0/16', via: 'h-b' },
      ],
    },
  }) as { nodes: Record<string, unknown>[] };
  (file.nodes[3] as Record<string, unknown>).address = '192.168.0.10';
  return new Simulation(loadScenario(file, 'high.json'), 1);
}

/** What the table must answer: longest-prefix match, then the first port towards that neighbour that is up (link × 2 + direction). */
function expected(sim: Simulation, node: number, dstAddr: number): number {
  const router = sim.st.roles[node] as RouterState;
  const via = lookupRoute(router.routes, dstAddr)?.viaNode ?? -1;
  if (via < 0) return NO_ROUTE;
  const port = portTowards(sim, node, via) as Port;
  return port.link * 2 + port.dir;
}

describe('forwarding table — SPEC RT-1, RT-4', () => {
  it('answers as the longest-prefix match for host addresses and any other, int32 or unsigned, asked twice', () => {
    const sim = highLine();
    const r1 = sim.sc.nodeIndex.get('r1') as number;
    const hosts = [addr('10.1.0.10'), addr('192.168.0.10')];
    expect(hosts[1]).toBeGreaterThan(2 ** 31);
    const others = Array.from({ length: 2_000 }, (_, i) =>
      addr(`${i % 2 ? 192 : 10}.${i % 2 ? 168 : 1}.${(i >> 1) % 9}.${i % 251}`),
    );
    for (let pass = 0; pass < 2; pass++)
      for (const a of [...hosts, ...others, addr('172.16.0.1')])
        for (const view of [a, a | 0])
          expect(sim.fib.interfaceTowards(sim, r1, view)).toBe(expected(sim, r1, a));
    expect(sim.fib.interfaceTowards(sim, r1, addr('172.16.0.1'))).toBe(NO_ROUTE);
    expect(sim.fib.interfaceTowards(sim, r1, addr('192.168.7.9'))).not.toBe(
      sim.fib.interfaceTowards(sim, r1, hosts[1] as number),
    );
  });

  it('forgets a router’s answers when told its table changed, and no other router’s', () => {
    const sim = highLine();
    const [r1, r2] = ['r1', 'r2'].map((id) => sim.sc.nodeIndex.get(id) as number) as [number, number];
    const a = sim.st.roles[r1] as RouterState;
    const b = sim.st.roles[r2] as RouterState;
    const dst = addr('192.168.0.10');
    const aBefore = sim.fib.interfaceTowards(sim, r1, dst);
    const bBefore = sim.fib.interfaceTowards(sim, r2, dst);
    a.routes = [makeRoute('192.168.0.0/16', sim.sc.nodeIndex.get('h-a') as number) as Route];
    b.routes = [];
    sim.fib.invalidate(r1);
    expect(sim.fib.interfaceTowards(sim, r1, dst)).not.toBe(aBefore);
    expect(sim.fib.interfaceTowards(sim, r1, dst)).toBe(expected(sim, r1, dst));
    expect(sim.fib.interfaceTowards(sim, r2, dst)).toBe(bBefore); // still cached: b's change was not announced
  });

  it('a route change in a running simulation takes effect on the next packet — SPEC RT-1', () => {
    const sim = new Simulation(loadScenario(lineScenario({ traffic: [CALL] }), 'fib.json'), 1);
    const lost: string[] = [];
    sim.onRecord((r) => {
      if (r.k === 'drop') lost.push(r.reason);
    });
    sim.advanceTo(1_000_000);
    expect(lost).toEqual([]);
    expect(sim.apply({ type: 'route.delete', node: 'r1', prefix: '10.2.0.0/16' })).toBeNull();
    sim.advanceTo(2_000_000);
    expect(lost.length).toBeGreaterThanOrEqual(9);
    expect(new Set(lost)).toEqual(new Set(['no-route']));
    expect(sim.apply({ type: 'route.set', node: 'r1', prefix: '10.2.0.0/16', via: 'r2' })).toBeNull();
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
