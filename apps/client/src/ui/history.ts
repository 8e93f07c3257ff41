import type { RoundResults, RoundSummary } from '@roundtrip/protocol';
import { downloadRound, fetchHistory, fetchRound } from '../net/history.ts';
import { debriefView } from './debrief.ts';
import { formatClock, h } from './dom.ts';
import { resultRow, resultsTable } from './resultsTable.ts';

/**
 * "Past rounds" (SPEC PERSIST-2): the rounds this browser hosted, newest first;
 * one opens to its results and its CSV. Reached at `?history` from the landing page.
 */
export function historyPage(): HTMLElement {
  const body = h('div', { testid: 'history' }, h('p', { class: 'muted' }, 'Loading your past rounds…'));
  const el = h(
    'main',
    { class: 'results' },
    h('h1', {}, 'Past rounds'),
    h(
      'p',
      { class: 'muted' },
      'Rounds hosted from this browser. The list is kept by this browser: another browser or device has its own.',
    ),
    body,
    h('p', {}, h('a', { href: location.pathname, testid: 'history-back' }, 'Back to start')),
  );
  const showList = () => {
    fetchHistory().then(
      (rounds) => body.replaceChildren(roundList(rounds, showRound)),
      (e: unknown) => body.replaceChildren(problem('Could not load your past rounds', e)),
    );
  };
  const showRound = (id: number) => {
    body.replaceChildren(h('p', { class: 'muted' }, 'Loading the results…'));
    fetchRound(id).then(
      (round) => body.replaceChildren(roundView(round, showList)),
      (e: unknown) => body.replaceChildren(problem('Could not load that round', e)),
    );
  };
  showList();
  return el;
}

function roundList(rounds: RoundSummary[], open: (id: number) => void): HTMLElement {
  if (rounds.length === 0)
    return h(
      'p',
      { class: 'card muted', testid: 'history-empty' },
      'No finished rounds yet from this browser.',
    );
  return h(
    'section',
    { class: 'card table-wrap' },
    h(
      'table',
      { class: 'table', testid: 'history-list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Ended'),
          h('th', {}, 'Lesson'),
          h('th', {}, 'Code'),
          h('th', { class: 'num' }, 'Players'),
        ),
      ),
      h(
        'tbody',
        {},
        ...rounds.map((r) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h(
                'button',
                { class: 'link', testid: `history-open-${r.code}`, onclick: () => open(r.id) },
                when(r.endedAtMs),
              ),
            ),
            h('td', {}, `Lesson ${r.lesson} — ${r.title}`),
            h('td', {}, r.code),
            h('td', { class: 'num' }, String(r.players)),
          ),
        ),
      ),
    ),
  );
}

function roundView(round: RoundResults, back: () => void): HTMLElement {
  return h(
    'div',
    { testid: 'history-round' },
    h(
      'h2',
      {},
      `Lesson ${round.lesson} — ${round.title}, round ${round.code}, ${when(round.endedAtMs)} (${formatClock(round.simTimeUs)} simulated)`,
    ),
    resultsTable(
      'history-players',
      h('tbody', {}, ...round.players.map((p) => resultRow({ ...p, breakdown: p.parts }))),
    ),
    debriefView(round, { downloads: { kind: 'fetch', get: (what) => downloadRound(round.id, what) } }),
    h(
      'div',
      { class: 'history-actions' },
      h('button', { class: 'secondary', testid: 'history-list-back', onclick: back }, 'All past rounds'),
    ),
  );
}

function problem(what: string, e: unknown): HTMLElement {
  return h(
    'p',
    { class: 'form-error', role: 'alert' },
    `${what}: ${e instanceof Error ? e.message : String(e)}.`,
  );
}

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
