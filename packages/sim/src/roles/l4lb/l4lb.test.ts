/** The L4 balancer on the network (SPEC LB-L4-1..5, LB-HEALTH-1, LB-POOL-1, LB-POOL-2, LB-SCORE-1, LB-BOT-1). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../engine/records.ts';
import { Scoreboard } from '../../observation/scoring.ts';
import { loadScenario } from '../../scenario/scenario.ts';
import { Simulation } from '../../simulation/simulation.ts';
import { lbRequests, lbScenario } from '../../testing/lbScenario.ts';
import { nodeView } from '../registry.ts';
import type { L4lbView } from './view.ts';

type Options = Parameters<typeof lbScenario>[0];

function start(options: Options) {
  const sim = new Simulation(loadScenario(lbScenario(options), 'lb.json'), 1);
  const records: SimRecord[] = [];
  const board = new Scoreboard(sim.sc);
  sim.onRecord((r) => {
    records.push(r);
    board.add(r);
  });
  const of = <K extends SimRecord['k']>(k: K) =>
    records.filter((r): r is Extract<SimRecord, { k: K }> => r.k === k);
  const view = () => nodeView(sim, 'lb') as L4lbView;
  const assigned = () => of('lbAssigned').map((r) => r.backend);
  const count = (xs: string[]) => {
    const m: Record<string, number> = {};
    for (const x of xs) m[x] = (m[x] ?? 0) + 1;
    return m;
  };
  return { sim, records, board, of, view, assigned, count };
}

const server = { processingMs: 20, concurrency: 4, queueLimit: 50 };
/** Long transfers: 100 KB over 2 Mbit/s server links keep each connection open about 0.4 s. */
const long = { responseBytes: 100_000 };

describe('the L4 balancer on the network — SPEC LB-L4-1', () => {
  it('takes connections at its virtual IP and hands each to a backend, rewriting both addresses', () => {
    const t = start({ server, traffic: [lbRequests('c1', 100, { stopS: 3 })] });
    t.sim.advanceTo(4_000_000);
    expect(t.of('requestCompleted').length).toBe(30);
    expect(t.of('requestFailed')).toEqual([]);
    // Round robin: web-1, web-2, web-3 in turn; each served its third.
    expect(t.assigned().slice(0, 6)).toEqual(['web-1', 'web-2', 'web-3', 'web-1', 'web-2', 'web-3']);
    expect(t.view().backends.map((b) => [b.id, b.total, b.server?.served])).toEqual([
      ['web-1', 10, 10],
      ['web-2', 10, 10],
      ['web-3', 10, 10],
    ]);
    // The backend saw the balancer's address; the client, the virtual IP.
    const serverSide = t.records.find((r) => r.k === 'tcpState' && r.role === 'server');
    expect(serverSide).toBeDefined();
    // Every connection closed: none left open at the balancer or the servers.
    expect(t.view()).toMatchObject({ open: 0, accepted: 30, refused: 0, broken: 0 });
    expect(t.view().backends.every((b) => b.server?.openConns === 0)).toBe(true);
  });

  it('refuses a flow to a node that takes no connections, and a pool naming a router', () => {
    const bad = lbScenario({ traffic: [lbRequests('c1', 100, { to: 'r' })] });
    expect(() => loadScenario(bad, 'bad.json')).toThrow(/traffic\[0\] \(f-c1\)\.to: "r" is not a host/);
    const pool = lbScenario({ lb: { backends: [{ host: 'r' }] } });
    expect(() => loadScenario(pool, 'bad.json')).toThrow(/backends\[0\]\.host: "r" is not a host/);
    const table = lbScenario({ lb: { maglevTableSize: 100 } });
    expect(() => loadScenario(table, 'bad.json')).toThrow(/maglevTableSize: 100 is not prime/);
  });
});

