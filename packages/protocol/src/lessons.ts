import { z } from 'zod';

/**
 * One lesson as `GET /api/lessons` lists it, read from its scenario file: the
 * landing page's lesson picker and the host form's defaults.
 */
export const lessonSummary = z.strictObject({
  /** The scenario id, which `createOptions.scenario` takes. */
  id: z.string(),
  /** Lesson number; the list is in this order. */
  lesson: z.number().int(),
  title: z.string(),
  /** The roles players hold in this lesson, in seat order, each once. */
  roles: z.array(z.string()),
  /** Round length and speed when the host keeps the defaults. */
  durationS: z.number(),
  timeScale: z.number(),
  /** The briefing's opening sentences. */
  summary: z.string(),
  /** The bot skills every seat's role has, weakest first (SPEC BOT-1): `createOptions.botSkill` takes one. */
  botSkills: z.array(z.string()),
  /** The level bots play at when the host picks none: the lesson's `botSkill`, else '' (each role's default). */
  botSkill: z.string(),
});
export type LessonSummary = z.infer<typeof lessonSummary>;

/** The body of `GET /api/lessons`. */
export const lessonList = z.array(lessonSummary);
