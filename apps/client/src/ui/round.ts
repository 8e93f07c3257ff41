import type { Game } from 'phaser';
import type { GameSession } from '../net/gameSession.ts';
import { panelFor, seatName } from '../panels/index.ts';
import { createGame } from '../scenes/game.ts';
import { PacketInspector } from '../view/packetInspector.ts';
import { NetworkViewModel } from '../view/viewModel.ts';
import { briefing } from './briefing.ts';
import { teamPicker } from './competition.ts';
import { formatClock, h, realUs, teamName } from './dom.ts';
import { hud } from './hud.ts';
import { leaderboard } from './leaderboard.ts';
import { packetInspectorPanel } from './packetInspector.ts';
import { roundBanner } from './roundBanner.ts';
import type { Screen } from './screen.ts';
import { waterfallPanel } from './waterfallPanel.ts';

declare global {
  interface Window {
    /** For tests and fps probes: the Phaser game of the round screen. */
    __roundtripGame?: Game | null;
  }
}

/**
 * The controls beside the map besides a role's panel: the host's console, or a practice
 * round's clock and hints. Clicking a link on the map picks it here.
 */
export interface RoundControls {
  el: HTMLElement;
  update(): void;
  selectedLink?(): string;
  selectLink?(id: string): void;
  /** Shown at the end of the side column (the host's link card). */
  footer?: HTMLElement | null;
  /** The banner's words while paused. */
  pausedText?: string;
  /** No live standings (a practice round has nobody to rank against). */
  noStandings?: boolean;
}

