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
  /** How `score` was made (SPEC SCORE-7): JSON from the room, parts from a past round; absent in rounds saved before breakdowns were kept. */
  breakdown?: string | ScoreParts | undefined;
}

/** Words for each part of a score (SPEC SCORE-7), in the order shown. */
const PART_WORDS: Record<string, string> = {
  delivered: 'packets forwarded and delivered',
  'no-route': 'dropped: no route',
  'ttl-expired': 'dropped: TTL ran out (a loop)',
  'hand-timeout': 'waited too long by hand',
  'hand-queue-full': 'dropped: inbox full',
  'dns-cache': 'lookups answered from the cache',
  'dns-upstream': 'lookups asked upstream',
  'dns-failed': 'lookups failed',
  'dns-dead-answer': 'answers naming a dark data centre',
  frame: 'call frames on time',
  'frame-lost': 'call frames lost or late',
  request: 'web requests completed',
  page: 'web pages loaded',
  'request-failed': 'web requests failed',
};

/** A score's parts (SPEC SCORE-7): count and points of each. */
export type ScoreParts = Record<string, { count: number; points: number }>;

/**
 * A score's breakdown — JSON as the room sends it, or the parts a past round kept — as
 * one line a person reads: "+212 for 212 packets forwarded and delivered · −9 for 9 dropped: no route".
 */
export function breakdownText(from: string | ScoreParts | undefined): string {
  let parts: ScoreParts;
  try {
    parts = typeof from === 'object' ? from : (JSON.parse(from ?? '{}') as ScoreParts);
  } catch {
    return '';
  }
  const order = Object.keys(PART_WORDS);
  return Object.entries(parts)
    .filter(([, p]) => p.count > 0)
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([part, p]) => {
      const sign = p.points > 0 ? '+' : p.points < 0 ? '−' : '±';
      return `${sign}${Math.abs(p.points)} for ${p.count} ${PART_WORDS[part] ?? part}`;
    })
    .join(' · ');
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

/**
 * One line of that table; `mine` marks the reader's own line; `label` is the seat's name
 * on the map. A score with a breakdown (SPEC SCORE-7) gets a second row, full width, saying how it was made.
 */
export function resultRow(r: ResultLine, mine = false, label?: string): Node {
  const how = breakdownText(r.breakdown);
  const rows = document.createDocumentFragment();
  rows.append(
    h(
      'tr',
      { class: `${mine ? 'me' : ''}${how ? ' has-breakdown' : ''}` },
      h('td', { class: 'num' }, String(r.rank)),
      h('td', {}, r.left ? `${r.nickname} (left early)` : r.nickname),
      h('td', {}, teamName(r.copy)),
      h('td', {}, seatName(r.role, r.node, label)),
      h('td', { class: 'num' }, String(r.score)),
      h('td', { class: 'num' }, String(r.teamScore)),
    ),
  );
  if (how)
    rows.append(
      h(
        'tr',
        { class: `breakdown-row${mine ? ' me' : ''}` },
        h('td', {}),
        h('td', { colspan: 5, class: 'muted breakdown', testid: `breakdown-${r.nickname}` }, how),
      ),
    );
  return rows;
}
