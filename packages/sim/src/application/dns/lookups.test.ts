/** DNS over the network: the dns channel, stub resolvers and authorities, and the round trips of a lookup (SPEC DNS-8..10, DNS-14). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../engine/records.ts';
import { MetricsCollector } from '../../observation/metrics.ts';
import { loadScenario } from '../../scenario/scenario.ts';
import { Simulation } from '../../simulation/simulation.ts';
import { dnsScenario, lookups } from '../../testing/dnsScenario.ts';
import { dnsMessageBytes } from './message.ts';
import { queryFor } from './send.ts';

function run(file: unknown, untilUs: number) {
  const sim = new Simulation(loadScenario(file, 'dns-line.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(untilUs);
  const resolved = records.flatMap((r) => (r.k === 'dnsResolved' ? [r] : []));
  const failed = records.flatMap((r) => (r.k === 'dnsFailed' ? [r] : []));
  return { sim, records, resolved, failed };
}

/** Bytes on the wire of a query for `name` and of its answer with `addrs` A records: IPv4 + UDP 28, DNS header 12, question, 16 per record. */
const queryBytes = (name: string) => 28 + 12 + name.length + 2 + 4;
const answerBytes = (name: string, addrs: number) => queryBytes(name) + 16 * addrs;
/** One link crossing: propagation plus ⌈size·8/bandwidth⌉ (SPEC LINK-2); 10 Mbit/s links. */
const crossUs = (latencyMs: number, bytes: number) => latencyMs * 1000 + Math.ceil((bytes * 8) / 10);
/** A round trip between two nodes two links apart (over r), query out and answer back. */
const rttUs = (aMs: number, bMs: number, name: string) =>
  crossUs(aMs, queryBytes(name)) +
  crossUs(bMs, queryBytes(name)) +
  crossUs(bMs, answerBytes(name, 1)) +
  crossUs(aMs, answerBytes(name, 1));

describe('DNS messages on the dns channel — SPEC DNS-8', () => {
  it('are as long as RFC 1035 makes them: header 12, the name as labels, QTYPE and QCLASS, 16 per A record', () => {
    const q = queryFor(7, 'www.example');
    expect(dnsMessageBytes(q)).toBe(12 + 13 + 4);
    expect(dnsMessageBytes({ ...q, qr: 'response', addrs: [1, 2], ttlS: 60 })).toBe(29 + 32);
    expect(dnsMessageBytes({ ...q, qr: 'response', rcode: 'NXDOMAIN' })).toBe(29 + 36);
  });

  it('are routed, lost and dropped like any packet, with drop records naming the dns channel', () => {
    const file = dnsScenario({
      traffic: [lookups(['www.example'], 10_000, { stopS: 1 })],
      events: [{ atS: 0, kind: 'linkDown', link: 'l-res' }],
    });
    const { records, failed } = run(file, 5_000_000);
    const drops = records.flatMap((r) => (r.k === 'drop' ? [r] : []));
    // The first query and its two retries die at r, on the resolver's dead link.
    expect(drops.map((d) => [d.channel, d.reason])).toEqual([
      ['dns', 'link-down'],
      ['dns', 'link-down'],
      ['dns', 'link-down'],
    ]);
    expect(failed).toEqual([
      expect.objectContaining({ name: 'www.example', reason: 'timeout', tUs: 3_000_000 }),
    ]);
  });
});

describe('a stub resolver — SPEC DNS-9', () => {
  it('asks again after timeoutMs when its query is lost', () => {
    const file = dnsScenario({
      traffic: [lookups(['www.example'], 10_000, { stopS: 1 })],
      clientLink: { dropScript: { ab: [1] } },
    });
    const { resolved } = run(file, 5_000_000);
    const name = 'www.example';
    expect(resolved).toEqual([
      expect.objectContaining({ latencyUs: 1_000_000 + rttUs(5, 2, name) + rttUs(2, 20, name) }),
    ]);
  });

  it('looks its names up round-robin and keeps answers for their TTL', () => {
    const file = dnsScenario({
      ttlS: 2,
      traffic: [lookups(['www.example', 'nope.example'], 500, { stopS: 3.1 })],
    });
    const { resolved } = run(file, 5_000_000);
    expect(resolved.map((r) => [r.name, r.rcode, r.fromCache])).toEqual([
      ['www.example', 'NOERROR', 'authority'],
      ['nope.example', 'NXDOMAIN', 'authority'],
      ['www.example', 'NOERROR', 'stub'],
      ['nope.example', 'NXDOMAIN', 'stub'],
      // Stored at about 58 ms with TTL 2 s: still fresh at 2 s, expired at 3 s (the resolver's copy too).
      ['www.example', 'NOERROR', 'stub'],
      ['nope.example', 'NXDOMAIN', 'stub'],
      ['www.example', 'NOERROR', 'authority'],
    ]);
  });
});

