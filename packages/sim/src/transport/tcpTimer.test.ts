import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../engine/state.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario } from '../testing/lineScenario.ts';

/** One big response: ~100 ACKs, each restarting the sender's retransmission timer. */
const DOWNLOAD = {
  id: 'dl',
  kind: 'tcp',
  from: 'h-a',
  to: 'h-b',
  startS: 0,
  everyMs: 60_000,
  requestBytes: 300,
  responseBytes: 100_000,
  timeoutMs: 30_000,
};

const timerEvents = (events: SimEvent[]) => events.filter((e) => e.k === 'tcpTimer').length;

describe('retransmission timer wake-ups — SPEC TCP-RTO-6', () => {
  it('keeps at most one pending wake-up per connection while ACKs restart the timer', () => {
    const sim = new Simulation(loadScenario(lineScenario({ traffic: [DOWNLOAD] }), 'dl.json'), 1);
    let most = 0;
    for (let t = 10_000; t <= 400_000; t += 1_000) {
      sim.advanceTo(t);
      most = Math.max(most, timerEvents(sim.st.events));
    }
    expect(Object.keys(sim.st.conns).length).toBeGreaterThan(0);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2); // client and server
  });

  it('expires ⌈RTO⌉ after its last restart when the ACKs stop (a lost tail) — SPEC TCP-RTO-3, TCP-RTO-5', () => {
    // The server's data from its 10th segment on is lost: ACKs stop, the timer must fire.
    const lost = Array.from({ length: 200 }, (_, k) => 10 + k);
    const file = lineScenario({ traffic: [DOWNLOAD], dropScript: { ba: lost } });
    const sim = new Simulation(loadScenario(file, 'tail.json'), 1);
    sim.traceCongestion = true;
    const acks: { tUs: number; rtoUs: number }[] = [];
    let firstRetransmitUs = -1;
    sim.onRecord((r) => {
      if (r.k === 'tcpSample' && r.role === 'server' && r.event === 'ack') acks.push(r);
      if (r.k === 'retransmit' && firstRetransmitUs < 0) firstRetransmitUs = r.tUs;
    });
    sim.advanceTo(5_000_000);
    expect(firstRetransmitUs).toBeGreaterThan(0);
    // Each ACK of new data restarted the timer; the last one before the expiry set it.
    const last = acks.filter((a) => a.tUs < firstRetransmitUs).pop();
    expect(last).toBeDefined();
    expect(firstRetransmitUs).toBe((last?.tUs ?? 0) + Math.ceil(last?.rtoUs ?? 0));
  });
});

describe('a handshake whose SYN timed out — SPEC TCP-RTO-7 (RFC 6298 5.7)', () => {
  /** The client's RTO the moment its connection is established (before any data gives a sample). */
  function rtoAtEstablishedUs(dropScript?: { ab?: number[] }): number {
    const file = lineScenario({ traffic: [DOWNLOAD], ...(dropScript ? { dropScript } : {}) });
    const sim = new Simulation(loadScenario(file, 'syn.json'), 1);
    for (let t = 1_000; t <= 5_000_000; t += 1_000) {
      sim.advanceTo(t);
      const client = Object.values(sim.st.conns).find((c) => c.role === 'client');
      if (client?.state === 'ESTABLISHED') return client.rto.rtoUs;
    }
    throw new Error('the connection never opened');
  }

  it('resets RTO to 3 s when data transmission begins after the SYN timed out', () => {
    // The SYN is the first packet the client sends across l-mid; its timer expires at 1 s and RTO backs off to 2 s.
    expect(rtoAtEstablishedUs({ ab: [1] })).toBe(3_000_000);
  });

  it('leaves RTO alone when the SYN did not time out', () => {
    expect(rtoAtEstablishedUs()).toBe(1_000_000);
  });
});
