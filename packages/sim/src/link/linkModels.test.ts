import { describe, expect, it } from 'vitest';
import { createRng } from '../engine/rng.ts';
import { decideLoss, type LossModel, steadyStateLoss } from './linkModels.ts';

/** REFERENCES.md tolerance on a measured rate: |p̂ − p| ≤ 4·√(VIF·p(1−p)/N). */
function band(p: number, n: number, vif: number): number {
  return 4 * Math.sqrt((vif * p * (1 - p)) / n);
}

function measure(
  model: LossModel,
  n: number,
  seed: number,
): { rate: number; meanBurst: number; bursts: number } {
  const rng = createRng(seed, 1);
  const mem = { bad: false, decided: 0 };
  let lost = 0;
  let bursts = 0;
  let previous = false;
  for (let i = 0; i < n; i++) {
    const l = decideLoss(model, mem, rng);
    if (l) lost++;
    if (l && !previous) bursts++;
    previous = l;
  }
  return { rate: lost / n, meanBurst: bursts === 0 ? 0 : lost / bursts, bursts };
}

describe('netem loss models — SPEC LINK-5', () => {
  const N = 200_000;

  it('Bernoulli loss rate stays within the band (VIF 1) over several seeds', () => {
    for (const p of [0.01, 0.05, 0.2]) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const { rate } = measure({ kind: 'bernoulli', p }, N, seed);
        expect(Math.abs(rate - p)).toBeLessThanOrEqual(band(p, N, 1));
      }
    }
  });

  it('Gilbert-Elliott: steady-state loss and mean burst 1/r (1−h = 1, 1−k = 0)', () => {
    for (const [p, r] of [
      [0.01, 0.3],
      [0.05, 0.5],
      [0.02, 0.1],
    ] as const) {
      const model: LossModel = { kind: 'gilbertElliott', p, r, lossInBad: 1, lossInGood: 0 };
      const expected = steadyStateLoss(model);
      expect(expected).toBeCloseTo(p / (p + r), 12);
      for (const seed of [1, 2, 3, 4, 5]) {
        const { rate, meanBurst, bursts } = measure(model, N, seed);
        expect(Math.abs(rate - expected)).toBeLessThanOrEqual(band(expected, N, (2 - p - r) / (p + r)));
        // Burst lengths are geometric (mean 1/r, variance (1−r)/r²): 4 standard errors over the bursts seen.
        expect(Math.abs(meanBurst - 1 / r)).toBeLessThanOrEqual(
          (4 * Math.sqrt(1 - r)) / r / Math.sqrt(bursts),
        );
      }
    }
  });

  it('Gilbert-Elliott with loss in both states follows the general formula', () => {
    const model: LossModel = { kind: 'gilbertElliott', p: 0.05, r: 0.25, lossInBad: 0.6, lossInGood: 0.01 };
    expect(steadyStateLoss(model)).toBeCloseTo(0.6 * (0.05 / 0.3) + 0.01 * (0.25 / 0.3), 12);
    const { rate } = measure(model, N, 9);
    expect(Math.abs(rate - steadyStateLoss(model))).toBeLessThan(0.01);
  });

  it('the GE decision uses the state before the transition: the first packet after good→bad is kept', () => {
    const rng = createRng(1, 1);
    const mem = { bad: false, decided: 0 };
    // p = 1: every packet moves good→bad; r = 1: every packet moves back.
    const model: LossModel = { kind: 'gilbertElliott', p: 1, r: 1, lossInBad: 1, lossInGood: 0 };
    const fates = Array.from({ length: 6 }, () => decideLoss(model, mem, rng));
    expect(fates).toEqual([false, true, false, true, false, true]);
  });

  it('periodic loss drops exactly every n-th packet', () => {
    const { rate } = measure({ kind: 'periodic', every: 50 }, 10_000, 1);
    expect(rate).toBe(1 / 50);
  });
});
