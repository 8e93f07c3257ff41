/**
 * The supermarket model (Mitzenmacher 2001; Vvedenskaya, Dobrushin & Karpelevich 1996):
 * n servers of rate 1, Poisson arrivals at rate λn, each arrival joins the shortest of
 * d queues drawn at random (`bestOfD`, the choice the balancers make). As n grows the
 * mean time in the system tends to a fixed point; `runSupermarket` measures it, and the
 * reference check holds it to the published value (SPEC LB-ALG-2).
 */
import { createRng, nextFloat } from '../../engine/rng.ts';
import { bestOfD } from './choices.ts';

/** The limit's mean time in the system: Σ_{i≥1} λ^((dⁱ − d)/(d − 1)), and 1/(1 − λ) for d = 1 (M/M/1). */
export function supermarketFixedPointT(lambda: number, d: number): number {
  if (d === 1) return 1 / (1 - lambda);
  let t = 0;
  for (let i = 1; ; i++) {
    const term = lambda ** ((d ** i - d) / (d - 1));
    t += term;
    if (term < 1e-12) return t;
  }
}

export interface SupermarketRun {
  /** Mean time in the system, in mean service times (Little: mean customers ÷ arrival rate). */
  meanT: number;
  arrivals: number;
}

/**
 * Simulates the model by uniformization: events come at rate n(1 + λ), an arrival with
 * probability λ/(1 + λ), else a service completion at a uniformly drawn server (none if
 * it is idle). Every step lasts the same expected time, so the time-average of the
 * customers present is their average over steps; steps before `warmupSteps` are dropped.
 */
export function runSupermarket(
  n: number,
  lambda: number,
  d: number,
  steps: number,
  warmupSteps: number,
  seed: number,
): SupermarketRun {
  const rng = createRng(seed, 1);
  const queues = new Int32Array(n);
  const pArrival = lambda / (1 + lambda);
  let present = 0;
  let sum = 0;
  let arrivals = 0;
  for (let step = 0; step < warmupSteps + steps; step++) {
    if (nextFloat(rng) < pArrival) {
      const q = bestOfD(n, d, queues, rng);
      queues[q] = (queues[q] as number) + 1;
      present++;
      if (step >= warmupSteps) arrivals++;
    } else {
      const q = Math.floor(nextFloat(rng) * n);
      if ((queues[q] as number) > 0) {
        queues[q] = (queues[q] as number) - 1;
        present--;
      }
    }
    if (step >= warmupSteps) sum += present;
  }
  return { meanT: sum / steps / (lambda * n), arrivals };
}

/** Throws m balls into n bins, each into the least full of d drawn at random; returns the fullest bin's count. */
export function maxLoadOfD(n: number, balls: number, d: number, seed: number): number {
  const rng = createRng(seed, 2);
  const bins = new Int32Array(n);
  let max = 0;
  for (let b = 0; b < balls; b++) {
    const i = bestOfD(n, d, bins, rng);
    bins[i] = (bins[i] as number) + 1;
    if ((bins[i] as number) > max) max = bins[i] as number;
  }
  return max;
}
