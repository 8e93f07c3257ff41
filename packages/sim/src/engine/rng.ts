import { ln } from './detMath.ts';
/**
 * Seeded PRNG streams (sfc32). State is four uint32 words in a plain array so it
 * snapshots with the rest of the simulation. Never Math.random (SPEC SIM-3).
 */
export type RngState = [number, number, number, number];

/** splitmix32: spreads a seed and a stream number into well-mixed words. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A fresh stream for `seed`; different `stream` numbers give independent sequences. */
export function createRng(seed: number, stream: number): RngState {
  const base = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2d));
  const state: RngState = [
    splitmix32(base),
    splitmix32(base + 1),
    splitmix32(base + 2),
    splitmix32(base + 3),
  ];
  for (let i = 0; i < 12; i++) nextU32(state);
  return state;
}

/** Next uniformly distributed uint32; advances the stream in place. */
export function nextU32(s: RngState): number {
  const t = (((s[0] + s[1]) | 0) + s[3]) | 0;
  s[3] = (s[3] + 1) | 0;
  s[0] = s[1] ^ (s[1] >>> 9);
  s[1] = (s[2] + (s[2] << 3)) | 0;
  s[2] = (s[2] << 21) | (s[2] >>> 11);
  s[2] = (s[2] + t) | 0;
  return t >>> 0;
}

/** Uniform float in [0, 1). */
export function nextFloat(s: RngState): number {
  return nextU32(s) / 4294967296;
}

/** True with probability `p` (p ≤ 0 never, p ≥ 1 always). */
export function chance(s: RngState, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return nextFloat(s) < p;
}

/** Exponentially distributed sample with the given mean (inverse transform with a deterministic ln). */
export function exponential(s: RngState, mean: number): number {
  return -mean * ln(1 - nextFloat(s));
}
