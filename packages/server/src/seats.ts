import type { Scenario } from '@roundtrip/sim';

/** A seat: one router in one copy of the network (SPEC ROOM-3). */
export interface Seat {
  copy: number;
  router: string;
}

/** Routers a player can hold (those with `seat: true`), in scenario order. */
export function seatRouters(scenario: Scenario): string[] {
  return scenario.file.nodes.filter((n) => n.kind === 'router' && n.seat).map((n) => n.id);
}

/**
 * The first seat nobody holds: copy 0's routers in order, then copy 1's, and so
 * on, looking at `copyLimit` copies at most. Null when every seat is held.
 */
export function firstFreeSeat(
  held: Iterable<Seat>,
  routers: readonly string[],
  copyLimit: number,
): Seat | null {
  const taken = new Set<string>();
  for (const s of held) taken.add(seatKey(s));
  for (let copy = 0; copy < copyLimit; copy++) {
    for (const router of routers) {
      if (!taken.has(seatKey({ copy, router }))) return { copy, router };
    }
  }
  return null;
}

/** Copies needed for the held seats: one past the highest copy in use, and at least one. */
export function copiesNeeded(held: Iterable<Seat>): number {
  let count = 1;
  for (const s of held) count = Math.max(count, s.copy + 1);
  return count;
}

function seatKey(s: Seat): string {
  return `${s.copy}/${s.router}`;
}
