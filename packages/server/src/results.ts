/** One player's figures at the end of a round. */
export interface PlayerResult {
  nickname: string;
  copy: number;
  /** The node the player held, and the role played there. */
  node: string;
  role: string;
  score: number;
  /** The player's copy's network score. */
  teamScore: number;
  /** Left before the end: `score` is frozen at leaving (SPEC ROOM-6). */
  left: boolean;
}

/** A line of the results table. */
export interface RankedResult extends PlayerResult {
  /** 1 for the best; equal scores share a rank (1, 2, 2, 4). */
  rank: number;
}

/**
 * Orders players by score, highest first, ties by nickname, and ranks them
 * (SPEC ROOM-6). Pure: the room copies the rows into its state.
 */
export function rankResults(players: readonly PlayerResult[]): RankedResult[] {
  const sorted = [...players].sort(
    (a, b) => b.score - a.score || (a.nickname < b.nickname ? -1 : a.nickname > b.nickname ? 1 : 0),
  );
  let rank = 0;
  return sorted.map((p, i) => {
    if (i === 0 || p.score !== sorted[i - 1]?.score) rank = i + 1;
    return { ...p, rank };
  });
}
