import { z } from 'zod';

/*
 * The replay file's shape, apart from the code that replays it (replay.ts runs the
 * headless simulation, which reads files): a browser writes practice attempts in it.
 */

/** What a replay file says it is. */
export const REPLAY_FORMAT = 'roundtrip-replay';
export const REPLAY_VERSION = 1;

export const replayTeam = z.object({
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
  results: z.object({ teams: z.array(replayTeam) }),
  /** A practice attempt's (SPEC PRAC-5): the seat played, the bots' skill and the stars earned. */
  practice: z
    .object({
      node: z.string(),
      role: z.string(),
      botSkill: z.string(),
      stars: z.number().int().min(0).max(3),
    })
    .optional(),
});
export type ReplayFile = z.infer<typeof replayFile>;
