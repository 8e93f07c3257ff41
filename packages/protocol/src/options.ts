import { z } from 'zod';
import {
  JOIN_CODE_ALPHABET,
  NICKNAME_MAX_CHARS,
  TEAM_NAME_MAX_CHARS,
  TEAMS_MAX,
  TEAMS_MIN,
  TIME_SCALE_MAX,
  TIME_SCALE_MIN,
} from './constants.ts';

const nickname = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'a nickname is needed')
      .max(NICKNAME_MAX_CHARS, `at most ${NICKNAME_MAX_CHARS} characters`),
  );

/** A competition team's name (SPEC COMP-1): trimmed, 1..TEAM_NAME_MAX_CHARS characters. */
const teamName = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'a team needs a name')
      .max(TEAM_NAME_MAX_CHARS, `at most ${TEAM_NAME_MAX_CHARS} characters`)
      .regex(/^[^\p{C}]*$/u, 'no control characters'),
  );

/** A secret token or key (base64url). */
const secret = z.string().min(16).max(64);

/**
 * Options to create a class room (the creator becomes its host). `scenario` is
 * a lesson id from `GET /api/lessons`; the server checks it against the
 * scenario files and picks the first lesson when it is left out.
 */
export const createOptions = z.strictObject({
  scenario: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a lesson id such as "lesson-1-postal"')
    .optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** Overrides the scenario's round length (short rounds for tests and demos). */
  durationS: z.number().min(1).max(3_600).optional(),
  timeScale: z.number().min(TIME_SCALE_MIN).max(TIME_SCALE_MAX).optional(),
  /**
   * The skill of the bots in seats nobody holds (SPEC BOT-1), e.g. "novice", "competent"
   * or "expert"; the server checks it against the lesson's roles. Left out: the lesson's own.
   */
  botSkill: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a bot skill such as "novice"')
    .optional(),
  /**
   * Players may hand their seat to its bot (`player.autopilot`, SPEC BOTS-4): for load runs
   * and demos with `pnpm bots`. Off by default: a student's autopilot would score a bot's play.
   */
  botPlayers: z.boolean().optional(),
  /** The host's history key (kept in the host's browser): the round is listed under it (SPEC PERSIST-2). */
  hostKey: secret.optional(),
  /**
   * A team competition (SPEC COMP-1): the teams' names, TEAMS_MIN to TEAMS_MAX, unique
   * (ignoring case). Every team plays an identical copy of the network.
   */
  teams: z
    .array(teamName)
    .min(TEAMS_MIN, `a competition has at least ${TEAMS_MIN} teams`)
    .max(TEAMS_MAX, `a competition has at most ${TEAMS_MAX} teams`)
    .refine(
      (names) => new Set(names.map((n) => n.toLowerCase())).size === names.length,
      'two teams have the same name',
    )
    .optional(),
});
export type CreateOptions = z.infer<typeof createOptions>;

/**
 * Options to join a room by code: a player with a nickname, the host coming back with
 * its token, or a projector with the host's projector key (SPEC HOST-9).
 */
export const joinOptions = z.union([
  /**
   * `playerToken` (from `welcome`) takes a player's seat back after the server restarted
   * (SPEC PERSIST-4); `deviceId` is a random id the browser keeps, so a ban holds (SPEC HOST-2)
   * and a student who leaves and joins again under another name is one player in the results,
   * not two (SPEC SCORE-7).
   */
  /** `team` (a competition's team index, SPEC COMP-2) picks the team; left out, the room assigns one. */
  z.strictObject({
    nickname,
    playerToken: secret.optional(),
    deviceId: secret.optional(),
    team: z
      .number()
      .int()
      .min(0)
      .max(TEAMS_MAX - 1)
      .optional(),
  }),
  z.strictObject({ hostToken: secret }),
  z.strictObject({ projectorKey: secret }),
]);
export type JoinOptions = z.infer<typeof joinOptions>;

/** A join code as typed, checked against the alphabet. */
export const joinCode = z
  .string()
  .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{5}$`), 'expected a 5-letter join code');
