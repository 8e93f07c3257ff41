import QRCode from 'qrcode';
import type { Session } from '../net/connection.ts';
import { httpBase } from '../net/http.ts';
import { briefing } from './briefing.ts';
import { h, roundLengthText } from './dom.ts';
import { hostTools, playerManager } from './hostConsole.ts';
import { hostLinkCard } from './hostLink.ts';
import type { Screen } from './screen.ts';

/** The URL a student opens to join this round, on `origin` (the address the class can reach). */
export function joinUrl(code: string, origin = location.origin): string {
  return `${origin}${location.pathname}?code=${code}`;
}

/** The address students can reach (SPEC CLASS-1), from the server: never localhost; null when there is none. */
async function classOrigin(): Promise<string | null> {
  const res = await fetch(`${httpBase()}/api/address?host=${encodeURIComponent(location.host)}`);
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const body = (await res.json()) as { origin?: unknown };
  return typeof body.origin === 'string' ? body.origin : null;
}

/** Host lobby: the join code large enough for a projector, who joined, and Start. */
export function hostLobby(session: Session): Screen {
  const st = session.state;
  const code = st.code || session.room.roomId;
  const urlText = h('p', { class: 'join-url', testid: 'lobby-url' }, joinUrl(code));
  const count = h('p', { class: 'muted', testid: 'lobby-count' });
  const start = h('button', { class: 'primary big', testid: 'host-start' }, 'Start the round');
  start.addEventListener('click', () => session.send('host.start', {}, start));
  const qr = h('div', { class: 'qr', 'aria-hidden': 'true' });
  const addressNote = h('p', { class: 'muted small', testid: 'lobby-url-note' });
  const showUrl = (url: string) => {
    urlText.textContent = url;
    QRCode.toString(url, { type: 'svg', margin: 1, color: { dark: '#0b1020', light: '#ffffff' } })
      .then((svg) => {
        qr.innerHTML = svg;
      })
      .catch(() => qr.replaceChildren());
  };
  // Until the server says which address the class can reach, the page's own (the dev server has no /api).
  showUrl(joinUrl(code));
  classOrigin().then(
    (origin) => {
      if (origin) showUrl(joinUrl(code, origin));
      else
        addressNote.textContent =
          'This machine has no network address other devices can reach: connect it to the class network, or set PUBLIC_URL (docs/HOSTING.md).';
    },
    () => {},
  );
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
      urlText,
      addressNote,
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
      // Above the list: with a class of 30 the list runs past the fold.
      start,
      tools.el,
      manager.el,
      hostLinkCard(session),
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
    settings.textContent = `Round: ${roundLengthText(session.state.durationUs, session.state.timeScale)}`;
  };
  update();
  return { kind: 'host-lobby', el, update, destroy: () => {} };
}
