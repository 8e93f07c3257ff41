/**
 * Pure arithmetic for `pnpm bench:load`: reading the server's /metrics text, a
 * quantile from a histogram's bucket counts, and a memory trend.
 */

/** One sample of a Prometheus text exposition: a metric's labels and value. */
export interface Series {
  labels: Record<string, string>;
  value: number;
}

/** Every series of `name` in a Prometheus text exposition (comments and other metrics skipped). */
export function seriesOf(text: string, name: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    const labelsEnd = line.indexOf('}');
    const labels: Record<string, string> = {};
    if (line[name.length] === '{')
      for (const m of line.slice(name.length + 1, labelsEnd).matchAll(/(\w+)="([^"]*)"/g))
        labels[m[1] as string] = m[2] as string;
    const value = Number(
      line
        .slice(labelsEnd === -1 ? name.length : labelsEnd + 1)
        .trim()
        .split(' ')[0],
    );
    out.push({ labels, value });
  }
  return out;
}

/** The sum of every series of `name` (0 when there is none). */
export function total(text: string, name: string): number {
  return seriesOf(text, name).reduce((n, s) => n + s.value, 0);
}

/** A histogram's cumulative bucket counts by upper bound, +Inf last. */
export type Buckets = { le: number; count: number }[];

/** The buckets of histogram `name`, cumulative, in order of their bounds. */
export function bucketsOf(text: string, name: string): Buckets {
  return seriesOf(text, `${name}_bucket`)
    .map((s) => ({
      le: s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le),
      count: s.value,
    }))
    .sort((a, b) => a.le - b.le);
}

/** What happened between two readings of one histogram: `later` minus `earlier`, bucket by bucket. */
export function bucketsBetween(earlier: Buckets, later: Buckets): Buckets {
  return later.map((b) => ({ le: b.le, count: b.count - (earlier.find((e) => e.le === b.le)?.count ?? 0) }));
}

/**
 * The q-quantile (0 < q ≤ 1) of the observations counted in cumulative `buckets`, the way
 * Prometheus' histogram_quantile estimates it: linear within the bucket that holds it
 * (the first bucket starts at 0). In the +Inf bucket it is the highest finite bound
 * (the true value is at least that). NaN when nothing was counted.
 */
export function histogramQuantile(buckets: Buckets, q: number): number {
  const count = buckets.at(-1)?.count ?? 0;
  if (count <= 0) return Number.NaN;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return lower;
      const inBucket = b.count - below;
      return inBucket > 0 ? lower + ((b.le - lower) * (rank - below)) / inBucket : b.le;
    }
    lower = b.le;
    below = b.count;
  }
  return lower;
}

/** Observations above `bound` (a bucket's bound) in cumulative `buckets`. */
export function countAbove(buckets: Buckets, bound: number): number {
  const at = buckets.find((b) => b.le === bound);
  return (buckets.at(-1)?.count ?? 0) - (at?.count ?? 0);
}

/** The least-squares slope of `points` (x in seconds) per minute; NaN for fewer than two distinct x. */
export function slopePerMinute(points: readonly { tS: number; value: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.tS, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.tS - mx) * (p.value - my);
    sxx += (p.tS - mx) ** 2;
  }
  return sxx > 0 ? (sxy / sxx) * 60 : Number.NaN;
}
