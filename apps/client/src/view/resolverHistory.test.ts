import { loadScenario, type ResolverView, Simulation, viewResolver } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { dnsScenario, lookups } from '../../../../packages/sim/src/testing/dnsScenario.ts';
import { DEAD_ANSWERS_KEY, deadAnswers, HISTORY_POINTS, ResolverHistory } from './resolverHistory.ts';

type Counts = Parameters<ResolverHistory['offer']>[0];
const counts = (over: Partial<Counts> = {}): Counts => ({
  queryRatePerS: 0,
  queries: 0,
  hits: 0,
  p50LatencyMs: 0,
  p95LatencyMs: 0,
  stale: 0,
  ...over,
});

describe('the resolver trends — SPEC VIEW-8', () => {
  it('VIEW-8: samples once a second of simulated time; counters become rates over each interval', () => {
    const h = new ResolverHistory();
    expect(h.offer(counts(), 0)).toBe(false); // the first offer is the baseline
    expect(h.offer(counts({ queries: 5, hits: 5 }), 500_000)).toBe(false); // under a second
    expect(
      h.offer(counts({ queryRatePerS: 10, queries: 10, hits: 4, stale: 2, p95LatencyMs: 40 }), 1_000_000),
    ).toBe(true);
    expect(
      h.offer(counts({ queryRatePerS: 12, queries: 30, hits: 19, stale: 2, p50LatencyMs: 1 }), 3_000_000),
    ).toBe(true);
    // An interval without answers keeps the last hit ratio.
    h.offer(counts({ queryRatePerS: 12, queries: 30, hits: 19, stale: 8 }), 4_000_000);
    expect(h.series.rate).toEqual([10, 12, 12]);
    expect(h.series.hitRatio).toEqual([0.4, 0.75, 0.75]);
    expect(h.series.p95Ms).toEqual([40, 0, 0]);
    expect(h.series.p50Ms).toEqual([0, 1, 0]);
    expect(h.series.stalePerS).toEqual([2, 0, 6]);
    // The view has no dead-address figure: that trend stays empty.
    expect(h.series.deadPerS).toEqual([]);
    expect(h.version).toBe(3);
  });

  it('VIEW-8: answers to dead addresses are a trend once the view counts them', () => {
    expect(deadAnswers(counts())).toBeNull();
    const h = new ResolverHistory();
    const withDead = (dead: number, queries: number) => ({
      ...counts({ queries }),
      [DEAD_ANSWERS_KEY]: dead,
    });
    h.offer(withDead(0, 0), 0);
    h.offer(withDead(3, 10), 1_000_000);
    h.offer(withDead(7, 20), 3_000_000);
    expect(h.series.deadPerS).toEqual([3, 2]);
  });

  it('VIEW-8: keeps the newest minute, and starts over when the replica goes back in time', () => {
    const h = new ResolverHistory();
    for (let s = 0; s <= HISTORY_POINTS + 10; s++) h.offer(counts({ queryRatePerS: s }), s * 1_000_000);
    expect(h.series.rate).toHaveLength(HISTORY_POINTS);
    expect(h.series.rate.at(-1)).toBe(HISTORY_POINTS + 10);
    expect(h.series.rate[0]).toBe(11);
    // A replica rebuilt at an earlier time: the next offer is a new baseline, not a negative interval.
    expect(h.offer(counts({ queries: 0 }), 5_000_000)).toBe(false);
    expect(h.offer(counts({ queries: 4, hits: 4 }), 6_000_000)).toBe(true);
    expect(h.series.hitRatio.at(-1)).toBe(1);
  });

  it("VIEW-8: follows a real resolver's view: a warm cache raises the hit ratio", () => {
    const sc = loadScenario(
      dnsScenario({
        traffic: [lookups(['www.example'], 100), lookups(['www.example'], 150, { from: 'c2' })],
        stub: { cache: false },
      }),
      'dns-line.json',
    );
    const sim = new Simulation(sc, 2);
    const state = sim.st.roles[sc.nodeIndex.get('res') ?? -1];
    if (state?.role !== 'resolver') throw new Error('res is a resolver');
    const h = new ResolverHistory();
    const view = (): ResolverView => viewResolver(sim, state);
    for (let t = 0; t <= 5_000_000; t += 250_000) {
      sim.advanceTo(t);
      h.offer(view(), t);
    }
    expect(h.series.rate).toHaveLength(5);
    expect(h.series.rate.at(-1)).toBeGreaterThan(10);
    // The first second has the one miss; afterwards the cache answers everything.
    expect(h.series.hitRatio[0]).toBeLessThan(1);
    expect(h.series.hitRatio.at(-1)).toBe(1);
    expect(h.series.p95Ms[0]).toBeGreaterThan(40);
  });
});
