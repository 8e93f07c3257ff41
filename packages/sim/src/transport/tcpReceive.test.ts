import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { ACK, FIN, RST } from '../engine/state.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { BULK_TRANSFER, lineScenario, ONE_REQUEST } from '../testing/lineScenario.ts';

// The line network h-a (node 0, the client) — r1 — r2 — h-b (node 3, the server).
const CLIENT = 0;
const SERVER = 3;

type Line = Parameters<typeof lineScenario>[0];

function start(line: Line, tcp: Record<string, unknown> = {}) {
  const file = { ...(lineScenario(line) as Record<string, unknown>), tcp };
  const sim = new Simulation(loadScenario(file, 'line.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  return { sim, records };
}

type HostSend = Extract<SimRecord, { k: 'hostSend' }>;
type Delivered = Extract<SimRecord, { k: 'segmentDelivered' }>;
const sendsBy = (records: SimRecord[], node: number) =>
  records.filter((r): r is HostSend => r.k === 'hostSend' && r.node === node);
/** Data segments that reached host `node`'s TCP (their path ends at the router next to it). */
const deliveredAt = (records: SimRecord[], node: number) =>
  records.filter(
    (r): r is Delivered => r.k === 'segmentDelivered' && r.path.at(-1) === (node === CLIENT ? 1 : 2),
  );

describe('cumulative ACKs — SPEC TCP-DATA-2', () => {
  it('every ACK names the next byte expected: a hole holds it back, its repair moves it past what was buffered', () => {
    // The r2→r1 direction loses its 3rd packet: the response segment with bytes 1001–2000.
    const { sim, records } = start({ traffic: [ONE_REQUEST], dropScript: { ba: [3] } });
    sim.advanceTo(5_000_000);
    const acks = sendsBy(records, CLIENT)
      .filter((r) => r.seq > 1 || r.len > 0)
      .map((r) => r.ack);
    // After the request: byte 1,001 is expected while 2,001–5,000 arrive; the fast retransmit of
    // 1,001 fills the hole and the next ACK covers everything buffered; then the server's FIN.
    expect(acks).toEqual([1, 1001, 1001, 1001, 1001, 5001, 5002]);
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ bytes: 5000 });
  });
});

describe('the out-of-order buffer — SPEC TCP-DATA-3', () => {
  it('holds at most 256 segments per connection', () => {
    // A window of 2,000 segments and one loss deep in slow start: far more than 256 segments
    // arrive behind the hole before its repair does.
    const { sim, records } = start(
      { traffic: [BULK_TRANSFER], queuePackets: 10_000, dropScript: { ba: [400] } },
      { rwndBytes: 2_000_000, initialWindow: 'rfc6928' },
    );
    let most = 0;
    for (let t = 0; t <= 2_000_000; t += 100) {
      sim.advanceTo(t);
      for (const c of Object.values(sim.st.conns)) if (c) most = Math.max(most, c.ooo.length);
    }
    expect(most).toBe(256);
    // The one scripted drop is the only loss: what the buffer refused came again later.
    expect(records.filter((r) => r.k === 'drop')).toHaveLength(1);
  });
});

