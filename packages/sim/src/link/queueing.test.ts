import { describe, expect, it } from 'vitest';
import type { LinkDirState } from '../engine/state.ts';
import {
  commitPending,
  dropPending,
  emptyDirection,
  pendingAt,
  pendingFromPlain,
  pendingToPlain,
  retireFinished,
  spillNewest,
  transmitted,
} from './queueing.ts';

const dir = (): LinkDirState => emptyDirection({ kind: 'fifo' });

/** Commits `n` packets of `bytes` back to back at `nowUs`, `serUs` each, as network.ts does. */
function commitBurst(d: LinkDirState, n: number, nowUs: number, serUs: number, bytes: number): void {
  for (let k = 0; k < n; k++) {
    commitPending(d, nowUs, Math.max(nowUs, d.busyUntilUs) + serUs, bytes);
    d.txBytes += bytes;
    d.txPackets++;
  }
}

describe('committed packets of an interface — SPEC LINK-8', () => {
  it('keeps finish order through growth and wrap-around', () => {
    const d = dir();
    commitBurst(d, 6, 0, 10, 100);
    retireFinished(d, 35); // three finished (10, 20, 30): the head moves
    commitBurst(d, 20, 35, 10, 200); // wraps the first ring of 8, then grows it twice
    expect(pendingAt(d, 35)).toBe(23);
    expect(pendingAt(d, 60)).toBe(20);
    // Sent by 60: the six 100-byte packets; the 200-byte ones finish from 70 on.
    expect(transmitted(d, 60)).toEqual({ bytes: 600, packets: 6 });
    expect(pendingToPlain(d, 60).finishUs).toEqual(Array.from({ length: 20 }, (_, k) => 70 + 10 * k));
  });

  it('holds nothing once the transmitter is idle, and counts nothing already sent', () => {
    const d = dir();
    commitBurst(d, 40, 0, 5, 100);
    expect(pendingAt(d, 200)).toBe(0);
    expect(transmitted(d, 200)).toEqual({ bytes: 4000, packets: 40 });
    // A packet on the idle interface is its only committed one; the ring's old entries do not count.
    commitBurst(d, 1, 300, 5, 70);
    expect(pendingAt(d, 302)).toBe(1);
    expect(pendingToPlain(d, 302)).toEqual({ finishUs: [305], bytes: [70] });
    expect(transmitted(d, 302)).toEqual({ bytes: 4000, packets: 40 });
  });

  it('keeps the newest committed packet out of the ring until the next one comes while it is sent', () => {
    const d = dir();
    commitBurst(d, 1, 0, 10, 100);
    expect(d.pending.count).toBe(0);
    expect(d.newestBytes).toBe(100);
    commitBurst(d, 1, 5, 10, 200); // the first is still being sent: it joins the ring
    expect(d.pending.count).toBe(1);
    expect(pendingToPlain(d, 5)).toEqual({ finishUs: [10, 20], bytes: [100, 200] });
    // Strict priority takes over busyUntilUs: the newest joins the ring first.
    spillNewest(d, 5);
    expect(d.newestBytes).toBe(-1);
    expect(pendingToPlain(d, 5)).toEqual({ finishUs: [10, 20], bytes: [100, 200] });
    dropPending(d);
    expect(pendingAt(d, 5)).toBe(0);
  });

  it('refuses a packet that would finish before one committed earlier (the ring retires from its head) — SPEC SIM-6', () => {
    const d = dir();
    commitPending(d, 0, 100, 100);
    commitPending(d, 0, 50, 100); // a bug: finishes before the packet ahead of it; 100 joins the ring
    // The 50 joins the ring behind the 100: out of order.
    expect(() => commitPending(d, 0, 200, 100)).toThrow(/finish in the order/); // SPEC SIM-6
  });

  it('round-trips through plain data canonically (finished entries and spare capacity left out)', () => {
    const a = dir();
    commitBurst(a, 30, 0, 10, 100);
    retireFinished(a, 95);
    const b = dir();
    commitBurst(b, 21, 90, 10, 100); // finish at 100 … 300, like the entries a still holds
    const plainA = pendingToPlain(a, 100);
    expect(plainA).toEqual(pendingToPlain(b, 100));
    const back = { ...dir(), busyUntilUs: a.busyUntilUs, ...pendingFromPlain(plainA, a.busyUntilUs) };
    expect(back.newestBytes).toBe(100);
    expect(pendingToPlain(back, 100)).toEqual(plainA);
    expect(pendingAt(back, 150)).toBe(pendingAt(a, 150));
  });
});
