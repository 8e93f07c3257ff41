import { h } from './dom.ts';

/**
 * What a page shows when the server now serves a newer build (SPEC SYNC-10). Its place
 * is kept for the reload (the rejoin is stored before this shows), so one click brings
 * the person back where they were, on the new build.
 */
export function outdatedScreen(): HTMLElement {
  return h(
    'main',
    { class: 'center', testid: 'outdated' },
    h('h1', {}, 'Roundtrip was updated'),
    h(
      'p',
      { role: 'alert' },
      'The game server now runs a newer version than this page. Reload the page to carry on: your place is kept.',
    ),
    h('button', { class: 'primary', testid: 'outdated-reload', onclick: () => location.reload() }, 'Reload'),
  );
}
