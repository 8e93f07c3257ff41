import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';
import type { QuicHeader } from './quicTypes.ts';

const FLOW = {
  id: 'web',
  kind: 'quic',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  stopS: 1.2,
  everyMs: 500,
  requestBytes: 300,
  responseBytes: 2500,
  timeoutMs: 2_000,
  streams: 3,
};

function start(flow: Record<string, unknown>) {
  const sim = new Simulation(loadScenario(lineScenario({ traffic: [flow] }), 'line.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  return { sim, records };
}

/** The QUIC headers host `node` sent for request `unit`, in order. */
const headers = (records: SimRecord[], node: number, unit: number): QuicHeader[] =>
  records.flatMap((r) =>
    r.k === 'hostSend' && r.node === node && r.unit === unit && r.quic ? [r.quic] : [],
  );

describe('connection IDs — SPEC QUIC-2', () => {
  it('the client’s first Initial goes to a random CID; the server answers with its own, which the client then uses', () => {
    const { sim, records } = start(FLOW);
    sim.advanceTo(20_000);
    const ends = Object.values(sim.st.quicConns);
    const server = ends.find((q) => q.role === 'server');
    const client = ends.find((q) => q.role === 'client');
    expect(server?.localPort).toBe(443);
    sim.advanceTo(3_000_000);
    for (const unit of [0, 1, 2]) {
      const [first, ...later] = headers(records, 0, unit);
      const [answer, ...rest] = headers(records, 3, unit);
      expect(first?.type).toBe('initial');
      // The server's first packet goes to the client's own CID and names the server's, not the one the client picked.
      expect(answer).toMatchObject({ type: 'initial', dcid: first?.scid });
      expect(answer?.scid).not.toBe(first?.dcid);
      for (const h of later) expect(h.dcid).toBe(answer?.scid);
      for (const h of rest) expect(h.dcid).toBe(first?.scid);
    }
    // By 20 ms the client had the server's answer and kept its CID as the peer's.
    expect(client?.peerCid).toBe(headers(records, 3, 0)[0]?.scid);
    // Each connection picks fresh IDs.
    const picked = [0, 1, 2].map((unit) => headers(records, 0, unit)[0]?.dcid);
    expect(new Set(picked).size).toBe(3);
  });
});

describe('requests over QUIC — SPEC QUIC-3', () => {
  it('one connection every everyMs, each of `streams` requests on its own stream (0, 4, 8), complete when all are', () => {
    const { sim, records } = start(FLOW);
    sim.advanceTo(3_000_000);
    expect(records.flatMap((r) => (r.k === 'requestStarted' ? [r.tUs] : []))).toEqual([
      0, 500_000, 1_000_000,
    ]);
    const streamIds = new Set(
      headers(records, 3, 0).flatMap((h) => h.frames.flatMap((f) => (f.t === 'stream' ? [f.id] : []))),
    );
    expect([...streamIds].sort((a, b) => a - b)).toEqual([0, 4, 8]);
    for (const unit of [0, 1, 2]) {
      const mine = records.filter(
        (r) => (r.k === 'streamCompleted' || r.k === 'requestCompleted') && r.unit === unit,
      );
      expect(mine.map((r) => r.k)).toEqual([
        'streamCompleted',
        'streamCompleted',
        'streamCompleted',
        'requestCompleted',
      ]);
      expect(mine.at(-1)).toMatchObject({ bytes: 3 * 2500 });
      expect(mine.at(-1)?.tUs).toBe(mine.at(-2)?.tUs);
    }
  });

  it('fails at timeoutMs with the reason of its last lost packet', () => {
    const { sim, records } = start({ ...FLOW, stopS: 0.001 });
    sim.advanceTo(20_000);
    expect(sim.apply({ type: 'link.set', link: 'l-mid', up: false })).toBeNull();
    sim.advanceTo(5_000_000);
    expect(records.filter((r) => r.k === 'requestFailed')).toEqual([
      {
        k: 'requestFailed',
        tUs: 2_000_000,
        channel: 'quic',
        flow: 0,
        unit: 0,
        reason: 'link-down',
        at: 'l-mid',
      },
    ]);
  });
});
