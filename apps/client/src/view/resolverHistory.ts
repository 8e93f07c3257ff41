import { type ResolverView, US_PER_S } from '@roundtrip/sim';

/** One sample a second of simulated time; a minute of them. */
export const SAMPLE_EVERY_US = US_PER_S;
export const HISTORY_POINTS = 60;

/**
 * The figure counting answers that sent clients to a dead address. It comes with the
 * data-centre outages (another part of issue 12); until the resolver's view carries it
 * the trend is not shown. Its name in ResolverView is this one key.
 */
export const DEAD_ANSWERS_KEY = 'deadAnswers';

/** The resolver's trends (SPEC VIEW-8), one series each, oldest first. */
export interface ResolverSeries {
  /** Answers per second (the view's 10 s rate). */
  rate: number[];
  /** Share of the answers in each sample interval that came from the cache, 0..1. */
  hitRatio: number[];
  p50Ms: number[];
  p95Ms: number[];
  /** Stale answers per second over each interval. */
  stalePerS: number[];
  /** Answers to dead addresses per second over each interval; stays empty while the view lacks the figure. */
  deadPerS: number[];
}

/** What one sample needs of the view: its counters, and the dead-address count when it has one. */
type Counts = Pick<
  ResolverView,
  'queryRatePerS' | 'queries' | 'hits' | 'p50LatencyMs' | 'p95LatencyMs' | 'stale'
>;

/** The dead-address answer count of a view, or null while the view has no such figure. */
export function deadAnswers(v: object): number | null {
  const value = (v as Record<string, unknown>)[DEAD_ANSWERS_KEY];
  return typeof value === 'number' ? value : null;
}

/**
 * Samples the player's resolver once a second of simulated time from the replica's
 * view, keeping the newest HISTORY_POINTS of each figure. Counters become rates over
 * the interval, so a change of policy shows at once rather than diluted by the round so
 * far. Nothing is downloaded for it.
 */
export class ResolverHistory {
  readonly series: ResolverSeries = {
    rate: [],
    hitRatio: [],
    p50Ms: [],
    p95Ms: [],
    stalePerS: [],
    deadPerS: [],
  };
  /** Bumped on each new sample. */
  version = 0;
  private last: { tUs: number; queries: number; hits: number; stale: number; dead: number | null } | null =
    null;

  /** Offers the view at simulated time `nowUs`; samples when a second has passed since the last sample. */
  offer(v: Counts, nowUs: number): boolean {
    const dead = deadAnswers(v);
    const last = this.last;
    if (last && nowUs < last.tUs) this.last = null; // a replica rebuilt at an earlier time: start over
    if (this.last && nowUs - this.last.tUs < SAMPLE_EVERY_US) return false;
    const prev = this.last;
    this.last = { tUs: nowUs, queries: v.queries, hits: v.hits, stale: v.stale, dead };
    if (!prev) return false;
    const spanS = (nowUs - prev.tUs) / US_PER_S;
    const s = this.series;
    const dq = v.queries - prev.queries;
    const ratio = dq > 0 ? Math.min(1, Math.max(0, (v.hits - prev.hits) / dq)) : (s.hitRatio.at(-1) ?? 0);
    push(s.rate, v.queryRatePerS);
    push(s.hitRatio, ratio);
    push(s.p50Ms, v.p50LatencyMs);
    push(s.p95Ms, v.p95LatencyMs);
    push(s.stalePerS, Math.max(0, v.stale - prev.stale) / spanS);
    if (dead !== null && prev.dead !== null) push(s.deadPerS, Math.max(0, dead - prev.dead) / spanS);
    this.version++;
    return true;
  }
}

function push(list: number[], value: number): void {
  list.push(value);
  if (list.length > HISTORY_POINTS) list.shift();
}
