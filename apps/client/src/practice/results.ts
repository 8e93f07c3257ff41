import { debriefView } from '../ui/debrief.ts';
import { h } from '../ui/dom.ts';
import { resultRow, resultsTable } from '../ui/resultsTable.ts';
import type { Screen } from '../ui/screen.ts';
import type { PracticeSession } from './session.ts';
import { starsText } from './stars.ts';

/** What the player can do after an attempt. */
export interface AfterAttempt {
  tryAgain: () => void;
  newSeed: () => void;
  replay: () => void;
  /** The suggested next lesson, if any (SPEC PRAC-8). */
  next: { title: string; go: () => void } | null;
  /** Best stars before this attempt (for "new best"). */
  bestBefore: number;
}

/**
 * The end of a practice attempt (SPEC PRAC-4, PRAC-5, PRAC-8): the stars and how they
 * were earned, try again (same seed) or with a new one, the replay, the next lesson,
 * then the player's results line and the same debrief a class round gets.
 */
export function practiceResults(session: PracticeSession, after: AfterAttempt): Screen {
  const round = session.round;
  const f = round.setup.scenario.file;
  const thresholds = f.stars?.teamScore;
  const stars = round.stars();
  const score = round.teamScore;
  const replayName = `roundtrip-practice-${round.setup.scenarioId}-seed${round.setup.seed}.replay.json`;
  const download = async () => {
    const blob = new Blob([JSON.stringify(round.replay())], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: replayName });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1_000);
  };

  const grade =
    stars === null || !thresholds
      ? h('p', { class: 'muted' }, `Team score ${score}. This lesson gives no stars.`)
      : h(
          'div',
          {},
          h(
            'p',
            { class: 'stars-big', testid: 'practice-stars', 'aria-label': `${stars} of 3 stars` },
            starsText(stars),
          ),
          h(
            'p',
            { testid: 'practice-score' },
            `Team score ${score}: one star from ${thresholds[0]}, two from ${thresholds[1]}, three from ${thresholds[2]}.`,
          ),
          stars > after.bestBefore
            ? h('p', { class: 'notice-good', testid: 'practice-new-best' }, 'A new best for this lesson!')
            : after.bestBefore > 0
              ? h('p', { class: 'muted' }, `Your best here: ${starsText(after.bestBefore)}.`)
              : null,
        );

  const button = (label: string, testid: string, onclick: () => void, cls = 'secondary') =>
    h('button', { class: cls, type: 'button', testid, onclick }, label);
  const actions = h(
    'div',
    { class: 'practice-actions' },
    after.next ? button(`Next: ${after.next.title}`, 'practice-next', after.next.go, 'primary') : null,
    button(
      'Try again (same seed)',
      'practice-try-again',
      after.tryAgain,
      after.next ? 'secondary' : 'primary',
    ),
    button('Try a new seed', 'practice-new-seed', after.newSeed),
    button('Watch the replay', 'practice-watch-replay', after.replay),
  );
  const me = round.results?.[0];
  const labels = new Map(f.nodes.map((n) => [n.id, n.label]));
  const debrief = round.debrief();
  const el = h(
    'main',
    { class: 'results practice-results' },
    h('h1', {}, `Practice — Lesson ${f.lesson}: ${f.title}`),
    h(
      'section',
      { class: 'card practice-summary', testid: 'practice-summary' },
      grade,
      h(
        'p',
        { class: 'muted' },
        `Seed ${round.setup.seed}; bots at ${round.setup.botSkill || 'the lesson’s level'}. The same seed plays the same traffic and faults again.`,
      ),
      actions,
    ),
    me
      ? resultsTable(
          'results-table',
          h(
            'tbody',
            {},
            resultRow({ ...me, breakdown: JSON.stringify(me.parts) }, true, labels.get(me.node)),
          ),
        )
      : null,
    debrief
      ? debriefView(debrief, { myNickname: me?.nickname, downloads: { kind: 'replay', get: download } })
      : null,
    h(
      'p',
      {},
      h(
        'button',
        {
          class: 'link',
          type: 'button',
          testid: 'practice-back',
          onclick: () => location.assign(location.pathname),
        },
        'Back to start',
      ),
    ),
  );
  return { kind: 'practice-results', el, update: () => {}, destroy: () => {} };
}
