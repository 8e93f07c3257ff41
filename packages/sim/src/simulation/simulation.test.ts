import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { ACK, FIN, SYN } from '../engine/state.ts';
import type { RouterState } from '../roles/router/state.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { lineScenario, ONE_FRAME, ONE_REQUEST } from '../testing/lineScenario.ts';
import { Simulation } from './simulation.ts';

function run(file: unknown, seed = 1, untilUs = 5_000_000): { sim: Simulation; records: SimRecord[] } {
  const sim = new Simulation(loadScenario(file, 'test.json'), seed);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(untilUs);
  return { sim, records };
}

describe('forwarding', () => {
  it('delivers a frame over the longest-prefix routes — SPEC RT-1', () => {
    const { records } = run(lineScenario({ traffic: [ONE_FRAME] }));
    const delivered = records.filter((r) => r.k === 'frameDelivered');
    expect(delivered).toHaveLength(1);
    // 1 + 10 + 1 ms propagation plus three serializations of 128 bytes at 100 Mbit/s (11 µs each).
    expect(delivered[0]).toMatchObject({ latencyUs: 12_033, path: [1, 2] });
  });

  it('a routing loop ends in TTL expiry, one TTL per hop — SPEC RT-3', () => {
    const loop = { r1: [{ prefix: '10.2.0.0/16', via: 'r2' }], r2: [{ prefix: '10.2.0.0/16', via: 'r1' }] };
    const { records } = run(lineScenario({ traffic: [ONE_FRAME], routes: loop, initialTtl: 9 }));
    const drop = records.find((r) => r.k === 'drop');
    expect(drop).toMatchObject({ reason: 'ttl-expired' });
    const lost = records.find((r) => r.k === 'frameLost');
    expect(lost).toMatchObject({ reason: 'ttl-expired' });
    // TTL 9: forwarded by routers 8 times (r1, r2, r1, …); the 9th router decrements it to 0 and drops it.
    expect(drop?.k === 'drop' && drop.node).toBe(1);
    expect(records.some((r) => r.k === 'frameDelivered')).toBe(false);
  });

  it('no matching route drops with reason no-route — SPEC RT-4', () => {
    const { records } = run(lineScenario({ traffic: [ONE_FRAME], routes: { r1: [] } }));
    expect(records.find((r) => r.k === 'frameLost')).toMatchObject({ reason: 'no-route', at: 'r1' });
  });
});

describe('hand forwarding (lesson 1) — SPEC RT-5', () => {
  it('packets wait at the router until the player forwards them', () => {
    const sim = new Simulation(
      loadScenario(lineScenario({ traffic: [ONE_FRAME], handForwarding: true }), 't'),
      1,
    );
    const records: SimRecord[] = [];
    sim.onRecord((r) => records.push(r));
    sim.advanceTo(100_000);
    const r1 = sim.st.roles[1] as RouterState | null;
    expect(r1?.handQueue).toHaveLength(1);
    const packetId = r1?.handQueue[0]?.packet.id as number;
    expect(sim.apply({ type: 'hand.forward', node: 'r1', packetId, via: 'h-b' })).toMatch(/not a neighbour/);
    expect(sim.apply({ type: 'hand.forward', node: 'r1', packetId, via: 'r2' })).toBeNull();
    sim.advanceTo(500_000);
    const delivered = records.filter((r) => r.k === 'frameDelivered');
    expect(delivered).toHaveLength(1);
    // The path survives the wait in the player's hands: r1 (node 1) then r2 (node 2).
    expect(delivered[0]).toMatchObject({ path: [1, 2], bytes: ONE_FRAME.frameBytes });
  });

  it('a packet nobody forwards is dropped after the hand timeout', () => {
    const frame = { ...ONE_FRAME, deadlineMs: 9_000 };
    const { records } = run(lineScenario({ traffic: [frame], handForwarding: true }), 1, 10_000_000);
    expect(records.find((r) => r.k === 'drop')).toMatchObject({
      reason: 'hand-timeout',
      node: 1,
      tUs: 4_001_011,
    });
    // The frame's fate settles at its deadline, with the reason its packet died (SPEC TRF-1).
    expect(records.find((r) => r.k === 'frameLost')).toMatchObject({
      reason: 'hand-timeout',
      at: 'r1',
      tUs: 9_000_001,
    });
  });
});

