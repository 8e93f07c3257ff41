import { describe, expect, it } from 'vitest';
import { ln } from './detMath.ts';

describe('deterministic ln — SPEC SIM-3', () => {
  it('matches Math.log to within a few ulps across the range', () => {
    for (const x of [1e-300, 1e-9, 0.001, 0.1, 0.5, 0.999999, 1, 1.5, 2, Math.E, 10, 12345.678, 1e200]) {
      const expected = Math.log(x);
      expect(Math.abs(ln(x) - expected)).toBeLessThanOrEqual(Math.max(1e-15, Math.abs(expected) * 4e-16));
    }
    expect(ln(1)).toBe(0);
  });

  it('refuses non-positive input', () => {
    expect(() => ln(0)).toThrow(RangeError);
    expect(() => ln(-1)).toThrow(RangeError);
  });
});