describe('choosing by algorithm — SPEC LB-ALG-1, LB-POOL-1', () => {
  it('round robin follows the weights', () => {
    const t = start({
      server,
      lb: { backends: [{ host: 'web-1', weight: 3 }, { host: 'web-2' }, { host: 'web-3', weight: 0 }] },
      traffic: [lbRequests('c1', 50, { stopS: 2 })],
    });
    t.sim.advanceTo(3_000_000);
    expect(t.count(t.assigned())).toEqual({ 'web-1': 30, 'web-2': 10 });
  });

  it('least connections sends fewer connections to a slow backend than round robin does', () => {
    const slow = [server, server, { ...server, processingMs: 400 }];
    const run = (algorithm: string) => {
      const t = start({ server: slow, lb: { algorithm }, traffic: [lbRequests('c1', 20, { stopS: 4 })] });
      t.sim.advanceTo(6_000_000);
      return t.count(t.assigned())['web-3'] ?? 0;
    };
    const rr = run('round-robin');
    const lc = run('least-connections');
    const two = run('two-choices');
    // 200 connections in turn: the third backend gets 66.
    expect(rr).toBe(66);
    expect(lc).toBeLessThan(rr / 3);
    expect(two).toBeLessThan(rr / 2);
  });

  it('source hash keeps a client on one backend; Maglev spreads one client’s connections by port', () => {
    const run = (algorithm: string) => {
      const t = start({
        server,
        lb: { algorithm },
        traffic: [lbRequests('c1', 50, { stopS: 3 }), lbRequests('c2', 50, { stopS: 3 })],
      });
      t.sim.advanceTo(4_000_000);
      const byClient = (flow: number) =>
        new Set(
          t
            .of('lbAssigned')
            .filter((r) => r.flow === flow)
            .map((r) => r.backend),
        );
      return [byClient(0).size, byClient(1).size];
    };
    expect(run('source-hash')).toEqual([1, 1]);
    expect(run('maglev')).toEqual([3, 3]);
  });
});

describe('connection tracking — SPEC LB-L4-2, LB-L4-4', () => {
  it('a flushed table (a restarted balancer) breaks the connections open then, whatever the algorithm; new ones go on', () => {
    for (const algorithm of ['round-robin', 'maglev']) {
      const t = start({
        server,
        backendLinkKbps: 2_000,
        lb: { algorithm },
        traffic: [lbRequests('c1', 100, { stopS: 3, ...long })],
        events: [{ atS: 1.55, kind: 'command', command: { type: 'l4lb.flush', node: 'lb' } }],
      });
      t.sim.advanceTo(14_000_000);
      const failed = t.of('requestFailed');
      // Connections open at 1.55 s: their segments, either way, find no entry (one still in its
      // handshake is saved by its SYN's retransmission, a new connection). Later ones all complete.
      expect(failed.length).toBeGreaterThan(2);
      expect(failed.every((r) => r.unit <= 15 && r.reason === 'conn-moved' && r.at === 'lb')).toBe(true);
      expect(t.of('requestCompleted').length + failed.length).toBe(30);
    }
  });

  it('a flush counts each connection it breaks as broken, as conn-moved (LB-L4-4, LB-SCORE-1)', () => {
    const t = start({
      server,
      backendLinkKbps: 2_000,
      traffic: [lbRequests('c1', 100, { stopS: 3, ...long })],
      events: [{ atS: 1.55, kind: 'command', command: { type: 'l4lb.flush', node: 'lb' } }],
    });
    t.sim.advanceTo(14_000_000);
    const failed = t.of('requestFailed');
    const broken = t.of('lbConnBroken');
    expect(failed.length).toBeGreaterThan(2);
    // One record per connection the flush broke, at the flush: each one's request failed.
    expect(broken.every((r) => r.reason === 'conn-moved' && r.tUs === 1_550_000)).toBe(true);
    const units = (rs: { unit: number }[]) => rs.map((r) => r.unit).sort((a, b) => a - b);
    expect(units(broken)).toEqual(units(failed));
    expect(t.view().broken).toBe(failed.length);
    expect(t.board.nodeParts('lb')['lb-broken']).toEqual({
      count: failed.length,
      points: -5 * failed.length,
    });
  });

  it('without tracking, round robin moves a connection at its next packet; a hash keeps it', () => {
    const run = (algorithm: string) => {
      const t = start({
        server,
        lb: { algorithm, tracking: false },
        traffic: [lbRequests('c1', 100, { stopS: 1 })],
      });
      t.sim.advanceTo(20_000_000);
      return t;
    };
    const rr = run('round-robin');
    expect(rr.of('requestCompleted').length).toBeLessThan(10);
    expect(rr.of('lbConnBroken').length).toBeGreaterThan(0);
    expect(rr.of('requestFailed').every((r) => r.reason === 'conn-moved' && r.at === 'lb')).toBe(true);
    for (const hashed of ['source-hash', 'maglev']) {
      const hash = run(hashed);
      expect(hash.of('requestCompleted').length).toBe(10);
      expect(hash.of('lbConnBroken')).toEqual([]);
    }
  });
});

