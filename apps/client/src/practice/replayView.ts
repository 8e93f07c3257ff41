import { CopyState, LinkFigures } from '@roundtrip/protocol';
import type { Game } from 'phaser';
import { Replica } from '../net/replica.ts';
import { createGame } from '../scenes/game.ts';
import { formatClock, h } from '../ui/dom.ts';
import type { Screen } from '../ui/screen.ts';
import { NetworkViewModel } from '../view/viewModel.ts';
import { ReplayPlayer } from './replayPlayer.ts';
import type { PracticeSession } from './session.ts';

/** Wall ms between playback steps. */
const FRAME_MS = 50;
/** Timeline resolution, simulated ms. */
const TIMELINE_STEP_MS = 100;
/** Link figures are sampled at least this much simulated time apart while playing (as the room's ~250 ms). */
const SAMPLE_EVERY_US = 250_000;
/** Playback speeds of the replay, simulated seconds per wall second. */
const REPLAY_SPEEDS = [1, 2, 4, 8];

/**
 * The replay of a finished attempt (SPEC PRAC-6): the map as it was at any moment,
 * a timeline to scrub with a mark at each of the player's commands, play and pause at
 * a chosen speed, and the team score at that moment.
 */
export function replayScreen(session: PracticeSession, back: () => void): Screen {
  const round = session.round;
  const sc = round.setup.scenario;
  const endUs = round.state.simTimeUs;
  const player = new ReplayPlayer(sc, round.setup.seed, round.copy.log, session.checkpoints, endUs);
  const replica = new Replica({ scenario: sc, copy: 0, requestResync: () => {} });
  replica.adopt(player.copy.sim, 0, performance.now());
  let playing = false;
  let speed = 1;
  // The links' figures as the room would have shown them then (utilisation colours the map).
  const figures = new CopyState();
  for (const link of sc.file.links) figures.links.set(link.id, new LinkFigures());
  let sampledUs = Number.NEGATIVE_INFINITY;
  const vm = new NetworkViewModel({
    replica,
    myNode: round.seat.node,
    linkUtilPct: (id) => figures.links.get(id)?.utilPct ?? 0,
    timeRate: () => (playing ? speed : 0),
    selectedLink: () => null,
    inspectedPacket: () => null,
  });

  const timeline = h('input', {
    type: 'range',
    id: 'replay-timeline',
    testid: 'replay-timeline',
    min: 0,
    max: Math.floor(endUs / 1000),
    step: TIMELINE_STEP_MS,
    value: 0,
    'aria-label': 'Replay time',
  });
  // The player's own commands (bots act inside the simulation; seat changes are the room's).
  const marks = h('div', { class: 'replay-marks', 'aria-hidden': 'true' });
  for (const e of round.copy.log) {
    const cmds = JSON.parse(e.commands) as { type: string }[];
    const mine = cmds.filter((c) => !c.type.startsWith('seat.'));
    if (mine.length === 0 || endUs === 0) continue;
    marks.append(
      h('span', {
        class: 'replay-mark',
        style: `left: ${((100 * e.atUs) / endUs).toFixed(2)}%`,
        title: `${formatClock(e.atUs)}: ${mine.map((c) => c.type).join(', ')}`,
      }),
    );
  }
  const clock = h('span', { class: 'timer', testid: 'replay-clock' });
  const score = h('span', { testid: 'replay-score' });
  const play = h('button', { class: 'primary', type: 'button', testid: 'replay-play' }, 'Play');
  const speedSelect = h(
    'select',
    { id: 'replay-speed', testid: 'replay-speed', 'aria-label': 'Replay speed' },
    ...REPLAY_SPEEDS.map((s) => h('option', { value: s, selected: s === speed }, `${s}×`)),
  );
  speedSelect.addEventListener('change', () => {
    speed = Number(speedSelect.value);
  });
  const backButton = h(
    'button',
    { class: 'secondary', type: 'button', testid: 'replay-back', onclick: back },
    'Back to results',
  );

  const show = (tUs: number) => {
    const rebuilt = player.seek(tUs);
    if (rebuilt) replica.adopt(player.copy.sim, 0, performance.now());
    else replica.ticked(replica.tick + 1, performance.now());
    if (rebuilt || Math.abs(player.nowUs - sampledUs) >= SAMPLE_EVERY_US) {
      player.copy.figures.sample(player.copy.sim, player.copy.metrics, figures);
      sampledUs = player.nowUs;
    }
    timeline.value = String(Math.round(player.nowUs / 1000));
    clock.textContent = `${formatClock(player.nowUs)} / ${formatClock(endUs)}`;
    score.textContent = `Team score then: ${player.copy.scoreboard.network}`;
  };
  timeline.addEventListener('input', () => show(Number(timeline.value) * 1000));
  play.addEventListener('click', () => {
    if (!playing && player.nowUs >= endUs) show(0);
    playing = !playing;
    play.textContent = playing ? 'Pause' : 'Play';
  });
  const timer = setInterval(() => {
    if (!playing) return;
    show(player.nowUs + FRAME_MS * 1000 * speed);
    if (player.nowUs >= endUs) {
      playing = false;
      play.textContent = 'Play';
    }
  }, FRAME_MS);

  const stage = h('div', { class: 'stage' });
  const el = h(
    'main',
    { class: 'round round-player practice-replay' },
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'title' }, `Replay — ${sc.file.title}`),
      h('span', { class: 'who' }, `seed ${round.setup.seed}`),
      clock,
    ),
    h(
      'div',
      { class: 'round-body' },
      h('div', { class: 'map-col' }, h('div', { class: 'stage-wrap' }, stage)),
      h(
        'aside',
        { class: 'side' },
        h(
          'section',
          { class: 'card replay-controls', 'aria-label': 'Replay controls', testid: 'replay-controls' },
          h('h2', {}, 'Replay of your attempt'),
          h('div', { class: 'replay-timeline' }, timeline, marks),
          h('div', { class: 'practice-buttons' }, play, speedSelect, backButton),
          h('p', {}, score),
          h(
            'p',
            { class: 'muted' },
            'Drag the timeline to any moment: the network is rebuilt from the lesson, its seed and your commands (the marks).',
          ),
        ),
      ),
    ),
  );
  show(0);

  let game: Game | null = null;
  return {
    kind: 'practice-replay',
    el,
    update: () => {},
    mounted: () => {
      if (!el.isConnected || game) return;
      game = createGame(stage, vm);
      window.__roundtripGame = game;
    },
    destroy: () => {
      clearInterval(timer);
      game?.destroy(true);
      window.__roundtripGame = null;
    },
  };
}
