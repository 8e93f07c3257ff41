/** Page loads: a lookup, then the request to the answered address, each phase timed (SPEC PAGE-1..4). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { MetricsCollector } from '../observation/metrics.ts';
import { Scoreboard } from '../observation/scoring.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { dnsScenario, pageLoads } from '../testing/dnsScenario.ts';
import { failPageLoadRequest } from './pageLoad.ts';

function run(file: unknown, untilUs: number) {
  const sim = new Simulation(loadScenario(file, 'dns-line.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(untilUs);
  const loads = records.flatMap((r) => (r.k === 'pageLoad' ? [r] : []));
  const failed = records.flatMap((r) => (r.k === 'pageLoadFailed' ? [r] : []));
  const firstBytes = records.flatMap((r) => (r.k === 'firstByte' ? [r] : []));
  return { sim, records, loads, failed, firstBytes };
}

const NAME = 'www.example';
/** Serialization on the reference network's 10 Mbit/s links, µs (SPEC LINK-2). */
const serUs = (bytes: number) => Math.ceil((bytes * 8) / 10);
/** One link crossing: propagation plus serialization. */
const crossUs = (latencyMs: number, bytes: number) => latencyMs * 1000 + serUs(bytes);
/** DNS bytes on the wire (IPv4 + UDP 28, header 12, question, one A record 16; SPEC DNS-8). */
const queryBytes = 28 + 12 + NAME.length + 2 + 4;
const answerBytes = queryBytes + 16;
/** A DNS round trip between nodes two links apart (over r), with one-way latencies a and b ms. */
const dnsRttUs = (aMs: number, bMs: number) =>
  crossUs(aMs, queryBytes) + crossUs(bMs, queryBytes) + crossUs(bMs, answerBytes) + crossUs(aMs, answerBytes);
/** The cold lookup: stub ↔ resolver, then resolver ↔ authority (SPEC DNS-14). */
const COLD_DNS_US = dnsRttUs(5, 2) + dnsRttUs(2, 20);

/**
 * The three round trips of a TLS 1.3 request between c1 and web (links of 5 ms and 1 ms
 * over r), segment by segment (TCP header 40 bytes, SPEC TLS-2):
 * - connect: SYN and SYN-ACK cross both links;
 * - TLS: the handshake's ACK then the ClientHello (300) leave c1 back to back; the server's
 *   flight (4 × 1,000) goes out at once and its last segment arrives three serializations
 *   after the first would alone;
 * - request: Finished (50) and the request (300) in one segment, and the first response segment back.
 */
const CONNECT_US = 2 * (crossUs(5, 40) + crossUs(1, 40));
const TLS_US =
  serUs(40) + crossUs(5, 340) + crossUs(1, 340) + 3 * serUs(1040) + crossUs(1, 1040) + crossUs(5, 1040);
const REQUEST_US = crossUs(5, 390) + crossUs(1, 390) + crossUs(1, 1040) + crossUs(5, 1040);