describe('health checks, drain and taking a backend out — SPEC LB-HEALTH-1, LB-POOL-2', () => {
  it('marks a backend down after its misses and up after an answered probe; new connections avoid it meanwhile', () => {
    const t = start({
      server,
      traffic: [lbRequests('c1', 100, { stopS: 12 })],
      events: [
        { atS: 2.2, kind: 'linkDown', link: 'l-web-2' },
        { atS: 8.2, kind: 'linkUp', link: 'l-web-2' },
      ],
    });
    t.sim.advanceTo(13_000_000);
    // Probes at 3, 4 and 5 s go unanswered (500 ms timeout): down at 5.5 s; the probe at 9 s is
    // answered after four 1 ms hops (lb–r–web-2 and back) and their serialization.
    expect(t.of('lbHealth').map((r) => [r.backend, r.up, r.tUs])).toEqual([
      ['web-2', false, 5_500_000],
      ['web-2', true, 9_004_020],
    ]);
    const during = t.of('lbAssigned').filter((r) => r.tUs > 5_500_000 && r.tUs < 9_000_000);
    expect(during.length).toBeGreaterThan(30);
    expect(during.some((r) => r.backend === 'web-2')).toBe(false);
    expect(t.of('lbAssigned').some((r) => r.tUs > 9_100_000 && r.backend === 'web-2')).toBe(true);
  });

  it('a draining backend takes no new connections while its open ones finish', () => {
    const t = start({
      server,
      backendLinkKbps: 2_000,
      traffic: [lbRequests('c1', 100, { stopS: 3, ...long })],
      events: [
        {
          atS: 1.05,
          kind: 'command',
          command: { type: 'l4lb.backend', node: 'lb', backend: 'web-1', state: 'drain' },
        },
      ],
    });
    t.sim.advanceTo(8_000_000);
    expect(t.of('lbAssigned').some((r) => r.tUs > 1_050_000 && r.backend === 'web-1')).toBe(false);
    expect(t.of('lbConnBroken')).toEqual([]);
    expect(t.of('requestCompleted').length).toBe(30);
    expect(t.view().backends[0]).toMatchObject({ admin: 'drain', eligible: false, open: 0 });
  });

  it('a backend taken down breaks its open connections there, with the reason at the balancer', () => {
    const t = start({
      server,
      backendLinkKbps: 2_000,
      traffic: [lbRequests('c1', 100, { stopS: 3, ...long })],
      events: [
        {
          atS: 1.05,
          kind: 'command',
          command: { type: 'l4lb.backend', node: 'lb', backend: 'web-1', state: 'down' },
        },
      ],
    });
    t.sim.advanceTo(30_000_000);
    const broken = t.of('lbConnBroken');
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.every((r) => r.backend === 'web-1' && r.reason === 'backend-down')).toBe(true);
    expect(t.of('requestFailed').length).toBe(broken.length);
    expect(t.of('requestFailed').every((r) => r.reason === 'backend-down' && r.at === 'lb')).toBe(true);
  });

  it('with every backend full, a new connection is refused as pool-overloaded', () => {
    const t = start({
      server: { processingMs: 2_000, concurrency: 1, queueLimit: 100 },
      lb: { maxConnsPerWeight: 1 },
      traffic: [lbRequests('c1', 100, { stopS: 0.5 })],
    });
    t.sim.advanceTo(1_000_000);
    expect(t.view()).toMatchObject({ accepted: 3, open: 3 });
    expect(t.view().refused).toBeGreaterThan(0);
    expect(t.records).toContainEqual(
      expect.objectContaining({ k: 'drop', node: 6, reason: 'pool-overloaded' }),
    );
  });
});

