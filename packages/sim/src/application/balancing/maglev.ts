/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016, §3.4): each backend walks its
 * own permutation of the M table slots (offset + j·skip mod M, M prime) and the
 * backends take turns claiming their next free slot until the table is full. Equal
 * backends get ⌊M/N⌋ or ⌈M/N⌉ slots each, and removing one moves little more than its
 * own slots (SPEC LB-MAGLEV-1). Weights give a backend turns in proportion.
 */
import { stringHash32 } from './hash32.ts';

/** The paper's small table size: a prime well above 100 × the backends a pool holds. */
export const MAGLEV_TABLE_SIZE = 65_537;

/** Whether `m` is prime (trial division: tables are small). */
export function isPrime(m: number): boolean {
  if (!Number.isInteger(m) || m < 2) return false;
  for (let d = 2; d * d <= m; d++) if (m % d === 0) return false;
  return true;
}

/**
 * The lookup table: slot → index into `names` (−1 only when no backend has weight).
 * `names` identify backends (their hashes set each one's permutation, so a backend
 * keeps its preferences when others come and go); `weights` ≥ 0, 0 meaning absent.
 */
export function maglevTable(names: readonly string[], weights: readonly number[], m: number): Int32Array {
  if (!isPrime(m)) throw new Error(`Maglev table size ${m} is not prime`);
  const table = new Int32Array(m).fill(-1);
  const n = names.length;
  const maxWeight = Math.max(0, ...weights);
  if (n === 0 || maxWeight <= 0) return table;
  const offset = names.map((s) => stringHash32(s, 0xa5a5) % m);
  const skip = names.map((s) => (stringHash32(s, 0x5a5a) % (m - 1)) + 1);
  const next = new Array<number>(n).fill(0);
  const credit = new Array<number>(n).fill(0);
  for (let filled = 0; ; ) {
    for (let i = 0; i < n; i++) {
      // A backend with weight w claims w / maxWeight slots per round on average.
      credit[i] = (credit[i] as number) + (weights[i] as number) / maxWeight;
      while ((credit[i] as number) >= 1) {
        credit[i] = (credit[i] as number) - 1;
        let c = ((offset[i] as number) + (next[i] as number) * (skip[i] as number)) % m;
        while ((table[c] as number) >= 0) {
          next[i] = (next[i] as number) + 1;
          c = ((offset[i] as number) + (next[i] as number) * (skip[i] as number)) % m;
        }
        table[c] = i;
        next[i] = (next[i] as number) + 1;
        if (++filled === m) return table;
      }
    }
  }
}

/** Slots per backend index in a table. */
export function slotCounts(table: Int32Array, backends: number): number[] {
  const counts = new Array<number>(backends).fill(0);
  for (const b of table) if (b >= 0) counts[b] = (counts[b] as number) + 1;
  return counts;
}
