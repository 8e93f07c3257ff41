import QRCode from 'qrcode';
import type { Session } from '../net/connection.ts';
import { briefing } from './briefing.ts';
import { formatClock, h } from './dom.ts';
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
  // Who joined, with their seats and teams, each to rename, move or remove (SPEC HOST-2..4).
  const manager = playerManager(session, { testid: 'lobby-players', scores: false });

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
      manager.el,
      briefing(session.replica.scenario, false),
    ),
  );

  const update = () => {
    tools.update();
    manager.update();
    const joined = session.state.players.size;
    count.textContent =
      joined === 0
        ? 'Nobody has joined yet. Empty seats are played by bots.'
        : `${joined} joined — empty seats are played by bots.`;
    settings.textContent = `Round: ${formatClock(session.state.durationUs)} of simulated time at ${speedLabel(session.state.timeScale)}`;
  };
  update();
  return { kind: 'host-lobby', el, update, destroy: () => {} };
}
