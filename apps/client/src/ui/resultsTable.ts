import { seatName } from '../panels/index.ts';
import { h, teamName } from './dom.ts';

/** One line of a results table, live (the room's schema) or from the history. */
export interface ResultLine {
  rank: number;
  nickname: string;
  left: boolean;
  copy: number;
  role: string;
  node: string;
  score: number;
  teamScore: number;
}

/** The ranked results table (end of round and past rounds): its header around `body`. */
export function resultsTable(testid: string, body: HTMLElement): HTMLElement {
  return h(
    'section',
    { class: 'card table-wrap' },
    h(
      'table',
      { class: 'table results-table', testid },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'num' }, 'Rank'),
          h('th', {}, 'Nickname'),
          h('th', {}, 'Team'),
          h('th', {}, 'Seat'),
          h('th', { class: 'num' }, 'Score'),
          h('th', { class: 'num' }, 'Team score'),
        ),
      ),
      body,
    ),
  );
}

/** One row of that table; `mine` marks the reader's own line. */
export function resultRow(r: ResultLine, mine = false): HTMLElement {
  return h(
    'tr',
    { class: mine ? 'me' : '' },
    h('td', { class: 'num' }, String(r.rank)),
    h('td', {}, r.left ? `${r.nickname} (left early)` : r.nickname),
    h('td', {}, teamName(r.copy)),
    h('td', {}, seatName(r.role, r.node)),
    h('td', { class: 'num' }, String(r.score)),
    h('td', { class: 'num' }, String(r.teamScore)),
  );
}
