import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../engine/records.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario, ONE_REQUEST } from '../testing/lineScenario.ts';

/** Runs one request on the test line and returns every record. */
function run(
  options: Parameters<typeof lineScenario>[0],
  untilUs: number,
  apply?: (sim: Simulation) => void,
) {
  const sim = new Simulation(loadScenario(lineScenario(options), 'timeouts.json'), 1);
  const records: SimRecord[] = [];
  sim.onRecord((r) => records.push(r));
  apply?.(sim);
  sim.advanceTo(untilUs);
  return records;
}

/** When the client's connection entered and left TIME-WAIT. */
function timeWait(records: SimRecord[]): { enteredUs: number; closedUs: number } {
  const client = records.filter((r) => r.k === 'tcpState' && r.role === 'client');
  const entered = client.find((r) => r.k === 'tcpState' && r.to === 'TIME-WAIT');
  const closed = client.find((r) => r.k === 'tcpState' && r.from === 'TIME-WAIT' && r.to === 'CLOSED');
  if (!entered || !closed) throw new Error('the client never went through TIME-WAIT');
  return { enteredUs: entered.tUs, closedUs: closed.tUs };
}

describe('timers a fixed delay ahead', () => {
  it('TIME-WAIT lasts exactly 2·MSL — SPEC TCP-STATE-3', () => {
    const { enteredUs, closedUs } = timeWait(run({ traffic: [ONE_REQUEST] }, 10_000_000));
    expect(closedUs - enteredUs).toBe(2_000_000); // MSL 1 s by default
  });

  it('a FIN repeated during TIME-WAIT is ACKed again and restarts the wait — SPEC TCP-STATE-3', () => {
    // The client's last ACK (its 5th packet on the middle link) is lost: the server repeats its FIN.
    const records = run(
      { traffic: [{ ...ONE_REQUEST, responseBytes: 1000 }], dropScript: { ab: [5] } },
      20_000_000,
    );
    const { enteredUs, closedUs } = timeWait(records);
    const client = records.find((r) => r.k === 'hostSend' && r.node === 0);
    expect(client).toBeDefined();
    // The repeated FIN reached the client: its ACK went out again, after the first.
    const clientAcksAfterEntering = records.filter(
      (r) => r.k === 'hostSend' && r.node === 0 && r.tUs >= enteredUs && r.len === 0,
    );
    expect(clientAcksAfterEntering.length).toBe(2);
    const repeatUs = (clientAcksAfterEntering[1] as SimRecord).tUs;
    expect(closedUs - repeatUs).toBe(2_000_000);
  });

  it('a request that cannot complete fails at its deadline with the last loss seen — SPEC TRF-2', () => {
    const records = run({ traffic: [{ ...ONE_REQUEST, timeoutMs: 4_000 }] }, 10_000_000, (sim) =>
      sim.apply({ type: 'link.set', link: 'l-mid', up: false }),
    );
    const failed = records.find((r) => r.k === 'requestFailed');
    expect(failed).toMatchObject({ tUs: 4_000_000, reason: 'link-down', at: 'l-mid' });
    expect(records.some((r) => r.k === 'requestCompleted')).toBe(false);
  });
});
