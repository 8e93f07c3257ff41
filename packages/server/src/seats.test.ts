import type { ScenarioSeat } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { copiesNeeded, firstFreeSeat } from './seats.ts';

const seats: ScenarioSeat[] = [
  { node: 'r-a', role: 'router' },
  { node: 'r-b', role: 'router' },
  { node: 'r-c', role: 'router' },
];
const at = (copy: number, node: string) => ({ copy, node, role: 'router' as const });

describe('seats (SPEC ROOM-3)', () => {
  it("fills copy 0's seats in scenario order, then copy 1, each with its role", () => {
    expect(firstFreeSeat([], seats, 5)).toEqual(at(0, 'r-a'));
    const held = [at(0, 'r-a'), at(0, 'r-b'), at(0, 'r-c')];
    expect(firstFreeSeat(held, seats, 5)).toEqual(at(1, 'r-a'));
  });

  it('gives a freed seat to the next joiner before opening anything later', () => {
    const held = [at(0, 'r-a'), at(0, 'r-c'), at(1, 'r-a')];
    expect(firstFreeSeat(held, seats, 5)).toEqual(at(0, 'r-b'));
  });

  it('returns null when every seat within the copy limit is held', () => {
    const held = seats.map((s) => at(0, s.node));
    expect(firstFreeSeat(held, seats, 1)).toBeNull();
    expect(firstFreeSeat([], [], 3)).toBeNull();
  });

  it('needs one copy past the highest copy in use, at least one', () => {
    expect(copiesNeeded([])).toBe(1);
    expect(copiesNeeded([at(0, 'r-a')])).toBe(1);
    expect(copiesNeeded([at(2, 'r-a')])).toBe(3);
  });
});
