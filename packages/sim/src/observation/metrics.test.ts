import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { MetricsCollector } from './metrics.ts';

const records: SimRecord[] = [
  { k: 'frameSent', tUs: 1, flow: 0, unit: 0 } as SimRecord,
  {
    k: 'frameDelivered',
    tUs: 2,
    flow: 0,
    unit: 0,
    bytes: 100,
    latencyUs: 5_000,
    reordered: true,
  } as SimRecord,
  { k: 'frameLost', tUs: 3, flow: 0, unit: 1, reason: 'link-loss', at: 'l-1' },
  { k: 'requestStarted', tUs: 4, channel: 'tcp', flow: 1, unit: 0 },
  { k: 'requestFailed', tUs: 5, channel: 'tcp', flow: 1, unit: 0, reason: 'ttl-expired' } as SimRecord,
  { k: 'dnsLookup', tUs: 6, flow: 2, unit: 0, name: 'a.example' },
  {
    k: 'dnsResolved',
    tUs: 7,
    flow: 2,
    unit: 0,
    name: 'a.example',
    latencyUs: 9_000,
    rcode: 'NOERROR',
    fromCache: 'resolver',
    stale: true,
  } as SimRecord,
  { k: 'dnsFailed', tUs: 8, flow: 2, unit: 1, name: 'b.example', reason: 'timeout' },
  {
    k: 'pageLoad',
    tUs: 9,
    flow: 3,
    unit: 0,
    dnsUs: 1,
    connectUs: 2,
    tlsUs: 3,
    firstByteUs: 4,
    responseUs: 5,
    totalUs: 15,
    source: 'stub',
  } as unknown as SimRecord,
  {
    k: 'pageLoadFailed',
    tUs: 10,
    flow: 3,
    unit: 1,
    phase: 'dns',
    reason: 'nxdomain',
  } as unknown as SimRecord,
];

describe('MetricsCollector save and load (SPEC PERSIST-4)', () => {
  it('PERSIST-4: a collector loaded from save() counts on as the original, latency samples aside', () => {
    const original = new MetricsCollector();
    for (const r of records) original.add(r);
    const loaded = new MetricsCollector();
    loaded.load(original.save());
    for (const r of records) {
      original.add(r);
      loaded.add(r);
    }
    const counts = (m: MetricsCollector) => {
      const { dns, pageLoads, udp, tcp, quic } = m.summary(1_000_000);
      const strip = <T extends { p50LatencyMs: number; p95LatencyMs: number }>({
        p50LatencyMs,
        p95LatencyMs,
        ...rest
      }: T) => rest;
      const pages = pageLoads && { ...pageLoads, phases: undefined };
      return { channels: [udp, tcp, quic].map(strip), dns: dns && strip(dns), pages };
    };
    expect(counts(loaded)).toEqual(counts(original));
    expect(counts(loaded).dns).toMatchObject({ sent: 2, resolved: 2, failed: 2, stale: 2 });
    expect(counts(loaded).pages).toMatchObject({
      completed: 2,
      failed: 2,
      failures: { dns: { nxdomain: 2 } },
    });
    // The samples were not saved: the loaded collector's percentiles cover what came after.
    expect(loaded.summary(1).udp.p50LatencyMs).toBe(5);
  });
});

describe('MetricsCollector round counts (SPEC MET-2)', () => {
  it('MET-2: roundCounts gives summary’s UDP and TCP counts and failures, reasons in the same order', () => {
    const m = new MetricsCollector();
    const more: SimRecord[] = [
      { k: 'frameLost', tUs: 11, flow: 0, unit: 2, reason: 'queue-full', at: 'l-2' } as SimRecord,
      { k: 'frameLost', tUs: 12, flow: 0, unit: 3, reason: 'link-loss', at: 'l-1' } as SimRecord,
      { k: 'requestFailed', tUs: 13, channel: 'tcp', flow: 1, unit: 1, reason: 'host-down' } as SimRecord,
    ];
    for (const r of [...records, ...more]) m.add(r);
    const s = m.summary(1_000_000);
    const c = m.roundCounts();
    for (const ch of ['udp', 'tcp'] as const) {
      expect(c[ch].delivered).toBe(s[ch].delivered);
      expect(c[ch].lost).toBe(s[ch].lost);
      expect(Object.entries(c[ch].failuresByReason)).toEqual(Object.entries(s[ch].failuresByReason));
    }
    expect(Object.keys(c.udp.failuresByReason)).toEqual(['link-loss', 'queue-full']);
    expect(c.udp.lost).toBe(3);
  });
});
