import { normaliseJoinCode } from '@roundtrip/protocol';
import type { Game } from 'phaser';
import QRCode from 'qrcode';
import { connectErrorText, OutdatedPage, projectRound, type Session } from '../net/connection.ts';
import { createGame } from '../scenes/game.ts';
import { NetworkViewModel } from '../view/viewModel.ts';
import { formatClock, h, renderIfChanged, setTeamNames, teamName } from './dom.ts';
import { joinUrl } from './hostLobby.ts';
import { leaderboard } from './leaderboard.ts';
import { outdatedScreen } from './outdated.ts';

/** Each team's network is shown this long before the next team's (SPEC HOST-9). */
export const PROJECTOR_TURN_MS = 15_000;
/** Smallest text and packets on the projector: readable from the back of a classroom at 1920×1080. */
const PROJECTOR_TEXT_PX = 28;
const PROJECTOR_PACKET_PX = 14;
/** The page refreshes its figures this often. */
const REFRESH_MS = 250;

/** The address that opens the projector view of round `code` (the host console's button). */
export function projectorUrl(code: string, projectorKey: string): string {
  const q = new URLSearchParams({ projector: code, key: projectorKey });
  return `${location.origin}${location.pathname}?${q}`;
}

/**
 * The projector view (SPEC HOST-9): read-only, for the classroom's big screen. The join
 * code while students arrive; then every team's network in turn, large, with the live
 * leaderboard and the round timer; the final standings at the end.
 */
export function projectorPage(root: HTMLElement, params: URLSearchParams): void {
  document.body.classList.add('projector-page');
  const code = normaliseJoinCode(params.get('projector') ?? '');
  const key = params.get('key') ?? '';
  open(root, code, key, 1);
}

/** A dropped projector tries again this often, this many times (a server restart takes seconds, SPEC PERSIST-4). */
const REOPEN_TRIES = 40;
const REOPEN_RETRY_MS = 1_500;

function open(root: HTMLElement, code: string, key: string, attempt: number): void {
  root.replaceChildren(
    h(
      'main',
      { class: 'center muted projector', testid: 'projector-opening' },
      attempt === 1 ? `Opening the projector view of round ${code}…` : `Reconnecting to round ${code}…`,
    ),
  );
  projectRound(code, key).then(
    (session) => show(root, session, () => open(root, code, key, 2)),
    (e: unknown) => {
      if (e instanceof OutdatedPage) return void root.replaceChildren(outdatedScreen());
      // Refused with a status (a wrong key, a closed room): say why. Not answering (a restart): try again.
      const status = (e as { code?: unknown }).code;
      const refused = typeof status === 'number' && !(status >= 502 && status <= 504);
      if (!refused && attempt < REOPEN_TRIES)
        return void setTimeout(() => open(root, code, key, attempt + 1), REOPEN_RETRY_MS);
      root.replaceChildren(
        h(
          'main',
          { class: 'center projector' },
          h('h1', {}, 'The projector view could not open'),
          h('p', { role: 'alert', testid: 'projector-error' }, connectErrorText(e, code)),
        ),
      );
    },
  );
}

function show(root: HTMLElement, session: Session, reopen: () => void): void {
  let view: ProjectorView | null = null;
  let round = -1;
  let outdated = false;
  const refresh = () => {
    if (outdated) return;
    if (session.state.round !== round || !view) {
      view?.destroy();
      round = session.state.round;
      view = projectorView(session);
      root.replaceChildren(view.el);
    }
    view.update();
  };
  session.room.onStateChange(refresh);
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  // The server now serves a newer build (SPEC SYNC-10): stop, and offer the reload.
  session.onOutdated = () => {
    outdated = true;
    clearInterval(timer);
    view?.destroy();
    view = null;
    root.replaceChildren(outdatedScreen());
  };
  // The connection dropped (a restart, a network blip): open the view again.
  session.room.onLeave(() => {
    clearInterval(timer);
    if (outdated) return;
    view?.destroy();
    view = null;
    reopen();
  });
}

interface ProjectorView {
  el: HTMLElement;
  update(): void;
  destroy(): void;
}

