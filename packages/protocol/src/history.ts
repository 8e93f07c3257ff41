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

/** One team's round as time series, a point per simulated second (SPEC DEBRIEF-3). */
export const roundSeries = z.object({
  tS: z.array(z.number()),
  p50LatencyMs: z.array(z.number()),
  p95LatencyMs: z.array(z.number()),
  lossPct: z.array(z.number()),
  score: z.array(z.number()),
});
export type RoundSeries = z.infer<typeof roundSeries>;

/** A team's failures of one unit and reason at one place (SPEC DEBRIEF-1); old rounds have only copy, reason and count. */
export const roundFailure = z.object({
  copy: z.number().int(),
  /** frame, request, page load or lookup; '' in rounds saved before the debrief. */
  unit: z.string(),
  reason: z.string(),
  place: z.string(),
  placeLabel: z.string(),
  role: z.string(),
  count: z.number(),
});
export type RoundFailure = z.infer<typeof roundFailure>;

/** How a score was made, part by part (SPEC SCORE-7): count and points of each part. */
export const scoreParts = z.record(z.string(), z.object({ count: z.number(), points: z.number() }));

/**
 * The body of `GET /api/history/:id` and `GET /api/rounds/:id/:key`: a finished round's
 * results as the results table showed them, and its debrief — failures by place, each
 * team's series, and the concept sentence for every failure reason in it (SPEC DEBRIEF-2).
 */
export const roundResults = z.object({
  ...roundFields,
  durationUs: z.number(),
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
      /** Absent in rounds saved before breakdowns were kept. */
      parts: scoreParts.optional(),
    }),
  ),
  /** By copy; `name` is a competition team's ('' otherwise), `rank` 0 in rounds saved before rankings (SPEC COMP-6). */
  teams: z.array(
    z.object({
      copy: z.number().int(),
      name: z.string(),
      rank: z.number().int(),
      score: z.number(),
      completed: z.number(),
      failed: z.number(),
      /** Absent in rounds saved before breakdowns were kept. */
      parts: scoreParts.optional(),
    }),
  ),
  failures: z.array(roundFailure),
  series: z.array(z.object({ copy: z.number().int(), series: roundSeries })),
  /** The lesson's debrief summary ('' when it has none). */
  summary: z.string(),
  /** The sentence for each failure reason of the round. */
  concepts: z.record(z.string(), z.string()),
});
export type RoundResults = z.infer<typeof roundResults>;
