import { CopyState, LinkFigures, SPARKLINE_POINTS } from '@roundtrip/protocol';
import {
  goodputBytes,
  linkViews,
  type MetricsCollector,
  percentile,
  type SimRecord,
  type Simulation,
  US_PER_S,
} from '@roundtrip/sim';

/** Outcomes older than this (simulated time) no longer count towards the per-channel figures. */
const WINDOW_US = 10 * US_PER_S;
/** At most this many outcomes kept per channel; the oldest go first. */
const OUTCOMES_MAX = 4_000;

/** A frame or request that settled: its latency, or null when it was lost or failed. */
interface Outcome {
  tUs: number;
  latencyUs: number | null;
}

/** A FigureSampler's counts, as `save` writes them. */
export interface FigureTally {
  /** OutcomeWindow.save's flat lists. */
  udp: number[];
  tcp: number[];
  /** Page loads (absent in checkpoints from before they had a row). */
  page?: number[];
  goodBytes: number;
  goodBytesAtSample: number;
  lastSampleUs: number;
  txBytesAtSample: [number, number][];
  /** Packets lost on each link's wire (link-loss, link-down), by link index; absent in older checkpoints. */
  lostByLink?: number[];
}

/** Median and p95 latency and loss of one channel over the window. */
export interface WindowFigures {
  p50LatencyMs: number;
  p95LatencyMs: number;
  lossPct: number;
}

/**
 * One channel's outcomes over the last WINDOW_US of simulated time: UDP frames
 * (on time, or lost/late) or TCP requests (completed, or failed).
 */
export class OutcomeWindow {
  private outcomes: Outcome[] = [];

  /**
   * The outcomes inside the window ending at `nowUs`, oldest first, flat and compact
   * for a checkpoint: [tUs, latencyUs or -1 when lost, …].
   */
  save(nowUs: number): number[] {
    const flat: number[] = [];
    for (const o of this.outcomes)
      if (o.tUs >= nowUs - WINDOW_US) flat.push(o.tUs, o.latencyUs === null ? -1 : o.latencyUs);
    return flat;
  }

  /** Replaces the outcomes with ones `save` wrote. */
  load(flat: readonly number[]): void {
    this.outcomes = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const latencyUs = flat[i + 1] as number;
      this.outcomes.push({ tUs: flat[i] as number, latencyUs: latencyUs < 0 ? null : latencyUs });
    }
    this.outcomes = this.outcomes.slice(-OUTCOMES_MAX);
  }

  /** A unit settled at `tUs`; `latencyUs` null means lost. */
  add(tUs: number, latencyUs: number | null): void {
    this.outcomes.push({ tUs, latencyUs });
    if (this.outcomes.length > OUTCOMES_MAX) this.outcomes.splice(0, OUTCOMES_MAX / 2);
  }

  /** Forgets outcomes older than the window ending at `nowUs`, then sums up the rest (zeros when none). */
  figures(nowUs: number): WindowFigures {
    this.outcomes = this.outcomes.filter((o) => o.tUs >= nowUs - WINDOW_US);
    const latenciesUs: number[] = [];
    for (const o of this.outcomes) if (o.latencyUs !== null) latenciesUs.push(o.latencyUs);
    const lost = this.outcomes.length - latenciesUs.length;
    return {
      p50LatencyMs: tenths(percentile(latenciesUs, 0.5) / 1000),
      p95LatencyMs: tenths(percentile(latenciesUs, 0.95) / 1000),
      lossPct: this.outcomes.length === 0 ? 0 : tenths((100 * lost) / this.outcomes.length),
    };
  }
}

/** A new CopyState for copy `index`, with one LinkFigures per link of `sim`. */
export function newCopyState(
  index: number,
  sim: Simulation,
  schema: typeof CopyState = CopyState,
): CopyState {
  const state = new schema();
  state.index = index;
  for (const link of sim.sc.file.links) state.links.set(link.id, new LinkFigures());
  return state;
}

/**
 * Turns one copy's records into the live figures people read (SPEC MET-2):
 * per channel, p95 latency and loss over a recent window; goodput since the
 * previous sample; counts over the round; per-link utilisation since the
 * previous sample.
 */
export class FigureSampler {
  private readonly udp = new OutcomeWindow();
  private readonly tcp = new OutcomeWindow();
  private readonly page = new OutcomeWindow();
  private goodBytes = 0;
  private goodBytesAtSample = 0;
  private lastSampleUs = 0;
  /** Per link, per direction: txBytes at the previous sample. */
  private txBytesAtSample: [number, number][] = [];
  /** Per link index: packets the link itself lost (its loss model, or down), SPEC MET-2. */
  private lostByLink: number[] = [];

  /** What the sampler has counted by simulated time `nowUs`, plain data (for a checkpoint). */
  save(nowUs: number): FigureTally {
    return {
      udp: this.udp.save(nowUs),
      tcp: this.tcp.save(nowUs),
      page: this.page.save(nowUs),
      goodBytes: this.goodBytes,
      goodBytesAtSample: this.goodBytesAtSample,
      lastSampleUs: this.lastSampleUs,
      txBytesAtSample: this.txBytesAtSample.map(([a, b]) => [a, b]),
      lostByLink: [...this.lostByLink],
    };
  }

