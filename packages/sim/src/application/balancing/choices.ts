/**
 * Picking a backend among candidates (SPEC LB-ALG-1): round robin (smooth weighted, as
 * nginx does), least connections (per unit of weight), a hash of the client, the
 * better of d random choices (Mitzenmacher's power of d choices), and Maglev. Pure
 * functions over loads and weights; the balancers keep the state they need.
 */
import { nextU32, type RngState } from '../../engine/rng.ts';

export const LB_ALGORITHMS = [
  'round-robin',
  'least-connections',
  'source-hash',
  'two-choices',
  'maglev',
] as const;
export type LbAlgorithm = (typeof LB_ALGORITHMS)[number];

/**
 * Smooth weighted round robin (nginx): every eligible backend gains its weight, the
 * highest current value wins and pays the total. Weights 5, 1, 1 give a a b a c a a —
 * spread out, not a burst of a. `current` is the balancer's state, one number per backend.
 */
export function smoothRoundRobin(
  eligible: readonly boolean[],
  weights: readonly number[],
  current: number[],
): number {
  let best = -1;
  let total = 0;
  for (let i = 0; i < eligible.length; i++) {
    if (!eligible[i]) continue;
    const w = weights[i] as number;
    current[i] = (current[i] as number) + w;
    total += w;
    if (best < 0 || (current[i] as number) > (current[best] as number)) best = i;
  }
  if (best >= 0) current[best] = (current[best] as number) - total;
  return best;
}

/** The eligible backend with the fewest connections per unit of weight; ties go to the lower index. */
export function leastLoaded(
  eligible: readonly boolean[],
  weights: readonly number[],
  loads: readonly number[],
): number {
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let i = 0; i < eligible.length; i++) {
    if (!eligible[i]) continue;
    const score = ((loads[i] as number) + 1) / (weights[i] as number);
    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** The eligible backend `key` maps to by weight: hash mod the total weight, walked over the backends in order. */
export function weightedHash(eligible: readonly boolean[], weights: readonly number[], key: number): number {
  let total = 0;
  for (let i = 0; i < eligible.length; i++) if (eligible[i]) total += weights[i] as number;
  if (total <= 0) return -1;
  let x = (key >>> 0) % total;
  for (let i = 0; i < eligible.length; i++) {
    if (!eligible[i]) continue;
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return -1;
}

/**
 * The least loaded of `d` backends drawn uniformly with replacement from `n` (the
 * supermarket model's choice, SPEC LB-ALG-2); ties go to the first drawn. `loads` are
 * per unit of weight when the caller divides them. Draws d numbers from `rng` always.
 */
export function bestOfD(n: number, d: number, loads: ArrayLike<number>, rng: RngState): number {
  let best = nextU32(rng) % n;
  for (let k = 1; k < d; k++) {
    const c = nextU32(rng) % n;
    if ((loads[c] as number) < (loads[best] as number)) best = c;
  }
  return best;
}

/**
 * Power of two choices over the eligible backends (SPEC LB-ALG-2): two drawn from those
 * eligible, the one with less `load` per unit of weight wins; −1 when none is eligible.
 */
export function twoChoices(
  eligible: readonly boolean[],
  weights: readonly number[],
  load: readonly number[],
  rng: RngState,
): number {
  const candidates: number[] = [];
  eligible.forEach((e, i) => {
    if (e) candidates.push(i);
  });
  if (candidates.length === 0) return -1;
  const loads = candidates.map((i) => (load[i] as number) / (weights[i] as number));
  return candidates[bestOfD(candidates.length, 2, loads, rng)] as number;
}