describe('an authoritative server — SPEC DNS-10', () => {
  it('answers its zone with its TTL and other names with NXDOMAIN', () => {
    const file = dnsScenario({ traffic: [lookups(['www.example', 'nope.example'], 100, { stopS: 0.2 })] });
    const { sim, resolved } = run(file, 1_000_000);
    expect(resolved.map((r) => r.rcode)).toEqual(['NOERROR', 'NXDOMAIN']);
    const stub = sim.st.stubs[0];
    expect(stub?.cache.entries['www.example']).toMatchObject({ addrs: [sim.sc.hostAddr[5]], ttlS: 300 });
    expect(stub?.cache.entries['nope.example']).toMatchObject({ rcode: 'NXDOMAIN', ttlS: 5 });
  });
});

describe('the round trips of a lookup on a lossless path — SPEC DNS-14', () => {
  const name = 'www.example';

  it('cold: stub → resolver → authority takes exactly two round trips, RTT(stub, resolver) + RTT(resolver, authority)', () => {
    const { resolved } = run(dnsScenario({ traffic: [lookups([name], 10_000, { stopS: 1 })] }), 1_000_000);
    // Each crossing is latency + ⌈size·8/bandwidth⌉; routers forward at once (SPEC LINK-2, RT-1).
    expect(resolved[0]?.latencyUs).toBe(rttUs(5, 2, name) + rttUs(2, 20, name));
    expect(resolved[0]?.fromCache).toBe('authority');
  });

  it('warm resolver cache: one round trip; warm stub cache: none', () => {
    const noStubCache = dnsScenario({
      stub: { cache: false },
      traffic: [lookups([name], 1_000, { stopS: 2 })],
    });
    expect(run(noStubCache, 3_000_000).resolved.map((r) => [r.latencyUs, r.fromCache])).toEqual([
      [rttUs(5, 2, name) + rttUs(2, 20, name), 'authority'],
      [rttUs(5, 2, name), 'resolver'],
    ]);
    const withStubCache = dnsScenario({ traffic: [lookups([name], 1_000, { stopS: 2 })] });
    expect(run(withStubCache, 3_000_000).resolved[1]).toMatchObject({ latencyUs: 0, fromCache: 'stub' });
  });

  it('metrics count the lookups under dns (SPEC MET-3), and runs without DNS print no dns figures', () => {
    const { records } = run(dnsScenario({ traffic: [lookups([name], 1_000, { stopS: 3 })] }), 4_000_000);
    const m = new MetricsCollector();
    for (const r of records) m.add(r);
    const dns = m.summary(4_000_000).dns;
    expect(dns).toMatchObject({
      sent: 3,
      resolved: 3,
      failed: 0,
      answeredBy: { stub: 2, resolver: 0, authority: 1 },
    });
    expect(dns?.p95LatencyMs).toBe((rttUs(5, 2, name) + rttUs(2, 20, name)) / 1000);
    expect(new MetricsCollector().summary(1).dns).toBeUndefined();
  });
});

describe('DNS in scenario files — SPEC SCN-1, SCN-2', () => {
  it("names a stub's resolver that answers no DNS, a zone address that is no node or address, and a DNS flow from a host without a stub", () => {
    const file = dnsScenario({ traffic: [lookups(['www.example'], 1_000, { from: 'web' })] }) as {
      nodes: Record<string, unknown>[];
    };
    const nodes = file.nodes.map((n) => {
      if (n.id === 'c2') return { ...n, dns: { stub: { resolver: 'web' } } };
      if (n.id === 'auth')
        return {
          ...n,
          dns: {
            zone: {
              names: [{ name: 'a.example', addrs: ['r', '10.3.0'], ttlS: 1 }],
              soa: { minimumS: 1, ttlS: 1 },
            },
          },
        };
      return n;
    });
    expect(() => loadScenario({ ...file, nodes }, 'bad.json')).toThrow(
      new RegExp(
        [
          String.raw`nodes\[1\] \(c2\)\.dns\.stub\.resolver: "web" answers no DNS`,
          String.raw`nodes\[4\] \(auth\)\.dns\.zone\.names\[0\]\.addrs\[0\]: "r" is neither`,
          String.raw`nodes\[4\] \(auth\)\.dns\.zone\.names\[0\]\.addrs\[1\]: "10\.3\.0" is neither`,
          String.raw`traffic\[0\] \(dns-web\)\.from: "web" is not a host with a stub resolver`,
        ].join('[^]*'),
      ),
    );
    const badName = dnsScenario({ traffic: [lookups(['Not A Name'], 1_000)] });
    expect(() => loadScenario(badName, 'bad.json')).toThrow(
      /traffic\[0\] \(dns-c1\)\.names\[0\]: a DNS name/,
    );
  });
});