describe('a page load on a lossless path — SPEC PAGE-1, PAGE-2', () => {
  it('cold: the first response byte comes DNS (stub → resolver → authority) + TCP 1 + TLS 1.3 1 + request 1 round trips after the start', () => {
    const { loads, firstBytes } = run(
      dnsScenario({ traffic: [pageLoads(NAME, 10_000, { stopS: 1 })] }),
      2_000_000,
    );
    expect(
      Math.abs((firstBytes[0]?.tUs ?? 0) - (COLD_DNS_US + CONNECT_US + TLS_US + REQUEST_US)),
    ).toBeLessThanOrEqual(1);
    // The phases, each as measured.
    expect(loads).toEqual([
      expect.objectContaining({
        name: NAME,
        source: 'authority',
        stale: false,
        dnsUs: COLD_DNS_US,
        connectUs: CONNECT_US,
        tlsUs: TLS_US,
        firstByteUs: REQUEST_US,
      }),
    ]);
    const load = loads[0];
    expect(load?.totalUs).toBe(
      (load?.dnsUs ?? 0) +
        (load?.connectUs ?? 0) +
        (load?.tlsUs ?? 0) +
        (load?.firstByteUs ?? 0) +
        (load?.responseUs ?? 0),
    );
    // Three round trips of propagation (2 × 6 ms each) and microseconds of serialization.
    expect(CONNECT_US + TLS_US + REQUEST_US - 3 * 12_000).toBeLessThan(8_000);
  });

  it('a warm stub cache saves the whole lookup; a warm resolver cache all but the stub ↔ resolver round trip', () => {
    const warmStub = run(dnsScenario({ traffic: [pageLoads(NAME, 1_000, { stopS: 1.5 })] }), 3_000_000);
    expect(warmStub.loads.map((l) => [l.source, l.dnsUs])).toEqual([
      ['authority', COLD_DNS_US],
      ['stub', 0],
    ]);
    expect(
      Math.abs((warmStub.firstBytes[1]?.tUs ?? 0) - (1_000_000 + CONNECT_US + TLS_US + REQUEST_US)),
    ).toBeLessThanOrEqual(1);
    const warmResolver = run(
      dnsScenario({ stub: { cache: false }, traffic: [pageLoads(NAME, 1_000, { stopS: 1.5 })] }),
      3_000_000,
    );
    expect(warmResolver.loads.map((l) => [l.source, l.dnsUs])).toEqual([
      ['authority', COLD_DNS_US],
      ['resolver', dnsRttUs(5, 2)],
    ]);
  });

  it('without a name a tcp flow is the request it always was: no lookup, no page-load record', () => {
    const plain = { ...pageLoads(NAME, 10_000, { stopS: 1 }) };
    delete plain.name;
    const { records, loads } = run(dnsScenario({ traffic: [plain] }), 2_000_000);
    expect(loads).toEqual([]);
    expect(records.some((r) => r.k === 'dnsLookup')).toBe(false);
    const first = records.find((r) => r.k === 'firstByte');
    expect(first?.tUs).toBe(CONNECT_US + TLS_US + REQUEST_US);
  });
});

