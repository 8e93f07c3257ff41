import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { FIN, type TcpStateName } from '../engine/state.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario, ONE_REQUEST } from '../testing/lineScenario.ts';

/** RFC 9293's eleven states; the compiler checks this names every TcpStateName and nothing else. */
const RFC_9293_STATES: Record<TcpStateName, true> = {
  CLOSED: true,
  LISTEN: true,
  'SYN-SENT': true,
  'SYN-RECEIVED': true,
  ESTABLISHED: true,
  'FIN-WAIT-1': true,
  'FIN-WAIT-2': true,
  'CLOSE-WAIT': true,
  CLOSING: true,
  'LAST-ACK': true,
  'TIME-WAIT': true,
};

function run(closeBy: string): SimRecord[] {
  const file = lineScenario({ traffic: [{ ...ONE_REQUEST, closeBy }] });
  const sim = new Simulation(loadScenario(file, 'line.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(5_000_000);
  return records;
}

const states = (records: SimRecord[], role: 'client' | 'server') =>
  records.flatMap((r) => (r.k === 'tcpState' && r.role === role ? [r.to] : []));

describe('who closes first — SPEC TRF-3', () => {
  it('client (the default): after the whole response', () => {
    const records = run('client');
    expect(states(records, 'client')).toEqual([
      'SYN-SENT',
      'ESTABLISHED',
      'FIN-WAIT-1',
      'FIN-WAIT-2',
      'TIME-WAIT',
      'CLOSED',
    ]);
    expect(states(records, 'server')).toEqual([
      'LISTEN',
      'SYN-RECEIVED',
      'ESTABLISHED',
      'CLOSE-WAIT',
      'LAST-ACK',
      'CLOSED',
    ]);
    const clientFin = records.find((r) => r.k === 'hostSend' && r.node === 0 && r.flags & FIN);
    const completed = records.find((r) => r.k === 'requestCompleted');
    expect(clientFin?.tUs).toBe(completed?.tUs);
  });

  it('server: right after queuing the response, HTTP/1.0 style', () => {
    const records = run('server');
    expect(states(records, 'server')).toEqual([
      'LISTEN',
      'SYN-RECEIVED',
      'ESTABLISHED',
      'FIN-WAIT-1',
      'FIN-WAIT-2',
      'TIME-WAIT',
      'CLOSED',
    ]);
    expect(states(records, 'client')).toEqual([
      'SYN-SENT',
      'ESTABLISHED',
      'CLOSE-WAIT',
      'LAST-ACK',
      'CLOSED',
    ]);
    // The server's FIN leaves with the last response segment, before the client has any of it.
    const serverSends = records.filter((r) => r.k === 'hostSend' && r.node === 3);
    const fin = serverSends.find((r) => r.k === 'hostSend' && r.flags & FIN);
    expect(fin).toMatchObject({ seq: 5001 });
    expect(fin?.tUs).toBe(serverSends.find((r) => r.k === 'hostSend' && r.seq === 4001)?.tUs);
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ bytes: 5000 });
  });

  it('both: a simultaneous close through CLOSING on each side', () => {
    const records = run('both');
    for (const role of ['client', 'server'] as const) {
      const seen = states(records, role);
      expect(seen.slice(-4)).toEqual(['FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED']);
    }
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ bytes: 5000 });
  });
});

describe('connection states — SPEC TCP-STATE-1', () => {
  it('are RFC 9293’s eleven, and the three ways of closing pass through all of them', () => {
    expect(Object.keys(RFC_9293_STATES)).toHaveLength(11);
    const seen = new Set<string>();
    for (const closeBy of ['client', 'server', 'both'])
      for (const r of run(closeBy)) if (r.k === 'tcpState') seen.add(r.from).add(r.to);
    expect([...seen].sort()).toEqual(Object.keys(RFC_9293_STATES).sort());
  });
});
