import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';

/** Round trip on the line: 2 × (1 + 10 + 1) ms of propagation. */
const RTT_US = 24_000;
/** Links fast enough that serialization adds only microseconds. */
const FAST = { hostLinkKbps: 100_000_000, mid: { bandwidthKbps: 100_000_000 } };

function run(flow: Record<string, unknown>, options: Record<string, unknown> = FAST, untilUs = 5_000_000) {
  const sim = new Simulation(loadScenario(lineScenario({ ...options, traffic: [flow] }), 'test.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(untilUs);
  return records;
}

const REQUEST = {
  id: 'web',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  everyMs: 1000,
  requestBytes: 300,
  responseBytes: 5000,
  timeoutMs: 30_000,
};

/** Time to first response byte of request `unit`, from its first packet. */
function firstByteUs(records: SimRecord[], unit: number): number {
  const r = records.find((x) => x.k === 'firstByte' && x.unit === unit);
  if (r?.k !== 'firstByte') throw new Error(`request ${unit} never got a first byte`);
  return r.latencyUs;
}

describe('round trips before the first response byte (REFERENCES.md, lossless, ±1 tick)', () => {
  const cases = [
    { name: 'TCP without TLS — SPEC TLS-1', flow: { kind: 'tcp', tls: 'none' }, unit: 0, rtts: 2 },
    { name: 'TCP + TLS 1.2 — SPEC TLS-2', flow: { kind: 'tcp', tls: '1.2' }, unit: 0, rtts: 4 },
    { name: 'TCP + TLS 1.3 — SPEC TLS-2', flow: { kind: 'tcp', tls: '1.3' }, unit: 0, rtts: 3 },
    {
      name: 'TCP + TLS 1.3, first connection of a 0-RTT flow — SPEC TLS-4',
      flow: { kind: 'tcp', tls: '1.3-0rtt' },
      unit: 0,
      rtts: 3,
    },
    {
      name: 'TCP + TLS 1.3 0-RTT resumption — SPEC TLS-4',
      flow: { kind: 'tcp', tls: '1.3-0rtt' },
      unit: 1,
      rtts: 2,
    },
    { name: 'QUIC 1-RTT — SPEC QUIC-4', flow: { kind: 'quic' }, unit: 0, rtts: 2 },
    { name: 'QUIC 0-RTT resumption — SPEC QUIC-5', flow: { kind: 'quic', zeroRtt: true }, unit: 1, rtts: 1 },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.rtts} RTT`, () => {
      const records = run({ ...REQUEST, ...c.flow, stopS: 1.5 });
      const t = firstByteUs(records, c.unit);
      // Whole round trips of propagation plus a few microseconds of serialization at 100 Gbit/s.
      expect(t).toBeGreaterThanOrEqual(c.rtts * RTT_US);
      expect(t - c.rtts * RTT_US).toBeLessThan(100);
      expect(records.filter((r) => r.k === 'requestCompleted')).toHaveLength(2);
    });
  }

  it('the TLS server flight (4 KB) fits the initial window: no extra round trip waiting for ACKs — SPEC TLS-3', () => {
    const records = run({ ...REQUEST, kind: 'tcp', tls: '1.3', stopS: 0.001 });
    // The server answers the ClientHello (sent at 1 RTT) half a round trip later, all four segments at once.
    const flight = records.filter(
      (r) => r.k === 'hostSend' && r.node === 3 && r.len > 0 && r.tUs < 2 * RTT_US,
    );
    expect(flight.map((r) => (r.k === 'hostSend' ? r.len : 0))).toEqual([1000, 1000, 1000, 1000]);
    expect(new Set(flight.map((r) => r.tUs)).size).toBe(1);
  });
});

/** Two streams A (0) and B (1) of 5 chunks each, interleaved A0 B0 A1 B1 … */
const PAGE = { ...REQUEST, stopS: 0.001, streams: 2, responseBytes: 5000 };

function streamDoneUs(records: SimRecord[], stream: number): number {
  const r = records.find((x) => x.k === 'streamCompleted' && x.stream === stream);
  if (r?.k !== 'streamCompleted') throw new Error(`stream ${stream} never completed`);
  return r.tUs;
}

/** The 1-based number, among the server's packets, of the first one carrying stream A's bytes 1000–1999. */
function serverPacketOfChunkA1(records: SimRecord[], channel: 'tcp' | 'quic'): number {
  const server = records.filter((r) => r.k === 'hostSend' && r.node === 3);
  const i = server.findIndex((r) =>
    r.k !== 'hostSend'
      ? false
      : channel === 'tcp'
        ? r.seq === 1 + 2000 // response byte 2000 = A's second chunk (A0 B0 A1 …), after the SYN's 1
        : (r.quic?.frames.some((f) => f.t === 'stream' && f.id === 0 && f.off === 1000) ?? false),
  );
  expect(i).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('head-of-line blocking (REFERENCES.md)', () => {
  it('HTTP/2-like over TCP: interleaved streams complete in byte-stream order — SPEC H2-1, H2-2', () => {
    const records = run({ ...PAGE, kind: 'tcp' }, {});
    expect(streamDoneUs(records, 0)).toBeLessThan(streamDoneUs(records, 1));
    const done = records.find((r) => r.k === 'requestCompleted');
    expect(done).toMatchObject({ bytes: 10_000 });
  });

  it('over TCP, losing one packet of stream A delays stream B too — SPEC H2-3', () => {
    const clean = run({ ...PAGE, kind: 'tcp' }, {});
    const lost = serverPacketOfChunkA1(clean, 'tcp');
    const dropped = run({ ...PAGE, kind: 'tcp' }, { dropScript: { ba: [lost] } });
    expect(dropped.some((r) => r.k === 'drop')).toBe(true);
    expect(streamDoneUs(dropped, 1)).toBeGreaterThan(streamDoneUs(clean, 1) + 1_000);
  });

  it('over QUIC, losing one packet of stream A leaves stream B unchanged — SPEC QUIC-6', () => {
    const clean = run({ ...PAGE, kind: 'quic' }, {});
    const lost = serverPacketOfChunkA1(clean, 'quic');
    const dropped = run({ ...PAGE, kind: 'quic' }, { dropScript: { ba: [lost] } });
    expect(dropped.some((r) => r.k === 'drop')).toBe(true);
    expect(dropped.some((r) => r.k === 'retransmit')).toBe(true);
    expect(Math.abs(streamDoneUs(dropped, 1) - streamDoneUs(clean, 1))).toBeLessThanOrEqual(1);
    // Stream A itself waits for its retransmission.
    expect(streamDoneUs(dropped, 0)).toBeGreaterThan(streamDoneUs(clean, 0));
    expect(dropped.find((r) => r.k === 'requestCompleted')).toMatchObject({ bytes: 10_000 });
  });
});
