import { loadScenario, type Scenario } from '@roundtrip/sim';

/** A lesson practice offers: its scenario, and the seats and bot skills to pick from. */
export interface PracticeLesson {
  id: string;
  scenario: Scenario;
  /** Every seat, of every role, in scenario order (SPEC PRAC-1). */
  seats: Scenario['seats'];
  /** The bot skills every seat's role has, weakest first (SPEC BOT-1). */
  botSkills: string[];
  /** The skill bots play at unless another is picked: the lesson's own, else each role's default. */
  defaultSkill: string;
}

// The lessons ship inside the page, each loaded when first picked: practice needs
// nothing from the server but the page itself (ARCHITECTURE.md "Practice").
const FILES = import.meta.glob<unknown>('../../../../scenarios/*.json', { import: 'default' });

/** Lesson ids, by file name; lesson order comes from `lessonOrder`. */
export function practiceLessonIds(): string[] {
  return Object.keys(FILES).map((path) => path.replace(/^.*\//, '').replace(/\.json$/, ''));
}

const loaded = new Map<string, Promise<PracticeLesson>>();

/** One lesson, validated as the server validates it (SPEC SCN-1). */
export function practiceLesson(id: string): Promise<PracticeLesson> {
  const cached = loaded.get(id);
  if (cached) return cached;
  const file = Object.entries(FILES).find(([path]) => path.endsWith(`/${id}.json`))?.[1];
  if (!file) return Promise.reject(new Error(`there is no lesson "${id}"`));
  const lesson = file().then((json) => describe(id, loadScenario(json, `${id}.json`)));
  loaded.set(id, lesson);
  return lesson;
}

/** Every lesson, in lesson order. */
export async function practiceLessons(): Promise<PracticeLesson[]> {
  const all = await Promise.all(practiceLessonIds().map(practiceLesson));
  return all.sort((a, b) => a.scenario.file.lesson - b.scenario.file.lesson || a.id.localeCompare(b.id));
}

function describe(id: string, scenario: Scenario): PracticeLesson {
  const skills = [...new Set(scenario.seats.map((s) => s.role))].map(
    (r) => scenario.roles.role(r)?.botSkills ?? [],
  );
  const [first = [], ...rest] = skills;
  const botSkills = first.filter((k) => rest.every((r) => r.includes(k)));
  const own = scenario.file.botSkill;
  const defaultSkill =
    own && botSkills.includes(own)
      ? own
      : botSkills.includes('competent')
        ? 'competent'
        : (botSkills[0] ?? '');
  return { id, scenario, seats: scenario.seats, botSkills, defaultSkill };
}

/**
 * The lesson to suggest after `id` (SPEC PRAC-8): the next one in lesson order; after
 * the last, the first lesson not yet at three stars; null when every lesson has three.
 */
export function nextLesson(
  order: readonly string[],
  id: string,
  bestStars: (id: string) => number,
): string | null {
  const at = order.indexOf(id);
  const after = order[at + 1];
  if (at >= 0 && after !== undefined) return after;
  return order.find((l) => l !== id && bestStars(l) < 3) ?? null;
}
