import type { Session } from '../net/connection.ts';
import { h } from './dom.ts';

/** The link that gives the host role to whoever opens it (SPEC CLASS-2): the room code and the host's token. */
export function hostLinkUrl(code: string, hostToken: string, origin = location.origin): string {
  return `${origin}${location.pathname}?code=${code}&host=${encodeURIComponent(hostToken)}`;
}

/**
 * For the host only: the link to take this round back from another tab or device
 * (SPEC CLASS-2), folded away so it is not projected by accident.
 */
export function hostLinkCard(session: Session): HTMLElement | null {
  const token = session.welcome.hostToken;
  if (session.role !== 'host' || !token) return null;
  const url = hostLinkUrl(session.state.code || session.room.roomId, token);
  const field = h('input', {
    readOnly: true,
    value: url,
    testid: 'host-link-url',
    'aria-label': 'Host link',
    class: 'mono',
  });
  const copy = h('button', { type: 'button', class: 'secondary', testid: 'host-link-copy' }, 'Copy');
  copy.addEventListener('click', () => {
    field.select();
    navigator.clipboard?.writeText(url).then(
      () => {
        copy.textContent = 'Copied';
      },
      () => {},
    );
  });
  return h(
    'details',
    { class: 'card host-link', testid: 'host-link-card' },
    h('summary', {}, 'Host from another tab or device'),
    h(
      'p',
      { class: 'muted' },
      'Keep this link to yourself: whoever opens it becomes the host. If this tab closes, open it to take the round back; this tab then lets go.',
    ),
    h('div', { class: 'row' }, field, copy),
  );
}
