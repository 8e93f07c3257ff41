import type { RoundSeries } from '@roundtrip/protocol';
import type uPlot from 'uplot';
import { h, teamName } from './dom.ts';

/** One team's colour in the charts (the palette repeats past eight teams). */
const TEAM_COLOURS = ['#ffc83d', '#4fc3f7', '#7cf29a', '#ff6b6b', '#c792ea', '#ffb74d', '#80cbc4', '#f48fb1'];
const AXIS = '#9aa8cc';
const GRID = '#2b3963';
const CHART_HEIGHT_PX = 190;

/** A debrief chart: which figure of the series, and how it is read. */
export interface ChartSpec {
  testid: string;
  title: string;
  unit: string;
  pick: (s: RoundSeries) => number[];
}

/** The three charts of the debrief (SPEC DEBRIEF-3). */
export const DEBRIEF_CHARTS: readonly ChartSpec[] = [
  { testid: 'chart-latency', title: 'Latency (p95)', unit: 'ms', pick: (s) => s.p95LatencyMs },
  { testid: 'chart-loss', title: 'Lost or failed', unit: '%', pick: (s) => s.lossPct },
  { testid: 'chart-score', title: 'Team score', unit: 'points', pick: (s) => s.score },
];

/**
 * A chart of one figure for every team over the round, drawn by uPlot (loaded on
 * first use so the join path never waits for it). `data-points` says how many points
 * each line has, for tests and screen readers' summaries.
 */
export function teamChart(
  spec: ChartSpec,
  teams: readonly { copy: number; series: RoundSeries }[],
): HTMLElement {
  const plot = h('div', { class: 'chart-plot' });
  const points = Math.max(0, ...teams.map((t) => t.series.tS.length));
  const el = h(
    'figure',
    { class: 'chart card', testid: spec.testid, 'data-points': points },
    h('figcaption', {}, `${spec.title}, ${spec.unit}`),
    plot,
  );
  if (points === 0) {
    plot.append(h('p', { class: 'muted' }, 'No figures were recorded for this round.'));
    return el;
  }
  void import('./uplotLoader.ts').then(({ UPlot }) => draw(UPlot, plot, spec, teams));
  return el;
}

function draw(
  UPlot: typeof uPlot,
  plot: HTMLElement,
  spec: ChartSpec,
  teams: readonly { copy: number; series: RoundSeries }[],
): void {
  const longest = teams.reduce((a, b) => (b.series.tS.length > a.series.tS.length ? b : a));
  const xs = longest.series.tS;
  const data: uPlot.AlignedData = [xs, ...teams.map((t) => xs.map((_, i) => spec.pick(t.series)[i] ?? null))];
  const width = () => Math.max(240, plot.clientWidth || 600);
  const chart = new UPlot(
    {
      width: width(),
      height: CHART_HEIGHT_PX,
      scales: { x: { time: false } },
      legend: { show: teams.length > 1 },
      cursor: { drag: { x: false, y: false } },
      axes: [
        {
          stroke: AXIS,
          grid: { stroke: GRID },
          ticks: { stroke: GRID },
          values: (_, ticks) => ticks.map((t) => `${t}s`),
        },
        {
          stroke: AXIS,
          grid: { stroke: GRID },
          ticks: { stroke: GRID },
          values: (_, ticks) => ticks.map(compactTick),
          // Wide enough for its longest label ("12.5k"): a fixed width cut "10,000" to "0,000".
          size: (_, values) => 18 + 8 * Math.max(2, ...(values ?? []).map((v) => v.length)),
        },
      ],
      series: [
        { label: 'simulated time' },
        ...teams.map((t, i) => ({
          label: teamName(t.copy),
          stroke: TEAM_COLOURS[i % TEAM_COLOURS.length] as string,
          width: 2,
          value: (_: uPlot, v: number | null) => (v === null ? '—' : `${v} ${spec.unit}`),
        })),
      ],
    },
    data,
    plot,
  );
  // Follows the page's width (a phone turned, a window resized).
  new ResizeObserver(() => {
    if (plot.isConnected) chart.setSize({ width: width(), height: CHART_HEIGHT_PX });
  }).observe(plot);
}

/** A y-axis label: thousands as "k" so a score axis stays narrow on a phone. */
export function compactTick(v: number): string {
  if (Math.abs(v) < 10_000) return String(v);
  const k = v / 1_000;
  return `${Number.isInteger(k) ? k : k.toFixed(1)}k`;
}
