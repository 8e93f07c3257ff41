/** Reference checks of the balancing algorithms (SPEC LB-ALG-1, LB-ALG-2, LB-MAGLEV-1). */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import { bestOfD, leastLoaded, smoothRoundRobin, weightedHash } from './choices.ts';
import { isPrime, MAGLEV_TABLE_SIZE, maglevTable, slotCounts } from './maglev.ts';
import { maxLoadOfD, runSupermarket, supermarketFixedPointT } from './supermarket.ts';

describe('the supermarket model — SPEC LB-ALG-2', () => {
  it('has the fixed point Σ λ^((dⁱ − d)/(d − 1)) of Mitzenmacher 2001, and M/M/1 for d = 1', () => {
    expect(supermarketFixedPointT(0.9, 1)).toBeCloseTo(10, 9);
    // Summed by hand: exponents 0, 2, 6, 14, 30, 62 (d = 2) and 0, 3, 12, 39 (d = 3).
    expect(supermarketFixedPointT(0.9, 2)).toBeCloseTo(
      1 + 0.9 ** 2 + 0.9 ** 6 + 0.9 ** 14 + 0.9 ** 30 + 0.9 ** 62,
      3,
    );
    expect(supermarketFixedPointT(0.9, 3)).toBeCloseTo(1 + 0.9 ** 3 + 0.9 ** 12 + 0.9 ** 39, 4);
  });
  it.each([1, 2, 3])('n = 100, λ = 0.9, d = %i: mean time within ten per cent of the fixed point', (d) => {
    const expected = supermarketFixedPointT(0.9, d);
    const run = runSupermarket(100, 0.9, d, 4_000_000, 400_000, 7 + d);
    expect(run.arrivals).toBeGreaterThan(1_800_000);
    expect(Math.abs(run.meanT - expected) / expected).toBeLessThan(0.1);
  });
  it('two random choices beat one on the fullest bin, for every seed', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const one = maxLoadOfD(10_000, 10_000, 1, seed);
      const two = maxLoadOfD(10_000, 10_000, 2, seed);
      expect(two).toBeLessThan(one);
      // Azar et al.: ln ln n / ln 2 + O(1) ≈ 3.2 for d = 2, against ln n / ln ln n ≈ 4.1 + o(·) for d = 1.
      expect(two).toBeLessThanOrEqual(4);
      expect(one).toBeGreaterThanOrEqual(6);
    }
  });
});

describe('Maglev consistent hashing — SPEC LB-MAGLEV-1', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `web-${i + 1}`);
  it('refuses a table size that is not prime', () => {
    expect(isPrime(65_537)).toBe(true);
    expect(() => maglevTable(names(3), [1, 1, 1], 65_536)).toThrow(/not prime/);
  });
  it.each([
    [3, 251],
    [7, 65_537],
    [10, 65_537],
    [64, 65_537],
  ])('gives each of %i equal backends ⌊M/N⌋ or ⌈M/N⌉ of M = %i slots', (n, m) => {
    const counts = slotCounts(maglevTable(names(n), Array(n).fill(1), m), n);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(m);
    for (const c of counts) expect([Math.floor(m / n), Math.ceil(m / n)]).toContain(c);
  });
  it.each([3, 7, 10, 64])(
    'removing one of %i backends moves at least 1/N of the slots, and not many more',
    (n) => {
      const m = MAGLEV_TABLE_SIZE;
      const before = maglevTable(names(n), Array(n).fill(1), m);
      const weights = Array(n).fill(1);
      weights[1] = 0;
      const after = maglevTable(names(n), weights, m);
      let moved = 0;
      let movedOthers = 0;
      for (let s = 0; s < m; s++) {
        if (before[s] !== after[s]) moved++;
        if (before[s] !== after[s] && before[s] !== 1) movedOthers++;
      }
      expect(after.includes(1)).toBe(false);
      expect(moved / m).toBeGreaterThanOrEqual(1 / n);
      // Consistent: slots of the remaining backends mostly stay (the paper's small extra disruption).
      expect(movedOthers / m).toBeLessThan(0.5 / n + 0.02);
    },
  );
  it('gives a backend of weight 2 twice the slots of one of weight 1', () => {
    const counts = slotCounts(maglevTable(names(3), [2, 1, 1], 65_537), 3);
    expect(Math.abs((counts[0] as number) / (counts[1] as number) - 2)).toBeLessThan(0.01);
  });
});

describe('choosing a backend — SPEC LB-ALG-1', () => {
  it('smooth round robin spreads weights 5, 1, 1 as a a b a c a a', () => {
    const current = [0, 0, 0];
    const picks = Array.from({ length: 7 }, () => smoothRoundRobin([true, true, true], [5, 1, 1], current));
    expect(picks).toEqual([0, 0, 1, 0, 2, 0, 0]);
    expect(smoothRoundRobin([false, false, false], [1, 1, 1], current)).toBe(-1);
  });
  it('least connections divides by weight and skips ineligible backends', () => {
    expect(leastLoaded([true, true, true], [1, 1, 1], [3, 1, 2])).toBe(1);
    expect(leastLoaded([true, true, true], [4, 1, 1], [3, 1, 2])).toBe(0);
    expect(leastLoaded([true, false, true], [1, 1, 1], [3, 0, 2])).toBe(2);
  });
  it('a hash maps a key to the same backend while the set stays, in proportion to weight', () => {
    const hits = [0, 0, 0];
    for (let k = 0; k < 30_000; k++) {
      const b = weightedHash([true, true, true], [1, 2, 3], k * 2_654_435_761);
      hits[b] = (hits[b] as number) + 1;
    }
    expect(hits.map((h) => Math.round(h / 5_000))).toEqual([1, 2, 3]);
    expect(weightedHash([true, true, true], [1, 1, 1], 12345)).toBe(
      weightedHash([true, true, true], [1, 1, 1], 12345),
    );
  });
  it('the best of d draws the same backends from the same stream', () => {
    const a = createRng(3, 0);
    const b = createRng(3, 0);
    const loads = [5, 1, 4, 2];
    expect(Array.from({ length: 20 }, () => bestOfD(4, 2, loads, a))).toEqual(
      Array.from({ length: 20 }, () => bestOfD(4, 2, loads, b)),
    );
  });
});
