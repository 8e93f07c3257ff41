import { readdirSync } from 'node:fs';
import { ErrorCode, ServerError } from '@colyseus/core';
import type { LessonSummary } from '@roundtrip/protocol';
import { type Scenario, ScenarioError } from '@roundtrip/sim';
import { lessonScenario, SCENARIOS_DIR } from './scenarios.ts';

/** Longest briefing summary the lesson list carries, characters (whole sentences, at least one). */
const SUMMARY_MAX_CHARS = 160;

let catalogue: readonly LessonSummary[] | null = null;

/**
 * Every lesson, read from the scenario files at the top of scenarios/ (not
 * scenarios/bench/), in lesson order: adding a lesson is adding a file. Read
 * once; a broken file throws a ScenarioError naming it (SPEC SCN-1).
 */
export function lessons(): readonly LessonSummary[] {
  if (catalogue) return catalogue;
  const ids = readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name.slice(0, -'.json'.length));
  catalogue = ids.map(summarise).sort((a, b) => a.lesson - b.lesson || a.id.localeCompare(b.id));
  return catalogue;
}

/**
 * The lesson id a room opens: `requested` if it names a lesson, the first lesson
 * when it is left out. Throws a ServerError listing the lessons otherwise (SPEC ROOM-1).
 */
export function lessonId(requested: string | undefined): string {
  const all = lessons();
  const first = all[0];
  if (!first) throw new ServerError(ErrorCode.APPLICATION_ERROR, `there are no lessons in ${SCENARIOS_DIR}`);
  if (requested === undefined) return first.id;
  if (all.some((l) => l.id === requested)) return requested;
  throw new ServerError(
    ErrorCode.APPLICATION_ERROR,
    `create options: scenario: there is no lesson "${requested}"; pick one of ${all.map((l) => l.id).join(', ')}`,
  );
}

function summarise(id: string): LessonSummary {
  const { scenario } = lessonScenario(id);
  const f = scenario.file;
  if (f.id !== id)
    throw new ScenarioError(`${id}.json`, [`id (${f.id}): expected "${id}", the file's name without .json`]);
  return {
    id,
    lesson: f.lesson,
    title: f.title,
    roles: [...new Set(scenario.seats.map((s) => s.role))],
    durationS: f.durationS,
    timeScale: f.timeScale,
    summary: briefingSummary(f.briefing),
    botSkills: seatBotSkills(scenario),
    botSkill: f.botSkill ?? '',
  };
}

/** The bot skills every seat's role of `scenario` has, in the first role's order (SPEC BOT-1). */
export function seatBotSkills(scenario: Scenario): string[] {
  const roles = [...new Set(scenario.seats.map((s) => s.role))].map(
    (r) => scenario.roles.role(r)?.botSkills ?? [],
  );
  const [first = [], ...rest] = roles;
  return first.filter((k) => rest.every((r) => r.includes(k)));
}

/**
 * The bot skill a room asked for, if every seat's bot in its lesson has it; else a
 * ServerError naming the skills it may take (SPEC ROOM-12).
 */
export function checkedBotSkill(requested: string, scenario: Scenario): string {
  const skills = seatBotSkills(scenario);
  if (skills.includes(requested)) return requested;
  throw new ServerError(
    ErrorCode.APPLICATION_ERROR,
    `create options: botSkill: this lesson's bots have no skill "${requested}"; pick one of ${skills.join(', ')}`,
  );
}

/** The briefing's opening sentences, up to SUMMARY_MAX_CHARS (always the first sentence). */
export function briefingSummary(briefing: string): string {
  const sentences = briefing.match(/[^.!?]+[.!?]+(\s|$)|[^.!?]+$/g) ?? [briefing];
  let out = '';
  for (const s of sentences) {
    const next = `${out}${s}`;
    if (out && next.trim().length > SUMMARY_MAX_CHARS) break;
    out = next;
  }
  return out.trim();
}
