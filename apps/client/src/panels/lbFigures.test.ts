import type { L4BackendView } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import {
  backendStateText,
  backendTone,
  CONNECTIONS,
  imbalanceText,
  loadShares,
  memoryText,
  REQUESTS,
  serverErrors,
  serverText,
} from './lbFigures.ts';

const serverView = {
  busy: 2,
  concurrency: 4,
  queued: 0,
  queueLimit: 50,
  peakQueue: 3,
  served: 40,
  refused: 2,
  openConns: 3,
  peakConns: 5,
  memoryKB: 192,
  memoryLimitKB: 0,
  refusedConns: 1,
};

function backend(over: Partial<L4BackendView> = {}): L4BackendView {
  return {
    id: 'web-1',
    label: 'Web 1',
    weight: 1,
    admin: 'up',
    healthy: true,
    eligible: true,
    open: 3,
    total: 12,
    broken: 0,
    server: serverView,
    ...over,
  };
}

/** The L4 panel's words: its backends' open connections are the ones under way. */
const l4State = (b: L4BackendView) => backendStateText(b, b.open, CONNECTIONS);

describe('the balancer panels’ words — SPEC LB-UI-1, LB-UI-2, LB-UI-4', () => {
  it('LB-UI-2: a backend’s state, taken out before failing checks before draining before weight before full', () => {
    expect(l4State(backend())).toBe('taking connections');
    expect(l4State(backend({ admin: 'down', healthy: false }))).toBe('down (taken out)');
    expect(l4State(backend({ healthy: false, eligible: false }))).toBe('down (failed health checks)');
    expect(l4State(backend({ admin: 'drain', eligible: false }))).toBe('draining: 3 still open');
    expect(l4State(backend({ admin: 'drain', eligible: false, open: 0 }))).toBe('drained');
    expect(l4State(backend({ weight: 0, eligible: false }))).toBe('weight 0: no new connections');
    expect(l4State(backend({ eligible: false }))).toBe('full: no new connections');
  });

  it('LB-UI-4: the L7 panel says the same of requests, those in flight under way', () => {
    expect(backendStateText(backend(), 0, REQUESTS)).toBe('taking requests');
    expect(backendStateText(backend({ admin: 'drain', eligible: false }), 2, REQUESTS)).toBe(
      'draining: 2 in flight',
    );
    expect(backendStateText(backend({ admin: 'drain', eligible: false }), 0, REQUESTS)).toBe('drained');
    expect(backendStateText(backend({ weight: 0, eligible: false }), 0, REQUESTS)).toBe(
      'weight 0: no new requests',
    );
  });

  it('LB-UI-2: down is bad; draining, weight 0 and full are warnings', () => {
    expect(backendTone(backend())).toBe('good');
    expect(backendTone(backend({ admin: 'down', eligible: false }))).toBe('bad');
    expect(backendTone(backend({ healthy: false, eligible: false }))).toBe('bad');
    expect(backendTone(backend({ admin: 'drain', eligible: false }))).toBe('warn');
    expect(backendTone(backend({ weight: 0, eligible: false }))).toBe('warn');
  });

  it('LB-UI-1: load bars against the busiest backend; none when nothing is open', () => {
    expect(loadShares([4, 2, 0])).toEqual([1, 0.5, 0]);
    expect(loadShares([0, 0])).toEqual([0, 0]);
    expect(loadShares([])).toEqual([]);
  });

  it('LB-UI-1: memory against the limit when there is one, in MB when large; refused requests and connections', () => {
    expect(memoryText(serverView)).toBe('192 KB');
    expect(memoryText({ ...serverView, memoryKB: 640, memoryLimitKB: 20_480 })).toBe('640 KB of 20.0 MB');
    expect(memoryText(null)).toBe('—');
    expect(serverErrors(serverView)).toBe(3);
    expect(serverErrors(null)).toBe(0);
    expect(serverText(serverView)).toBe('Server: 2/4 busy · 0/50 queued · memory 192 KB · 3 refused');
    expect(serverText(null)).toBe('');
  });

  it('LB-UI-1: the imbalance as a ratio and a word, a dash with nothing open', () => {
    expect(imbalanceText({ imbalance: 0 })).toBe('—');
    expect(imbalanceText({ imbalance: 1 })).toBe('1.00× (even)');
    expect(imbalanceText({ imbalance: 1.25 })).toBe('1.25× (even)');
    expect(imbalanceText({ imbalance: 1.6 })).toBe('1.60× (uneven)');
    expect(imbalanceText({ imbalance: 2.5 })).toBe('2.50× (lopsided)');
  });
});