describe('commands, view, score and bots — SPEC LB-L4-5, LB-SCORE-1, LB-BOT-1', () => {
  it('is a seat; sets algorithm, weights, backend states and tracking; refuses what is wrong with a sentence', () => {
    const t = start({ server });
    expect(t.sim.sc.seats).toEqual([{ node: 'lb', role: 'l4lb' }]);
    expect(t.sim.apply({ type: 'l4lb.algorithm', node: 'lb', algorithm: 'fastest' as never })).toMatch(
      /one of round-robin/,
    );
    expect(t.sim.apply({ type: 'l4lb.weight', node: 'lb', backend: 'web-9', weight: 1 })).toMatch(
      /no backend "web-9"/,
    );
    expect(t.sim.apply({ type: 'l4lb.weight', node: 'lb', backend: 'web-1', weight: 1.5 })).toMatch(
      /whole number/,
    );
    expect(
      t.sim.apply({ type: 'l4lb.backend', node: 'lb', backend: 'web-1', state: 'off' as never }),
    ).toMatch(/up, drain, down/);
    expect(t.sim.apply({ type: 'l4lb.algorithm', node: 'lb', algorithm: 'maglev' })).toBeNull();
    expect(t.sim.apply({ type: 'l4lb.weight', node: 'lb', backend: 'web-2', weight: 5 })).toBeNull();
    expect(t.sim.apply({ type: 'l4lb.backend', node: 'lb', backend: 'web-3', state: 'drain' })).toBeNull();
    expect(t.sim.apply({ type: 'l4lb.tracking', node: 'lb', on: false })).toBeNull();
    expect(t.view()).toMatchObject({
      algorithm: 'maglev',
      tracking: false,
      address: '10.9.0.1',
      maglevTableSize: 65_537,
    });
    expect(t.view().backends.map((b) => [b.id, b.weight, b.admin, b.eligible])).toEqual([
      ['web-1', 1, 'up', true],
      ['web-2', 5, 'up', true],
      ['web-3', 1, 'drain', false],
    ]);
  });

  it('earns for fast requests and an even spread, loses for failures and broken connections', () => {
    const even = start({
      server,
      lb: { algorithm: 'least-connections' },
      traffic: [lbRequests('c1', 50, { stopS: 3 })],
    });
    even.sim.advanceTo(3_500_000);
    const b = even.board.nodeParts('lb');
    expect(b['lb-fast']).toEqual({ count: 60, points: 120 });
    expect(b['lb-balance']?.count).toBeGreaterThan(0);
    const broken = start({
      server,
      lb: { tracking: false },
      traffic: [lbRequests('c1', 100, { stopS: 1 })],
    });
    broken.sim.advanceTo(20_000_000);
    const bb = broken.board.nodeParts('lb');
    expect(bb['lb-broken']?.points).toBe(-5 * (bb['lb-broken']?.count ?? 0));
    expect(bb['lb-failed']?.points).toBe(-3 * (bb['lb-failed']?.count ?? 0));
    expect(broken.board.nodeScore('lb')).toBeLessThan(0);
  });

  it('bots: competent sets least connections with tracking; a novice keeps the start for 30 s; an expert weighs by capacity', () => {
    const slow = [server, server, { ...server, processingMs: 200 }];
    const t = start({ server: slow, lb: { algorithm: 'round-robin', tracking: false } });
    expect(t.sim.apply({ type: 'seat.bot', node: 'lb' })).toBeNull();
    expect(t.view()).toMatchObject({ algorithm: 'least-connections', tracking: true });
    const n = start({ server: slow, lb: { algorithm: 'round-robin', tracking: false } });
    expect(n.sim.apply({ type: 'seat.bot', node: 'lb', skill: 'novice' })).toBeNull();
    n.sim.advanceTo(29_000_000);
    expect(n.view()).toMatchObject({ algorithm: 'round-robin', tracking: false });
    n.sim.advanceTo(31_000_000);
    expect(n.view()).toMatchObject({ algorithm: 'least-connections', tracking: true });
    const e = start({ server: slow, lb: { algorithm: 'round-robin' } });
    expect(e.sim.apply({ type: 'seat.bot', node: 'lb', skill: 'expert' })).toBeNull();
    expect(e.view().backends.map((b) => b.weight)).toEqual([10, 10, 1]);
  });

  it('a novice who sees connections break flushes the table at a look with chance ½', () => {
    const file = lbScenario({
      server,
      lb: { tracking: false },
      traffic: [lbRequests('c1', 100, { stopS: 25 })],
    });
    let flushes = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const sim = new Simulation(loadScenario(file, 'lb.json'), seed);
      expect(sim.apply({ type: 'seat.bot', node: 'lb', skill: 'novice' })).toBeNull();
      for (const lookS of [10, 20]) {
        sim.advanceTo(lookS * 1_000_000 - 1);
        const before = (nodeView(sim, 'lb') as L4lbView).accepted;
        const tracked = () => Object.keys((sim.st.roles[6] as { conns: object }).conns).length;
        const size = tracked();
        sim.advanceTo(lookS * 1_000_000 + 1);
        // Broken connections are kept until idle, so only a flush empties the table.
        expect(size).toBeGreaterThan(50);
        if (tracked() <= (nodeView(sim, 'lb') as L4lbView).accepted - before) flushes++;
      }
    }
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThan(8);
  });

  it('an expert drains a backend whose queue fills and puts it back once the queue has emptied', () => {
    const slow = [server, server, { processingMs: 300, concurrency: 1, queueLimit: 8 }];
    const t = start({
      server: slow,
      lb: { algorithm: 'round-robin' },
      traffic: [lbRequests('c1', 20, { stopS: 12 })],
    });
    // Round robin at equal weights, set after the expert took the seat, sends web-3 (1 request per
    // 300 ms) a third of 50 requests a second: its queue fills.
    expect(t.sim.apply({ type: 'seat.bot', node: 'lb', skill: 'expert' })).toBeNull();
    expect(t.sim.apply({ type: 'l4lb.algorithm', node: 'lb', algorithm: 'round-robin' })).toBeNull();
    expect(t.sim.apply({ type: 'l4lb.weight', node: 'lb', backend: 'web-3', weight: 10 })).toBeNull();
    const states: string[] = [];
    for (let s = 1; s <= 30; s++) {
      t.sim.advanceTo(s * 1_000_000);
      const b = t.view().backends[2];
      if (b && states.at(-1) !== b.admin) states.push(b.admin);
    }
    expect(states.slice(0, 3)).toEqual(['up', 'drain', 'up']);
  });

  it('survives a snapshot and restore with connections tracked (SPEC SIM-5)', () => {
    const file = lbScenario({
      server,
      backendLinkKbps: 2_000,
      lb: { algorithm: 'two-choices' },
      traffic: [lbRequests('c1', 100, long)],
    });
    const a = new Simulation(loadScenario(file, 'lb.json'), 1);
    a.advanceTo(1_530_000);
    const b = new Simulation(loadScenario(file, 'lb.json'), 1);
    b.restore(a.snapshot());
    a.advanceTo(4_000_000);
    b.advanceTo(4_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
  });
});
