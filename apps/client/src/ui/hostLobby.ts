import QRCode from 'qrcode';
import type { Session } from '../net/connection.ts';
import { seatName } from '../panels/index.ts';
import { briefing } from './briefing.ts';
import { formatClock, h, renderIfChanged, teamName } from './dom.ts';
import { hostTools, playerManager } from './hostConsole.ts';
import { speedLabel } from './landing.ts';
import type { Screen } from './screen.ts';

/** The URL a student opens to join this round. */
export function joinUrl(code: string): string {
  return `${location.origin}${location.pathname}?code=${code}`;
}

/** Host lobby: the join code large enough for a projector, who joined, and Start. */
export function hostLobby(session: Session): Screen {
  const st = session.state;
  const code = st.code || session.room.roomId;
  const url = joinUrl(code);
  const players = h('tbody', {});
  const count = h('p', { class: 'muted', testid: 'lobby-count' });
  const start = h('button', { class: 'primary big', testid: 'host-start' }, 'Start the round');
  start.addEventListener('click', () => session.send('host.start', {}, start));
  const qr = h('div', { class: 'qr', 'aria-hidden': 'true' });
  QRCode.toString(url, { type: 'svg', margin: 1, color: { dark: '#0b1020', light: '#ffffff' } })
    .then((svg) => {
      qr.innerHTML = svg;
    })
    .catch(() => qr.remove());
  const settings = h('p', { class: 'muted', testid: 'lobby-settings' });
  const tools = hostTools(session);
  const manager = playerManager(session);

  const el = h(
    'main',
    { class: 'host-lobby' },
    h(
      'section',
      { class: 'card join-info' },
      h('p', { class: 'eyebrow' }, 'Join at'),
      h('p', { class: 'join-url', testid: 'lobby-url' }, url),
      h('p', { class: 'eyebrow' }, 'with the code'),
      h(
        'p',
        { class: 'join-code', testid: 'lobby-code', 'aria-label': `Join code ${code.split('').join(' ')}` },
        code,
      ),
      qr,
    ),
    h(
      'section',
      { class: 'card lobby-players' },
      h('h2', {}, st.title || session.replica.scenario.file.title),
      settings,
      count,
      start,
      tools.el,
      h(
        'table',
        { class: 'table', testid: 'lobby-players' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Nickname'), h('th', {}, 'Seat'), h('th', {}, 'Team'))),
        players,
      ),
      h('h3', {}, 'Manage players'),
      manager.el,
      briefing(session.replica.scenario, false),
    ),
  );

  const labels = new Map(session.replica.scenario.file.nodes.map((n) => [n.id, n.label]));
  const update = () => {
    tools.update();
    manager.update();
    const rows: { nickname: string; node: string; role: string; copy: number }[] = [];
    session.state.players.forEach((p) => {
      rows.push({ nickname: p.nickname, node: p.node, role: p.role, copy: p.copy });
    });
    rows.sort((a, b) => a.copy - b.copy || a.node.localeCompare(b.node));
    count.textContent =
      rows.length === 0
        ? 'Nobody has joined yet. Empty seats are played by bots.'
        : `${rows.length} joined — empty seats are played by bots.`;
    settings.textContent = `Round: ${formatClock(session.state.durationUs)} of simulated time at ${speedLabel(session.state.timeScale)}`;
    renderIfChanged(players, JSON.stringify(rows), () =>
      rows.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.nickname),
          h('td', {}, seatName(r.role, r.node, labels.get(r.node))),
          h('td', {}, teamName(r.copy)),
        ),
      ),
    );
  };
  update();
  return { kind: 'host-lobby', el, update, destroy: () => {} };
}
