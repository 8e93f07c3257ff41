import { describe, expect, it } from 'vitest';
import { compactTick } from './charts.ts';

describe('debrief chart axes — SPEC DEBRIEF-3', () => {
  it('labels large values in thousands so the axis stays narrow', () => {
    expect(compactTick(0)).toBe('0');
    expect(compactTick(9_500)).toBe('9500');
    expect(compactTick(10_000)).toBe('10k');
    expect(compactTick(12_500)).toBe('12.5k');
    expect(compactTick(-20_000)).toBe('-20k');
  });
});