describe('TCP-like channel', () => {
  it('runs the 3-way handshake, data with cumulative ACKs and FIN teardown — SPEC TCP-HS-1, TCP-FIN-1', () => {
    const { records } = run(lineScenario({ traffic: [ONE_REQUEST] }));
    const states = (role: string) =>
      records
        .filter((r) => r.k === 'tcpState' && r.role === role)
        .map((r) => (r.k === 'tcpState' ? r.to : ''));
    expect(states('client')).toEqual([
      'SYN-SENT',
      'ESTABLISHED',
      'FIN-WAIT-1',
      'FIN-WAIT-2',
      'TIME-WAIT',
      'CLOSED',
    ]);
    expect(states('server')).toEqual([
      'LISTEN',
      'SYN-RECEIVED',
      'ESTABLISHED',
      'CLOSE-WAIT',
      'LAST-ACK',
      'CLOSED',
    ]);

    const sends = records.filter((r) => r.k === 'hostSend');
    const client = sends.filter((r) => r.k === 'hostSend' && r.node === 0);
    const server = sends.filter((r) => r.k === 'hostSend' && r.node === 3);
    // SYN consumes sequence number 0; data starts at 1; the FIN consumes the number after the data (SPEC TCP-SEQ-1).
    expect(client[0]).toMatchObject({ flags: SYN, seq: 0, len: 0 });
    expect(server[0]).toMatchObject({ flags: SYN | ACK, seq: 0, ack: 1 });
    expect(client[1]).toMatchObject({ flags: ACK, seq: 1, ack: 1, len: 0 });
    expect(client[2]).toMatchObject({ flags: ACK, seq: 1, len: 300 });
    const serverFin = server.find((r) => r.k === 'hostSend' && r.flags & FIN);
    expect(serverFin).toMatchObject({ seq: 5001, ack: 302 });
    const clientFin = client.find((r) => r.k === 'hostSend' && r.flags & FIN);
    expect(clientFin).toMatchObject({ seq: 301, ack: 5001 });
    expect(client.at(-1)).toMatchObject({ flags: ACK, ack: 5002 });
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ bytes: 5000 });
  });

  it('retransmits lost segments on the RTO and still delivers everything in order — SPEC TCP-RTO-5, TCP-DATA-1', () => {
    const traffic = [{ ...ONE_REQUEST, stopS: 20, everyMs: 2000, responseBytes: 20_000 }];
    const { records } = run(lineScenario({ traffic, loss: 0.1 }), 3, 60_000_000);
    const completed = records.filter((r) => r.k === 'requestCompleted');
    expect(records.filter((r) => r.k === 'retransmit').length).toBeGreaterThan(0);
    expect(completed.length).toBe(10);
    for (const r of completed) expect(r.k === 'requestCompleted' && r.bytes).toBe(20_000);
  });
});

describe('TCP-like loss recovery', () => {
  const request = { ...ONE_REQUEST, responseBytes: 20_000 };

  it('a lost SYN is sent again when the 1 s initial RTO expires — SPEC TCP-RTO-1, LINK-4', () => {
    const { records } = run(lineScenario({ traffic: [request], dropScript: { ab: [1] } }));
    const syns = records.filter((r) => r.k === 'hostSend' && r.node === 0 && r.flags === SYN);
    expect(syns.map((r) => r.tUs)).toEqual([0, 1_000_000]);
    const done = records.find((r) => r.k === 'requestCompleted');
    expect(done?.k === 'requestCompleted' && done.latencyUs).toBeGreaterThan(1_000_000);
  });

  it('three duplicate ACKs trigger a fast retransmit long before the RTO — SPEC TCP-CC-4', () => {
    // b→a packet 1 is the SYN-ACK; 2 the first response segment, 5 the fourth.
    const { records } = run(lineScenario({ traffic: [request], dropScript: { ba: [5] } }));
    const retransmits = records.filter((r) => r.k === 'retransmit');
    expect(retransmits).toHaveLength(1);
    const lostSeq = retransmits[0]?.k === 'retransmit' ? retransmits[0].seq : -1;
    expect(lostSeq).toBe(3001);
    const dupAcks = records.filter(
      (r) => r.k === 'hostSend' && r.node === 0 && r.len === 0 && r.ack === lostSeq,
    );
    expect(dupAcks.length).toBeGreaterThanOrEqual(4); // the first ACK for 3001, then three duplicates
    const done = records.find((r) => r.k === 'requestCompleted');
    expect(done?.k === 'requestCompleted' && done.latencyUs).toBeLessThan(500_000);
  });
});