describe('a page load fails naming its phase and reason — SPEC PAGE-3', () => {
  it('NXDOMAIN fails in the dns phase, and no request starts', () => {
    const { records, failed } = run(
      dnsScenario({ traffic: [pageLoads('nope.example', 10_000, { stopS: 1 })] }),
      2_000_000,
    );
    expect(failed).toEqual([
      expect.objectContaining({ name: 'nope.example', phase: 'dns', reason: 'nxdomain' }),
    ]);
    expect(records.some((r) => r.k === 'requestStarted')).toBe(false);
  });

  it('an answer pointing at an address no host holds fails in the connect phase: dead-address', () => {
    // zero.example → 10.3.0.11: routed to web's link, dropped at web as the wrong host.
    const { records, failed } = run(
      dnsScenario({ traffic: [pageLoads('zero.example', 10_000, { stopS: 1, timeoutMs: 3_000 })] }),
      5_000_000,
    );
    expect(records.some((r) => r.k === 'drop' && r.reason === 'wrong-host')).toBe(true);
    expect(failed).toEqual([expect.objectContaining({ phase: 'connect', reason: 'dead-address' })]);
  });

  it('says how long each phase it finished took, −1 for the rest, and how long it ran', () => {
    // zero.example is never cached (TTL 0): a cold lookup, then SYNs to nobody until the 3 s timeout.
    const { failed } = run(
      dnsScenario({ traffic: [pageLoads('zero.example', 10_000, { stopS: 1, timeoutMs: 3_000 })] }),
      5_000_000,
    );
    const f = failed[0];
    expect(f).toMatchObject({ phase: 'connect', connectUs: -1, tlsUs: -1, firstByteUs: -1 });
    // At least the cold lookup of www.example (zero.example's packets are a little longer).
    expect(f?.dnsUs).toBeGreaterThanOrEqual(COLD_DNS_US);
    // The request's timeout runs from the answer (PAGE-1): start → failure is the lookup and 3 s.
    expect(f?.totalUs).toBe((f?.dnsUs ?? 0) + 3_000_000);
    const nx = run(dnsScenario({ traffic: [pageLoads('nope.example', 10_000, { stopS: 1 })] }), 2_000_000);
    expect(nx.failed[0]).toMatchObject({
      phase: 'dns',
      dnsUs: -1,
      connectUs: -1,
      tlsUs: -1,
      firstByteUs: -1,
    });
    expect(nx.failed[0]?.totalUs).toBeGreaterThan(0);
  });

  it('an unreachable authority with nothing cached: SERVFAIL from the resolver, or dns-timeout when the stub gives up first', () => {
    const authorityDown = { events: [{ atS: 0, kind: 'linkDown', link: 'l-auth' }] };
    const servfail = run(
      dnsScenario({ ...authorityDown, traffic: [pageLoads(NAME, 10_000, { stopS: 1 })] }),
      5_000_000,
    );
    expect(servfail.failed).toEqual([expect.objectContaining({ phase: 'dns', reason: 'servfail' })]);
    const impatient = run(
      dnsScenario({
        ...authorityDown,
        stub: { timeoutMs: 300, retries: 1 },
        traffic: [pageLoads(NAME, 10_000, { stopS: 1 })],
      }),
      5_000_000,
    );
    expect(impatient.failed).toEqual([
      expect.objectContaining({ tUs: 600_000, phase: 'dns', reason: 'dns-timeout' }),
    ]);
  });

  it('with serve-stale on, a stale entry carries the page load through the outage', () => {
    const outage = (serveStale: boolean) =>
      run(
        dnsScenario({
          ttlS: 1,
          stub: { cache: false },
          resolver: { policy: { serveStale } },
          events: [{ atS: 1, kind: 'linkDown', link: 'l-auth' }],
          traffic: [pageLoads(NAME, 2_000, { stopS: 2.5 })],
        }),
        8_000_000,
      );
    const stale = outage(true);
    expect(stale.failed).toEqual([]);
    expect(stale.loads.map((l) => [l.source, l.stale])).toEqual([
      ['authority', false],
      ['resolver', true],
    ]);
    // It waited for one upstream timeout (800 ms) at the resolver.
    expect(stale.loads[1]?.dnsUs).toBeGreaterThan(800_000);
    expect(outage(false).failed).toEqual([
      expect.objectContaining({ unit: 1, phase: 'dns', reason: 'servfail' }),
    ]);
  });

  it('a reset before the handshake completes is a refusal, after it a reset', () => {
    const { sim } = run(dnsScenario({ traffic: [pageLoads(NAME, 10_000, { stopS: 1 })] }), 0);
    const reasons: string[] = [];
    sim.onRecord((r) => {
      if (r.k === 'pageLoadFailed') reasons.push(`${r.phase} ${r.reason}`);
    });
    const req = {
      flow: 0,
      unit: 0,
      startUs: 0,
      streamsDone: 0,
      firstByteUs: -1,
      lastLoss: '' as const,
      lastLossAt: '',
    };
    const load = (connectedUs: number) => ({
      name: NAME,
      startUs: 0,
      dnsDoneUs: 0,
      source: 'stub' as const,
      stale: false,
      addr: sim.sc.hostAddr[5] as number,
      connectedUs,
      requestSentUs: -1,
    });
    (sim.st.pageLoads[0] as Record<number, ReturnType<typeof load>>)[0] = load(-1);
    failPageLoadRequest(sim, 0, 0, req, 'connection-reset');
    (sim.st.pageLoads[0] as Record<number, ReturnType<typeof load>>)[0] = load(10);
    failPageLoadRequest(sim, 0, 0, req, 'connection-reset');
    (sim.st.pageLoads[0] as Record<number, ReturnType<typeof load>>)[0] = load(-1);
    failPageLoadRequest(sim, 0, 0, req, '');
    expect(reasons).toEqual(['connect connection-refused', 'tls connection-reset', 'connect timeout']);
  });
});

