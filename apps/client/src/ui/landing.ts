import {
  JOIN_CODE_LENGTH,
  type LessonSummary,
  NICKNAME_MAX_CHARS,
  normaliseJoinCode,
} from '@roundtrip/protocol';
import { connectErrorText, hostRound, joinRound, OutdatedPage, type Session } from '../net/connection.ts';
import { fetchLessons } from '../net/lessons.ts';
import { practiceCard } from '../practice/landingCard.ts';
import type { PracticeChoice } from '../practice/practiceApp.ts';
import { discardSpareGame, prebootGame } from '../scenes/game.ts';
import { competitionFields } from './competition.ts';
import { h, roundLengthText } from './dom.ts';
import { outdatedScreen } from './outdated.ts';

/** The speeds a host can pick: simulated seconds per real second. */
export const SPEEDS: { value: number; label: string }[] = [
  { value: 1, label: '1× (real time)' },
  { value: 0.5, label: '½× (slow)' },
  { value: 0.25, label: '¼× (slower)' },
  { value: 0.1, label: '1/10× (very slow)' },
  { value: 0.02, label: '1/50× (slow motion)' },
];

/** Words for the bots' usual levels (a role's own levels show as they are named). */
const BOT_SKILL_TEXT: Record<string, string> = {
  novice: 'Novice — slow, makes mistakes',
  competent: 'Competent — the lesson’s policy',
  expert: 'Expert — adapts to what happens',
};

/** Words for a speed, for labels and selects. */
export function speedLabel(scale: number): string {
  return SPEEDS.find((s) => Math.abs(s.value - scale) < 1e-6)?.label ?? `${scale}×`;
}

/** Why the landing page shows instead of the round, and the code to join again with (if any). */
export interface LandingNotice {
  text: string;
  code?: string;
}

/**
 * Landing page: host a class round, join one with a code and a nickname, or practise
 * alone (`onPractice`, SPEC PRAC-1). With a `notice` (a rejoin that failed), says why
 * and fills in its code.
 */
