import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { MetricsCollector } from '../observation/metrics.ts';
import { quicTrace } from '../observation/quicTrace.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';

function simOf(file: unknown, seed = 1): { sim: Simulation; records: SimRecord[] } {
  const sim = new Simulation(loadScenario(file, 'test.json'), seed);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  return { sim, records };
}

const FLOW = {
  id: 'web',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  everyMs: 1000,
  requestBytes: 300,
  responseBytes: 5000,
  timeoutMs: 60_000,
};

describe('QUIC-like channel', () => {
  it('1-RTT handshake and one request match the golden trace — SPEC QUIC-1..4, QUIC-11', () => {
    const { sim, records } = simOf(lineScenario({ traffic: [{ ...FLOW, kind: 'quic', stopS: 0.001 }] }));
    sim.advanceTo(5_000_000);
    expect(Object.keys(sim.st.quicConns)).toEqual([]); // the client closed, the server followed
    const trace = quicTrace(records, 0, 0, { 0: 'client', 3: 'server' });
    const golden = join(import.meta.dirname, 'golden', 'quic-1rtt-request.trace');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, trace);
    expect(existsSync(golden), `missing golden trace ${golden}`).toBe(true);
    expect(trace).toBe(readFileSync(golden, 'utf8'));
  });

  it('never reuses a packet number; the client Initial is padded to 1,200 bytes — SPEC QUIC-1, QUIC-7', () => {
    const traffic = [{ ...FLOW, kind: 'quic', stopS: 10, responseBytes: 30_000 }];
    const { sim, records } = simOf(lineScenario({ traffic, loss: 0.05 }), 5);
    sim.advanceTo(20_000_000);
    const seen = new Set<string>();
    for (const r of records) {
      if (r.k !== 'hostSend' || !r.quic) continue;
      const key = `${r.unit}:${r.node}:${r.quic.pn}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      if (r.node === 0 && r.quic.type === 'initial') expect(r.len + 20).toBeGreaterThanOrEqual(1200);
    }
  });

  it('under Bernoulli loss every request completes whole, with retransmissions, in TCP’s ballpark — SPEC QUIC-8, QUIC-9', () => {
    const run = (kind: string) => {
      const traffic = [{ ...FLOW, kind, stopS: 30, everyMs: 1500, responseBytes: 100_000 }];
      const { sim, records } = simOf(lineScenario({ traffic, loss: 0.02 }), 11);
      const m = new MetricsCollector();
      for (const r of records) m.add(r);
      sim.onRecord((r) => m.add(r));
      sim.advanceTo(90_000_000);
      return { records, m: m.summary(90_000_000) };
    };
    const quic = run('quic');
    const tcp = run('tcp');
    const done = quic.records.filter((r) => r.k === 'requestCompleted');
    expect(done).toHaveLength(20);
    for (const r of done) expect(r.k === 'requestCompleted' && r.bytes).toBe(100_000);
    expect(quic.m.quic.retransmissions).toBeGreaterThan(10);
    expect(quic.m.quic.lost).toBe(0);
    expect(tcp.m.tcp.delivered).toBe(20);
    // Same ballpark: median request time within a factor of two of TCP's.
    const ratio = quic.m.quic.p50LatencyMs / tcp.m.tcp.p50LatencyMs;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('a lost server flight is recovered by the probe timeout with backoff — SPEC QUIC-8', () => {
    // b→a packets 1–4 are the server's Initial and Handshake flight; lose all four, then the first probe.
    const traffic = [{ ...FLOW, kind: 'quic', stopS: 0.001 }];
    const { sim, records } = simOf(lineScenario({ traffic, dropScript: { ba: [1, 2, 3, 4, 5] } }));
    sim.advanceTo(10_000_000);
    const server = records.filter(
      (r) => r.k === 'hostSend' && r.node === 3 && r.quic?.frames.some((f) => f.t === 'crypto'),
    );
    const gaps = server.slice(4).map((r, i) => r.tUs - (server[i + 3]?.tUs ?? 0));
    // PTO before any RTT sample: 333 ms + 4·166.5 ms ≈ 1 s, then doubled.
    expect(gaps[0]).toBeGreaterThan(900_000);
    expect(gaps[1]).toBeGreaterThan(1.8 * (gaps[0] as number));
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ bytes: 5000 });
  });
});

describe('NAT rebinding — SPEC QUIC-10', () => {
  // A large upload keeps the client sending across the rebind at 60 ms.
  const upload = { ...FLOW, stopS: 0.001, requestBytes: 200_000, responseBytes: 1000 };
  const start = (kind: string) =>
    simOf(lineScenario({ traffic: [{ ...upload, kind }], hostLinkKbps: 10_000 }));

  it('a QUIC request spanning the rebind completes: the server follows the connection ID', () => {
    const { sim, records } = start('quic');
    sim.advanceTo(60_000);
    const ends = () => Object.values(sim.st.quicConns);
    const before = ends().find((q) => q.role === 'client')?.localPort;
    expect(sim.apply({ type: 'host.rebind', host: 'h-a' })).toBeNull();
    sim.advanceTo(150_000);
    const client = ends().find((q) => q.role === 'client');
    const server = ends().find((q) => q.role === 'server');
    expect(client?.localPort).not.toBe(before);
    expect(server?.peerPort).toBe(client?.localPort);
    sim.advanceTo(30_000_000);
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ channel: 'quic', bytes: 1000 });
  });

  it('a TCP request spanning the rebind fails with connection-reset', () => {
    const { sim, records } = start('tcp');
    sim.advanceTo(60_000);
    expect(sim.apply({ type: 'host.rebind', host: 'h-a' })).toBeNull();
    sim.advanceTo(30_000_000);
    expect(records.some((r) => r.k === 'requestCompleted')).toBe(false);
    expect(records.find((r) => r.k === 'requestFailed')).toMatchObject({ reason: 'connection-reset' });
  });

  it('refuses to rebind a router or an unknown host — SPEC CMD-4', () => {
    const { sim } = simOf(lineScenario({}));
    expect(sim.apply({ type: 'host.rebind', host: 'r1' })).toMatch(/unknown host/);
    expect(sim.apply({ type: 'host.rebind', host: 'nope' })).toMatch(/unknown host/);
  });
});

describe('determinism with QUIC and TLS — SPEC SIM-4, SIM-5', () => {
  const lossy = () =>
    lineScenario({
      traffic: [
        { ...FLOW, kind: 'quic', stopS: 6, everyMs: 700, streams: 3, zeroRtt: true, responseBytes: 20_000 },
        { ...FLOW, id: 'h2', kind: 'tcp', stopS: 6, everyMs: 900, streams: 2, tls: '1.3-0rtt' },
      ],
      loss: 0.05,
    });

  it('snapshot mid-connection, restore and continue equals running straight through', () => {
    const straight = new Simulation(loadScenario(lossy(), 't'), 9);
    const split = new Simulation(loadScenario(lossy(), 't'), 9);
    for (const sim of [straight, split]) {
      sim.advanceTo(2_030_000);
      sim.apply({ type: 'host.rebind', host: 'h-a' });
      sim.advanceTo(2_817_000);
    }
    expect(Object.keys(split.st.quicConns).length).toBeGreaterThan(0);
    const replica = new Simulation(loadScenario(lossy(), 't'), 9);
    replica.restore(split.snapshot());
    expect(replica.stateHash()).toBe(straight.stateHash());
    for (const sim of [straight, replica]) {
      sim.apply({ type: 'host.rebind', host: 'h-a' });
      sim.advanceTo(12_000_000);
    }
    expect(replica.stateHash()).toBe(straight.stateHash());
  });
});
