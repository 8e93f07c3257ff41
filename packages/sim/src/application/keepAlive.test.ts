/** HTTP/1.1 keep-alive: several requests per connection, and what reuse saves (SPEC KA-1, KA-2). */
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lbRequests, lbScenario } from '../testing/lbScenario.ts';
import { lineScenario } from '../testing/lineScenario.ts';

function run(file: unknown, untilUs: number) {
  const sim = new Simulation(loadScenario(file, 'ka.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(untilUs);
  const of = <K extends SimRecord['k']>(k: K) =>
    records.filter((r): r is Extract<SimRecord, { k: K }> => r.k === k);
  const opened = () => of('tcpState').filter((r) => r.role === 'client' && r.to === 'SYN-SENT').length;
  return { sim, records, of, opened };
}

const flow = (extra: Record<string, unknown>) => ({
  id: 'web',
  kind: 'tcp',
  from: 'h-a',
  to: 'h-b',
  everyMs: 200,
  stopS: 2,
  requestBytes: 300,
  // Two segments: within the initial window, so a fresh and a warm connection send it alike.
  responseBytes: 2_000,
  timeoutMs: 5_000,
  ...extra,
});

describe('keep-alive — SPEC KA-1', () => {
  it('sends requestsPerConnection requests one after another on one connection, then closes it', () => {
    const t = run(lineScenario({ traffic: [flow({ requestsPerConnection: 5 })] }), 5_000_000);
    expect(t.of('requestCompleted').map((r) => r.unit)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(t.opened()).toBe(2);
    // Both connections closed (TIME-WAIT over): the client closes after its fifth response.
    expect(Object.keys(t.sim.st.conns)).toEqual([]);
  });

  it('refuses several requests per connection with a server that closes, or a page load', () => {
    const bad = lineScenario({ traffic: [flow({ requestsPerConnection: 3, closeBy: 'server' })] });
    expect(() => loadScenario(bad, 'bad.json')).toThrow(
      /requestsPerConnection: several requests per connection/,
    );
  });

  it('holds a connection (and its server memory) open while its requests last: a chat', () => {
    const chat = lbScenario({
      server: { processingMs: 1, concurrency: 8, queueLimit: 8, connMemoryKB: 50 },
      traffic: [
        lbRequests('c1', 500, { requestsPerConnection: 1_000, requestBytes: 100, responseBytes: 100 }),
      ],
    });
    const t = run(chat, 60_000_000);
    expect(t.opened()).toBe(1);
    expect(t.of('requestCompleted').length).toBe(120);
    const servers = Object.values(t.sim.st.servers);
    expect(servers.map((s) => s.openConns).sort()).toEqual([0, 0, 1]);
  });

  it('a broken keep-alive connection fails its later requests as reset', () => {
    const chat = lbScenario({
      lb: { tracking: false },
      traffic: [
        lbRequests('c1', 500, { requestsPerConnection: 1_000, requestBytes: 100, responseBytes: 100 }),
      ],
    });
    const t = run(chat, 20_000_000);
    expect(t.of('lbConnBroken').length).toBe(1);
    expect(t.of('requestCompleted').length).toBe(0);
    expect(t.of('requestFailed').map((r) => r.reason)).toContain('connection-reset');
  });
});

describe('keep-alive across a snapshot — SPEC KA-1, SIM-5', () => {
  it('restores a connection between its requests and goes on as the original', () => {
    const file = lineScenario({ traffic: [flow({ requestsPerConnection: 5 })] });
    const a = new Simulation(loadScenario(file, 'ka.json'), 1);
    a.advanceTo(450_000);
    const b = new Simulation(loadScenario(file, 'ka.json'), 1);
    b.restore(a.snapshot());
    a.advanceTo(3_000_000);
    b.advanceTo(3_000_000);
    expect(b.stateHash()).toBe(a.stateHash());
  });
});

describe('what connection reuse saves — SPEC KA-2', () => {
  it.each([
    ['none', 1],
    ['1.2', 3],
    ['1.3', 2],
  ] as const)(
    'TLS %s: each request after the first saves exactly the handshake, %i round trips',
    (tls, rtts) => {
      // Links of 100 Gbit/s: a round trip is 24 ms (1 + 10 + 1 ms each way) plus serialization,
      // which rounds up to 1 µs per packet and link: the handshake's few packets add ≤ 25 µs.
      const fast = { hostLinkKbps: 100_000_000, mid: { bandwidthKbps: 100_000_000 } };
      const fresh = run(lineScenario({ ...fast, traffic: [flow({ tls })] }), 3_000_000);
      const warm = run(
        lineScenario({ ...fast, traffic: [flow({ tls, requestsPerConnection: 10 })] }),
        3_000_000,
      );
      const latency = (t: typeof fresh, unit: number) =>
        t.of('requestCompleted').find((r) => r.unit === unit)?.latencyUs ?? Number.NaN;
      const saved = Array.from({ length: 9 }, (_, i) => latency(fresh, i + 1) - latency(warm, i + 1));
      for (const us of saved) {
        expect(us - rtts * 24_000).toBeGreaterThanOrEqual(0);
        expect(us - rtts * 24_000).toBeLessThan(25);
      }
      expect(latency(warm, 0)).toBe(latency(fresh, 0));
    },
  );
});
