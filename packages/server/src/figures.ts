import { CopyState, LinkFigures, SPARKLINE_POINTS } from '@roundtrip/protocol';
import {
  linkViews,
  type MetricsCollector,
  percentile,
  type SimRecord,
  type Simulation,
  US_PER_S,
} from '@roundtrip/sim';

/** Latencies older than this (simulated time) no longer count towards p50/p95. */
const LATENCY_WINDOW_US = 10 * US_PER_S;
/** At most this many latencies kept per copy; the oldest go first. */
const LATENCY_SAMPLES_MAX = 4_000;

interface LatencySample {
  tUs: number;
  latencyUs: number;
}

/** A new CopyState for copy `index`, with one LinkFigures per link of `sim`. */
export function newCopyState(index: number, sim: Simulation): CopyState {
  const state = new CopyState();
  state.index = index;
  for (const link of sim.sc.file.links) state.links.set(link.id, new LinkFigures());
  return state;
}

/**
 * Turns one copy's records into the live figures people read (SPEC MET-2):
 * latency percentiles and goodput over a recent window, loss and counts over
 * the round, per-link utilisation since the previous sample.
 */
export class FigureSampler {
  private latencies: LatencySample[] = [];
  private goodBytes = 0;
  private goodBytesAtSample = 0;
  private lastSampleUs = 0;
  /** Per link, per direction: txBytes at the previous sample. */
  private txBytesAtSample: [number, number][] = [];

  /** Feed every record of the copy's simulation here. */
  add(r: SimRecord): void {
    if (r.k === 'frameDelivered' || r.k === 'requestCompleted') {
      this.latencies.push({ tUs: r.tUs, latencyUs: r.latencyUs });
      if (this.latencies.length > LATENCY_SAMPLES_MAX) this.latencies.splice(0, LATENCY_SAMPLES_MAX / 2);
    }
    if (r.k === 'frameDelivered' || r.k === 'segmentDelivered') this.goodBytes += r.bytes;
  }

  /** Writes the copy's figures into `out`. With no simulated time since the last sample, rates keep their values. */
  sample(sim: Simulation, metrics: MetricsCollector, out: CopyState): void {
    const nowUs = sim.nowUs;
    const spanUs = nowUs - this.lastSampleUs;
    this.latencies = this.latencies.filter((s) => s.tUs >= nowUs - LATENCY_WINDOW_US);
    const latenciesUs = this.latencies.map((s) => s.latencyUs);
    out.p50LatencyMs = tenths(percentile(latenciesUs, 0.5) / 1000);
    out.p95LatencyMs = tenths(percentile(latenciesUs, 0.95) / 1000);

    const { udp, tcp } = metrics.summary(nowUs);
    const delivered = udp.delivered + tcp.delivered;
    const lost = udp.lost + tcp.lost;
    out.completed = delivered;
    out.failed = lost;
    out.lossPct = delivered + lost === 0 ? 0 : tenths((100 * lost) / (delivered + lost));
    const failures: Record<string, number> = { ...udp.failuresByReason };
    for (const [reason, count] of Object.entries(tcp.failuresByReason))
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
      figures.drops = view.dirs[0].drops + view.dirs[1].drops;
    });
  }
}

/** Appends the current figures to the copy's sparklines, keeping the newest SPARKLINE_POINTS. */
export function pushSparklines(out: CopyState): void {
  appendCapped(out.p95History, out.p95LatencyMs);
  appendCapped(out.lossHistory, out.lossPct);
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
