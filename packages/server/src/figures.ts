import { CopyState, LinkFigures, SPARKLINE_POINTS } from '@roundtrip/protocol';
import {
  goodputBytes,
  type LinkCounters,
  type MetricsCollector,
  readLinkCounters,
  type SimRecord,
  type Simulation,
  US_PER_S,
} from '@roundtrip/sim';

/** Outcomes older than this (simulated time) no longer count towards the per-channel figures. */
const WINDOW_US = 10 * US_PER_S;
/** At most this many outcomes kept per channel; the oldest go first. */
const OUTCOMES_MAX = 4_000;
/** An outcome window's ring starts this big (a power of two) and doubles as needed, past OUTCOMES_MAX at most once. */
const RING_START = 256;
/** A lost outcome's latency in the ring (and in a checkpoint). */
const LOST = -1;

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
 *
 * Kept in a ring of two typed arrays, not as objects: every outcome lived 10 s, long enough
 * to reach V8's old generation and die there, and 800 copies' worth of them fed the
 * mark-compact pauses that made 100 rooms' ticks late (PERFORMANCE.md "Issue 16, fifth
 * round"); the scan each sample also chased a pointer per outcome.
 */
export class OutcomeWindow {
  /** When each outcome settled, and its latency (LOST when lost), in a ring starting at `head`. */
  private timesUs = new Float64Array(RING_START);
  private outcomeLatenciesUs = new Float64Array(RING_START);
  private head = 0;
  private size = 0;
  /** Scratch for the window's latencies, kept between samples (grows, never shrinks). */
  private latenciesUs = new Float64Array(RING_START);

  /**
   * The outcomes inside the window ending at `nowUs`, oldest first, flat and compact
   * for a checkpoint: [tUs, latencyUs or -1 when lost, …].
   */
  save(nowUs: number): number[] {
    const flat: number[] = [];
    const mask = this.timesUs.length - 1;
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) & mask;
      const tUs = this.timesUs[at] as number;
      if (tUs >= nowUs - WINDOW_US) flat.push(tUs, this.outcomeLatenciesUs[at] as number);
    }
    return flat;
  }

  /** Replaces the outcomes with ones `save` wrote (the newest OUTCOMES_MAX of them). */
  load(flat: readonly number[]): void {
    this.head = 0;
    this.size = 0;
    const pairs = Math.floor(flat.length / 2);
    for (let i = Math.max(0, pairs - OUTCOMES_MAX); i < pairs; i++) {
      const latencyUs = flat[2 * i + 1] as number;
      this.push(flat[2 * i] as number, latencyUs < 0 ? LOST : latencyUs);
    }
  }

  /** A unit settled at `tUs`; `latencyUs` null means lost. */
  add(tUs: number, latencyUs: number | null): void {
    // Full: the oldest half goes at once, as it always has.
    if (this.size === OUTCOMES_MAX) {
      this.head = (this.head + OUTCOMES_MAX / 2) & (this.timesUs.length - 1);
      this.size -= OUTCOMES_MAX / 2;
    }
    this.push(tUs, latencyUs === null ? LOST : latencyUs);
  }

  private push(tUs: number, latencyUs: number): void {
    if (this.size === this.timesUs.length) this.growRing();
    const at = (this.head + this.size) & (this.timesUs.length - 1);
    this.timesUs[at] = tUs;
    this.outcomeLatenciesUs[at] = latencyUs;
    this.size++;
  }

  /**
   * Forgets outcomes older than the window ending at `nowUs`, then sums up the rest (zeros when none).
   * In place, with two selections over a kept scratch array: 4× a second per channel per copy, a
   * filtered copy and two sorted copies of the latencies were ~5 % of a room's tick (PERFORMANCE.md
   * issue 16), and a sort of the window's thousands of latencies later a third of sampling the figures.
   */
  figures(nowUs: number): WindowFigures {
    const cutoffUs = nowUs - WINDOW_US;
    const times = this.timesUs;
    const outcomes = this.outcomeLatenciesUs;
    const mask = times.length - 1;
    if (this.latenciesUs.length < this.size) this.latenciesUs = new Float64Array(times.length);
    const latencies = this.latenciesUs;
    let kept = 0;
    let settled = 0;
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) & mask;
      const tUs = times[from] as number;
      if (tUs < cutoffUs) continue;
      const latencyUs = outcomes[from] as number;
      const to = (this.head + kept++) & mask;
      times[to] = tUs;
      outcomes[to] = latencyUs;
      if (latencyUs !== LOST) latencies[settled++] = latencyUs;
    }
    this.size = kept;
    const p95 = rankOf(settled, 0.95);
    const p95LatencyUs = settled === 0 ? 0 : selectKth(latencies, 0, settled - 1, p95);
    // After the first selection everything before p95's place is no greater than it.
    const p50LatencyUs = settled === 0 ? 0 : selectKth(latencies, 0, p95, rankOf(settled, 0.5));
    const lost = kept - settled;
    return {
      p50LatencyMs: tenths(p50LatencyUs / 1000),
      p95LatencyMs: tenths(p95LatencyUs / 1000),
      lossPct: kept === 0 ? 0 : tenths((100 * lost) / kept),
    };
  }

  /** Doubles the ring, its outcomes moved to the start in order. */
  private growRing(): void {
    const times = new Float64Array(this.timesUs.length * 2);
    const outcomes = new Float64Array(times.length);
    const mask = this.timesUs.length - 1;
    for (let i = 0; i < this.size; i++) {
      times[i] = this.timesUs[(this.head + i) & mask] as number;
      outcomes[i] = this.outcomeLatenciesUs[(this.head + i) & mask] as number;
    }
    this.timesUs = times;
    this.outcomeLatenciesUs = outcomes;
    this.head = 0;
  }
}

