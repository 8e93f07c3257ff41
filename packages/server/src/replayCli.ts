/**
 * `pnpm replay <round.replay.json>`: re-runs a downloaded round headless and says
 * whether each team's score and counts come out as recorded (SPEC DEBRIEF-5).
 */
import { readFileSync } from 'node:fs';
import { replayFile, verifyReplay } from './replay.ts';
import { lessonScenario } from './scenarios.ts';

function main(path: string | undefined): number {
  if (!path) {
    console.error('usage: pnpm replay <round.replay.json>');
    return 2;
  }
  const parsed = replayFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    console.error(`${path}: not a Roundtrip replay: ${parsed.error.issues[0]?.message ?? ''}`);
    return 2;
  }
  const replay = parsed.data;
  const teams = verifyReplay(replay, lessonScenario(replay.scenarioId).scenario);
  for (const t of teams)
    console.log(
      `team ${t.copy + 1}: score ${t.replayed.score} (recorded ${t.recorded?.score ?? '—'}), ` +
        `completed ${t.replayed.completed} (${t.recorded?.completed ?? '—'}), failed ${t.replayed.failed} (${t.recorded?.failed ?? '—'}) ` +
        (t.matches ? 'reproduced' : 'DIFFERENT'),
    );
  return teams.every((t) => t.matches) ? 0 : 1;
}

if (import.meta.main) process.exitCode = main(process.argv[2]);
