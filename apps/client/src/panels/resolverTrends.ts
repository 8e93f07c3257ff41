import type { ResolverView } from '@roundtrip/sim';
import './resolverTrends.css';
import { h } from '../ui/dom.ts';
import { sparkline } from '../ui/sparkline.ts';
import { HISTORY_POINTS, ResolverHistory, type ResolverSeries } from '../view/resolverHistory.ts';

/** One trend: its words, its series, how its latest value reads, its colour and range. */
interface Trend {
  key: keyof ResolverSeries;
  label: string;
  format: (v: number) => string;
  color: string;
  range: { min?: number; max?: number };
}

const TRENDS: readonly Trend[] = [
  { key: 'rate', label: 'Answers / s', format: (v) => v.toFixed(1), color: '#64ffda', range: { min: 0 } },
  {
    key: 'hitRatio',
    label: 'Hit ratio',
    format: (v) => `${Math.round(v * 100)} %`,
    color: '#7cf29a',
    range: { min: 0, max: 1 },
  },
  {
    key: 'p50Ms',
    label: 'Latency p50',
    format: (v) => `${v.toFixed(1)} ms`,
    color: '#8fb4ff',
    range: { min: 0 },
  },
  {
    key: 'p95Ms',
    label: 'Latency p95',
    format: (v) => `${v.toFixed(1)} ms`,
    color: '#4fc3f7',
    range: { min: 0 },
  },
  {
    key: 'stalePerS',
    label: 'Stale answers / s',
    format: (v) => v.toFixed(1),
    color: '#ffb74d',
    range: { min: 0 },
  },
  {
    key: 'deadPerS',
    label: 'Answers to dead addresses / s',
    format: (v) => v.toFixed(1),
    color: '#ff6b6b',
    range: { min: 0 },
  },
];

/**
 * The resolver's figures over the last minute of the round, one sparkline each (SPEC
 * VIEW-8): sampled from the replica, so nothing more is downloaded. A trend shows once
 * it has points (answers to dead addresses only when the resolver's view counts them).
 */
export function resolverTrends(): { el: HTMLElement; update(v: ResolverView, nowUs: number): void } {
  const history = new ResolverHistory();
  const rows = TRENDS.map((t) => {
    const value = h('span', { class: 'trend-value', testid: `trend-${t.key}-value` });
    const spark = h('span', { class: 'trend-spark', testid: `trend-${t.key}` });
    const el = h(
      'div',
      { class: 'trend', hidden: true },
      h('span', { class: 'trend-label' }, t.label),
      value,
      spark,
    );
    return { t, el, value, spark };
  });
  const el = h(
    'div',
    {
      class: 'resolver-trends',
      testid: 'resolver-trends',
      'aria-label': 'Resolver figures over the last minute',
    },
    h('h3', {}, `Second by second, last ${HISTORY_POINTS} s`),
    ...rows.map((r) => r.el),
  );
  let drawn = -1;
  return {
    el,
    update(v, nowUs) {
      history.offer(v, nowUs);
      if (history.version === drawn) return;
      drawn = history.version;
      for (const r of rows) {
        const values = history.series[r.t.key];
        r.el.hidden = values.length === 0;
        const last = values.at(-1);
        r.value.textContent = last === undefined ? '' : r.t.format(last);
        r.spark.replaceChildren(sparkline(values, `${r.t.label} over the last minute`, r.t.color, r.t.range));
      }
    },
  };
}
