import { MatchMakeError, ServerError } from '@colyseus/sdk';
import {
  HOST_MOVED_CLOSE_CODE,
  KICKED_CLOSE_CODE,
  normaliseJoinCode,
  RECONNECT_WINDOW_S,
} from '@roundtrip/protocol';
import {
  connectErrorText,
  forgetRejoin,
  OutdatedPage,
  type Rejoin,
  rejoinRound,
  type Session,
  storedRejoin,
} from './net/connection.ts';
import { startPractice } from './practice/practiceApp.ts';
import { h, setTeamNames } from './ui/dom.ts';
import { historyPage } from './ui/history.ts';
import { hostLinkCard } from './ui/hostLink.ts';
import { hostLobby } from './ui/hostLobby.ts';
import { hostPanel } from './ui/hostPanel.ts';
import { type LandingNotice, landing } from './ui/landing.ts';
import { outdatedScreen } from './ui/outdated.ts';
import { projectorPage } from './ui/projector.ts';
import { resultsScreen } from './ui/results.ts';
import { roundScreen } from './ui/round.ts';
import type { Screen } from './ui/screen.ts';

/** DOM panels refresh this often; the canvas draws every frame on its own. */
const REFRESH_MS = 250;

/**
 * Picks the screen from who we are and the round's phase, and keeps it fresh.
 * After a reload, first takes back the place this tab held (SPEC ROOM-5, ROOM-7).
 */
export function startApp(root: HTMLElement): void {
  const showLanding = (notice?: LandingNotice) =>
    root.replaceChildren(
      landing(
        (session) => follow(root, session),
        notice,
        (choice) => startPractice(root, choice),
      ),
    );
  const params = new URLSearchParams(location.search);
  if (params.has('history')) return void root.replaceChildren(historyPage());
  if (params.has('projector')) return projectorPage(root, params);
  const linkCode = normaliseJoinCode(params.get('code') ?? '');
  const hostToken = params.get('host');
  // A host link (SPEC CLASS-2): take the round back as its host. The token leaves the address bar at once.
  if (linkCode && hostToken) {
    history.replaceState(null, '', location.pathname);
    return takeBack(root, { role: 'host', code: linkCode, hostToken }, showLanding);
  }
  const stored = storedRejoin();
  // A join link for another round means the user moved on: offer that one instead.
  if (!stored || (linkCode && linkCode !== stored.code)) return showLanding();
  takeBack(root, stored, showLanding);
}

/** Takes back a place (after a reload, or from a host link), or says why not on the landing page. */
function takeBack(root: HTMLElement, r: Rejoin, showLanding: (notice?: LandingNotice) => void): void {
  root.replaceChildren(
    h('main', { class: 'center muted', testid: 'rejoining' }, `Getting your place back in round ${r.code}…`),
  );
  rejoinRound(r).then(
    (session) => follow(root, session),
    (e: unknown) =>
      e instanceof OutdatedPage ? root.replaceChildren(outdatedScreen()) : showLanding(rejoinFailed(r, e)),
  );
}

/** What to tell someone whose place could not be taken back, and the code to join again with. */
function rejoinFailed(r: Rejoin, e: unknown): LandingNotice {
  const gone = (e instanceof MatchMakeError || e instanceof ServerError) && e.code === 522;
  if (r.role === 'host')
    return {
      text: gone
        ? `Round ${r.code} has closed. Create a new round.`
        : `Could not take round ${r.code} back: ${connectErrorText(e, r.code)}`,
    };
  return {
    code: r.code,
    text: gone
      ? `Round ${r.code} has closed. Ask your teacher for the new code.`
      : `Your seat in round ${r.code} was only kept for ${RECONNECT_WINDOW_S} seconds. Join again with the same code.`,
  };
}

