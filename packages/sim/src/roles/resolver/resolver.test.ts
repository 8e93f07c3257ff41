/** The recursive resolver role: its cache over the network, serve-stale, prefetch, commands, bot, view and score (SPEC DNS-1..5, DNS-11..16). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../engine/records.ts';
import { Scoreboard } from '../../observation/scoring.ts';
import { loadScenario } from '../../scenario/scenario.ts';
import { Simulation } from '../../simulation/simulation.ts';
import { dnsScenario, lookups, pageLoads } from '../../testing/dnsScenario.ts';
import { nodeView } from '../registry.ts';
import type { ResolverState } from './state.ts';
import type { ResolverView } from './view.ts';

const RES = 3;
const AUTH = 4;

function start(file: unknown) {
  const sim = new Simulation(loadScenario(file, 'dns-line.json'), 1);
  const records: SimRecord[] = [];
  const board = new Scoreboard(sim.sc);
  sim.onRecord((r) => {
    records.push(r);
    board.add(r);
  });
  const resolved = () => records.flatMap((r) => (r.k === 'dnsResolved' ? [r] : []));
  const failed = () => records.flatMap((r) => (r.k === 'dnsFailed' ? [r] : []));
  const resolver = () => sim.st.roles[RES] as ResolverState;
  const view = () => nodeView(sim, 'res') as ResolverView;
  const authoritySends = () => records.filter((r) => r.k === 'hostSend' && r.node === AUTH).length;
  return { sim, records, board, resolved, failed, resolver, view, authoritySends };
}

const noStubCache = { cache: false };

describe('the resolver on the network — SPEC DNS-11', () => {
  it('asks upstream once for a name however many stubs wait, and answers them all', () => {
    const t = start(
      dnsScenario({
        stub: noStubCache,
        traffic: [
          lookups(['www.example'], 10_000, { stopS: 1 }),
          lookups(['www.example'], 10_000, { from: 'c2', stopS: 1 }),
        ],
      }),
    );
    t.sim.advanceTo(1_000_000);
    expect(t.resolved().map((r) => [r.flow, r.fromCache])).toEqual([
      [0, 'authority'],
      [1, 'authority'],
    ]);
    expect(t.authoritySends()).toBe(1);
    expect(t.view()).toMatchObject({ queries: 2, hits: 0, misses: 2, inflight: 0, cacheSize: 1 });
  });

  it('serves a cached answer with its remaining TTL (SPEC DNS-3)', () => {
    const t = start(
      dnsScenario({
        traffic: [
          lookups(['www.example'], 100_000, { stopS: 1 }),
          lookups(['www.example'], 100_000, { from: 'c2', startS: 100, stopS: 101 }),
        ],
      }),
    );
    t.sim.advanceTo(101_000_000);
    // Stored at the resolver at 51.3 ms with TTL 300 s; c2 asks at 100 s + 7.1 ms: 200 s remain (rounded down).
    expect(t.sim.st.stubs[1]?.cache.entries['www.example']?.ttlS).toBe(200);
    expect(t.resolved()[1]).toMatchObject({ flow: 1, fromCache: 'resolver' });
  });

  it('answers SERVFAIL after its retries when upstream stays silent', () => {
    const t = start(
      dnsScenario({
        stub: { ...noStubCache, timeoutMs: 10_000, retries: 0 },
        resolver: { timeoutMs: 500, retries: 1 },
        events: [{ atS: 0, kind: 'linkDown', link: 'l-auth' }],
        traffic: [lookups(['www.example'], 10_000, { stopS: 1 })],
      }),
    );
    t.sim.advanceTo(2_000_000);
    // The query reaches the resolver at 7,092 µs (5 + 2 ms and 46 µs of serialization per link); it asks
    // upstream then and at each of two timeouts 500 ms apart, then answers SERVFAIL (57 bytes: 7,092 µs back).
    expect(t.failed()).toEqual([
      expect.objectContaining({ reason: 'servfail', tUs: 7_092 + 1_000_000 + 7_092 }),
    ]);
    expect(t.view().failures).toBe(1);
  });
});

describe('TTLs end to end — SPEC DNS-1, DNS-4', () => {
  it('never caches a TTL 0 answer, at the stub or the resolver, whatever the policy', () => {
    const t = start(
      dnsScenario({
        resolver: { policy: { minTtlS: 60 } },
        traffic: [lookups(['zero.example'], 1_000, { stopS: 5 })],
      }),
    );
    t.sim.advanceTo(6_000_000);
    expect(t.resolved().map((r) => r.fromCache)).toEqual(Array(5).fill('authority'));
    expect(t.authoritySends()).toBe(5);
    expect(t.resolver().cache.size).toBe(0);
    expect(t.sim.st.stubs[0]?.cache.size).toBe(0);
  });

  it.each([
    [{ minimumS: 5, ttlS: 60 }, 5],
    [{ minimumS: 60, ttlS: 3 }, 3],
  ])('caches NXDOMAIN for min(SOA MINIMUM, SOA TTL): %o → %i s', (soa, cachedS) => {
    const t = start(
      dnsScenario({ soa, stub: noStubCache, traffic: [lookups(['nope.example'], 1_000, { stopS: 8 })] }),
    );
    t.sim.advanceTo(9_000_000);
    expect(t.resolver().cache.entries['nope.example']?.ttlS).toBe(cachedS);
    // Asked upstream at 0 s; hits until the entry (stored at ~51 ms) expires; asked again at cachedS + 1.
    const expected = Array.from({ length: 8 }, (_, s) =>
      s === 0 || s === cachedS + 1 ? 'authority' : 'resolver',
    );
    expect(t.resolved().map((r) => r.fromCache)).toEqual(expected);
    expect(t.resolved().every((r) => r.rcode === 'NXDOMAIN')).toBe(true);
  });

  it('clamps TTLs to the policy (SPEC DNS-2)', () => {
    const t = start(
      dnsScenario({
        ttlS: 300,
        resolver: { policy: { maxTtlS: 10 } },
        traffic: [lookups(['www.example'], 1_000, { stopS: 1 })],
      }),
    );
    t.sim.advanceTo(1_000_000);
    expect(t.resolver().cache.entries['www.example']?.ttlS).toBe(10);
    expect(t.sim.st.stubs[0]?.cache.entries['www.example']?.ttlS).toBe(10);
  });
});

describe('serve-stale — SPEC DNS-12', () => {
  function staleRun(serveStale: boolean) {
    const t = start(
      dnsScenario({
        ttlS: 2,
        stub: { ...noStubCache, timeoutMs: 3_000, retries: 0 },
        resolver: { timeoutMs: 500, retries: 1, policy: { serveStale } },
        events: [{ atS: 5.5, kind: 'linkDown', link: 'l-auth' }],
        traffic: [lookups(['www.example'], 1_000, { stopS: 12 })],
      }),
    );
    t.sim.advanceTo(16_000_000);
    return t;
  }

  it('answers with an expired entry (TTL 30 s) only while the authority cannot be reached', () => {
    const t = staleRun(true);
    const before = t.resolved().filter((r) => r.tUs < 5_500_000);
    const after = t.resolved().filter((r) => r.tUs >= 5_500_000);
    expect(before.length).toBe(6);
    expect(before.some((r) => r.stale)).toBe(false);
    expect(t.failed()).toEqual([]);
    expect(after.length).toBe(6);
    expect(after.filter((r) => r.stale).length).toBeGreaterThan(0);
    expect(t.view().stale).toBe(after.filter((r) => r.stale).length);
    // The first stale answer waited for one upstream timeout: the query's 7,092 µs there, 500 ms, and the answer's 7,118 µs back.
    expect(after.find((r) => r.stale)?.latencyUs).toBe(7_092 + 500_000 + 7_118);
  });

  it('without it, lookups fail while the authority is down', () => {
    const t = staleRun(false);
    expect(t.resolved().filter((r) => r.stale)).toEqual([]);
    expect(t.failed().length).toBeGreaterThan(0);
  });
});

describe('prefetch — SPEC DNS-13', () => {
  it('a hit in the last tenth of the TTL refreshes the entry, so the next lookup after expiry still hits', () => {
    const run = (prefetch: boolean) => {
      const t = start(
        dnsScenario({
          ttlS: 10,
          stub: noStubCache,
          resolver: { policy: { prefetch } },
          traffic: [lookups(['www.example'], 1_000, { stopS: 12 })],
        }),
      );
      t.sim.advanceTo(13_000_000);
      return t.resolved().map((r) => r.fromCache);
    };
    // Stored at 51 ms: the lookup at 10 s is in the last tenth of its TTL; the one at 11 s is past expiry.
    expect(run(false)[11]).toBe('authority');
    expect(run(true)[11]).toBe('resolver');
  });
});

describe("the resolver's hit ratio under Poisson lookups — SPEC DNS-15", () => {
  it('is λT/(1+λT) within 2 % absolute over 10⁵ lookups, and upstream is asked at 1/(T + 1/λ)', () => {
    const lambdaPerS = 2;
    const ttlS = 1;
    const t = start(
      dnsScenario({
        ttlS,
        clientMs: 0.001,
        resolverMs: 0.001,
        authorityMs: 0.001,
        stub: noStubCache,
        traffic: [lookups(['www.example'], 1000 / lambdaPerS, { arrival: 'poisson' })],
      }),
    );
    const lookupsWanted = 100_000;
    const spanUs = (lookupsWanted / lambdaPerS) * 1_000_000;
    t.sim.advanceTo(spanUs);
    const v = t.view();
    expect(v.queries).toBeGreaterThan(0.98 * lookupsWanted);
    const expectedHit = (lambdaPerS * ttlS) / (1 + lambdaPerS * ttlS);
    expect(Math.abs(v.hitRatio - expectedHit)).toBeLessThan(0.02);
    const upstreamPerS = t.authoritySends() / (spanUs / 1_000_000);
    const expectedUpstream = 1 / (ttlS + 1 / lambdaPerS);
    expect(Math.abs(upstreamPerS - expectedUpstream) / expectedUpstream).toBeLessThan(0.02);
  });
});

describe("the resolver's commands, bot, view and score — SPEC DNS-16, DNS-SCORE-1, ROLE-1", () => {
  it('is a seat; sets and checks its policy; flushes; its bot restores the policy of the scenario', () => {
    const t = start(dnsScenario({ traffic: [lookups(['www.example'], 1_000, { stopS: 1 })] }));
    expect(t.sim.sc.seats).toEqual([{ node: 'res', role: 'resolver' }]);
    const set = {
      type: 'resolver.policy',
      node: 'res',
      minTtlS: 30,
      maxTtlS: 3_600,
      serveStale: true,
      prefetch: true,
    } as const;
    expect(t.sim.apply({ ...set, minTtlS: 7_200 })).toMatch(/0 ≤ min ≤ max/);
    expect(t.sim.apply({ ...set, node: 'r' })).toMatch(/unknown resolver "r"/);
    expect(t.sim.apply(set)).toBeNull();
    expect(t.view().policy).toEqual({ minTtlS: 30, maxTtlS: 3_600, serveStale: true, prefetch: true });
    t.sim.advanceTo(1_000_000);
    expect(t.view().cacheSize).toBe(1);
    expect(t.sim.apply({ type: 'resolver.flush', node: 'res' })).toBeNull();
    expect(t.view().cacheSize).toBe(0);
    expect(t.sim.apply({ type: 'seat.bot', node: 'res' })).toBeNull();
    expect(t.view().policy).toEqual({ minTtlS: 0, maxTtlS: 86_400, serveStale: false, prefetch: false });
  });

  it('shows query rate, hit ratio and resolution latency p50/p95', () => {
    const t = start(
      dnsScenario({ stub: noStubCache, traffic: [lookups(['www.example'], 100, { stopS: 10 })] }),
    );
    t.sim.advanceTo(10_000_000);
    const v = t.view();
    expect(v).toMatchObject({ queries: 100, hits: 99, misses: 1, p50LatencyMs: 0 });
    expect(v.hitRatio).toBeCloseTo(0.99);
    expect(v.queryRatePerS).toBeCloseTo(10, 0);
    expect(v.p95LatencyMs).toBe(0);
  });

  it('earns 2 per lookup answered from its cache, 1 per lookup it had to ask upstream, −5 per failed lookup', () => {
    const t = start(
      dnsScenario({ stub: noStubCache, traffic: [lookups(['www.example'], 1_000, { stopS: 3 })] }),
    );
    t.sim.advanceTo(4_000_000);
    expect(t.board.nodeScore('res')).toBe(1 + 2 + 2);
    const down = start(
      dnsScenario({
        stub: { timeoutMs: 100, retries: 0 },
        events: [{ atS: 0, kind: 'linkDown', link: 'l-res' }],
        traffic: [lookups(['www.example'], 1_000, { stopS: 2 })],
      }),
    );
    down.sim.advanceTo(3_000_000);
    expect(down.board.nodeScore('res')).toBe(-10);
  });

  it("counts a page load's lookups as any other (SPEC PAGE-1)", () => {
    const t = start(
      dnsScenario({ stub: noStubCache, traffic: [pageLoads('www.example', 1_000, { stopS: 3 })] }),
    );
    t.sim.advanceTo(4_000_000);
    expect(t.resolved().length).toBe(3);
    expect(t.board.nodeScore('res')).toBe(1 + 2 + 2);
  });

  it('refuses an upstream that is not an authority (SPEC SCN-2)', () => {
    const file = dnsScenario({ resolver: { upstream: 'web' } });
    expect(() => loadScenario(file, 'bad.json')).toThrow(
      /nodes\[3\] \(res\)\.upstream: "web" is not a host with dns\.zone/,
    );
  });

  it('survives a snapshot and restore mid-lookup (SPEC SIM-5)', () => {
    const file = dnsScenario({
      traffic: [lookups(['www.example', 'nope.example'], 30, { arrival: 'poisson' })],
    });
    const a = new Simulation(loadScenario(file, 'dns.json'), 3);
    a.advanceTo(1_017_000);
    const b = new Simulation(loadScenario(file, 'dns.json'), 3);
    b.restore(a.snapshot());
    a.advanceTo(3_000_000);
    b.advanceTo(3_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
  });
});
