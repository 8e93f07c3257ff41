/** The L7 balancer on the network (SPEC LB-L7-11..16, LB-L7-5, LB-L7-6, LB-L7-SCORE-1, LB-HEALTH-1). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../engine/records.ts';
import { ACK, RST, SYN } from '../../engine/state.ts';
import { MetricsCollector } from '../../observation/metrics.ts';
import { Scoreboard } from '../../observation/scoring.ts';
import { linkViews } from '../../observation/views.ts';
import { loadScenario } from '../../scenario/scenario.ts';
import { Simulation } from '../../simulation/simulation.ts';
import { l7Requests, l7Scenario } from '../../testing/l7Scenario.ts';
import { nodeView } from '../registry.ts';
import { IDLE_TIMEOUT_US } from './keepAlivePool.ts';
import type { L7lbState } from './state.ts';
import type { L7lbView } from './view.ts';

type Options = Parameters<typeof l7Scenario>[0];

const server = { processingMs: 10, concurrency: 4, queueLimit: 50 };

function start(options: Options, seed = 1) {
  const sim = new Simulation(loadScenario(l7Scenario({ server, ...options }), 'l7.json'), seed);
  const records: SimRecord[] = [];
  const board = new Scoreboard(sim.sc);
  const metrics = new MetricsCollector();
  sim.onRecord((r) => {
    records.push(r);
    board.add(r);
    metrics.add(r);
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
  return { sim, records, board, metrics, of, view, backendSyns, assigned };
}

describe('terminating and forwarding — SPEC LB-L7-11, LB-L7-12, LB-L7-16', () => {
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

  it('answers each request of a client’s keep-alive connection (KA-1) in turn', () => {
    const t = start({
      traffic: [l7Requests('c1', 100, { stopS: 2, requestsPerConnection: 5, closeBy: 'client' })],
    });
    t.sim.advanceTo(3_000_000);
    expect(t.of('requestCompleted').length).toBe(20);
    expect(t.of('requestFailed')).toEqual([]);
    expect(t.of('lbAssigned').map((r) => r.unit)).toEqual(Array.from({ length: 20 }, (_, u) => u));
  });

  it('goodput counts each byte once: the backend hop is relayed, not counted again (MET-1)', () => {
    const t = start({ traffic: [l7Requests('c1', 100, { stopS: 1 })] });
    t.sim.advanceTo(2_000_000);
    expect(t.of('requestCompleted').length).toBe(10);
    // Ten requests of 200 bytes and responses of 2,000, on a lossless path: as without the balancer.
    const goodBytes = (t.metrics.summary(1_000_000).tcp.goodputKbps * 1_000) / 8;
    expect(goodBytes).toBe(10 * (200 + 2_000));
    // The balancer's connections to backends carry the same bytes again, marked as relayed.
    const relayed = t.of('segmentDelivered').filter((r) => r.relay);
    expect(relayed.reduce((a, r) => a + r.bytes, 0)).toBe(10 * (200 + 2_000));
  });

  it('forgets a client’s connection when it ends, not at a later health-check tick', () => {
    const t = start({
      lb: { healthCheck: { intervalMs: 600_000, timeoutMs: 500 } },
      traffic: [l7Requests('c1', 100, { stopS: 1 })],
    });
    const lb = t.sim.st.roles[t.sim.sc.nodeIndex.get('lb') as number] as unknown as L7lbState;
    const fronts = () => Object.keys(lb.fronts).map(Number);
    let most = 0;
    while (t.sim.nowUs < 2_000_000) {
      t.sim.advanceTo(t.sim.nowUs + 1_000);
      // Only connections still in the table are remembered.
      expect(fronts().every((id) => t.sim.st.conns[id] !== undefined)).toBe(true);
      most = Math.max(most, fronts().length);
    }
    expect(t.of('requestCompleted').length).toBe(10);
    expect(most).toBeGreaterThan(0);
    expect(fronts()).toEqual([]);
  });

  it('with no rule for a path the request fails as no-route at the balancer', () => {
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

  it('closes a pooled connection idle for IDLE_TIMEOUT_US (60 s), cleanly', () => {
    const t = start({ traffic: [l7Requests('c2', 100, { stopS: 1, path: '/api' })] });
    t.sim.advanceTo(2_000_000);
    const lastUs = Math.max(...t.of('requestCompleted').map((r) => r.tUs));
    const api = () => t.view().pools[0]?.backends[0];
    const ownConns = () => Object.values(t.sim.st.conns).filter((c) => c.app !== undefined);
    t.sim.advanceTo(lastUs + IDLE_TIMEOUT_US - 100_000);
    expect(api()?.idle).toBe(1);
    expect(ownConns().length).toBe(2);
    t.sim.advanceTo(lastUs + IDLE_TIMEOUT_US + 100_000);
    expect(api()).toMatchObject({ idle: 0, busy: 0, opened: 1 });
    // Closed with FINs both ways (the balancer's end waits in TIME-WAIT), no reset (the probes' answers aside).
    expect(ownConns().map((c) => c.state)).toEqual(['TIME-WAIT']);
    expect(t.of('hostSend').some((r) => r.flags & RST && r.flow >= 0)).toBe(false);
  });

  it('a pooled connection reused before its timeout counts its idle time afresh', () => {
    const t = start({
      durationS: 200,
      traffic: [
        l7Requests('c2', 100, { stopS: 1, path: '/api' }),
        l7Requests('c2', 100, { id: 'f-later', startS: 40, stopS: 41, path: '/api' }),
      ],
    });
    t.sim.advanceTo(90_000_000);
    expect(t.of('requestCompleted').length).toBe(20);
    expect(t.view().pools[0]?.backends[0]).toMatchObject({ idle: 1, opened: 1, saved: 19 });
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

describe('sticky sessions on the wire — SPEC LB-L7-4, LB-L7-12', () => {
  it('a session cookie keeps its backend; taken down, its sessions miss and move', () => {
    const t = start({
      lb: {
        sticky: true,
        pools: [
          { name: 'api', backends: [{ host: 'api-1' }] },
          { name: 'web', algorithm: 'round-robin', backends: [{ host: 'web-1' }, { host: 'web-2' }] },
        ],
      },
      traffic: [l7Requests('c1', 100, { stopS: 4, sessions: 3 })],
      events: [
        {
          atS: 2.05,
          kind: 'command',
          command: { type: 'l7lb.backend', node: 'lb', pool: 'web', backend: 'web-1', state: 'down' },
        },
      ],
    });
    t.sim.advanceTo(5_000_000);
    const byCookie = new Map<number, Set<string>>();
    for (const r of t.of('lbAssigned').filter((x) => x.tUs < 2_000_000))
      byCookie.set(r.unit % 3, (byCookie.get(r.unit % 3) ?? new Set()).add(r.backend));
    // Before: each session on one backend (round robin bound s0, s1, s2 to web-1, web-2, web-1).
    expect([...byCookie.values()].map((s) => [...s])).toEqual([['web-1'], ['web-2'], ['web-1']]);
    // After: every request on web-2; the two web-1 sessions each missed once.
    expect(
      t
        .of('lbAssigned')
        .filter((x) => x.tUs > 2_100_000)
        .every((r) => r.backend === 'web-2'),
    ).toBe(true);
    expect(t.view().stickyMisses).toBe(2);
    expect(t.of('requestFailed')).toEqual([]);
  });

  it('without sessions a flow carries no cookie: round robin spreads it whatever sticky says', () => {
    const t = start({ lb: { sticky: true }, traffic: [l7Requests('c1', 100, { stopS: 1 })] });
    t.sim.advanceTo(2_000_000);
    expect(t.assigned(0).slice(0, 4)).toEqual(['web-1', 'web-2', 'web-1', 'web-2']);
    expect(t.view().sessions).toBe(0);
  });
});

describe('a backend taken down — SPEC LB-L7-15', () => {
  it('fails its requests under way as backend-down at the balancer; new ones go elsewhere', () => {
    const t = start({
      server: { processingMs: 300, concurrency: 4, queueLimit: 50 },
      traffic: [l7Requests('c1', 100, { stopS: 3 })],
      events: [
        {
          atS: 1.55,
          kind: 'command',
          command: { type: 'l7lb.backend', node: 'lb', pool: 'web', backend: 'web-1', state: 'down' },
        },
      ],
    });
    t.sim.advanceTo(5_000_000);
    const failed = t.of('requestFailed');
    // web-1 (every other request, 300 ms each) held one, unit 14 read at 1.4 s, when it went out at 1.55 s.
    expect(failed.map((r) => [r.unit, r.reason, r.at, r.tUs])).toEqual([
      [14, 'backend-down', 'lb', 1_550_000],
    ]);
    expect(
      t
        .of('lbAssigned')
        .filter((r) => r.tUs > 1_550_000)
        .every((r) => r.backend === 'web-2'),
    ).toBe(true);
    expect(t.of('requestCompleted').length).toBe(29);
    const web1 = t.view().pools[1]?.backends[0];
    expect(web1).toMatchObject({ inflight: 0, idle: 0, busy: 0 });
    expect(t.view().pools[1]?.failed).toBe(1);
  });
});

describe('the balancer’s CPU on the wire — SPEC LB-L7-6, LB-L7-14', () => {
  it('queues requests beyond its concurrency, then refuses beyond its queue as lb-overloaded', () => {
    const t = start({
      lb: { cpu: { serviceUs: 50_000, concurrency: 1, queueLimit: 2 } },
      traffic: [l7Requests('c1', 20, { stopS: 0.2 })],
    });
    t.sim.advanceTo(3_000_000);
    const v = t.view();
    // Ten requests 20 ms apart, 50 ms of work each, one at a time, two waiting at most: six done, four refused.
    expect(v.cpu).toMatchObject({ peakQueue: 2, refused: 4, done: 6 });
    const failed = t.of('requestFailed');
    expect(failed.length).toBe(4);
    expect(failed.every((r) => r.reason === 'lb-overloaded' && r.at === 'lb')).toBe(true);
    expect(t.of('requestCompleted').length).toBe(6);
    // Queued ones waited their turn behind up to three others' 50 ms.
    expect(Math.max(...t.of('requestCompleted').map((r) => r.latencyUs))).toBeGreaterThan(150_000);
  });
});

describe('health checks of the pools — SPEC LB-HEALTH-1, LB-L7-15', () => {
  it('marks a cut-off backend down after its misses (failing its hung requests) and up after an answered probe', () => {
    const t = start({
      traffic: [l7Requests('c1', 100, { stopS: 12 })],
      events: [
        { atS: 2.2, kind: 'linkDown', link: 'l-web-2' },
        { atS: 8.2, kind: 'linkUp', link: 'l-web-2' },
      ],
    });
    t.sim.advanceTo(13_000_000);
    const health = t.of('lbHealth').map((r) => [r.backend, r.up]);
    expect(health).toEqual([
      ['web-2', false],
      ['web-2', true],
    ]);
    const [down, up] = t.of('lbHealth').map((r) => r.tUs) as [number, number];
    expect(down).toBe(5_500_000);
    expect(up).toBeGreaterThan(9_000_000);
    expect(up).toBeLessThan(9_010_000);
    const during = t.of('lbAssigned').filter((r) => r.tUs > down && r.tUs < up && r.flow === 0);
    expect(during.length).toBeGreaterThan(30);
    expect(during.some((r) => r.backend === 'web-2')).toBe(false);
    expect(t.of('lbAssigned').some((r) => r.tUs > up + 100_000 && r.backend === 'web-2')).toBe(true);
    // The requests sent to web-2 after its link went down hung there; marked down, they fail at once.
    const stuck = t
      .of('lbAssigned')
      .filter((r) => r.backend === 'web-2' && r.tUs > 2_200_000 && r.tUs < down);
    const failed = t.of('requestFailed');
    expect(stuck.length).toBeGreaterThan(10);
    expect(failed.map((r) => r.unit)).toEqual(stuck.map((r) => r.unit));
    expect(failed.every((r) => r.reason === 'backend-down' && r.at === 'lb' && r.tUs === down)).toBe(true);
  });
});

describe('a host in two pools — SPEC LB-HEALTH-1, LB-L7-15', () => {
  const shared = {
    pools: [
      { name: 'api', backends: [{ host: 'api-1' }, { host: 'web-1' }] },
      { name: 'web', backends: [{ host: 'web-1' }, { host: 'web-2' }] },
    ],
  };

  it('is probed once per interval', () => {
    const t = start({ lb: shared });
    t.sim.advanceTo(3_500_000);
    // Probes at 0, 1, 2 and 3 s, one each; nothing else goes to the backends, and each answers with a reset.
    const probes = (host: string) => {
      const link = linkViews(t.sim).find((l) => l.id === `l-${host}`);
      return link?.a === host ? link.dirs[1].txPackets : link?.dirs[0].txPackets;
    };
    expect(['api-1', 'web-1', 'web-2'].map(probes)).toEqual([4, 4, 4]);
  });

  it('one verdict holds for it in every pool', () => {
    const t = start({ lb: shared, events: [{ atS: 0.5, kind: 'linkDown', link: 'l-web-1' }] });
    t.sim.advanceTo(4_000_000);
    expect(t.of('lbHealth').map((r) => [r.backend, r.up, r.tUs])).toEqual([['web-1', false, 3_500_000]]);
    const web1 = t.view().pools.map((p) => p.backends.find((b) => b.id === 'web-1')?.healthy);
    expect(web1).toEqual([false, false]);
  });
});

describe('score and determinism — SPEC LB-L7-SCORE-1, SIM-4, SIM-5', () => {
  it('earns per answered request by latency, pays its CPU for each, loses for failures', () => {
    const t = start({
      lb: { latencyTargetMs: 40, rules: [{ prefix: '/api', pool: 'api' }] },
      traffic: [
        l7Requests('c1', 100, { stopS: 1, path: '/api' }),
        l7Requests('c2', 100, { stopS: 1, id: 'f2' }),
      ],
    });
    t.sim.advanceTo(2_000_000);
    const done = t.of('requestCompleted');
    const fast = done.filter((r) => r.latencyUs <= 40_000).length;
    expect(done.length).toBe(10);
    expect(t.of('requestFailed').length).toBe(10);
    expect(fast).toBeGreaterThan(0);
    const parts = t.board.nodeParts('lb');
    expect(parts['lb-fast']).toEqual({ count: fast, points: 3 * fast });
    expect(parts['lb-slow']?.points ?? 0).toBe(10 - fast);
    expect(parts['l7-cpu']).toEqual({ count: 10, points: -10 });
    expect(parts['lb-failed']).toEqual({ count: 10, points: -30 });
  });

  it('the same seed gives the same run', () => {
    const run = (seed: number) => {
      const t = start(
        {
          lb: {
            sticky: true,
            pools: [
              { name: 'api', backends: [{ host: 'api-1' }] },
              { name: 'web', algorithm: 'two-choices', backends: [{ host: 'web-1' }, { host: 'web-2' }] },
            ],
          },
          traffic: [
            l7Requests('c1', 30, { stopS: 3, sessions: 5 }),
            l7Requests('c2', 50, { stopS: 3, id: 'f2', path: '/api' }),
          ],
        },
        seed,
      );
      t.sim.advanceTo(4_000_000);
      return t.sim.stateHash();
    };
    expect(run(3)).toBe(run(3));
  });

  it('survives a snapshot and restore with requests under way and connections pooled', () => {
    const file = l7Scenario({
      server: { processingMs: 40, concurrency: 2, queueLimit: 50 },
      lb: { sticky: true, cpu: { serviceUs: 5_000, concurrency: 1, queueLimit: 3 } },
      traffic: [l7Requests('c1', 20, { sessions: 4 }), l7Requests('c2', 30, { id: 'f2', path: '/api' })],
    });
    const a = new Simulation(loadScenario(file, 'l7.json'), 1);
    a.advanceTo(1_530_000);
    const lb = (nodeView(a, 'lb') as L7lbView).pools;
    expect(lb.some((p) => p.backends.some((b) => b.inflight > 0))).toBe(true);
    const b = new Simulation(loadScenario(file, 'l7.json'), 1);
    b.restore(a.snapshot());
    a.advanceTo(4_000_000);
    b.advanceTo(4_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
  });
});