describe('scoring a page load — SPEC PAGE-4', () => {
  it('scores like a request whose ideal adds the lookup round trips it needed; its request is not scored twice', () => {
    const { sim, records } = run(
      dnsScenario({ traffic: [pageLoads(NAME, 1_000, { stopS: 1.5 })] }),
      3_000_000,
    );
    const board = new Scoreboard(sim.sc);
    for (const r of records) board.add(r);
    // c1 ↔ web: 6 ms one way; c1 ↔ res 7 ms; res ↔ auth 22 ms (propagation only).
    expect(sim.sc.pageLoadDnsRttUs.slice(0, 2)).toEqual([14_000, 44_000]);
    const [cold, warm] = records.flatMap((r) => (r.k === 'pageLoad' ? [r] : []));
    const points = (idealUs: number, totalUs: number) => Math.round(100 * Math.min(1, idealUs / totalUs));
    expect(board.network).toBe(
      points(4 * 6_000 + 14_000 + 44_000, cold?.totalUs ?? 0) + points(4 * 6_000, warm?.totalUs ?? 0),
    );
  });

  it('a page load that fails before its request costs what a failed request does', () => {
    const { sim, records } = run(
      dnsScenario({ traffic: [pageLoads('nope.example', 10_000, { stopS: 1 })] }),
      2_000_000,
    );
    const board = new Scoreboard(sim.sc);
    for (const r of records) board.add(r);
    expect(board.network).toBe(-50);
  });
});

describe('page loads in scenario files — SPEC SCN-1', () => {
  it('names a page-load flow from a host without a stub resolver', () => {
    const file = dnsScenario({ traffic: [pageLoads(NAME, 1_000, { from: 'web', to: 'c1' })] });
    expect(() => loadScenario(file, 'bad.json')).toThrow(
      /traffic\[0\] \(page-web\)\.from: "web" is not a host with a stub resolver/,
    );
  });
});

describe('page-load metrics — SPEC MET-4', () => {
  it('count loads and failures, with p50/p95 per phase, only in runs that have page loads', () => {
    const traffic = [
      pageLoads(NAME, 1_000, { stopS: 2.5 }),
      pageLoads('nope.example', 1_000, { from: 'c2', stopS: 0.5 }),
    ];
    const { records } = run(dnsScenario({ traffic }), 4_000_000);
    const m = new MetricsCollector();
    for (const r of records) m.add(r);
    const pages = m.summary(4_000_000).pageLoads;
    expect(pages).toMatchObject({
      completed: 3,
      failed: 1,
      answeredBy: { stub: 2, resolver: 0, authority: 1 },
      failures: { dns: { nxdomain: 1 } },
    });
    expect(pages?.phases.dns).toEqual({ p50Ms: 0, p95Ms: COLD_DNS_US / 1000 });
    expect(pages?.phases.connect).toEqual({ p50Ms: CONNECT_US / 1000, p95Ms: CONNECT_US / 1000 });
    expect(new MetricsCollector().summary(1).pageLoads).toBeUndefined();
  });
});

describe('page loads in a replica — SPEC SIM-5', () => {
  it('survive a snapshot and restore between lookup and response', () => {
    const file = dnsScenario({ stub: { cache: false }, traffic: [pageLoads(NAME, 37, { timeoutMs: 400 })] });
    const a = new Simulation(loadScenario(file, 'dns.json'), 3);
    a.advanceTo(1_030_000);
    expect(Object.keys(a.st.pageLoads[0] ?? {}).length).toBeGreaterThan(0);
    const b = new Simulation(loadScenario(file, 'dns.json'), 3);
    b.restore(a.snapshot());
    const recordsA: SimRecord[] = [];
    const recordsB: SimRecord[] = [];
    a.onRecord((r) => recordsA.push(r));
    b.onRecord((r) => recordsB.push(r));
    a.advanceTo(3_000_000);
    b.advanceTo(3_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
    expect(recordsB.filter((r) => r.k === 'pageLoad')).toEqual(recordsA.filter((r) => r.k === 'pageLoad'));
    expect(recordsA.some((r) => r.k === 'pageLoad')).toBe(true);
  });
});
