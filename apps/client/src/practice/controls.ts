import { h, renderIfChanged } from '../ui/dom.ts';
import './practice.css';
import type { RoundControls } from '../ui/round.ts';
import type { PracticeSession } from './session.ts';
import { starsText } from './stars.ts';

/**
 * Practice speeds (SPEC PRAC-3): slow motion to fast-forward, simulated seconds per
 * wall second. A class room stops at 1×; alone, a player may also hurry a quiet stretch.
 */
export const PRACTICE_SPEEDS: { value: number; label: string }[] = [
  { value: 0.1, label: '1/10× (slow motion)' },
  { value: 0.25, label: '¼×' },
  { value: 0.5, label: '½×' },
  { value: 1, label: '1× (real time)' },
  { value: 2, label: '2× (fast-forward)' },
  { value: 4, label: '4× (fast-forward)' },
];

/**
 * A practice round's controls beside the map: play/pause, step a tick or a second while
 * paused, the speed, end or restart; the stars the team score earns so far; and the
 * hints that react to what happens at the player's seat (SPEC PRAC-3, PRAC-4, PRAC-7).
 */
export function practiceControls(
  session: PracticeSession,
  actions: { restart: () => void; end: () => void; changed: () => void },
): RoundControls {
  const round = session.round;
  const play = h('button', { class: 'primary', type: 'button', testid: 'practice-play' }, 'Play');
  play.addEventListener('click', () => {
    if (round.state.phase === 'running') round.pause();
    else round.resume();
    actions.changed();
  });
  const stepTick = h(
    'button',
    { class: 'secondary', type: 'button', testid: 'practice-step-tick', title: 'Run one tick, then pause' },
    'Step tick',
  );
  stepTick.addEventListener('click', () => {
    session.step('tick');
    actions.changed();
  });
  const stepSecond = h(
    'button',
    { class: 'secondary', type: 'button', testid: 'practice-step-second', title: 'Run one simulated second' },
    'Step 1 s',
  );
  stepSecond.addEventListener('click', () => {
    session.step('second');
    actions.changed();
  });
  const speed = h(
    'select',
    { id: 'practice-speed', testid: 'practice-speed' },
    ...PRACTICE_SPEEDS.map((s) =>
      h('option', { value: s.value, selected: Math.abs(s.value - round.state.timeScale) < 1e-6 }, s.label),
    ),
  );
  if (!PRACTICE_SPEEDS.some((s) => Math.abs(s.value - round.state.timeScale) < 1e-6))
    speed.prepend(h('option', { value: round.state.timeScale, selected: true }, `${round.state.timeScale}×`));
  speed.addEventListener('change', () => round.setTimeScale(Number(speed.value)));
  const restart = h(
    'button',
    { class: 'secondary', type: 'button', testid: 'practice-restart' },
    'Try again',
  );
  restart.addEventListener('click', actions.restart);
  const end = h('button', { class: 'danger', type: 'button', testid: 'practice-end' }, 'End now');
  end.addEventListener('click', actions.end);

  const thresholds = round.setup.scenario.file.stars?.teamScore;
  const grade = h('p', { class: 'practice-grade', testid: 'practice-grade', 'aria-live': 'polite' });
  const hints = h('ul', { class: 'hints practice-hints', testid: 'practice-hints', 'aria-live': 'polite' });
  const el = h(
    'section',
    { class: 'card practice-controls', 'aria-label': 'Practice controls', testid: 'practice-controls' },
    h('h2', {}, 'Practice'),
    h('div', { class: 'practice-buttons' }, play, stepTick, stepSecond),
    h('div', { class: 'practice-speed' }, h('label', { for: 'practice-speed' }, 'Speed'), speed),
    grade,
    h('div', { class: 'practice-buttons' }, restart, end),
    h('h3', {}, 'What is happening'),
    hints,
  );

  const update = () => {
    const phase = round.state.phase;
    const paused = phase === 'paused';
    play.textContent = paused ? (round.copy.sim.nowUs === 0 ? 'Start' : 'Play') : 'Pause';
    play.setAttribute('aria-pressed', String(!paused));
    stepTick.disabled = !paused;
    stepSecond.disabled = !paused;
    const score = round.teamScore;
    if (thresholds) {
      const stars = round.stars() ?? 0;
      const next = thresholds[stars];
      grade.textContent = `${starsText(stars)} · team score ${score}${next === undefined ? '' : ` · next star at ${next}`}`;
      grade.setAttribute('aria-label', `${stars} of 3 stars so far, team score ${score}`);
    } else grade.textContent = `Team score ${score} · this lesson gives no stars`;
    const list = session.hints.list;
    renderIfChanged(hints, list.map((x) => x.key + x.atUs).join('|'), () =>
      list.length === 0
        ? [h('li', { class: 'muted' }, 'Hints about your seat show here as things happen.')]
        : list.map((x) => h('li', { testid: 'practice-hint' }, x.text)),
    );
  };
  update();
  return {
    el,
    update,
    pausedText: 'Paused. Press Start or Play to run, or step through time.',
    noStandings: true,
  };
}
