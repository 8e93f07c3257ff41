import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { tcpTrace } from '../observation/trace.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario, ONE_REQUEST } from '../testing/lineScenario.ts';

/**
 * RFC 9293 scripted-drop cases in the style of ns-3's tcp-state suite (SPEC
 * TCP-STATE-2). Each must end in the right states and match its golden trace in
 * ./golden (review a trace by reading it; regenerate with UPDATE_GOLDEN=1 only
 * after checking the new one by hand).
 */
const CLIENT_FULL = ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED'];
const SERVER_FULL = ['LISTEN', 'SYN-RECEIVED', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED'];

// Packets a→b on the middle link are the client's: 1 SYN, 2 handshake ACK, 3 request, 4 FIN, 5 last ACK.
// Packets b→a are the server's: 1 SYN+ACK, 2 response (it carries the ACK of the request), 3 FIN.
const CASES = [
  { name: 'lost-syn', drop: { ab: [1] }, closeBy: 'client', client: CLIENT_FULL, server: SERVER_FULL },
  { name: 'lost-syn-ack', drop: { ba: [1] }, closeBy: 'client', client: CLIENT_FULL, server: SERVER_FULL },
  {
    name: 'lost-handshake-ack',
    drop: { ab: [2] },
    closeBy: 'client',
    client: CLIENT_FULL,
    server: SERVER_FULL,
  },
  {
    name: 'lost-initiator-fin',
    drop: { ab: [4] },
    closeBy: 'client',
    client: CLIENT_FULL,
    server: SERVER_FULL,
  },
  {
    name: 'lost-responder-fin',
    drop: { ba: [3] },
    closeBy: 'client',
    client: CLIENT_FULL,
    server: SERVER_FULL,
  },
  {
    name: 'simultaneous-close',
    drop: {},
    closeBy: 'both',
    client: ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED'],
    server: ['LISTEN', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED'],
  },
] as const;

function runCase(drop: { ab?: readonly number[]; ba?: readonly number[] }, closeBy: string): SimRecord[] {
  const traffic = [{ ...ONE_REQUEST, responseBytes: 1000, closeBy }];
  const file = lineScenario({ traffic, dropScript: { ab: [...(drop.ab ?? [])], ba: [...(drop.ba ?? [])] } });
  const sim = new Simulation(loadScenario(file, 'tcp-state.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  sim.advanceTo(30_000_000);
  expect(Object.keys(sim.st.conns)).toEqual([]); // both ends reached CLOSED
  return records;
}

function statesOf(records: SimRecord[], role: 'client' | 'server'): string[] {
  return records.flatMap((r) => (r.k === 'tcpState' && r.role === role ? [r.to] : []));
}

describe('RFC 9293 scripted drops end in the right states — SPEC TCP-STATE-2', () => {
  for (const c of CASES) {
    it(`${c.name}`, () => {
      const records = runCase(c.drop, c.closeBy);
      expect(statesOf(records, 'client')).toEqual(c.client);
      expect(statesOf(records, 'server')).toEqual(c.server);
      expect(records.some((r) => r.k === 'requestCompleted')).toBe(true);
      const trace = tcpTrace(records, 0, 0, { 0: 'client', 3: 'server' });
      const golden = join(import.meta.dirname, 'golden', `tcp-${c.name}.trace`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, trace);
      expect(existsSync(golden), `missing golden trace ${golden}`).toBe(true);
      expect(trace).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
