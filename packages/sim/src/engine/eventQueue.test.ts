import { describe, expect, it } from 'vitest';
import { heapPop, heapPush, type Timed } from './eventQueue.ts';
import { createRng, nextU32 } from './rng.ts';

describe('event heap', () => {
  it('pops in (time, sequence) order — SPEC SIM-2', () => {
    const rng = createRng(7, 0);
    const heap: Timed[] = [];
    for (let s = 0; s < 2000; s++) heapPush(heap, { t: nextU32(rng) % 50, s });
    const out: Timed[] = [];
    for (let e = heapPop(heap); e; e = heapPop(heap)) out.push(e);
    expect(out).toHaveLength(2000);
    for (let i = 1; i < out.length; i++) {
      const a = out[i - 1] as Timed;
      const b = out[i] as Timed;
      expect(a.t < b.t || (a.t === b.t && a.s < b.s)).toBe(true);
    }
  });
});
