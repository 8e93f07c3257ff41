import type { L4BackendView } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import {
  backendStateText,
  backendTone,
  imbalanceText,
  loadShares,
  memoryText,
  serverErrors,
} from './l4lbFigures.ts';

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

describe('the L4 panel’s words — SPEC LB-UI-1, LB-UI-2', () => {
  it('LB-UI-2: a backend’s state, taken out before failing checks before draining before weight before full', () => {
    expect(backendStateText(backend())).toBe('taking connections');
    expect(backendStateText(backend({ admin: 'down', healthy: false }))).toBe('down (taken out)');
    expect(backendStateText(backend({ healthy: false, eligible: false }))).toBe(
      'down (failed health checks)',
    );
    expect(backendStateText(backend({ admin: 'drain', eligible: false }))).toBe('draining: 3 still open');
    expect(backendStateText(backend({ admin: 'drain', eligible: false, open: 0 }))).toBe('drained');
    expect(backendStateText(backend({ weight: 0, eligible: false }))).toBe('weight 0: no new connections');
    expect(backendStateText(backend({ eligible: false }))).toBe('full: no new connections');
  });

  it('LB-UI-2: down is bad; draining, weight 0 and full are warnings', () => {
    expect(backendTone(backend())).toBe('good');
    expect(backendTone(backend({ admin: 'down', eligible: false }))).toBe('bad');
    expect(backendTone(backend({ healthy: false, eligible: false }))).toBe('bad');
    expect(backendTone(backend({ admin: 'drain', eligible: false }))).toBe('warn');
    expect(backendTone(backend({ weight: 0, eligible: false }))).toBe('warn');
  });

  it('LB-UI-1: load bars against the busiest backend; none when nothing is open', () => {
    expect(loadShares([backend({ open: 4 }), backend({ open: 2 }), backend({ open: 0 })])).toEqual([
      1, 0.5, 0,
    ]);
    expect(loadShares([backend({ open: 0 }), backend({ open: 0 })])).toEqual([0, 0]);
    expect(loadShares([])).toEqual([]);
  });

  it('LB-UI-1: memory against the limit when there is one, in MB when large; refused requests and connections', () => {
    expect(memoryText(backend())).toBe('192 KB');
    expect(memoryText(backend({ server: { ...serverView, memoryKB: 640, memoryLimitKB: 20_480 } }))).toBe(
      '640 KB of 20.0 MB',
    );
    expect(memoryText(backend({ server: null }))).toBe('—');
    expect(serverErrors(backend())).toBe(3);
    expect(serverErrors(backend({ server: null }))).toBe(0);
  });

  it('LB-UI-1: the imbalance as a ratio and a word, a dash with nothing open', () => {
    expect(imbalanceText({ imbalance: 0 })).toBe('—');
    expect(imbalanceText({ imbalance: 1 })).toBe('1.00× (even)');
    expect(imbalanceText({ imbalance: 1.25 })).toBe('1.25× (even)');
    expect(imbalanceText({ imbalance: 1.6 })).toBe('1.60× (uneven)');
    expect(imbalanceText({ imbalance: 2.5 })).toBe('2.50× (lopsided)');
  });
});
