import { percentile, type Scenario, type SimRecord, US_PER_S } from '@roundtrip/sim';

/** The series get one point per simulated second; a round is at most 3,600 s (SCENARIOS.md), so this caps them. */
export const SERIES_POINTS_MAX = 3_600;
/** Latencies kept for one point at most; past it the point's percentiles are of its first ones. */
export const LATENCY_SAMPLES_PER_POINT_MAX = 4_000;

/** What failed: a UDP frame, a request (TCP or QUIC), a page load or a DNS lookup. */
export type FailureUnit = 'frame' | 'request' | 'page load' | 'lookup';

/** One copy's failures of one unit, reason and place, counted over the round (SPEC DEBRIEF-1). */
export interface FailureGroup {
  unit: FailureUnit;
  reason: string;
  /** The node or link id where it happened (page loads and lookups: the client host that saw it). */
  place: string;
  /** That place as people read it: the node's label, or "A – B link". */
  placeLabel: string;
  /** What stood there: a role node's kind (router, resolver…), `host` or `link`. */
  role: string;
  count: number;
}

/** One copy's round as time series, one point per simulated second (SPEC DEBRIEF-3). */
export interface RoundSeries {
  /** The end of each point's second, simulated seconds. */
  tS: number[];
  /** Median and p95 latency of the frames and requests that completed in that second, ms (0 when none did). */
  p50LatencyMs: number[];
  p95LatencyMs: number[];
  /** Frames and requests that failed in that second, % of those that settled (0 when none did). */
  lossPct: number[];
  /** The team's score at the end of that second. */
  score: number[];
}

/** A DebriefCollector's state, plain data (for a checkpoint). */
export interface DebriefTally {
  failures: [string, number][];
  series: RoundSeries;
  latenciesUs: number[];
  settled: number;
  lost: number;
  nextPointUs: number;
}

/** Empty series. */
export function emptySeries(): RoundSeries {
  return { tS: [], p50LatencyMs: [], p95LatencyMs: [], lossPct: [], score: [] };
}

/**
 * Collects what the debrief shows of one copy (SPEC DEBRIEF-1, DEBRIEF-3): its failures
 * by unit, reason and place, and a point a simulated second of latency, loss and score.
 * Fed every record before the scoreboard sees it, so a point's score is the score at
 * the end of its second.
 */
export class DebriefCollector {
  private readonly scenario: Scenario;
  private readonly score: () => number;
  private failures = new Map<string, number>();
  private series = emptySeries();
  private latenciesUs: number[] = [];
  private settled = 0;
  private lost = 0;
  private nextPointUs = US_PER_S;

  constructor(scenario: Scenario, score: () => number) {
    this.scenario = scenario;
    this.score = score;
  }

  add(r: SimRecord): void {
    this.closePoints(r.tUs);
    switch (r.k) {
      case 'frameDelivered':
      case 'requestCompleted':
        this.settled++;
        if (this.latenciesUs.length < LATENCY_SAMPLES_PER_POINT_MAX) this.latenciesUs.push(r.latencyUs);
        return;
      case 'frameLost':
        this.fail('frame', r.reason, r.at);
        return;
      case 'requestFailed':
        this.fail('request', r.reason, r.at);
        return;
      case 'pageLoadFailed':
        this.countFailure('page load', r.reason, this.clientOf(r.flow));
        return;
      case 'dnsFailed':
        this.countFailure('lookup', r.reason === 'timeout' ? 'dns-timeout' : r.reason, this.clientOf(r.flow));
        return;
    }
  }

  /** Simulated time reached `nowUs` (after a tick): closes the seconds that ended. */
  advancedTo(nowUs: number): void {
    this.closePoints(nowUs);
  }

  /** The failures so far, biggest first, with their places' labels and roles. */
  failureGroups(): FailureGroup[] {
    return [...this.failures.entries()]
      .map(([key, count]) => {
        const [unit, reason, place] = key.split('|') as [FailureUnit, string, string];
        return { unit, reason, place, ...this.placeOf(place), count };
      })
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  }

  /** The series so far (copies of the lists). */
  seriesSoFar(): RoundSeries {
    const s = this.series;
    return {
      tS: [...s.tS],
      p50LatencyMs: [...s.p50LatencyMs],
      p95LatencyMs: [...s.p95LatencyMs],
      lossPct: [...s.lossPct],
      score: [...s.score],
    };
  }

  save(): DebriefTally {
    return {
      failures: [...this.failures.entries()],
      series: this.seriesSoFar(),
      latenciesUs: [...this.latenciesUs],
      settled: this.settled,
      lost: this.lost,
      nextPointUs: this.nextPointUs,
    };
  }

  load(t: DebriefTally): void {
    this.failures = new Map(t.failures);
    this.series = t.series;
    this.latenciesUs = [...t.latenciesUs];
    this.settled = t.settled;
    this.lost = t.lost;
    this.nextPointUs = t.nextPointUs;
  }

  private fail(unit: FailureUnit, reason: string, place: string): void {
    this.settled++;
    this.lost++;
    this.countFailure(unit, reason, place);
  }

  private countFailure(unit: FailureUnit, reason: string, place: string): void {
    const key = `${unit}|${reason}|${place}`;
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }

  /** Adds a point for every whole simulated second before `tUs` not yet added. */
  private closePoints(tUs: number): void {
    while (tUs >= this.nextPointUs) {
      const s = this.series;
      if (s.tS.length < SERIES_POINTS_MAX) {
        s.tS.push(this.nextPointUs / US_PER_S);
        s.p50LatencyMs.push(tenths(percentile(this.latenciesUs, 0.5) / 1000));
        s.p95LatencyMs.push(tenths(percentile(this.latenciesUs, 0.95) / 1000));
        s.lossPct.push(this.settled === 0 ? 0 : tenths((100 * this.lost) / this.settled));
        s.score.push(this.score());
      }
      this.latenciesUs = [];
      this.settled = 0;
      this.lost = 0;
      this.nextPointUs += US_PER_S;
    }
  }

  /** The client host of flow `flow` (where a page load or lookup failure is seen). */
  private clientOf(flow: number): string {
    return this.scenario.file.traffic[flow]?.from ?? '';
  }

  private placeOf(place: string): { placeLabel: string; role: string } {
    const f = this.scenario.file;
    const node = f.nodes.find((n) => n.id === place);
    if (node) return { placeLabel: node.label || node.id, role: node.kind };
    const link = f.links.find((l) => l.id === place);
    if (link)
      return {
        placeLabel: `${labelOf(this.scenario, link.a)} – ${labelOf(this.scenario, link.b)} link`,
        role: 'link',
      };
    return { placeLabel: place || 'unknown', role: 'unknown' };
  }
}

function labelOf(scenario: Scenario, id: string): string {
  const n = scenario.file.nodes.find((x) => x.id === id);
  return n?.label || id;
}

function tenths(x: number): number {
  return Math.round(x * 10) / 10;
}
