import { describe, expect, it } from 'vitest';
import { rankResults } from './results.ts';

const row = (nickname: string, score: number, left = false) => ({
  nickname,
  copy: 0,
  node: 'r',
  role: 'router',
  score,
  parts: {},
  teamScore: 7,
  left,
});

describe('rankResults (SPEC ROOM-6)', () => {
  it('orders by score, highest first; equal scores share a rank and sort by nickname', () => {
    const ranked = rankResults([row('dee', 5), row('bob', 9), row('cat', 5), row('al', 1)]);
    expect(ranked.map((r) => [r.rank, r.nickname, r.score])).toEqual([
      [1, 'bob', 9],
      [2, 'cat', 5],
      [2, 'dee', 5],
      [4, 'al', 1],
    ]);
    expect(ranked[0]?.teamScore).toBe(7);
  });

  it('ranks players who left by the score they had when they left', () => {
    const ranked = rankResults([row('stay', 3), row('gone', 8, true)]);
    expect(ranked.map((r) => [r.rank, r.nickname, r.left])).toEqual([
      [1, 'gone', true],
      [2, 'stay', false],
    ]);
  });

  it('handles no players and negative scores', () => {
    expect(rankResults([])).toEqual([]);
    expect(rankResults([row('x', -10), row('y', 0)]).map((r) => r.nickname)).toEqual(['y', 'x']);
  });
});
