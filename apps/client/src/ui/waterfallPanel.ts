import './waterfall.css';
import type { Replica } from '../net/replica.ts';
import {
  axisMs,
  FAILED_IN,
  formatMs,
  PageLoadLog,
  PHASE_LEGEND,
  PHASE_TEXT,
  PHASES,
  type PlacedSegment,
  placeSegments,
  type WaterfallRow,
} from '../view/waterfall.ts';
import { h } from './dom.ts';

/** One bar, placed in percent of the axis; its duration in the pointer's tooltip. */
function bar(s: PlacedSegment): HTMLElement {
  const what = s.failed ? `${PHASE_TEXT[s.phase]} (failed)` : PHASE_TEXT[s.phase];
  const cls = `wf-seg wf-${s.phase}${s.failed ? ' wf-seg-failed' : ''}${s.clipped ? ' wf-seg-clipped' : ''}`;
  return h('i', {
    class: cls,
    style: `left:${s.leftPct.toFixed(2)}%;width:${s.widthPct.toFixed(2)}%`,
    title: `${what}: ${formatMs(s.durationMs)}${s.clipped ? ' (runs past the scale)' : ''}`,
  });
}

/** How a row reads aloud: each phase and its duration, then the total or the failure. */
function rowLabel(r: WaterfallRow): string {
  const parts = r.segments.map((s) => `${PHASE_TEXT[s.phase]} ${formatMs(s.durationMs)}`);
  const end = r.failure ? `${FAILED_IN[r.failure.phase]}: ${r.failure.text}` : `total ${formatMs(r.totalMs)}`;
  return `${parts.join(', ')}; ${end}`;
}

function row(r: WaterfallRow, axis: number): HTMLElement {
  return h(
    'li',
    { class: `wf-row${r.failure ? ' wf-failed' : ''}`, testid: 'waterfall-row' },
    h(
      'span',
      {
        class: 'wf-name',
        title: `${r.name} from ${r.from}${r.source ? ` · address from the ${r.source}` : ''}`,
      },
      h('span', { class: 'wf-host-name' }, r.name),
      h('small', {}, r.failure ? r.from : `${r.from} · ${r.source}`),
    ),
    h(
      'span',
      { class: 'wf-bars', role: 'img', 'aria-label': rowLabel(r), testid: 'waterfall-bars' },
      ...placeSegments(r, axis).map(bar),
    ),
    h('span', { class: 'wf-total', testid: 'waterfall-total' }, formatMs(r.totalMs)),
    r.failure &&
      h(
        'span',
        { class: 'wf-why', testid: 'waterfall-failure' },
        `✕ ${FAILED_IN[r.failure.phase]}: ${r.failure.text}`,
      ),
  );
}

/**
 * The page-load waterfall (SPEC VIEW-7): the recent page loads of the player's region,
 * one row each, like a browser's network panel docked under the page. It folds away;
 * null when the scenario loads no pages there.
 */
export function waterfallPanel(
  replica: Replica,
  myNode: string | null,
): { el: HTMLElement; update(): void; destroy(): void } | null {
  const log = new PageLoadLog(replica.scenario, myNode);
  if (!log.active) return null;
  const unsubscribe = replica.onRecord((r) => log.add(r));
  const count = h('span', { class: 'muted wf-count', testid: 'waterfall-count' });
  const list = h('ol', { class: 'wf-rows', 'aria-label': 'Recent page loads, newest first' });
  const empty = h('p', { class: 'muted wf-empty' }, 'No page loads have finished yet.');
  const axisEnd = h('span', { testid: 'waterfall-axis' });
  const legend = h(
    'div',
    { class: 'wf-legend', 'aria-hidden': 'true' },
    ...PHASES.map((p) =>
      h('span', { title: PHASE_TEXT[p] }, h('i', { class: `wf-key wf-${p}` }), PHASE_LEGEND[p]),
    ),
    h('span', {}, h('i', { class: 'wf-key wf-seg-failed' }), 'Failed'),
  );
  // Open beside the map; folded on a phone, where it sits between the map and the controls.
  const phone = typeof matchMedia === 'function' && matchMedia('(max-width: 760px)').matches;
  const el = h(
    'details',
    { class: 'waterfall', testid: 'waterfall', open: !phone },
    h(
      'summary',
      {},
      h('span', { class: 'wf-title' }, myNode === null ? 'Page loads' : 'Page loads in your region'),
      count,
      legend,
    ),
    empty,
    list,
    h('div', { class: 'wf-axis', 'aria-hidden': 'true' }, h('span', {}, '0'), axisEnd),
  );
  let drawn = -1;
  const update = () => {
    if (log.version === drawn) return;
    drawn = log.version;
    const rows = log.rows();
    const axis = axisMs(rows);
    const failed = rows.filter((r) => r.failure).length;
    count.textContent =
      rows.length === 0 ? '' : ` · newest ${rows.length}${failed ? `, ${failed} failed` : ''}`;
    empty.hidden = rows.length > 0;
    axisEnd.textContent = formatMs(axis);
    list.replaceChildren(...rows.map((r) => row(r, axis)));
  };
  update();
  return { el, update, destroy: unsubscribe };
}
