/** The L7 balancer on the network (SPEC LB-L7-11..16, LB-L7-5, LB-L7-6, LB-L7-SCORE-1, LB-HEALTH-1). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../engine/records.ts';
import { ACK, SYN } from '../../engine/state.ts';
import { Scoreboard } from '../../observation/scoring.ts';
import { loadScenario } from '../../scenario/scenario.ts';
import { Simulation } from '../../simulation/simulation.ts';
import { l7Requests, l7Scenario } from '../../testing/l7Scenario.ts';
import { nodeView } from '../registry.ts';
import type { L7lbView } from './view.ts';

type Options = Parameters<typeof l7Scenario>[0];

const server = { processingMs: 10, concurrency: 4, queueLimit: 50 };

function start(options: Options, seed = 1) {
  const sim = new Simulation(loadScenario(l7Scenario({ server, ...options }), 'l7.json'), seed);
  const records: SimRecord[] = [];
  const board = new Scoreboard(sim.sc);
  sim.onRecord((r) => {
    records.push(r);
    board.add(r);
  });
  const of = <K extends SimRecord['k']>(k: K) =>
    records.filter((r): r is Extract<SimRecord, { k: K }> => r.k === k);
  const view = () => nodeView(sim, 'lb') as L7lbView;
  const lb = sim.sc.nodeIndex.get('lb') as number;
  /** SYNs the balancer sent: each a handshake with a backend. */
  const backendSyns = () =>
    of('hostSend').filter((r) => r.node === lb && r.flags & SYN && !(r.flags & ACK)).length;
  const assigned = (flow: number) =>
    of('lbAssigned')
      .filter((r) => r.flow === flow)
      .map((r) => r.backend);
  return { sim, records, board, of, view, backendSyns, assigned };
}

describe('terminating and forwarding — SPEC LB-L7-11, LB-L7-12', () => {
  it('answers clients at its virtual IP, routing each request by path to its pool’s backends', () => {
    const t = start({
      traffic: [
        l7Requests('c1', 100, { stopS: 3, path: '/index.html' }),
        l7Requests('c2', 100, { stopS: 3, id: 'f-api', path: '/api/users' }),
      ],
    });
    t.sim.advanceTo(4_000_000);
    expect(t.of('requestCompleted').length).toBe(60);
    expect(t.of('requestFailed')).toEqual([]);
    expect(new Set(t.assigned(1))).toEqual(new Set(['api-1']));
    // Round robin over web-1 and web-2.
    expect(t.assigned(0).slice(0, 4)).toEqual(['web-1', 'web-2', 'web-1', 'web-2']);
    const v = t.view();
    expect(v.routed).toBe(60);
    expect(v.pools.map((p) => [p.name, p.completed, p.failed])).toEqual([
      ['api', 30, 0],
      ['web', 30, 0],
    ]);
    // Every request reached a backend's server through the balancer's own connections.
    const served = v.pools.flatMap((p) => p.backends.map((b) => b.server?.served));
    expect(served).toEqual([30, 15, 15]);
    // Clients' connections all closed; what stays open is the keep-alive pool, both ends of each.
    // (Clients' ends of their last connections wait in TIME-WAIT.)
    const open = Object.values(t.sim.st.conns).filter((c) => c.state !== 'TIME-WAIT');
    const idle = v.pools.flatMap((p) => p.backends).reduce((a, b) => a + b.idle, 0);
    expect(idle).toBeGreaterThan(0);
    expect(open.length).toBe(2 * idle);
    expect(open.every((c) => c.app === t.sim.sc.nodeIndex.get('lb') && c.state === 'ESTABLISHED')).toBe(true);
  });

  it('takes a flow to it only as TCP, and with no rule for a path the request fails as no-route at the balancer', () => {
    const t = start({
      lb: { rules: [{ prefix: '/api', pool: 'api' }] },
      traffic: [l7Requests('c1', 100, { stopS: 0.5 })],
    });
    t.sim.advanceTo(2_000_000);
    const failed = t.of('requestFailed');
    expect(failed.length).toBe(5);
    expect(failed.every((r) => r.reason === 'no-route' && r.at === 'lb')).toBe(true);
    expect(t.view().refused).toBe(5);
  });
});

describe('the keep-alive pool end to end — SPEC LB-L7-5, LB-L7-13', () => {
  for (const size of [0, 1, 4])
    it(`pool size ${size}: ${size === 0 ? 'every request opens its own backend connection' : 'one handshake saved per request after the first'}`, () => {
      const t = start({
        lb: { keepAlivePoolSize: size },
        traffic: [l7Requests('c2', 100, { stopS: 2, path: '/api' })],
      });
      t.sim.advanceTo(3_000_000);
      expect(t.of('requestCompleted').length).toBe(20);
      const api = t.view().pools[0]?.backends[0];
      expect(t.backendSyns()).toBe(size === 0 ? 20 : 1);
      expect(api).toMatchObject({
        opened: size === 0 ? 20 : 1,
        saved: size === 0 ? 0 : 19,
        idle: size === 0 ? 0 : 1,
      });
    });

  it('a reused connection answers sooner than a new one (no backend handshake)', () => {
    const latency = (size: number) => {
      const t = start({
        lb: { keepAlivePoolSize: size },
        traffic: [l7Requests('c2', 100, { stopS: 1, path: '/api' })],
      });
      t.sim.advanceTo(2_000_000);
      return t.view().pools[0]?.meanLatencyMs as number;
    };
    expect(latency(1)).toBeLessThan(latency(0) - 3);
  });
});