  /** Carries on from what `save` wrote. */
  load(t: FigureTally): void {
    this.udp.load(t.udp);
    this.tcp.load(t.tcp);
    this.page.load(t.page ?? []);
    this.goodBytes = t.goodBytes;
    this.goodBytesAtSample = t.goodBytesAtSample;
    this.lastSampleUs = t.lastSampleUs;
    this.txBytesAtSample = t.txBytesAtSample.map(([a, b]) => [a, b]);
    this.lostByLink = [...(t.lostByLink ?? [])];
  }

  /** Feed every record of the copy's simulation here. */
  add(r: SimRecord): void {
    if (r.k === 'frameDelivered') this.udp.add(r.tUs, r.latencyUs);
    else if (r.k === 'frameLost') this.udp.add(r.tUs, null);
    // The TCP row is TCP only; QUIC requests get a row of their own with the HTTP/3 lesson.
    else if (r.k === 'requestCompleted' && r.channel === 'tcp') this.tcp.add(r.tUs, r.latencyUs);
    else if (r.k === 'requestFailed' && r.channel === 'tcp') this.tcp.add(r.tUs, null);
    // Page loads (SPEC PAGE-1): the whole load, DNS to the last response byte, or its failure in any phase.
    else if (r.k === 'pageLoad') this.page.add(r.tUs, r.totalUs);
    else if (r.k === 'pageLoadFailed') this.page.add(r.tUs, null);
    this.goodBytes += goodputBytes(r);
    if (r.k === 'drop' && r.link >= 0 && (r.reason === 'link-loss' || r.reason === 'link-down'))
      this.lostByLink[r.link] = (this.lostByLink[r.link] ?? 0) + 1;
  }

  /** Writes the copy's figures into `out`. With no simulated time since the last sample, rates keep their values. */
  sample(sim: Simulation, metrics: MetricsCollector, out: CopyState): void {
    const nowUs = sim.nowUs;
    const spanUs = nowUs - this.lastSampleUs;
    const udp = this.udp.figures(nowUs);
    out.udpP50LatencyMs = udp.p50LatencyMs;
    out.udpP95LatencyMs = udp.p95LatencyMs;
    out.udpLossPct = udp.lossPct;
    const tcp = this.tcp.figures(nowUs);
    out.tcpP50LatencyMs = tcp.p50LatencyMs;
    out.tcpP95LatencyMs = tcp.p95LatencyMs;
    out.tcpFailPct = tcp.lossPct;
    const page = this.page.figures(nowUs);
    out.pageP50LatencyMs = page.p50LatencyMs;
    out.pageP95LatencyMs = page.p95LatencyMs;
    out.pageFailPct = page.lossPct;

    const round = metrics.roundCounts();
    out.completed = round.udp.delivered + round.tcp.delivered;
    out.failed = round.udp.lost + round.tcp.lost;
    const failures: Record<string, number> = { ...round.udp.failuresByReason };
    for (const [reason, count] of Object.entries(round.tcp.failuresByReason))
      failures[reason] = (failures[reason] ?? 0) + count;
    for (const [reason, count] of Object.entries(failures)) out.failures.set(reason, count);

    if (spanUs > 0) {
      out.goodputKbps = tenths(((this.goodBytes - this.goodBytesAtSample) * 8 * US_PER_S) / spanUs / 1000);
      this.goodBytesAtSample = this.goodBytes;
    }
    this.sampleLinks(sim, spanUs, out);
    this.lastSampleUs = nowUs;
  }

  private sampleLinks(sim: Simulation, spanUs: number, out: CopyState): void {
    linkViews(sim).forEach((view, i) => {
      const figures = out.links.get(view.id);
      if (!figures) return;
      const before = this.txBytesAtSample[i] ?? [0, 0];
      const after: [number, number] = [view.dirs[0].txBytes, view.dirs[1].txBytes];
      if (spanUs > 0) {
        const capacityBytes = (view.bandwidthBps * spanUs) / US_PER_S / 8;
        const busiestBytes = Math.max(after[0] - before[0], after[1] - before[1]);
        figures.utilPct = Math.min(100, Math.round((100 * busiestBytes) / capacityBytes));
      }
      this.txBytesAtSample[i] = after;
      figures.up = view.up;
      figures.queueAB = view.dirs[0].queuePackets;
      figures.queueBA = view.dirs[1].queuePackets;
      figures.queueDrops = view.dirs[0].drops + view.dirs[1].drops;
      figures.lost = this.lostByLink[i] ?? 0;
      figures.drops = figures.queueDrops + figures.lost;
    });
  }
}

/** Appends the current figures to the copy's sparklines, keeping the newest SPARKLINE_POINTS. */
export function pushSparklines(out: CopyState): void {
  appendCapped(out.udpP95History, out.udpP95LatencyMs);
  appendCapped(out.tcpP95History, out.tcpP95LatencyMs);
  appendCapped(out.scoreHistory, out.score);
}

function appendCapped(
  list: { push(v: number): unknown; shift(): unknown; length: number },
  value: number,
): void {
  list.push(value);
  while (list.length > SPARKLINE_POINTS) list.shift();
}

function tenths(x: number): number {
  return Math.round(x * 10) / 10;
}
