import type { ScenarioSeat } from '@roundtrip/sim';
import type { Seat } from './seats.ts';

/** A player as seat moves see them: their id (session) and seat. */
export interface SeatedPlayer {
  id: string;
  copy: number;
  node: string;
}

/** Where a move leaves the player, and whom it displaces into their old seat (SPEC HOST-4). */
export type SeatMove = { ok: true; seat: Seat; swapWith: string | null } | { ok: false; message: string };

/**
 * Moving player `id` to `node` of copy `copy`: the seat must be one of the scenario's,
 * in a copy that exists (`copyLimit`); a player already there takes the mover's old seat.
 */
export function seatMove(
  players: readonly SeatedPlayer[],
  seats: readonly ScenarioSeat[],
  copyLimit: number,
  id: string,
  copy: number,
  node: string,
): SeatMove {
  const mover = players.find((p) => p.id === id);
  if (!mover) return { ok: false, message: 'that player is no longer in this room' };
  const spec = seats.find((s) => s.node === node);
  if (!spec) return { ok: false, message: `"${node}" is not a seat in this lesson` };
  if (copy >= copyLimit)
    return {
      ok: false,
      message: `there is no team ${copy + 1}; this round has ${copyLimit} team${copyLimit === 1 ? '' : 's'}`,
    };
  if (mover.copy === copy && mover.node === node)
    return { ok: false, message: 'that player is already there' };
  const other = players.find((p) => p.copy === copy && p.node === node);
  return { ok: true, seat: { copy, node, role: spec.role }, swapWith: other?.id ?? null };
}

/**
 * A random, even deal of `ids` over seats (SPEC HOST-4): as few copies as seat
 * everyone, players dealt to the copies in turn so team sizes differ by one at
 * most, each copy's seats filled in scenario order. `random(n)` is an integer in [0, n).
 */
export function shuffledSeats(
  ids: readonly string[],
  seats: readonly ScenarioSeat[],
  random: (n: number) => number,
): Map<string, Seat> {
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const copies = Math.max(1, Math.ceil(order.length / Math.max(1, seats.length)));
  const out = new Map<string, Seat>();
  order.forEach((id, i) => {
    const copy = i % copies;
    const spec = seats[Math.floor(i / copies)];
    if (spec) out.set(id, { copy, node: spec.node, role: spec.role });
  });
  return out;
}

/**
 * Seats for the same players in another lesson (SPEC HOST-8): each keeps their team
 * where the new lesson's seats allow, in the order given, filling seats in scenario order.
 */
export function reseat(players: readonly SeatedPlayer[], seats: readonly ScenarioSeat[]): Map<string, Seat> {
  // Stable: within a team, players keep the order given (the order they joined).
  const byTeam = [...players].sort((a, b) => a.copy - b.copy);
  const out = new Map<string, Seat>();
  if (seats.length === 0) return out;
  const used = new Set<string>();
  const place = (id: string, copy: number): boolean => {
    for (const s of seats) {
      const key = `${copy}/${s.node}`;
      if (used.has(key)) continue;
      used.add(key);
      out.set(id, { copy, node: s.node, role: s.role });
      return true;
    }
    return false;
  };
  const overflow: string[] = [];
  for (const p of byTeam) if (!place(p.id, p.copy)) overflow.push(p.id);
  for (const id of overflow) for (let copy = 0; !place(id, copy); copy++);
  return out;
}
