import { roleName, seatName } from '../panels/index.ts';
import { h } from '../ui/dom.ts';
import { type PracticeLesson, practiceLessons } from './catalogue.ts';
import type { PracticeChoice } from './practiceApp.ts';
import { PracticeProgress } from './progress.ts';
import { starsText } from './stars.ts';

/**
 * The landing page's practice card (SPEC PRAC-1): a lesson (with this browser's best
 * stars), a seat of any role the lesson has, and the bots' skill — no code, no account.
 * `skillText` words a bot skill.
 */
export function practiceCard(
  onStart: (choice: PracticeChoice) => void,
  skillText: (skill: string) => string,
): HTMLElement {
  const progress = new PracticeProgress();
  const lesson = h('select', { id: 'practice-lesson', testid: 'practice-lesson', disabled: true });
  const summary = h('p', { class: 'muted', testid: 'practice-lesson-summary' });
  const seat = h('select', { id: 'practice-seat', testid: 'practice-seat' });
  const bots = h('select', { id: 'practice-bots', testid: 'practice-bots' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'practice-error' });
  const start = h(
    'button',
    { type: 'submit', class: 'primary', testid: 'practice-start', disabled: true },
    'Start practice',
  );
  let lessons: PracticeLesson[] = [];
  let lastRole = '';
  seat.addEventListener('change', () => {
    lastRole =
      lessons.find((x) => x.id === lesson.value)?.seats.find((s) => s.node === seat.value)?.role ?? '';
  });
  const fill = () => {
    const l = lessons.find((x) => x.id === lesson.value);
    if (!l) return;
    summary.textContent = l.scenario.file.briefing.split(/(?<=[.!?])\s/)[0] ?? '';
    const labels = new Map(l.scenario.file.nodes.map((n) => [n.id, n.label]));
    // Seats grouped by role (the registry's words); the role picked before stays picked where it can.
    const before = l.seats.find((s) => s.node === seat.value)?.role ?? lastRole;
    const roles = [...new Set(l.seats.map((s) => s.role))];
    seat.replaceChildren(
      ...roles.map((role) =>
        h(
          'optgroup',
          { label: `Play a ${roleName(role)}` },
          ...l.seats
            .filter((s) => s.role === role)
            .map((s) => h('option', { value: s.node }, seatName(s.role, s.node, labels.get(s.node)))),
        ),
      ),
    );
    const keep = l.seats.find((s) => s.role === before);
    if (keep) seat.value = keep.node;
    bots.replaceChildren(
      ...l.botSkills.map((k) => h('option', { value: k, selected: k === l.defaultSkill }, skillText(k))),
    );
  };
  lesson.addEventListener('change', fill);
  practiceLessons().then(
    (list) => {
      lessons = list;
      lesson.replaceChildren(
        ...list.map((l) => {
          const best = progress.lesson(l.id);
          const stars = best ? ` — ${starsText(best.stars)}` : '';
          return h(
            'option',
            { value: l.id },
            `Lesson ${l.scenario.file.lesson} — ${l.scenario.file.title}${stars}`,
          );
        }),
      );
      lesson.disabled = false;
      start.disabled = false;
      fill();
    },
    (e: unknown) => {
      error.textContent = `Could not load the lessons: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
  const form = h(
    'form',
    { class: 'card form', 'aria-labelledby': 'practice-title', testid: 'practice-form' },
    h('h2', { id: 'practice-title' }, 'Practice alone'),
    h(
      'p',
      { class: 'muted' },
      'No code, no account: bots play the other seats. Pause, step, speed up, earn stars, watch your replay.',
    ),
    h('label', { for: 'practice-lesson' }, 'Lesson'),
    lesson,
    summary,
    h('label', { for: 'practice-seat' }, 'Your seat'),
    seat,
    h('label', { for: 'practice-bots' }, 'Bots'),
    bots,
    start,
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!lesson.value || !seat.value) {
      error.textContent = 'Pick a lesson and a seat.';
      return;
    }
    onStart({ lessonId: lesson.value, node: seat.value, botSkill: bots.value });
  });
  return form;
}