describe('when ACKs are sent', () => {
  it('without delayed ACK every data segment and FIN is ACKed the moment it arrives — SPEC TCP-ACK-1', () => {
    const { sim, records } = start({ traffic: [ONE_REQUEST] });
    sim.advanceTo(5_000_000);
    const response = deliveredAt(records, CLIENT);
    expect(response).toHaveLength(5);
    const clientSends = sendsBy(records, CLIENT);
    for (const [i, segment] of response.entries()) {
      const ack = clientSends.find((r) => r.tUs === segment.tUs && r.ack === 1 + (i + 1) * 1000);
      expect(ack, `ACK of response segment ${i + 1}`).toBeDefined();
    }
    // The client's FIN reaches the server 12 ms (propagation) + 3 × 4 µs (a 40-byte segment at
    // 100 Mbit/s on each link) after it leaves, and is ACKed then.
    const clientFin = clientSends.find((r) => r.flags & FIN) as HostSend;
    const finAck = sendsBy(records, SERVER).find((r) => r.ack === clientFin.seq + 1);
    expect(finAck?.tUs).toBe(clientFin.tUs + 12_012);
  });

  it('with delayed ACK out-of-order segments and the repair of a hole are still ACKed at once — SPEC TCP-ACK-1', () => {
    const { sim, records } = start({ traffic: [ONE_REQUEST], dropScript: { ba: [3] } }, { delayedAck: true });
    sim.advanceTo(5_000_000);
    const response = deliveredAt(records, CLIENT);
    const clientAcks = sendsBy(records, CLIENT).filter((r) => r.flags & ACK);
    // Segment 1 (in order) waits; segments 3, 4 and 5 arrive out of order; then the repair of 2.
    expect(response.map((r) => r.bytes)).toEqual([1000, 1000, 1000, 1000, 1000]);
    for (const segment of response.slice(1, 4)) {
      expect(clientAcks.find((r) => r.tUs === segment.tUs)).toMatchObject({ ack: 1001 });
    }
    const repair = response[4] as Delivered;
    expect(clientAcks.find((r) => r.tUs === repair.tUs)).toMatchObject({ ack: 5001 });
  });

  it('with delayed ACK in-order data is ACKed every second segment or after delayedAckMs — SPEC TCP-ACK-2', () => {
    // An upload on a 300 ms round trip: rounds of segments are further apart than the 200 ms
    // timer, so an odd segment at the end of a round waits for it.
    const upload = { ...ONE_REQUEST, requestBytes: 40_000, responseBytes: 1000 };
    const { sim, records } = start(
      { traffic: [upload], mid: { latencyMs: 150 } },
      { delayedAck: true, delayedAckMs: 200 },
    );
    sim.advanceTo(10_000_000);
    const arrivals = deliveredAt(records, SERVER).map((r) => r.tUs);
    expect(arrivals).toHaveLength(40);
    // The rule, applied to the arrival times: ACK on the second unACKed segment, or 200 ms after the first.
    const expected: number[] = [];
    let timerUs = -1;
    let pending = 0;
    for (const t of arrivals.slice(0, -1)) {
      if (pending === 1 && timerUs < t) {
        expected.push(timerUs);
        pending = 0;
      }
      pending++;
      if (pending === 1) timerUs = t + 200_000;
      else {
        expected.push(t);
        pending = 0;
      }
    }
    if (pending === 1 && timerUs < (arrivals.at(-1) as number)) expected.push(timerUs);
    // The last request segment is answered by the response, which carries the ACK.
    const last = arrivals.at(-1) as number;
    const pureAcks = sendsBy(records, SERVER)
      .filter((r) => r.len === 0 && r.flags === ACK && r.tUs < last)
      .map((r) => r.tUs);
    expect(pureAcks).toEqual(expected);
    expect(expected.some((t) => !arrivals.includes(t))).toBe(true); // the timer did fire
  });
});

describe('windows — SPEC TCP-WIN-1', () => {
  it('segments of mssBytes on fixed boundaries, never more in flight than the advertised window', () => {
    const { sim, records } = start(
      { traffic: [{ ...ONE_REQUEST, responseBytes: 10_000 }] },
      { mssBytes: 700, rwndBytes: 2_100 },
    );
    sim.traceCongestion = true;
    sim.advanceTo(5_000_000);
    const data = sendsBy(records, SERVER).filter((r) => r.len > 0);
    // 10,000 bytes in segments of 700 from byte 1: 14 full ones and 200 bytes.
    expect(data.map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => 1 + 700 * i));
    expect(data.map((r) => r.len)).toEqual([...Array(14).fill(700), 200]);
    const flight = records.flatMap((r) =>
      r.k === 'tcpSample' && r.role === 'server' ? [r.flightBytes] : [],
    );
    expect(Math.max(...flight)).toBe(2_100);
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ bytes: 10_000 });
  });
});

describe('resets — SPEC TCP-RST-1', () => {
  it('a segment for no connection is answered with an RST, which aborts the connection it reaches', () => {
    // The client's address changes mid-upload (NAT rebinding): its next segment matches no connection at the server.
    const upload = { ...ONE_REQUEST, requestBytes: 200_000, responseBytes: 1000 };
    const { sim, records } = start({ traffic: [upload], hostLinkKbps: 10_000 });
    sim.advanceTo(60_000);
    expect(sim.apply({ type: 'host.rebind', host: 'h-a' })).toBeNull();
    sim.advanceTo(5_000_000);
    const resets = sendsBy(records, SERVER).filter((r) => r.flags & RST);
    expect(resets.length).toBeGreaterThan(0);
    // RFC 9293 3.10.7.1: the reset's sequence number is the offending segment's ACK number.
    const first = resets[0] as HostSend;
    const offending = sendsBy(records, CLIENT).filter((r) => r.tUs < first.tUs && r.tUs >= 60_000);
    expect(offending.map((r) => r.ack)).toContain(first.seq);
    expect(records.find((r) => r.k === 'requestFailed')).toMatchObject({ reason: 'connection-reset' });
    expect(records.filter((r) => r.k === 'tcpState' && r.role === 'client').at(-1)).toMatchObject({
      to: 'CLOSED',
    });
  });
});
