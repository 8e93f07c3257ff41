/**
 * A lesson's debrief (docs/SCENARIOS.md "debrief", SPEC SCN-4): a summary, and for each
 * failure reason the simulation records one plain sentence naming the concept behind it.
 * The debrief screen groups a round's failures by reason and shows these sentences.
 */
import { z } from 'zod';
import { PAGE_LOAD_FAILURES } from '../application/pageLoad.ts';
import { LOSS_REASON_TEXT } from '../engine/records.ts';

/** Every failure reason a record carries: packet and request losses (SCORE-4), page loads (PAGE-3), lookups (DNS-9). */
export const FAILURE_REASONS: readonly string[] = [
  ...new Set([...Object.keys(LOSS_REASON_TEXT), ...PAGE_LOAD_FAILURES, 'timeout', 'servfail']),
];

/** Longest debrief summary and concept sentence, characters (as the briefing and a hint). */
export const DEBRIEF_SUMMARY_MAX_CHARS = 2_000;
export const DEBRIEF_CONCEPT_MAX_CHARS = 300;

export const debriefSchema = z.strictObject({
  /** What the round was about, shown above the failures. */
  summary: z.string().min(1).max(DEBRIEF_SUMMARY_MAX_CHARS),
  /** Failure reason → the concept behind it, in one sentence. */
  concepts: z
    .record(z.string(), z.string().min(1).max(DEBRIEF_CONCEPT_MAX_CHARS))
    .superRefine((concepts, ctx) => {
      for (const key of Object.keys(concepts))
        if (!FAILURE_REASONS.includes(key))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `expected a failure reason the simulation records: ${FAILURE_REASONS.join(', ')}`,
          });
    })
    .default({}),
});
export type Debrief = z.infer<typeof debriefSchema>;
