import type { RoleName, ScenarioSeat } from '@roundtrip/sim';

/** A seat: one node of one copy of the network, and the role played there (SPEC ROOM-3). */
export interface Seat {
  copy: number;
  node: string;
  role: RoleName;
}

/**
 * The first seat nobody holds: copy 0's seats in scenario order, then copy 1's,
 * and so on, looking at `copyLimit` copies at most. Null when every seat is held.
 * `seats` is the scenario's seat list (`Scenario.seats`), of any roles.
 */
export function firstFreeSeat(
  held: Iterable<{ copy: number; node: string }>,
  seats: readonly ScenarioSeat[],
  copyLimit: number,
): Seat | null {
  const taken = new Set<string>();
  for (const s of held) taken.add(seatKey(s.copy, s.node));
  for (let copy = 0; copy < copyLimit; copy++) {
    for (const { node, role } of seats) {
      if (!taken.has(seatKey(copy, node))) return { copy, node, role };
    }
  }
  return null;
}

/** Copies needed for the held seats: one past the highest copy in use, and at least one. */
export function copiesNeeded(held: Iterable<{ copy: number }>): number {
  let count = 1;
  for (const s of held) count = Math.max(count, s.copy + 1);
  return count;
}

/**
 * A competition's seat for a new player (SPEC COMP-2): the first free seat of team
 * `team` when one was chosen, else of the team with the fewest players (the lowest
 * index among equals). Null when that team (or every team) is full.
 */
export function teamSeat(
  held: readonly { copy: number; node: string }[],
  seats: readonly ScenarioSeat[],
  teamCount: number,
  team: number | undefined,
): Seat | null {
  if (team !== undefined) return team < teamCount ? freeSeatIn(held, seats, team) : null;
  const sizes = Array.from({ length: teamCount }, (_, t) => held.filter((s) => s.copy === t).length);
  const order = sizes.map((size, t) => ({ size, t })).sort((a, b) => a.size - b.size || a.t - b.t);
  for (const { t } of order) {
    const seat = freeSeatIn(held, seats, t);
    if (seat) return seat;
  }
  return null;
}

function freeSeatIn(
  held: readonly { copy: number; node: string }[],
  seats: readonly ScenarioSeat[],
  copy: number,
) {
  const mine = held.filter((s) => s.copy === copy);
  const free = seats.find(({ node }) => !mine.some((s) => s.node === node));
  return free ? { copy, node: free.node, role: free.role } : null;
}

function seatKey(copy: number, node: string): string {
  return `${copy}/${node}`;
}
