import { describe, expect, it } from 'vitest';
import { ranked } from './leaderboard.ts';

describe('leaderboard standings (SPEC HOST-7)', () => {
  it('HOST-7: best first; equal scores share a rank, ordered by name', () => {
    const out = ranked([
      { name: 'Cy', score: 5, mine: false },
      { name: 'Ann', score: 9, mine: true },
      { name: 'Bob', score: 5, mine: false },
      { name: 'Di', score: -2, mine: false },
    ]);
    expect(out.map((s) => `${s.rank}:${s.name}`)).toEqual(['1:Ann', '2:Bob', '2:Cy', '4:Di']);
    expect(out[0]?.mine).toBe(true);
  });
});