function follow(root: HTMLElement, session: Session): void {
  let screen: Screen | null = null;
  const show = (next: Screen) => {
    screen?.destroy();
    screen = next;
    root.replaceChildren(next.el);
    // A new screen starts at its top, not where the form that led to it was scrolled.
    window.scrollTo(0, 0);
    next.mounted?.();
  };
  // A screen is rebuilt for each round of the room (a new lesson, SPEC HOST-8) and when a player's seat moves (HOST-4).
  const wanted = (): string => {
    const st = session.state;
    const round = `@${st.round}`;
    if (st.phase === 'ended') return `results${round}`;
    if (session.role === 'host') return (st.phase === 'lobby' ? 'host-lobby' : 'round') + round;
    const me = st.players.get(session.room.sessionId);
    return me ? `round${round}/${me.copy}/${me.node}` : 'joining';
  };
  const route = () => {
    setTeamNames(session.state.teams);
    const kind = wanted();
    if (screen?.kind === kind) return;
    if (kind.startsWith('results')) show({ ...resultsScreen(session), kind });
    else if (kind.startsWith('host-lobby')) show({ ...hostLobby(session), kind });
    else if (kind.startsWith('round'))
      show({
        ...roundScreen(
          session,
          session.role === 'host' ? { ...hostPanel(session), footer: hostLinkCard(session) } : null,
        ),
        kind,
      });
    else if (!screen) root.replaceChildren(h('main', { class: 'center muted' }, 'Joining the round…'));
  };
  session.room.onStateChange(route);
  route();
  const timer = setInterval(() => screen?.update(), REFRESH_MS);
  // The server now serves a newer build (SPEC SYNC-10): this page stops and offers the reload.
  let outdated = false;
  session.onOutdated = () => {
    outdated = true;
    clearInterval(timer);
    screen?.destroy();
    screen = null;
    root.replaceChildren(outdatedScreen());
  };
  session.room.onLeave((code, reason) => {
    clearInterval(timer);
    if (outdated) return;
    // Left on purpose, or the host role moved to another tab (SPEC CLASS-2): nothing to take back.
    if (code === 4000 || code === HOST_MOVED_CLOSE_CODE) forgetRejoin();
    if (code === KICKED_CLOSE_CODE) {
      // Removed by the host (SPEC HOST-2): say so, and do not try to come back.
      forgetRejoin();
      screen?.destroy();
      screen = null;
      return disconnected(root, code, reason);
    }
    screen?.update();
    if (screen?.kind.startsWith('results')) return;
    screen?.destroy();
    screen = null;
    const stored = code === 4000 || code === HOST_MOVED_CLOSE_CODE ? null : storedRejoin();
    if (stored) return comeBack(root, stored, code);
    disconnected(root, code);
  });
}

/** Tries this often, this many times, to get back into a round whose server went away (a restart takes seconds). */
const COME_BACK_TRIES = 20;
const COME_BACK_RETRY_MS = 1_500;

/**
 * The connection dropped for good: the server may be restarting. Tries to take the
 * place back (SPEC PERSIST-4) while the server cannot be reached, for about half a
 * minute; a server that answers "no" (the seat is gone, the player was removed) ends it.
 */
function comeBack(root: HTMLElement, stored: Rejoin, code: number): void {
  root.replaceChildren(
    h('main', { class: 'center muted', testid: 'rejoining' }, `Reconnecting to round ${stored.code}…`),
  );
  const attempt = (n: number) => {
    rejoinRound(stored, true).then(
      (session) => follow(root, session),
      (e: unknown) => {
        if (e instanceof OutdatedPage) return void root.replaceChildren(outdatedScreen());
        if (!serverRefused(e) && n < COME_BACK_TRIES)
          return void setTimeout(() => attempt(n + 1), COME_BACK_RETRY_MS);
        forgetRejoin();
        disconnected(root, code);
      },
    );
  };
  attempt(1);
}

/**
 * Whether the server answered "no" (a numeric status), rather than not answering: the
 * SDK reports an unreachable server with the network's error code (text, or none), and
 * a proxy in front of a restarting server answers 502–504.
 */
function serverRefused(e: unknown): boolean {
  if (!(e instanceof MatchMakeError || e instanceof ServerError)) return false;
  const code: unknown = e.code;
  return typeof code === 'number' && !(code >= 502 && code <= 504);
}

function disconnected(root: HTMLElement, code: number, reason?: string): void {
  const back = h(
    'button',
    { class: 'primary', onclick: () => location.assign(location.pathname) },
    'Back to start',
  );
  root.replaceChildren(
    h(
      'main',
      { class: 'center' },
      h('h1', {}, code === KICKED_CLOSE_CODE ? 'Removed from the round' : 'Disconnected'),
      h(
        'p',
        { role: 'alert', testid: 'disconnected' },
        code === KICKED_CLOSE_CODE && reason ? reason : leaveText(code),
      ),
      back,
    ),
  );
}

function leaveText(code: number): string {
  if (code === 4000) return 'You left the round.';
  if (code === HOST_MOVED_CLOSE_CODE) return 'You are hosting this round from another tab or device now.';
  if (code === 4001) return 'The server is restarting. Join again in a moment.';
  return `The connection to the round was lost (code ${code}). Join again with the same code.`;
}
