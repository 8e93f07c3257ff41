import { h } from '../ui/dom.ts';
import { roundScreen } from '../ui/round.ts';
import type { Screen } from '../ui/screen.ts';
import { nextLesson, practiceLesson, practiceLessons } from './catalogue.ts';
import { practiceControls } from './controls.ts';
import { PracticeProgress } from './progress.ts';
import { replayScreen } from './replayView.ts';
import { practiceResults } from './results.ts';
import { PracticeSession } from './session.ts';

/** DOM panels refresh this often, as in a class round. */
const REFRESH_MS = 250;

/** What the player picked on the landing page (SPEC PRAC-1). */
export interface PracticeChoice {
  lessonId: string;
  node: string;
  /** '' = the lesson's own level. */
  botSkill: string;
  /** Unset: a new one. */
  seed?: number;
}

/** A seed for a new attempt. */
export function newSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}

/**
 * Practice mode in this page (SPEC PRAC-1..8): the round screen over a PracticeSession,
 * then the results with stars, try again, the replay and the next lesson. Nothing goes
 * to the server.
 */
export function startPractice(root: HTMLElement, first: PracticeChoice): void {
  let screen: Screen | null = null;
  let refresh: ReturnType<typeof setInterval> | null = null;
  let session: PracticeSession | null = null;
  const progress = new PracticeProgress();

  const show = (next: Screen) => {
    screen?.destroy();
    screen = next;
    root.replaceChildren(next.el);
    window.scrollTo(0, 0);
    next.mounted?.();
  };

  const play = async (choice: PracticeChoice) => {
    session?.leave();
    if (refresh !== null) clearInterval(refresh);
    const lesson = await practiceLesson(choice.lessonId);
    const seed = choice.seed ?? newSeed();
    const attempt = { ...choice, seed };
    const s = new PracticeSession({
      scenarioId: lesson.id,
      scenario: lesson.scenario,
      seed,
      node: choice.node,
      botSkill: choice.botSkill || lesson.defaultSkill,
    });
    session = s;
    const controls = practiceControls(s, {
      restart: () => void play(attempt),
      end: () => s.round.end(),
      changed: () => screen?.update(),
    });
    show({ ...roundScreen(s, controls), kind: 'practice-round' });
    refresh = setInterval(() => screen?.update(), REFRESH_MS);
    s.onEnded = () => void finished(s, attempt);
  };

  const finished = async (s: PracticeSession, attempt: PracticeChoice & { seed: number }) => {
    if (refresh !== null) clearInterval(refresh);
    refresh = null;
    screen?.update();
    const id = attempt.lessonId;
    const bestBefore = progress.bestStars(id);
    progress.record(id, s.round.stars() ?? 0, s.round.teamScore);
    const order = (await practiceLessons()).map((l) => l.id);
    const nextId = nextLesson(order, id, (l) => progress.bestStars(l));
    const next = nextId ? await practiceLesson(nextId) : null;
    const results = () =>
      show(
        practiceResults(s, {
          tryAgain: () => void play(attempt),
          newSeed: () => void play({ ...attempt, seed: newSeed() }),
          replay: () => show(replayScreen(s, results)),
          next: next
            ? {
                title: `Lesson ${next.scenario.file.lesson} — ${next.scenario.file.title}`,
                // The same role where the next lesson has it, else its first seat.
                go: () =>
                  void play({
                    lessonId: next.id,
                    node:
                      next.seats.find((x) => x.role === s.round.seat.role)?.node ?? next.seats[0]?.node ?? '',
                    botSkill: next.botSkills.includes(attempt.botSkill) ? attempt.botSkill : '',
                  }),
              }
            : null,
          bestBefore,
        }),
      );
    results();
  };

  play(first).catch((e: unknown) => {
    root.replaceChildren(
      h(
        'main',
        { class: 'center' },
        h(
          'p',
          { role: 'alert', class: 'form-error' },
          `Could not start practice: ${e instanceof Error ? e.message : String(e)}`,
        ),
        h('button', { class: 'primary', onclick: () => location.assign(location.pathname) }, 'Back to start'),
      ),
    );
  });
}
