/**
 * Per-packet link impairments, netem semantics (SPEC LINK-3, LINK-5..7): loss
 * models, jitter and duplication. Pure functions over plain per-direction state.
 */
import { chance, nextFloat, type RngState } from '../engine/rng.ts';

/** How a link loses packets. */
export type LossModel =
  | { kind: 'bernoulli'; p: number }
  /**
   * Gilbert-Elliott as netem's `loss gemodel p r 1-h 1-k`: p = good→bad, r = bad→good,
   * lossInBad = 1−h, lossInGood = 1−k.
   */
  | { kind: 'gilbertElliott'; p: number; r: number; lossInBad: number; lossInGood: number }
  /** Every `every`-th packet is lost (periodic loss, as in Mathis et al.). */
  | { kind: 'periodic'; every: number };

/** What a loss model remembers between packets, per link direction. */
export interface LossMemory {
  /** Gilbert-Elliott: in the bad state. */
  bad: boolean;
  /** Packets decided so far by a model that counts them (periodic, Gilbert-Elliott). */
  decided: number;
}

/** Decides one packet's fate; true = lost. The GE decision uses the state *before* its transition. */
export function decideLoss(model: LossModel, mem: LossMemory, rng: RngState): boolean {
  // Bernoulli needs no memory: it leaves `mem` alone (one object less to touch per packet).
  if (model.kind === 'bernoulli') return chance(rng, model.p);
  mem.decided++;
  switch (model.kind) {
    case 'periodic':
      return mem.decided % model.every === 0;
    case 'gilbertElliott': {
      const lost = chance(rng, mem.bad ? model.lossInBad : model.lossInGood);
      mem.bad = mem.bad ? !chance(rng, model.r) : chance(rng, model.p);
      return lost;
    }
  }
}

/** Long-run loss rate of a model: GE (1−h)·p/(p+r) + (1−k)·r/(p+r) (REFERENCES.md). */
export function steadyStateLoss(model: LossModel): number {
  switch (model.kind) {
    case 'bernoulli':
      return model.p;
    case 'periodic':
      return 1 / model.every;
    case 'gilbertElliott': {
      const { p, r } = model;
      if (p + r === 0) return model.lossInGood;
      return (model.lossInBad * p) / (p + r) + (model.lossInGood * r) / (p + r);
    }
  }
}

/**
 * Propagation delay with uniform jitter in [−jitter, +jitter] (netem's default
 * distribution), never below zero. One draw per packet when jitter > 0.
 */
export function jitteredDelayUs(latencyUs: number, jitterUs: number, rng: RngState): number {
  if (jitterUs <= 0) return latencyUs;
  const offset = Math.round((nextFloat(rng) * 2 - 1) * jitterUs);
  return Math.max(0, latencyUs + offset);
}
