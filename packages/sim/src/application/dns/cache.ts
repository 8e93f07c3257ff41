/**
 * A DNS cache as resolvers keep one (SPEC DNS-1..6): answers live for their TTL
 * (RFC 1035), clamped by the resolver's min/max TTL policy; TTL 0 is never cached;
 * negative answers live for min(SOA MINIMUM, SOA TTL) (RFC 2308 §5); a cached answer
 * is served with its *remaining* TTL; past expiry an answer may still be served
 * (serve-stale, RFC 8767) but only when the authority cannot be reached. Plain data,
 * so it snapshots with the rest of the state.
 */

/** Response codes the simulation models (RFC 1035 §4.1.1). */
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';

/** An answer as an authority gives it: addresses with their TTL, or a negative answer with its SOA's timers. */
export interface DnsAnswer {
  rcode: Rcode;
  /** IPv4 addresses (int32 as in packets); empty for a negative answer (NXDOMAIN, or NODATA). */
  addrs: number[];
  /** The RRset's TTL, seconds (RFC 2181: 0 … 2³¹−1). */
  ttlS: number;
  /** Negative answers: the SOA record's MINIMUM field and its own TTL, seconds (RFC 2308). */
  soaMinimumS?: number;
  soaTtlS?: number;
}

/** The resolver's cache policy (the player's knobs in the resolver panel). */
export interface CachePolicy {
  /** TTLs below this are raised to it (TTL 0 stays uncached), seconds. */
  minTtlS: number;
  /** TTLs above this are lowered to it, seconds. */
  maxTtlS: number;
  /** RFC 8767: serve an expired answer when the authority cannot be reached. */
  serveStale: boolean;
  /** How long past expiry an answer may still be served stale, seconds (RFC 8767 suggests 1–3 days). */
  maxStaleS: number;
  /** Refresh a popular answer before it expires (a hit in the last tenth of its TTL asks upstream too). */
  prefetch: boolean;
}

export const DEFAULT_CACHE_POLICY: CachePolicy = {
  minTtlS: 0,
  maxTtlS: 86_400,
  serveStale: false,
  maxStaleS: 86_400,
  prefetch: false,
};

/** The TTL a stale answer is served with (RFC 8767 §4: 30 seconds). */
export const STALE_TTL_S = 30;
/** Most names one cache holds (SPEC DNS-6): beyond it the entry that expires first goes. */
export const CACHE_ENTRIES_MAX = 4_096;

/** One cached answer. */
export interface CacheEntry {
  rcode: Rcode;
  addrs: number[];
  /** The TTL it was stored with (after the policy's clamps), seconds. */
  ttlS: number;
  storedUs: number;
  expiresUs: number;
}

/** A cache: entries by name (one record type, A, is modelled). */
export interface DnsCache {
  entries: Record<string, CacheEntry>;
  size: number;
}

export function emptyCache(): DnsCache {
  return { entries: {}, size: 0 };
}

/** What a lookup found. `remainingTtlS` is what the answer carries to the asker (SPEC DNS-3). */
export type Lookup =
  | { kind: 'hit'; entry: CacheEntry; remainingTtlS: number; prefetch: boolean }
  | { kind: 'expired'; entry: CacheEntry }
  | { kind: 'miss' };

/** The TTL an answer is cached for under `policy`, seconds; 0 means not cached (SPEC DNS-1, DNS-2, DNS-4). */
export function cacheTtlS(answer: DnsAnswer, policy: CachePolicy): number {
  if (answer.rcode === 'SERVFAIL') return 0;
  const negative = answer.rcode === 'NXDOMAIN' || answer.addrs.length === 0;
  const ttlS = negative ? Math.min(answer.soaMinimumS ?? 0, answer.soaTtlS ?? 0) : answer.ttlS;
  // RFC 1035 §3.2.1: a zero TTL is for the transaction in progress only, whatever the policy.
  if (!(ttlS > 0)) return 0;
  return Math.min(Math.max(ttlS, policy.minTtlS), policy.maxTtlS);
}

/** Stores an answer for `name` at `nowUs` (replacing any older one); returns whether it was cached. */
export function cacheStore(
  cache: DnsCache,
  policy: CachePolicy,
  name: string,
  answer: DnsAnswer,
  nowUs: number,
): boolean {
  const ttlS = cacheTtlS(answer, policy);
  if (ttlS === 0) return false;
  if (!Object.hasOwn(cache.entries, name)) {
    if (cache.size >= CACHE_ENTRIES_MAX) evictOne(cache);
    cache.size++;
  }
  cache.entries[name] = {
    rcode: answer.rcode,
    addrs: answer.addrs.slice(),
    ttlS,
    storedUs: nowUs,
    expiresUs: nowUs + ttlS * 1_000_000,
  };
  return true;
}

/** Looks `name` up at `nowUs` (SPEC DNS-3, DNS-5). */
export function cacheLookup(cache: DnsCache, policy: CachePolicy, name: string, nowUs: number): Lookup {
  const entry = Object.hasOwn(cache.entries, name) ? cache.entries[name] : undefined;
  if (!entry) return { kind: 'miss' };
  if (nowUs >= entry.expiresUs) return { kind: 'expired', entry };
  const remainingUs = entry.expiresUs - nowUs;
  return {
    kind: 'hit',
    entry,
    remainingTtlS: Math.floor(remainingUs / 1_000_000),
    prefetch: policy.prefetch && remainingUs * 10 < entry.ttlS * 1_000_000,
  };
}

/**
 * An expired entry may answer only while the authority cannot be reached, serve-stale
 * is on, and it expired at most `maxStaleS` ago; it goes out with STALE_TTL_S (SPEC DNS-5).
 */
export function canServeStale(entry: CacheEntry, policy: CachePolicy, nowUs: number): boolean {
  return policy.serveStale && nowUs - entry.expiresUs <= policy.maxStaleS * 1_000_000;
}

/** Forgets every answer (the panel's flush). */
export function cacheFlush(cache: DnsCache): void {
  cache.entries = {};
  cache.size = 0;
}

/** Makes room: the entry that expires first goes (deterministic: ties by name order). */
function evictOne(cache: DnsCache): void {
  let victim = '';
  let soonestUs = Number.POSITIVE_INFINITY;
  for (const name of Object.keys(cache.entries).sort()) {
    const e = cache.entries[name] as CacheEntry;
    if (e.expiresUs < soonestUs) {
      soonestUs = e.expiresUs;
      victim = name;
    }
  }
  if (victim === '') return;
  delete cache.entries[victim];
  cache.size--;
}
