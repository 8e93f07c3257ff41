/**
 * Regions, data centres, outages, GSLB answers and anycast resolvers (SPEC DC-1, DC-3,
 * GSLB-1..10, DNS-SCORE-2, ANY-1..3), on the example network of testing/gslbScenario.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../engine/records.ts';
import { Scoreboard } from '../../observation/scoring.ts';
import { hostViews } from '../../observation/views.ts';
import { loadScenario } from '../../scenario/scenario.ts';
import { Simulation } from '../../simulation/simulation.ts';
import { gslbLookups, gslbPageLoads, gslbScenario } from '../../testing/gslbScenario.ts';
import { nodeView } from '../registry.ts';
import type { ResolverView } from './view.ts';

type Input = Parameters<typeof gslbScenario>[0];

function start(options: Input, seed = 1) {
  const sim = new Simulation(loadScenario(gslbScenario(options), 'gslb.json'), seed);
  const records: SimRecord[] = [];
  const board = new Scoreboard(sim.sc);
  sim.onRecord((r) => {
    records.push(r);
    board.add(r);
  });
  const of = <K extends SimRecord['k']>(k: K) =>
    records.flatMap((r) => (r.k === k ? [r as Extract<SimRecord, { k: K }>] : []));
  const view = (id: string) => nodeView(sim, id) as ResolverView;
  return { sim, records, board, of, view };
}

const outage = (atS: number, down: boolean) => ({ atS, kind: 'dcOutage', dc: 'dc-west', down });
const noStubCache = { cache: false };
const S = 1_000_000;

describe('regions and data centres in scenarios — SPEC DC-1', () => {
  const load = (change: (f: Record<string, unknown>) => void) => {
    const f = gslbScenario() as Record<string, unknown>;
    change(f);
    return () => loadScenario(f, 'bad.json');
  };
  const nodes = (f: Record<string, unknown>) => f.nodes as Record<string, unknown>[];
  it('gives a data centre its hosts and their region', () => {
    const sc = loadScenario(gslbScenario(), 'ok.json');
    const web = sc.nodeIndex.get('web-e') as number;
    expect(sc.regions.dcOfNode[web]).toBe(1);
    expect(sc.regions.regionOfNode[web]).toBe(1);
    expect(sc.regions.regionOfNode[sc.nodeIndex.get('cs') as number]).toBe(2);
  });
  it('refuses unknown regions and data centres, hosts in two data centres, and GSLB addresses of nothing', () => {
    expect(
      load((f) => {
        (nodes(f)[0] as { region: string }).region = 'north';
      }),
    ).toThrow(/nodes\[0\] \(cw\)\.region: unknown region "north"/);
    expect(
      load((f) => {
        (f.dataCentres as { hosts: string[] }[])[1]?.hosts.push('web-w');
      }),
    ).toThrow(/dataCentres\[1\] \(dc-east\)\.hosts\[1\]: "web-w" is already in another data centre/);
    expect(
      load((f) => {
        (f.dataCentres as { hosts: string[] }[])[0]?.hosts.push('rw');
      }),
    ).toThrow(/"rw" is not a host/);
    expect(
      load((f) => {
        (f.gslb as { dcs: { dc: string; addrs: string[] }[] }[])[0]?.dcs.push({
          dc: 'dc-moon',
          addrs: ['nowhere'],
        });
      }),
    ).toThrow(/unknown data centre "dc-moon"[\s\S]*"nowhere" is neither a node with an address/);
    expect(
      load((f) => {
        (f.events as unknown[]).push({ atS: 1, kind: 'dcOutage', dc: 'dc-moon', down: true });
      }),
    ).toThrow(/events\[0\]\.dc: unknown data centre "dc-moon"/);
  });
  it('lets only anycast resolvers share an address (SPEC ANY-1), each with an address of its own', () => {
    expect(
      load((f) => {
        (nodes(f).find((n) => n.id === 'res-e') as Record<string, unknown>).anycast = false;
      }),
    ).toThrow(/\(res-e\)\.address: address already used by "res-w"/);
    expect(
      load((f) => {
        delete (nodes(f).find((n) => n.id === 'res-e') as Record<string, unknown>).unicastAddress;
      }),
    ).toThrow(/\(res-e\)\.unicastAddress: an anycast resolver needs an address of its own/);
    expect(
      load((f) => {
        (nodes(f).find((n) => n.id === 'res-e') as Record<string, unknown>).unicastAddress = '10.53.1.1';
      }),
    ).toThrow(/\(res-e\)\.unicastAddress: address "10.53.1.1" is already used/);
  });
});

describe('a data-centre outage — SPEC DC-3', () => {
  it("drops packets to and from the dark data centre's hosts as host-down, and lets them through again after", () => {
    const t = start({ traffic: [gslbPageLoads('cw', 1_000, { name: undefined, stopS: 30 })] });
    expect(t.sim.apply({ type: 'dc.outage', dc: 'dc-moon', down: true })).toBe(
      'unknown data centre "dc-moon"',
    );
    t.sim.advanceTo(5 * S);
    expect(t.sim.apply({ type: 'dc.outage', dc: 'dc-west', down: true })).toBeNull();
    expect(hostViews(t.sim).find((h) => h.id === 'web-w')).toMatchObject({ dc: 'dc-west', dark: true });
    t.sim.advanceTo(15 * S);
    expect(t.sim.apply({ type: 'dc.outage', dc: 'dc-west', down: false })).toBeNull();
    t.sim.advanceTo(30 * S);
    const darkDrops = t.of('drop').filter((d) => d.reason === 'host-down');
    expect(darkDrops.length).toBeGreaterThan(0);
    expect(
      darkDrops.every((d) => d.tUs >= 5 * S && d.tUs < 15 * S && t.sim.sc.nodeIds[d.node] === 'web-w'),
    ).toBe(true);
    const completed = t.of('requestCompleted');
    expect(completed.some((r) => r.tUs > 16 * S)).toBe(true);
    expect(t.of('requestFailed').every((r) => r.reason === 'timed-out' || r.reason === 'host-down')).toBe(
      true,
    );
  });
});

describe('reference checks — SPEC GSLB-10', () => {
  const failoverWest = [{ region: 'west', policy: 'failover', order: ['dc-west', 'dc-east'] }];
  function outageRun() {
    const t = start({
      answers: failoverWest,
      traffic: [gslbPageLoads('cw', 1_000, { stopS: 50 })],
      events: [outage(10, true), outage(40, false)],
    });
    t.sim.advanceTo(60 * S);
    return t;
  }

  it('a stale answer fails as dead-address until its TTL runs out; recovery comes within TTL + one lookup', () => {
    const t = outageRun();
    // The first lookup's answer (TTL 30 s) is stored at the stub 6 ms in; it expires at 30.006 s.
    const storedUs = t.of('dnsResolved')[0]?.tUs as number;
    const expiryUs = storedUs + 30 * S;
    const failed = t.of('pageLoadFailed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => f.reason === 'dead-address' && f.phase === 'connect')).toBe(true);
    // Units start every second: those started in [10 s, expiry] fail, every later one loads (from dc-east).
    const startedUs = (unit: number) => unit * S;
    expect(failed.map((f) => f.unit)).toEqual(
      Array.from({ length: 21 }, (_, i) => 10 + i).filter((u) => startedUs(u) <= expiryUs),
    );
    const loads = t.of('pageLoad').filter((p) => p.unit > 10);
    const firstBack = loads[0];
    expect(firstBack?.unit).toBe(31);
    expect(startedUs(firstBack?.unit ?? 0)).toBeLessThanOrEqual(expiryUs + 1 * S);
    expect(firstBack?.source).toBe('resolver');
    expect(t.of('gslbAnswer').find((a) => a.unit === 31)).toMatchObject({ region: 'west', dc: 'dc-east' });
  });

  it('health checks mark the dark data centre down within N × interval + timeout, and up again at the first reply', () => {
    const t = outageRun();
    const marks = t.of('dcHealth').filter((h) => h.node === t.sim.sc.nodeIndex.get('res-w'));
    const down = marks.find((h) => !h.up);
    const up = marks.find((h) => h.up);
    expect(down?.dc).toBe('dc-west');
    expect((down?.tUs as number) - 10 * S).toBeLessThanOrEqual(3 * 1_000_000 + 500_000);
    expect((down?.tUs as number) - 10 * S).toBeGreaterThanOrEqual(2 * 1_000_000);
    // Up at the first probe after 40 s: sent at 40 s, its reset back 4 ms later (2 × (1 + 1 ms) and serialization).
    expect((up?.tUs as number) - 40 * S).toBeLessThan(1_000_000 + 10_000);
    expect(t.view('res-w').dcHealth).toEqual([
      { dc: 'dc-west', label: 'DC West', up: true, misses: 0, dark: false },
      { dc: 'dc-east', label: 'DC East', up: true, misses: 0, dark: false },
    ]);
  });

  it('the weighted split is within a statistical band over a fixed seed', () => {
    const t = start({
      stub: noStubCache,
      answers: [{ region: 'west', policy: 'weighted', weights: { 'dc-west': 3, 'dc-east': 1 } }],
      traffic: [gslbLookups('cw', 10, { stopS: 20 })],
    });
    t.sim.advanceTo(21 * S);
    const answers = t.of('gslbAnswer');
    expect(answers.length).toBe(2_000);
    const west = answers.filter((a) => a.dc === 'dc-west').length / answers.length;
    // p = 0.75 over n = 2,000: σ = 0.0097; ±3σ.
    expect(Math.abs(west - 0.75)).toBeLessThan(0.03);
    // Another seed draws another sequence.
    const u = start(
      {
        stub: noStubCache,
        answers: [{ region: 'west', policy: 'weighted', weights: { 'dc-west': 3, 'dc-east': 1 } }],
        traffic: [gslbLookups('cw', 10, { stopS: 1 })],
      },
      2,
    );
    u.sim.advanceTo(2 * S);
    expect(u.of('gslbAnswer').map((a) => a.dc)).not.toEqual(answers.slice(0, 100).map((a) => a.dc));
  });

  it('latency picks the data centre nearest the client by routed propagation; geo its region, else the declared nearest', () => {
    const run = (policy: string) => {
      const t = start({
        stub: noStubCache,
        answers: ['west', 'east', 'south'].map((region) => ({ region, policy })),
        traffic: ['cw', 'ce', 'cs'].map((c) => gslbLookups(c, 1_000, { stopS: 1 })),
      });
      t.sim.advanceTo(1 * S);
      return Object.fromEntries(t.of('gslbAnswer').map((a) => [a.region, a.dc]));
    };
    // South: 13 ms to dc-west (via rw), 28 ms to dc-east.
    expect(run('latency')).toEqual({ west: 'dc-west', east: 'dc-east', south: 'dc-west' });
    expect(run('geo')).toEqual({ west: 'dc-west', east: 'dc-east', south: 'dc-west' });
  });

  it('latency follows the routes: a route change that sends south the long way round changes its answer', () => {
    const t = start({
      stub: noStubCache,
      answers: [{ region: 'south', policy: 'latency' }],
      traffic: [gslbLookups('cs', 1_000, { stopS: 3 })],
      events: [
        {
          atS: 1.5,
          kind: 'command',
          command: { type: 'route.set', node: 'rs', prefix: '10.10.0.0/16', via: 're' },
        },
      ],
    });
    t.sim.advanceTo(3 * S);
    // Via re, dc-west is 2 + 25 + 30 + 1 = 58 ms away: dc-east (28 ms) is nearer.
    expect(t.of('gslbAnswer').map((a) => a.dc)).toEqual(['dc-west', 'dc-west', 'dc-east']);
  });
});

describe('GSLB answers at the resolver — SPEC GSLB-1, GSLB-5', () => {
  it('answers a GSLB name itself with the service TTL, at once, as a hit; other names go upstream', () => {
    const t = start({
      stub: noStubCache,
      traffic: [gslbLookups('cw', 1_000, { stopS: 2, names: ['www.example', 'static.example'] })],
    });
    t.sim.advanceTo(3 * S);
    const [gslb, upstream] = t.of('dnsResolved');
    // 2 + 1 ms each way plus serialization: one round trip to res-w, none upstream.
    expect(gslb).toMatchObject({
      name: 'www.example',
      fromCache: 'resolver',
      resolver: t.sim.sc.nodeIndex.get('res-w'),
    });
    expect(gslb?.latencyUs).toBeLessThan(6_100);
    expect(upstream).toMatchObject({ name: 'static.example', fromCache: 'authority' });
    expect(t.view('res-w')).toMatchObject({ queries: 2, hits: 1, misses: 1, gslbAnswers: 1 });
  });

  it('caps the service TTL by the resolver’s maximum TTL; the minimum TTL does not lengthen it', () => {
    // Lookups every second through a caching stub for 10 s: the stub asks again each time its answer expires.
    const asked = (minTtlS: number, maxTtlS: number) => {
      const t = start({ ttlS: 30, traffic: [gslbLookups('cw', 1_000, { stopS: 10 })] });
      t.sim.apply({
        type: 'resolver.policy',
        node: 'res-w',
        minTtlS,
        maxTtlS,
        serveStale: false,
        prefetch: false,
      });
      t.sim.advanceTo(11 * S);
      return t.of('dnsResolved').filter((r) => r.fromCache === 'resolver').length;
    };
    expect(asked(0, 86_400)).toBe(1);
    expect(asked(0, 2)).toBe(4);
    expect(asked(60, 86_400)).toBe(1);
  });

  it('fixed answers with the data centre chosen by hand; failover skips what its health checks mark down', () => {
    const t = start({
      stub: noStubCache,
      answers: [
        { region: 'east', policy: 'fixed', dc: 'dc-west' },
        { region: 'west', policy: 'failover', order: ['dc-west', 'dc-east'] },
      ],
      traffic: [gslbLookups('ce', 1_000), gslbLookups('cw', 1_000)],
      events: [outage(2, true)],
    });
    t.sim.advanceTo(8 * S);
    const by = (region: string) =>
      t
        .of('gslbAnswer')
        .filter((a) => a.region === region)
        .map((a) => a.dc);
    expect(by('east')).toEqual(Array(8).fill('dc-west'));
    // Marked down at 4.5 s: the answers at 5, 6 and 7 s go to dc-east.
    expect(by('west')).toEqual([
      'dc-west',
      'dc-west',
      'dc-west',
      'dc-west',
      'dc-west',
      'dc-east',
      'dc-east',
      'dc-east',
    ]);
  });
});

describe('resolver.answer, the bot and the view — SPEC GSLB-7, GSLB-8, GSLB-9', () => {
  it('sets a region’s policy, and refuses a bad one with a sentence', () => {
    const t = start({});
    const cmd = (more: Record<string, unknown>) =>
      t.sim.apply({
        type: 'resolver.answer',
        node: 'res-w',
        region: 'west',
        policy: 'latency',
        ...more,
      } as never);
    expect(cmd({ region: 'north' })).toBe('unknown region "north"');
    expect(cmd({ policy: 'random' })).toMatch(/policy is one of latency, geo, weighted, failover, fixed/);
    expect(cmd({ policy: 'fixed' })).toBe('a fixed answer names its data centre (dc)');
    expect(cmd({ policy: 'fixed', dc: 'dc-moon' })).toBe('unknown data centre "dc-moon"');
    expect(cmd({ policy: 'weighted', weights: { 'dc-west': 0 } })).toBe(
      'a weighted answer needs a weight above 0',
    );
    expect(cmd({ policy: 'weighted', weights: { 'dc-west': -1, 'dc-east': 2 } })).toBe(
      'weights are numbers from 0 to 1000',
    );
    expect(cmd({ policy: 'failover', order: [] })).toBe('a failover answer lists data centres in order');
    expect(cmd({ policy: 'failover', order: ['dc-east', 'dc-east'] })).toBe(
      'a data centre appears twice in the order',
    );
    expect(t.sim.apply({ type: 'resolver.answer', node: 'rw', region: 'west', policy: 'geo' })).toBe(
      'unknown resolver "rw"',
    );
    expect(cmd({ policy: 'fixed', dc: 'dc-east' })).toBeNull();
    expect(t.view('res-w').answers).toEqual([
      { region: 'west', policy: 'fixed', dc: 'dc-east' },
      { region: 'east', policy: 'latency' },
      { region: 'south', policy: 'latency' },
    ]);
    // The other instance keeps its own.
    expect(t.view('res-e').answers[0]).toEqual({ region: 'west', policy: 'latency' });
  });

  it('its bot answers every region by failover, nearest data centre first', () => {
    const t = start({});
    expect(t.sim.apply({ type: 'seat.bot', node: 'res-w' })).toBeNull();
    expect(t.view('res-w').answers).toEqual([
      { region: 'west', policy: 'failover', order: ['dc-west', 'dc-east'] },
      { region: 'east', policy: 'failover', order: ['dc-east', 'dc-west'] },
      { region: 'south', policy: 'failover', order: ['dc-west', 'dc-east'] },
    ]);
  });
});

describe('answers to dead addresses — SPEC DNS-SCORE-2', () => {
  it('an answer naming a host of a dark data centre is counted, shown and costs 3 points', () => {
    const t = start({
      ttlS: 1,
      stub: noStubCache,
      answers: [{ region: 'south', policy: 'fixed', dc: 'dc-west' }],
      traffic: [gslbLookups('cs', 1_000, { stopS: 6 })],
      events: [outage(2.5, true)],
    });
    t.sim.advanceTo(7 * S);
    const dead = t.of('deadAnswer');
    // Lookups at 3, 4 and 5 s are answered with web-w while dc-west is dark.
    expect(dead.map((d) => d.tUs > 3 * S && d.tUs < 6 * S)).toEqual([true, true, true]);
    expect(t.of('gslbAnswer').filter((a) => a.dark).length).toBe(3);
    expect(t.view('res-w').deadAnswers).toBe(3);
    expect(t.board.nodeScore('res-w')).toBe(6 * 2 - 3 * 3);
  });

  it('counts a cached answer of an ordinary zone name the same way', () => {
    const t = start({
      stub: noStubCache,
      traffic: [gslbLookups('cw', 1_000, { stopS: 4, names: ['static.example'] })],
      events: [outage(1.5, true), outage(2.5, false)],
    });
    t.sim.advanceTo(5 * S);
    // static.example → web-w (dc-west): only the answer at 2 s, while dark, is dead.
    expect(t.of('deadAnswer').map((d) => [d.name, Math.floor(d.tUs / S)])).toEqual([['static.example', 2]]);
    expect(t.of('gslbAnswer')).toEqual([]);
  });
});

describe('anycast resolvers — SPEC ANY-1, ANY-2, ANY-3', () => {
  it('two regions reach different instances of one address; failing one instance’s link, then re-routing, moves its queries to the other', () => {
    const t = start({
      stub: { ...noStubCache, timeoutMs: 500, retries: 0 },
      traffic: [gslbLookups('cw', 1_000, { stopS: 9 }), gslbLookups('ce', 1_000, { stopS: 9 })],
      events: [
        { atS: 2.5, kind: 'linkDown', link: 'l-res-w' },
        {
          atS: 5.5,
          kind: 'command',
          command: { type: 'route.set', node: 'rw', prefix: '10.53.0.53/32', via: 're' },
        },
      ],
    });
    t.sim.advanceTo(10 * S);
    const resW = t.sim.sc.nodeIndex.get('res-w');
    const resE = t.sim.sc.nodeIndex.get('res-e');
    const answeredBy = (flow: number) =>
      t.records.flatMap((r) =>
        (r.k === 'dnsResolved' || r.k === 'dnsFailed') && r.flow === flow
          ? [r.k === 'dnsResolved' ? r.resolver : `failed:${r.resolver}`]
          : [],
      );
    // cw: res-w until its link fails; lost (the route leads to a dead link) until re-routed; then res-e, 30 ms away.
    expect(answeredBy(0)).toEqual([
      resW,
      resW,
      resW,
      'failed:-1',
      'failed:-1',
      'failed:-1',
      resE,
      resE,
      resE,
    ]);
    // ce: res-e throughout, and the answers come from the shared address.
    expect(answeredBy(1)).toEqual(Array(9).fill(resE));
    // Each instance is scored for the lookups it answered (2 each: from its own GSLB answers).
    expect(t.board.nodeScore('res-w')).toBe(3 * 2);
    expect(t.board.nodeScore('res-e')).toBe(12 * 2);
  });
});
