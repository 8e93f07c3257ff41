import type { Scenario, SimCommand } from '@roundtrip/sim';
import { runHeadless } from '@roundtrip/sim/headless';
import { z } from 'zod';
import type { FinishedRound } from './store.ts';

/** What a replay file says it is. */
export const REPLAY_FORMAT = 'roundtrip-replay';
export const REPLAY_VERSION = 1;

const team = z.object({
  copy: z.number().int().min(0),
  score: z.number(),
  completed: z.number().int().min(0),
  failed: z.number().int().min(0),
});

/**
 * A round's replay file (SPEC DEBRIEF-5): the scenario, seed and options, and every
 * command each copy applied, with the tick and simulated time it applied at; and the
 * results it must reproduce.
 */
export const replayFile = z.object({
  format: z.literal(REPLAY_FORMAT),
  version: z.literal(REPLAY_VERSION),
  scenarioId: z.string().min(1).max(64),
  lesson: z.number().int(),
  title: z.string(),
  code: z.string(),
  seed: z.number().int().min(0),
  options: z.object({
    /** The round's planned length, and where it ended (the host may end it early). */
    durationUs: z.number().min(0),
    simTimeUs: z.number().min(0),
  }),
  copies: z.array(
    z.object({
      copy: z.number().int().min(0),
      log: z.array(
        z.object({ tick: z.number().int(), atUs: z.number().min(0), commands: z.array(z.unknown()) }),
      ),
    }),
  ),
  results: z.object({ teams: z.array(team) }),
});
export type ReplayFile = z.infer<typeof replayFile>;

/** The replay of a finished round. */
export function replayOf(round: FinishedRound): ReplayFile {
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    scenarioId: round.scenarioId,
    lesson: round.lesson,
    title: round.title,
    code: round.code,
    seed: round.seed,
    options: { durationUs: round.durationUs, simTimeUs: round.simTimeUs },
    copies: round.copies.map((c) => ({ copy: c.copy, log: c.log })),
    results: { teams: round.teams.map((t) => ({ ...t })) },
  };
}

/** One copy's results as the replay reproduced them, beside what the round recorded. */
export interface ReplayedTeam {
  copy: number;
  recorded: z.infer<typeof team> | null;
  replayed: { score: number; completed: number; failed: number };
  matches: boolean;
}

/**
 * Runs every copy of `replay` headless (runHeadless: the scenario, the seed, no bots
 * but those the log seats, each logged command at its simulated time) up to where the
 * round ended, and compares each team's score and counts with the recorded ones.
 */
export function verifyReplay(replay: ReplayFile, scenario: Scenario): ReplayedTeam[] {
  return replay.copies.map((c) => {
    const commands = c.log.flatMap((e) =>
      e.commands.map((cmd) => ({ atUs: e.atUs, cmd: cmd as SimCommand })),
    );
    const report = runHeadless(scenario, replay.seed, replay.options.simTimeUs, { bots: false, commands });
    const { udp, tcp } = report.channels;
    const replayed = {
      score: report.score.network,
      completed: udp.delivered + tcp.delivered,
      failed: udp.lost + tcp.lost,
    };
    const recorded = replay.results.teams.find((t) => t.copy === c.copy) ?? null;
    const matches =
      recorded !== null &&
      recorded.score === replayed.score &&
      recorded.completed === replayed.completed &&
      recorded.failed === replayed.failed;
    return { copy: c.copy, recorded, replayed, matches };
  });
}
