import type { ScenarioSeat } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { reseat, seatMove, shuffledSeats } from './seatMoves.ts';

const seats: ScenarioSeat[] = [
  { node: 'r-a', role: 'router' },
  { node: 'r-b', role: 'router' },
  { node: 'dns', role: 'resolver' },
];

describe('seat moves (SPEC HOST-4, HOST-8)', () => {
  const players = [
    { id: 'ann', copy: 0, node: 'r-a' },
    { id: 'bob', copy: 0, node: 'r-b' },
  ];

  it('HOST-4: a move to a free seat takes it; to a held one swaps; bad seats and copies are refused', () => {
    expect(seatMove(players, seats, 2, 'ann', 0, 'dns')).toEqual({
      ok: true,
      seat: { copy: 0, node: 'dns', role: 'resolver' },
      swapWith: null,
    });
    expect(seatMove(players, seats, 2, 'ann', 0, 'r-b')).toMatchObject({ ok: true, swapWith: 'bob' });
    expect(seatMove(players, seats, 2, 'ann', 1, 'r-a')).toMatchObject({ ok: true, swapWith: null });
    expect(seatMove(players, seats, 1, 'ann', 1, 'r-a')).toEqual({
      ok: false,
      message: 'there is no team 2; this round has 1 team',
    });
    expect(seatMove(players, seats, 2, 'ann', 0, 'h-1')).toMatchObject({ ok: false, message: /not a seat/ });
    expect(seatMove(players, seats, 2, 'cy', 0, 'r-a')).toMatchObject({ ok: false, message: /no longer/ });
    expect(seatMove(players, seats, 2, 'ann', 0, 'r-a')).toMatchObject({
      ok: false,
      message: /already there/,
    });
  });

  it('HOST-4: a shuffle seats everyone once, in as few teams as fit, sizes within one', () => {
    const ids = Array.from({ length: 7 }, (_, i) => `p${i}`);
    let state = 12345;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const dealt = shuffledSeats(ids, seats, random);
    expect([...dealt.keys()].sort()).toEqual([...ids].sort());
    const keys = [...dealt.values()].map((s) => `${s.copy}/${s.node}`);
    expect(new Set(keys).size).toBe(7);
    const sizes = [0, 1, 2].map((c) => [...dealt.values()].filter((s) => s.copy === c).length);
    expect(sizes).toEqual([3, 2, 2]);
    for (const s of dealt.values()) expect(seats.find((x) => x.node === s.node)?.role).toBe(s.role);
    // Another draw deals differently: it is a shuffle, not a fixed order.
    const again = shuffledSeats(ids, seats, random);
    expect([...again.entries()].map(([id, s]) => `${id}:${s.copy}/${s.node}`)).not.toEqual(
      [...dealt.entries()].map(([id, s]) => `${id}:${s.copy}/${s.node}`),
    );
  });

  it('HOST-8: the next lesson seats everyone again, keeping teams where seats allow', () => {
    const two = [{ node: 'x', role: 'router' as const }];
    const out = reseat(
      [
        { id: 'ann', copy: 0, node: 'r-a' },
        { id: 'bob', copy: 0, node: 'r-b' },
        { id: 'cy', copy: 1, node: 'r-a' },
      ],
      two,
    );
    expect(out.get('ann')).toEqual({ copy: 0, node: 'x', role: 'router' });
    expect(out.get('cy')).toEqual({ copy: 1, node: 'x', role: 'router' });
    expect(out.get('bob')).toEqual({ copy: 2, node: 'x', role: 'router' });
  });
});