/** `percentile`'s nearest rank (q in [0, 1]) of `n` values, as an index into them sorted. */
function rankOf(n: number, q: number): number {
  return Math.max(1, Math.ceil(q * n)) - 1;
}

/**
 * The value that would sit at index `k` if `a[lo..hi]` were sorted (quickselect, Hoare's
 * partition with a median-of-three pivot). Reorders `a[lo..hi]` so that nothing before `k`
 * is greater and nothing after it smaller.
 */
export function selectKth(a: Float64Array, lo: number, hi: number, k: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three in a[mid]: sorted input (common: latencies of a steady link) stays linear.
    if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo);
    if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo);
    if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid);
    const pivot = a[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
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
  private readonly linkCounters: LinkCounters = {
    up: false,
    bandwidthBps: 0,
    txBytes: [0, 0],
    queuePackets: [0, 0],
    drops: 0,
  };

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
    const links = sim.sc.file.links;
    const c = this.linkCounters;
    for (let i = 0; i < links.length; i++) {
      const figures = out.links.get(links[i]?.id ?? '');
      if (!figures) continue;
      readLinkCounters(sim, i, c);
      // Kept in place (a new pair per link per sample was garbage 4× a second per copy).
      let before = this.txBytesAtSample[i];
      if (!before) {
        before = [0, 0];
        this.txBytesAtSample[i] = before;
      }
      if (spanUs > 0) {
        const capacityBytes = (c.bandwidthBps * spanUs) / US_PER_S / 8;
        const busiestBytes = Math.max(c.txBytes[0] - before[0], c.txBytes[1] - before[1]);
        figures.utilPct = Math.min(100, Math.round((100 * busiestBytes) / capacityBytes));
      }
      before[0] = c.txBytes[0];
      before[1] = c.txBytes[1];
      figures.up = c.up;
      figures.queueAB = c.queuePackets[0];
      figures.queueBA = c.queuePackets[1];
      figures.queueDrops = c.drops;
      figures.lost = this.lostByLink[i] ?? 0;
      figures.drops = figures.queueDrops + figures.lost;
    }
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
