import { z } from 'zod';

/** The request header a host sends its history key in (the `hostKey` create option). */
export const HOST_KEY_HEADER = 'x-host-key';

const roundFields = {
  id: z.number().int(),
  /** The room's join code. */
  code: z.string(),
  scenarioId: z.string(),
  lesson: z.number().int(),
  title: z.string(),
  seed: z.number().int(),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  /** Simulated time the round ran. */
  simTimeUs: z.number(),
};

/** One finished round as `GET /api/history` lists it (SPEC PERSIST-2). */
export const roundSummary = z.object({ ...roundFields, players: z.number().int() });
export type RoundSummary = z.infer<typeof roundSummary>;

/** The body of `GET /api/history`: the host's rounds, newest first. */
export const roundHistory = z.array(roundSummary);

/** The body of `GET /api/history/:id`: a finished round's results, as the results table showed them. */
export const roundResults = z.object({
  ...roundFields,
  players: z.array(
    z.object({
      rank: z.number().int(),
      nickname: z.string(),
      copy: z.number().int(),
      node: z.string(),
      role: z.string(),
      score: z.number(),
      teamScore: z.number(),
      left: z.boolean(),
    }),
  ),
  teams: z.array(
    z.object({ copy: z.number().int(), score: z.number(), completed: z.number(), failed: z.number() }),
  ),
  failures: z.array(z.object({ copy: z.number().int(), reason: z.string(), count: z.number() })),
});
export type RoundResults = z.infer<typeof roundResults>;
