import { describe, expect, it } from 'vitest';
import { copiesNeeded, firstFreeSeat } from './seats.ts';

const routers = ['r-a', 'r-b', 'r-c'];

describe('seats (SPEC ROOM-3)', () => {
  it("fills copy 0's routers in scenario order, then copy 1", () => {
    expect(firstFreeSeat([], routers, 5)).toEqual({ copy: 0, router: 'r-a' });
    const held = [
      { copy: 0, router: 'r-a' },
      { copy: 0, router: 'r-b' },
      { copy: 0, router: 'r-c' },
    ];
    expect(firstFreeSeat(held, routers, 5)).toEqual({ copy: 1, router: 'r-a' });
  });

  it('gives a freed seat to the next joiner before opening anything later', () => {
    const held = [
      { copy: 0, router: 'r-a' },
      { copy: 0, router: 'r-c' },
      { copy: 1, router: 'r-a' },
    ];
    expect(firstFreeSeat(held, routers, 5)).toEqual({ copy: 0, router: 'r-b' });
  });

  it('returns null when every seat within the copy limit is held', () => {
    const held = routers.map((router) => ({ copy: 0, router }));
    expect(firstFreeSeat(held, routers, 1)).toBeNull();
    expect(firstFreeSeat([], [], 3)).toBeNull();
  });

  it('needs one copy past the highest copy in use, at least one', () => {
    expect(copiesNeeded([])).toBe(1);
    expect(copiesNeeded([{ copy: 0, router: 'r-a' }])).toBe(1);
    expect(copiesNeeded([{ copy: 2, router: 'r-a' }])).toBe(3);
  });
});
