import { describe, expect, it } from 'vitest';
import { dropSplit, heldOrder } from '../panels/router.ts';
import { realUs, roundLengthText } from './dom.ts';
import { latencyText } from './hud.ts';

describe('figures as people read them', () => {
  it('MET-2: a latency with no sample is a dash, not "0 ms"', () => {
    expect(latencyText(0, ' ms')).toBe('—');
    expect(latencyText(41.6, ' ms')).toBe('42 ms');
  });

  it('MET-2: a link’s drops say which: queue full, lost on the wire', () => {
    expect(dropSplit(3, 5)).toBe('3 queue full · 5 lost');
    expect(dropSplit(0, 2)).toBe('2 lost');
  });

  it('CLASS-3: a round’s length in class time at its speed, with the simulated time it covers', () => {
    expect(realUs(45_000_000, 0.1)).toBe(450_000_000);
    expect(roundLengthText(45_000_000, 0.1)).toBe('7:30 of class time (0:45 simulated at 1/10× speed)');
    expect(roundLengthText(180_000_000, 0.5)).toBe('6:00 of class time (3:00 simulated at 1/2× speed)');
    expect(roundLengthText(60_000_000, 1)).toBe('1:00 of class time');
  });

  it('UI-1: rows under the pointer hold still; new packets join at the end', () => {
    expect(heldOrder([4, 5, 6], [5, 6, 7])).toEqual([4, 5, 6, 7]);
    expect(heldOrder([], [1, 2])).toEqual([1, 2]);
  });
});