/** The round: the network drawn with Phaser, the HUD, the controls (`controls`) and the panel of the player's role. */
export function roundScreen(session: GameSession, controls: RoundControls | null = null): Screen {
  performance.mark('roundtrip:round-screen');
  const st = session.state;
  const isHost = session.role === 'host';
  const me = st.players.get(session.sessionId);
  const copy = isHost ? 0 : (me?.copy ?? 0);
  const myNode = isHost ? null : (me?.node ?? null);
  const sc = session.replica.scenario;
  const seat =
    me && myNode ? seatName(me.role, myNode, sc.file.nodes.find((n) => n.id === myNode)?.label) : '';

  const panelModule = me && myNode ? panelFor(me.role) : null;
  const panel = panelModule && myNode ? panelModule.create(session, myNode, copy) : null;
  // A seat of a role this page has no panel for (an older client): say so rather than show nothing.
  const noPanel =
    me && !panelModule
      ? h('p', { class: 'card notice', role: 'alert' }, `This page cannot play a ${me.role} yet; reload it.`)
      : null;
  const figures = hud(session, copy);
  // A competition's lobby: the player may move to another team (SPEC COMP-2).
  const picker = !isHost && st.phase === 'lobby' && st.teams.length > 0 ? teamPicker(session) : null;
  // Students see the live standings unless the host hides them (SPEC HOST-7); the host's panel has its own.
  const board =
    isHost || controls?.noStandings
      ? null
      : leaderboard(session, { always: false, playersShown: 5, testid: 'leaderboard' });
  const inspector = new PacketInspector(session.replica);
  const stageWrap = h('div', { class: 'stage-wrap' });
  const inspectorPanel = packetInspectorPanel(inspector, stageWrap);
  const waterfall = waterfallPanel(session.replica, myNode);

  const vm = new NetworkViewModel({
    replica: session.replica,
    myNode,
    linkUtilPct: (id) => session.state.copies.at(copy)?.links.get(id)?.utilPct ?? 0,
    timeRate: () => (session.state.phase === 'running' ? session.state.timeScale : 0),
    selectedLink: () => controls?.selectedLink?.() ?? null,
    inspectedPacket: () => inspector.liveId,
  });
  vm.onLinkClick = (id) => controls?.selectLink?.(id);
  vm.onNodeClick = (id) => panel?.nodeClicked(id);
  vm.onPacketClick = (id) => inspectorPanel.open(id);
  // The keyboard's way in (and a tap's, when packets crowd): the next packet drawn.
  const inspectNext = h(
    'button',
    {
      class: 'secondary inspect-next',
      type: 'button',
      testid: 'inspect-next',
      'aria-label': 'Inspect the next packet on the map',
      onclick: () => {
        const id = vm.nextPacket(inspector.liveId);
        if (id !== null) inspectorPanel.open(id);
      },
    },
    'Inspect a packet',
  );

  const timer = h('span', { class: 'timer', testid: 'hud-timer', 'aria-label': 'Time left' });
  const phase = h('span', { class: 'phase', testid: 'phase' });
  const banner = h('div', { class: 'banner', role: 'status', testid: 'banner' });
  // The host may rename a player mid-round (SPEC HOST-3): the line follows.
  const whoText = () =>
    isHost
      ? `Host · code ${st.code} · showing ${teamName(copy)}`
      : `${session.state.players.get(session.sessionId)?.nickname ?? me?.nickname ?? ''} · ${seat} · ${teamName(copy)}`;
  const who = h('span', { class: 'who', testid: 'player-role' }, whoText());
  const stage = h('div', { class: 'stage' });
  const mapCol = h('div', { class: 'map-col' }, banner, stageWrap, waterfall?.el ?? null);
  // On a phone the map column is sticky: a control brought into view lands below it, however
  // tall a banner makes it (styles.css reads --map-col-height for scroll-margin-top).
  const mapColSize = new ResizeObserver(() => {
    el.style.setProperty('--map-col-height', `${Math.ceil(mapCol.getBoundingClientRect().height)}px`);
  });
  mapColSize.observe(mapCol);
  const el = h(
    'main',
    { class: `round ${isHost ? 'round-host' : 'round-player'}` },
    h('header', { class: 'topbar' }, h('span', { class: 'title' }, sc.file.title), who, phase, timer),
    h(
      'div',
      { class: 'round-body' },
      // The banner sits above the map, never on it: it would hide nodes (on a phone, the player's own).
      // The waterfall docks under the map, as a browser's devtools under the page.
      mapCol,
      h(
        'aside',
        { class: 'side' },
        // What a person acts on comes first (SPEC UI-1): an opened packet, the host's
        // controls or the player's role panel; the figures follow.
        inspectorPanel.el,
        controls?.el ?? null,
        picker?.el ?? null,
        panel?.el ?? noPanel,
        board?.el ?? null,
        figures.el,
        controls?.footer ?? null,
        briefing(sc, !isHost && st.phase === 'lobby'),
      ),
    ),
  );

  const legendEl = legend(
    sc.file.traffic.some((f) => f.kind === 'dns' || (f.kind === 'tcp' && !!f.name)),
    sc.file.nodes.some((n) => n.kind === 'l4lb'),
    sc.file.nodes.some((n) => n.kind === 'l7lb'),
  );
  stageWrap.append(stage, legendEl, inspectNext);
  // The button floats in a corner of the map where it covers no node, label or the legend (SPEC VIEW-15).
  vm.onLayout = () => {
    const s = stage.getBoundingClientRect();
    const l = legendEl.getBoundingClientRect();
    const at = vm.overlaySpot({ widthPx: inspectNext.offsetWidth, heightPx: inspectNext.offsetHeight }, 8, [
      { left: l.left - s.left, right: l.right - s.left, top: l.top - s.top, bottom: l.bottom - s.top },
    ]);
    inspectNext.style.left = `${Math.round(at.left)}px`;
    inspectNext.style.top = `${Math.round(at.top)}px`;
    inspectNext.style.right = 'auto';
  };

  let game: Game | null = null;
  // Once the screen is in the page: the stage has its real size for Phaser to measure, and
  // no frame is waited for (PERFORMANCE.md "Joining").
  const mounted = () => {
    if (!el.isConnected || game) return;
    game = createGame(stage, vm);
    performance.mark('roundtrip:game-created');
    window.__roundtripGame = game;
  };

  let lastPhase = st.phase;
  const update = () => {
    const s = session.state;
    who.textContent = whoText();
    // The round starts with the map and the top bar in view, wherever the lobby was scrolled (SPEC UI-1).
    if (lastPhase === 'lobby' && s.phase !== 'lobby') window.scrollTo(0, 0);
    lastPhase = s.phase;
    const nowUs = session.replica.sim?.nowUs ?? s.simTimeUs;
    // Class time left (what a teacher plans with), and the simulated time it stands for.
    const leftUs = Math.max(0, s.durationUs - Math.max(nowUs, s.simTimeUs));
    timer.textContent = `${formatClock(realUs(leftUs, s.timeScale))} left`;
    timer.title = `${formatClock(leftUs)} of simulated time left at ${s.timeScale}× speed`;
    phase.textContent = s.phase === 'running' ? 'LIVE' : s.phase.toUpperCase();
    phase.className = `phase phase-${s.phase}`;
    const shown = roundBanner({
      isHost,
      phase: s.phase,
      hostConnected: s.hostConnected,
      covered: s.players.get(session.sessionId)?.covered ?? false,
      seat,
      team: teamName(copy),
      pausedText: controls?.pausedText,
    });
    banner.hidden = shown === null;
    banner.classList.toggle('banner-away', shown?.tone === 'away');
    banner.textContent = shown?.text ?? '';
    figures.update();
    board?.update();
    controls?.update();
    if (picker) {
      picker.update();
      picker.el.hidden = s.phase !== 'lobby';
    }
    panel?.update();
    inspectorPanel.update();
    waterfall?.update();
  };
  update();
  return {
    kind: 'round',
    el,
    update,
    mounted,
    destroy: () => {
      mapColSize.disconnect();
      inspectorPanel.destroy();
      waterfall?.destroy();
      inspector.dispose();
      game?.destroy(true);
      window.__roundtripGame = null;
    },
  };
}

/**
 * The packet colours (and DNS's diamond, where the scenario looks names up; a balancer's
 * line to the backend it chose, where there is one, SPEC VIEW-9, VIEW-12).
 */
function legend(dns: boolean, l4: boolean, l7: boolean): HTMLElement {
  const item = (cls: string, text: string) => h('span', {}, h('i', { class: `swatch ${cls}` }), text);
  return h(
    'div',
    { class: 'legend', 'aria-label': 'Legend' },
    item('sw-udp', 'UDP'),
    item('sw-tcp', 'TCP'),
    item('sw-syn', 'SYN'),
    item('sw-fin', 'FIN'),
    dns && item('sw-dns', 'DNS'),
    item('sw-down', 'link down'),
    l4 && item('sw-lb', 'new connection → its backend'),
    l7 && item('sw-lb', 'request → its backend'),
  );
}