describe('determinism — SPEC SIM-4, SIM-5', () => {
  const lossy = () =>
    lineScenario({
      traffic: [
        { ...ONE_REQUEST, stopS: 10 },
        { ...ONE_FRAME, stopS: 10, intervalMs: 20 },
      ],
      loss: 0.05,
    });

  it('same scenario + seed + commands gives the same stateHash', () => {
    const a = run(lossy(), 42, 8_000_000).sim;
    const b = run(lossy(), 42, 8_000_000).sim;
    expect(a.stateHash()).toBe(b.stateHash());
    expect(run(lossy(), 43, 8_000_000).sim.stateHash()).not.toBe(a.stateHash());
  });

  it('tracing TCP emits samples and never changes state — SPEC TCP-TRACE-1', () => {
    const plain = run(lossy(), 42, 8_000_000).sim;
    const traced = new Simulation(loadScenario(lossy(), 't'), 42);
    traced.traceCongestion = true;
    let samples = 0;
    traced.onRecord((r) => {
      if (r.k === 'tcpSample') samples++;
    });
    traced.advanceTo(8_000_000);
    expect(samples).toBeGreaterThan(100);
    expect(traced.stateHash()).toBe(plain.stateHash());
  });

  it('snapshot, restore and continue equals running straight through', () => {
    const straight = new Simulation(loadScenario(lossy(), 't'), 9);
    const split = new Simulation(loadScenario(lossy(), 't'), 9);
    for (const sim of [straight, split]) {
      sim.advanceTo(2_000_000);
      sim.apply({ type: 'route.delete', node: 'r2', prefix: '10.1.0.0/16' });
      sim.advanceTo(3_000_000);
    }
    const replica = new Simulation(loadScenario(lossy(), 't'), 9);
    replica.restore(split.snapshot());
    expect(replica.stateHash()).toBe(straight.stateHash());
    for (const sim of [straight, replica]) {
      sim.apply({ type: 'route.set', node: 'r2', prefix: '10.1.0.0/16', via: 'r1' });
      sim.advanceTo(9_000_000);
    }
    expect(replica.stateHash()).toBe(straight.stateHash());
  });
});

describe('commands — SPEC CMD-1', () => {
  it('refuses bad commands without changing state', () => {
    const sim = new Simulation(loadScenario(lineScenario({}), 't'), 1);
    const before = sim.stateHash();
    expect(sim.apply({ type: 'route.set', node: 'r9', prefix: '10.0.0.0/8', via: 'r2' })).toMatch(
      /unknown router/,
    );
    expect(sim.apply({ type: 'route.set', node: 'r1', prefix: '10.0.0.1/8', via: 'r2' })).toMatch(
      /not a prefix/,
    );
    expect(sim.apply({ type: 'route.set', node: 'r1', prefix: '10.0.0.0/8', via: 'h-b' })).toMatch(
      /not a neighbour/,
    );
    expect(sim.apply({ type: 'route.delete', node: 'r1', prefix: '10.9.0.0/16' })).toMatch(/no route/);
    expect(sim.apply({ type: 'link.set', link: 'nope', up: false })).toMatch(/unknown link/);
    expect(sim.stateHash()).toBe(before);
  });
});
