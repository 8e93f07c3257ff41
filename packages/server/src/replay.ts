import type { Scenario, SimCommand } from '@roundtrip/sim';
import { runHeadless } from '@roundtrip/sim/headless';
import type { z } from 'zod';
import { REPLAY_FORMAT, REPLAY_VERSION, type ReplayFile, type replayTeam } from './replayFile.ts';
import type { FinishedRound } from './store.ts';

export { REPLAY_FORMAT, REPLAY_VERSION, type ReplayFile, replayFile } from './replayFile.ts';

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
  recorded: z.infer<typeof replayTeam> | null;
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
