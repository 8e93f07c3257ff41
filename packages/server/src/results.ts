import type { RoomState, RoundResults } from '@roundtrip/protocol';
import { conceptFor, type DebriefText, type ScoreParts } from '@roundtrip/sim';
import type { SimCopy } from './copies.ts';
import type { RoomMeta } from './persistence.ts';
import type { FinishedRound } from './store.ts';

/** One player's figures at the end of a round. */
export interface PlayerResult {
  nickname: string;
  copy: number;
  /** The node the player held, and the role played there. */
  node: string;
  role: string;
  score: number;
  /** How `score` was made, part by part (SPEC SCORE-7). */
  parts: ScoreParts;
  /** The player's copy's network score. */
  teamScore: number;
  /** Left before the end: `score` is frozen at leaving (SPEC ROOM-6). */
  left: boolean;
  /** The browser id the player had joined with (a departed player coming back is merged, SPEC SCORE-7). */
  device?: string;
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

/**
 * The teams' final ranking (SPEC COMP-6): highest score first, equal scores share a
 * place (1, 2, 2, 4), ties listed by copy. Pure.
 */
export function rankTeams(
  teams: readonly { copy: number; score: number }[],
): { copy: number; score: number; rank: number }[] {
  const sorted = [...teams].sort((a, b) => b.score - a.score || a.copy - b.copy);
  let rank = 0;
  return sorted.map((t, i) => {
    if (i === 0 || t.score !== sorted[i - 1]?.score) rank = i + 1;
    return { copy: t.copy, score: t.score, rank };
  });
}

/**
 * A finished round as the store keeps it (SPEC PERSIST-1, DEBRIEF-1, DEBRIEF-3, DEBRIEF-5):
 * the room's results table and teams with their breakdowns (SCORE-7), failures by place, and each copy's series and command log.
 */
export function finishedRound(
  meta: RoomMeta,
  state: RoomState,
  results: readonly RankedResult[],
  endedAtMs: number,
  sims: readonly SimCopy[],
  shareKey: string | null,
): FinishedRound {
  const copies = [...state.copies];
  return {
    code: meta.code,
    hostKeyHash: meta.hostKeyHash,
    scenarioId: meta.lessonId,
    lesson: state.lesson,
    title: state.title,
    seed: meta.seed,
    startedAtMs: meta.startedAtMs ?? endedAtMs,
    endedAtMs,
    simTimeUs: state.simTimeUs,
    durationUs: state.durationUs,
    shareKey,
    players: results.map((r) => ({ ...r })),
    teams: rankTeams(copies.map((c) => ({ copy: c.index, score: c.score }))).map((t) => {
      const c = copies[t.copy];
      return {
        ...t,
        name: state.teams[t.copy] ?? '',
        completed: c?.completed ?? 0,
        failed: c?.failed ?? 0,
        parts: sims[t.copy]?.scoreboard.networkParts ?? {},
      };
    }),
    failures: sims.flatMap((c) => c.debrief.failureGroups().map((g) => ({ copy: c.index, ...g }))),
    copies: sims.map((c) => ({
      copy: c.index,
      series: c.debrief.seriesSoFar(),
      log: c.log.map((e) => ({ tick: e.tick, atUs: e.atUs, commands: JSON.parse(e.commands) as unknown[] })),
    })),
  };
}

/**
 * A finished round as its readers get it (SPEC DEBRIEF-2): the stored results, each
 * team's series, and the lesson's summary and a concept sentence for every failure reason.
 * `text` is the lesson's debrief words (absent when its scenario is gone).
 */
export function roundResults(
  round: FinishedRound & { id: number },
  text: DebriefText | undefined,
): RoundResults {
  const concepts: Record<string, string> = {};
  for (const f of round.failures) concepts[f.reason] ??= conceptFor(f.reason, text);
  return {
    id: round.id,
    code: round.code,
    scenarioId: round.scenarioId,
    lesson: round.lesson,
    title: round.title,
    seed: round.seed,
    startedAtMs: round.startedAtMs,
    endedAtMs: round.endedAtMs,
    simTimeUs: round.simTimeUs,
    durationUs: round.durationUs,
    players: round.players,
    teams: round.teams,
    failures: round.failures,
    series: round.copies.map((c) => ({ copy: c.copy, series: c.series })),
    summary: text?.summary ?? '',
    concepts,
  };
}