export function landing(
  onSession: (s: Session) => void,
  notice?: LandingNotice,
  onPractice?: (choice: PracticeChoice) => void,
): HTMLElement {
  const params = new URLSearchParams(location.search);
  const presetCode = notice?.code ?? params.get('code') ?? '';

  // Host a round: the lessons come from the server's scenario files.
  const lesson = h(
    'select',
    { id: 'host-lesson', testid: 'host-lesson', disabled: true },
    h('option', { value: '' }, 'Loading lessons…'),
  );
  const lessonSummary = h('p', { class: 'muted', testid: 'host-lesson-summary' });
  const lessonsError = h('p', { class: 'form-error', role: 'alert', testid: 'lessons-error', hidden: true });
  let lessons: LessonSummary[] = [];
  // Any length (lesson 2's 45 s is 0.75): a step would round it to the nearest half minute.
  const minutes = h('input', {
    id: 'host-minutes',
    testid: 'host-minutes',
    type: 'number',
    min: 0.25,
    max: 60,
    step: 'any',
    inputmode: 'decimal',
  });
  const lengthHint = h('p', { class: 'muted', testid: 'host-length-hint', 'aria-live': 'polite' });
  const speed = h('select', { id: 'host-speed', testid: 'host-speed' });
  // The bots in seats nobody holds (SPEC ROOM-12): the levels the lesson's roles share.
  const bots = h('select', { id: 'host-bots', testid: 'host-bots' });
  // Off unless asked: a student's autopilot would score a bot's play (SPEC BOTS-4).
  const botPlayers = h('input', { type: 'checkbox', id: 'host-bot-players', testid: 'host-bot-players' });
  // A team competition (SPEC COMP-1): the teams' names.
  const competition = competitionFields();
  const hostError = h('p', { class: 'form-error', role: 'alert', testid: 'host-error' });
  const hostButton = h(
    'button',
    { type: 'submit', class: 'primary', testid: 'host-create', disabled: true },
    'Create round',
  );
  const fillDefaults = () => {
    const d = lessons.find((l) => l.id === lesson.value);
    lessonSummary.textContent = d?.summary ?? '';
    minutes.value = d ? String(Math.round((d.durationS / 60) * 100) / 100) : '3';
    speed.replaceChildren(
      ...SPEEDS.map((s) =>
        h(
          'option',
          { value: s.value, selected: d !== undefined && Math.abs(d.timeScale - s.value) < 1e-6 },
          d && Math.abs(d.timeScale - s.value) < 1e-6 ? `${s.label} — lesson default` : s.label,
        ),
      ),
    );
    const own = d?.botSkill ?? '';
    bots.replaceChildren(
      h(
        'option',
        { value: '', selected: true },
        own ? `${BOT_SKILL_TEXT[own] ?? own} — lesson default` : 'Lesson default',
      ),
      ...(d?.botSkills ?? [])
        .filter((k) => k !== own)
        .map((k) => h('option', { value: k }, BOT_SKILL_TEXT[k] ?? k)),
    );
  };
  const showLength = () => {
    const mins = Number(minutes.value);
    lengthHint.textContent =
      mins > 0 ? `The round takes ${roundLengthText(mins * 60_000_000, Number(speed.value) || 1)}.` : '';
  };
  lesson.addEventListener('change', () => {
    fillDefaults();
    showLength();
  });
  minutes.addEventListener('input', showLength);
  speed.addEventListener('change', showLength);
  fillDefaults();
  showLength();
  const loadLessons = () => {
    lessonsError.hidden = true;
    fetchLessons().then(
      (list) => {
        lessons = list;
        lesson.replaceChildren(
          ...list.map((l) => h('option', { value: l.id }, `Lesson ${l.lesson} — ${l.title}`)),
        );
        lesson.disabled = false;
        hostButton.disabled = false;
        fillDefaults();
        showLength();
      },
      (e: unknown) => {
        const retry = h('button', { type: 'button', class: 'secondary', onclick: loadLessons }, 'Try again');
        lessonsError.replaceChildren(
          `Could not load the lessons: ${e instanceof Error ? e.message : String(e)}. `,
          retry,
        );
        lessonsError.hidden = false;
      },
    );
  };
  loadLessons();

  const hostForm = h(
    'form',
    { class: 'card form', 'aria-labelledby': 'host-title' },
    h('h2', { id: 'host-title' }, 'Host a class round'),
    h('p', { class: 'muted' }, 'For the teacher: project the code, students join from their own devices.'),
    h('label', { for: 'host-lesson' }, 'Lesson'),
    lesson,
    lessonSummary,
    lessonsError,
    h('label', { for: 'host-minutes' }, 'Round length (minutes of simulated time)'),
    minutes,
    h('label', { for: 'host-speed' }, 'Speed'),
    speed,
    lengthHint,
    h('label', { for: 'host-bots' }, 'Bots in empty seats'),
    bots,
    h(
      'label',
      { class: 'toggle', for: 'host-bot-players' },
      botPlayers,
      'Let bot players join (pnpm bots: demos and load runs)',
    ),
    competition.el,
    hostButton,
    hostError,
    h(
      'p',
      {},
      h('a', { href: '?history', testid: 'past-rounds' }, 'Past rounds'),
      ' — results of rounds you hosted here',
    ),
  );
  hostForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const mins = Number(minutes.value);
    if (!(mins >= 0.25 && mins <= 60)) {
      hostError.textContent = 'Round length must be between 0.25 (15 seconds) and 60 minutes.';
      minutes.focus();
      return;
    }
    const teams = competition.teams();
    if (typeof teams === 'string') {
      hostError.textContent = teams;
      return;
    }
    hostError.textContent = '';
    hostButton.disabled = true;
    hostButton.textContent = 'Creating…';
    try {
      onSession(
        await hostRound({
          scenario: lesson.value,
          durationS: Math.round(mins * 60),
          timeScale: Number(speed.value),
          ...(bots.value ? { botSkill: bots.value } : {}),
          ...(teams ? { teams } : {}),
          ...(botPlayers.checked ? { botPlayers: true } : {}),
        }),
      );
    } catch (err) {
      if (err instanceof OutdatedPage) return void page.replaceWith(outdatedScreen());
      hostError.textContent = connectErrorText(err);
      hostButton.disabled = false;
      hostButton.textContent = 'Create round';
    }
  });

  // Join a round
  const code = h('input', {
    id: 'join-code',
    testid: 'join-code',
    class: 'code-input',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: false,
    maxLength: JOIN_CODE_LENGTH,
    placeholder: 'K7QXM', // letters of JOIN_CODE_ALPHABET only
    required: true,
    value: normaliseJoinCode(presetCode),
  });
  code.addEventListener('input', () => {
    const at = code.selectionStart;
    code.value = normaliseJoinCode(code.value);
    if (at !== null) code.setSelectionRange(at, at);
  });
  const nickname = h('input', {
    id: 'join-nickname',
    testid: 'join-nickname',
    autocomplete: 'nickname',
    maxLength: NICKNAME_MAX_CHARS,
    placeholder: 'e.g. Ada',
    required: true,
  });
  const joinError = h('p', { class: 'form-error', role: 'alert', testid: 'join-error' });
  const joinButton = h('button', { type: 'submit', class: 'primary', testid: 'join-submit' }, 'Join');
  const joinForm = h(
    'form',
    { class: 'card form', 'aria-labelledby': 'join-title' },
    h('h2', { id: 'join-title' }, 'Join a round'),
    h('p', { class: 'muted' }, 'For students: type the code your teacher shows.'),
    h('label', { for: 'join-code' }, 'Round code'),
    code,
    h('label', { for: 'join-nickname' }, 'Nickname'),
    nickname,
    joinButton,
    joinError,
  );
  joinForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const c = normaliseJoinCode(code.value);
    const nick = nickname.value.trim();
    if (c.length !== JOIN_CODE_LENGTH) {
      joinError.textContent = `A round code has ${JOIN_CODE_LENGTH} letters.`;
      code.focus();
      return;
    }
    if (!nick) {
      joinError.textContent = 'Pick a nickname so your team knows who you are.';
      nickname.focus();
      return;
    }
    joinError.textContent = '';
    joinButton.disabled = true;
    joinButton.textContent = 'Joining…';
    let boot: ReturnType<typeof setTimeout> | undefined;
    try {
      const joining = joinRound(c, nick);
      // The request is on its way: boot the game meanwhile, so the network draws as soon as the seat is ours.
      boot = setTimeout(prebootGame, 0);
      onSession(await joining);
    } catch (err) {
      clearTimeout(boot);
      discardSpareGame();
      if (err instanceof OutdatedPage) return void page.replaceWith(outdatedScreen());
      joinError.textContent = connectErrorText(err, c);
      joinButton.disabled = false;
      joinButton.textContent = 'Join';
    }
  });

  const practice = onPractice ? practiceCard(onPractice, (k) => BOT_SKILL_TEXT[k] ?? k) : null;
  const forms = presetCode ? [joinForm, hostForm, practice] : [hostForm, joinForm, practice];
  const page = h(
    'main',
    { class: 'landing' },
    h(
      'header',
      { class: 'hero' },
      h('h1', {}, 'Roundtrip'),
      h('p', {}, 'You are the Internet. Route the packets, beat the lag.'),
    ),
    notice ? h('p', { class: 'card notice', role: 'alert', testid: 'rejoin-notice' }, notice.text) : null,
    h('div', { class: 'landing-forms' }, ...forms),
  );
  return page;
}
