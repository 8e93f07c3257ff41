import { describe, expect, it } from 'vitest';
import { RESYNC_INTERVAL_MS, ResyncGate } from './resyncGate.ts';

describe('resync gate (SPEC SYNC-6)', () => {
  it('SYNC-6: one snapshot now, requests within the interval coalesce into one at its end', () => {
    const gate = new ResyncGate();
    expect(gate.request('a', 0)).toEqual({ kind: 'now' });
    expect(gate.request('a', 200)).toEqual({ kind: 'later', delayMs: RESYNC_INTERVAL_MS - 200 });
    expect(gate.request('a', 300)).toEqual({ kind: 'coalesced' });
    expect(gate.request('b', 300)).toEqual({ kind: 'now' }); // clients are counted apart
    gate.sentScheduled('a', RESYNC_INTERVAL_MS);
    expect(gate.request('a', RESYNC_INTERVAL_MS + 100).kind).toBe('later');
    expect(gate.request('a', 3 * RESYNC_INTERVAL_MS).kind).toBe('coalesced');
    gate.forget('a');
    expect(gate.request('a', 3 * RESYNC_INTERVAL_MS)).toEqual({ kind: 'now' });
  });
});
