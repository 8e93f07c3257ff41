import { describe, expect, it } from 'vitest';
import {
  cpuBusyText,
  cpuQueueText,
  handshakesText,
  latencyText,
  poolSizeProblem,
  requestsText,
} from './l7lbFigures.ts';

describe('the L7 panel’s figures in words — SPEC LB-UI-3', () => {
  it('LB-UI-3: a pool’s latency is a dash before its first request, then whole ms', () => {
    expect(latencyText({ completed: 0, meanLatencyMs: 0 })).toBe('—');
    expect(latencyText({ completed: 3, meanLatencyMs: 41.6 })).toBe('42 ms');
    expect(requestsText({ completed: 12, failed: 2 })).toBe('12 done · 2 failed');
  });

  it('LB-UI-3: handshakes made and saved', () => {
    expect(handshakesText({ handshakes: 0, handshakesSaved: 0 })).toBe('0 made · 0 saved');
    expect(handshakesText({ handshakes: 1, handshakesSaved: 3 })).toBe('1 made · 3 saved');
  });

  it('LB-UI-3: the CPU’s busy share as a percent, its queue against the limit and what it refused', () => {
    expect(cpuBusyText({ busyShare: 0 })).toBe('0 %');
    expect(cpuBusyText({ busyShare: 0.456 })).toBe('46 %');
    expect(cpuQueueText({ queued: 3, queueLimit: 200, refused: 0 })).toBe('3/200');
    expect(cpuQueueText({ queued: 200, queueLimit: 200, refused: 7 })).toBe('200/200 · 7 refused');
  });

  it('LB-UI-3: a pool size outside 0–64, or not whole, is refused in the panel with a sentence', () => {
    for (const ok of ['0', '8', '64']) expect(poolSizeProblem(ok, 64)).toBeNull();
    for (const bad of ['', ' ', '-1', '65', '2.5', 'four'])
      expect(poolSizeProblem(bad, 64)).toBe('A pool size is a whole number from 0 to 64.');
  });
});