/** One round's projector screen. */
function projectorView(session: Session): ProjectorView {
  const st = session.state;
  const sc = session.replica.scenario;
  const url = joinUrl(st.code);
  const timer = h('span', { class: 'projector-timer', testid: 'projector-timer', 'aria-label': 'Time left' });
  const phase = h('span', { class: 'phase', testid: 'projector-phase' });
  const team = h('span', { class: 'projector-team', testid: 'projector-team' });
  const turns = h('span', { class: 'projector-turns', 'aria-hidden': 'true' });
  const board = leaderboard(session, { always: true, playersShown: 8, testid: 'projector-leaderboard' });
  const stage = h('div', { class: 'stage projector-stage', testid: 'projector-stage' });
  const banner = h('div', { class: 'projector-banner', role: 'status', testid: 'projector-banner' });
  const qr = h('div', { class: 'qr projector-qr', 'aria-hidden': 'true' });
  QRCode.toString(url, { type: 'svg', margin: 1, color: { dark: '#0b1020', light: '#ffffff' } })
    .then((svg) => {
      qr.innerHTML = svg;
    })
    .catch(() => qr.remove());
  const joined = h('ul', { class: 'projector-joined', testid: 'projector-joined' });
  const lobby = h(
    'section',
    { class: 'projector-lobby', testid: 'projector-lobby' },
    h(
      'div',
      { class: 'projector-join' },
      h('p', { class: 'eyebrow' }, 'Join at'),
      h('p', { class: 'projector-url' }, url),
      h('p', { class: 'eyebrow' }, 'with the code'),
      h('p', { class: 'projector-code', testid: 'projector-code' }, st.code),
      qr,
    ),
    h('div', { class: 'projector-lobby-players' }, h('h2', {}, 'Joined'), joined),
  );
  // Every team at a glance above the map (a competition's spectators, SPEC COMP-5): the
  // projector receives every copy's figures, the map shows one copy at a time.
  const allTeams = h('ol', { class: 'projector-teams', testid: 'projector-teams' });
  const network = h(
    'section',
    { class: 'projector-network' },
    h('div', { class: 'projector-network-head' }, team, turns, allTeams),
    stage,
    banner,
  );
  const el = h(
    'main',
    { class: 'projector', testid: 'projector' },
    h(
      'header',
      { class: 'projector-top' },
      h('span', { class: 'projector-title' }, sc.file.title),
      h('span', { class: 'projector-joinline', testid: 'projector-joinline' }, `Join: ${st.code}`),
      phase,
      timer,
    ),
    h('div', { class: 'projector-body' }, lobby, network, board.el),
  );

  const vm = new NetworkViewModel({
    replica: session.replica,
    myNode: null,
    linkUtilPct: (id) => session.state.copies.at(session.replica.copy ?? 0)?.links.get(id)?.utilPct ?? 0,
    timeRate: () => (session.state.phase === 'running' ? session.state.timeScale : 0),
    selectedLink: () => null,
    inspectedPacket: () => null,
    minTextPx: PROJECTOR_TEXT_PX,
    minPacketPx: PROJECTOR_PACKET_PX,
  });
  let game: Game | null = null;
  let turnStartMs = performance.now();
  const shown = () => session.replica.copy ?? 0;

  const update = () => {
    const s = session.state;
    const playing = s.phase === 'running' || s.phase === 'paused';
    lobby.hidden = s.phase !== 'lobby';
    network.hidden = !playing;
    el.dataset.phase = s.phase;
    const nowUs = Math.max(session.replica.sim?.nowUs ?? 0, s.simTimeUs);
    timer.textContent =
      s.phase === 'lobby' ? formatClock(s.durationUs) : formatClock(Math.max(0, s.durationUs - nowUs));
    phase.textContent =
      s.phase === 'running' ? 'LIVE' : s.phase === 'lobby' ? 'WAITING' : s.phase.toUpperCase();
    phase.className = `phase phase-${s.phase}`;
    banner.hidden = s.phase !== 'paused';
    banner.textContent = 'Paused';
    setTeamNames(s.teams);
    const names: string[] = [];
    s.players.forEach((p) => {
      names.push(s.teams.length > 0 ? `${p.nickname} · ${teamName(p.copy)}` : p.nickname);
    });
    names.sort((a, b) => a.localeCompare(b));
    renderIfChanged(joined, names.join('\n'), () =>
      names.length === 0 ? [h('li', { class: 'muted' }, 'Nobody yet')] : names.map((n) => h('li', {}, n)),
    );
    if (playing && !game && stage.isConnected && stage.clientWidth > 0) {
      game = createGame(stage, vm);
      window.__roundtripGame = game;
    }
    // Every team in turn (SPEC HOST-9): the server sends the copy asked for.
    const copies = s.copies.length;
    if (playing && copies > 1 && performance.now() - turnStartMs >= PROJECTOR_TURN_MS) {
      turnStartMs = performance.now();
      session.watch((shown() + 1) % copies);
    }
    team.textContent = copies > 0 ? teamName(shown()) : '';
    renderIfChanged(turns, `${shown()}/${copies}`, () =>
      copies > 1
        ? Array.from({ length: copies }, (_, i) => h('i', { class: i === shown() ? 'on' : '' }))
        : [],
    );
    const glance = [...s.copies].map((c) => ({
      copy: c.index,
      score: c.score,
      completed: c.completed,
      failed: c.failed,
      on: c.index === shown(),
    }));
    allTeams.hidden = glance.length < 2;
    renderIfChanged(allTeams, JSON.stringify(glance), () =>
      glance.map((t) =>
        h(
          'li',
          { class: t.on ? 'on' : '', testid: `projector-team-${t.copy}` },
          h('strong', {}, teamName(t.copy)),
          h('span', { class: 'num' }, String(t.score)),
          h('span', { class: 'muted' }, `${t.completed} ✓ ${t.failed} ✗`),
        ),
      ),
    );
    board.update();
  };
  return {
    el,
    update,
    destroy: () => {
      game?.destroy(true);
      window.__roundtripGame = null;
    },
  };
}
