import { describe, expect, it } from 'vitest';
import { createRng, exponential } from '../../engine/rng.ts';
import {
  CACHE_ENTRIES_MAX,
  type CachePolicy,
  cacheFlush,
  cacheLookup,
  cacheStore,
  cacheTtlS,
  canServeStale,
  DEFAULT_CACHE_POLICY,
  type DnsAnswer,
  emptyCache,
} from './cache.ts';

const S = 1_000_000;
const answer = (ttlS: number): DnsAnswer => ({ rcode: 'NOERROR', addrs: [0x0a030010], ttlS });
const policy = (p: Partial<CachePolicy> = {}): CachePolicy => ({ ...DEFAULT_CACHE_POLICY, ...p });

describe('DNS cache', () => {
  it('never caches TTL 0, whatever the policy — SPEC DNS-1 (RFC 1035)', () => {
    const c = emptyCache();
    expect(cacheStore(c, policy({ minTtlS: 60 }), 'www.shop.example', answer(0), 0)).toBe(false);
    expect(cacheLookup(c, policy(), 'www.shop.example', 0).kind).toBe('miss');
    expect(cacheTtlS(answer(0), policy({ minTtlS: 300 }))).toBe(0);
  });

  it('clamps TTLs to the policy’s min and max — SPEC DNS-2', () => {
    expect(cacheTtlS(answer(5), policy({ minTtlS: 30 }))).toBe(30);
    expect(cacheTtlS(answer(7200), policy({ maxTtlS: 600 }))).toBe(600);
    expect(cacheTtlS(answer(120), policy({ minTtlS: 30, maxTtlS: 600 }))).toBe(120);
  });

  it('serves the remaining TTL from cache, and misses at expiry — SPEC DNS-3 (RFC 1035, 2308 §5)', () => {
    const c = emptyCache();
    cacheStore(c, policy(), 'a.example', answer(300), 10 * S);
    const at = (tS: number) => cacheLookup(c, policy(), 'a.example', tS * S);
    expect(at(10)).toMatchObject({ kind: 'hit', remainingTtlS: 300 });
    expect(at(110)).toMatchObject({ kind: 'hit', remainingTtlS: 200 });
    expect(at(309.5)).toMatchObject({ kind: 'hit', remainingTtlS: 0 });
    expect(at(310).kind).toBe('expired');
  });

  it('caches a negative answer for min(SOA MINIMUM, SOA TTL) — SPEC DNS-4 (RFC 2308 §5)', () => {
    const nx = (soaMinimumS: number, soaTtlS: number): DnsAnswer => ({
      rcode: 'NXDOMAIN',
      addrs: [],
      ttlS: 0,
      soaMinimumS,
      soaTtlS,
    });
    expect(cacheTtlS(nx(900, 3600), policy())).toBe(900);
    expect(cacheTtlS(nx(3600, 60), policy())).toBe(60);
    expect(cacheTtlS({ ...nx(0, 0), rcode: 'NOERROR' }, policy())).toBe(0); // NODATA with no SOA timers
    const c = emptyCache();
    cacheStore(c, policy(), 'typo.example', nx(60, 300), 0);
    expect(cacheLookup(c, policy(), 'typo.example', 59 * S)).toMatchObject({
      kind: 'hit',
      entry: { rcode: 'NXDOMAIN' },
    });
    expect(cacheLookup(c, policy(), 'typo.example', 60 * S).kind).toBe('expired');
    expect(cacheTtlS({ rcode: 'SERVFAIL', addrs: [], ttlS: 300 }, policy())).toBe(0);
  });

  it('serves stale only with serve-stale on and within its window — SPEC DNS-5 (RFC 8767)', () => {
    const c = emptyCache();
    cacheStore(c, policy(), 'a.example', answer(60), 0);
    const found = cacheLookup(c, policy(), 'a.example', 100 * S);
    if (found.kind !== 'expired') throw new Error('expected an expired entry');
    expect(canServeStale(found.entry, policy(), 100 * S)).toBe(false);
    expect(canServeStale(found.entry, policy({ serveStale: true, maxStaleS: 3600 }), 100 * S)).toBe(true);
    expect(canServeStale(found.entry, policy({ serveStale: true, maxStaleS: 30 }), 100 * S)).toBe(false);
  });

  it('asks for a prefetch on a hit in the last tenth of the TTL, only when prefetch is on', () => {
    const c = emptyCache();
    cacheStore(c, policy(), 'a.example', answer(100), 0);
    expect(cacheLookup(c, policy({ prefetch: true }), 'a.example', 89 * S)).toMatchObject({
      prefetch: false,
    });
    expect(cacheLookup(c, policy({ prefetch: true }), 'a.example', 91 * S)).toMatchObject({ prefetch: true });
    expect(cacheLookup(c, policy(), 'a.example', 91 * S)).toMatchObject({ prefetch: false });
  });

  it('holds at most CACHE_ENTRIES_MAX names, evicting the one that expires first; flush empties it — SPEC DNS-6', () => {
    const c = emptyCache();
    for (let i = 0; i < CACHE_ENTRIES_MAX; i++) cacheStore(c, policy(), `n${i}.example`, answer(1000 + i), 0);
    cacheStore(c, policy(), 'n0.example', answer(5000), 0); // replaces, no eviction
    expect(c.size).toBe(CACHE_ENTRIES_MAX);
    cacheStore(c, policy(), 'new.example', answer(10), 0);
    expect(c.size).toBe(CACHE_ENTRIES_MAX);
    expect(cacheLookup(c, policy(), 'n1.example', 0).kind).toBe('miss'); // 1001 s: the soonest
    expect(cacheLookup(c, policy(), 'n0.example', 0).kind).toBe('hit');
    cacheFlush(c);
    expect(c.size).toBe(0);
    expect(cacheLookup(c, policy(), 'n0.example', 0).kind).toBe('miss');
  });

  /**
   * Renewal model (Jung, Berger and Balakrishnan 2003): one name, Poisson requests at
   * rate λ, TTL T, answered from upstream at once on a miss: hit ratio λT/(1+λT) and
   * upstream queries at 1/(T + 1/λ). ±2 % absolute over 10⁵ requests (REFERENCES.md).
   */
  it.each([
    { ratePerS: 1, ttlS: 1 },
    { ratePerS: 1, ttlS: 5 },
    { ratePerS: 0.2, ttlS: 30 },
    { ratePerS: 10, ttlS: 1 },
  ])(
    'hit ratio λT/(1+λT) and upstream rate 1/(T+1/λ) at λ=$ratePerS/s, T=$ttlS s — SPEC DNS-7',
    ({ ratePerS, ttlS }) => {
      const rng = createRng(11, 7);
      const c = emptyCache();
      const exact = policy({ minTtlS: 0 });
      const requests = 100_000;
      let nowUs = 0;
      let hits = 0;
      for (let i = 0; i < requests; i++) {
        nowUs += Math.max(1, Math.round(exponential(rng, S / ratePerS)));
        if (cacheLookup(c, exact, 'www.example', nowUs).kind === 'hit') hits++;
        else cacheStore(c, exact, 'www.example', answer(ttlS), nowUs);
      }
      const lambdaT = ratePerS * ttlS;
      expect(Math.abs(hits / requests - lambdaT / (1 + lambdaT))).toBeLessThan(0.02);
      const upstreamPerS = (requests - hits) / (nowUs / S);
      const expected = 1 / (ttlS + 1 / ratePerS);
      expect(Math.abs(upstreamPerS - expected) / expected).toBeLessThan(0.02);
    },
  );
});
