import { FAILURE_REASON_TEXT, type Scenario, type SimRecord } from '@roundtrip/sim';

type PageLoadRecord = Extract<SimRecord, { k: 'pageLoad' }>;
type PageLoadFailedRecord = Extract<SimRecord, { k: 'pageLoadFailed' }>;
export type WaterfallPhase = PageLoadFailedRecord['phase'];
export type PageLoadFailure = PageLoadFailedRecord['reason'];

/** The phases in the order a browser's network panel draws them. */
export const PHASES: readonly WaterfallPhase[] = ['dns', 'connect', 'tls', 'request', 'response'];

/** Each phase as a player reads it (a bar's tooltip, screen readers). */
export const PHASE_TEXT: Record<WaterfallPhase, string> = {
  dns: 'DNS lookup',
  connect: 'Connect',
  tls: 'TLS',
  request: 'Waiting for the first byte',
  response: 'Response',
};

/** Each phase in the legend, short. */
export const PHASE_LEGEND: Record<WaterfallPhase, string> = { ...PHASE_TEXT, dns: 'DNS', request: 'Waiting' };

/** Where a failed load stopped, as the start of a sentence. */
export const FAILED_IN: Record<WaterfallPhase, string> = {
  dns: 'Failed in the DNS lookup',
  connect: 'Failed while connecting',
  tls: 'Failed in the TLS handshake',
  request: 'Failed waiting for the first byte',
  response: 'Failed during the response',
};

/** One bar of a row: a phase, where it starts and how long it took, ms from the load's start. */
export interface WaterfallSegment {
  phase: WaterfallPhase;
  startMs: number;
  durationMs: number;
  /** The phase the load died in: drawn hatched, up to the failure. */
  failed: boolean;
}

/** One page load, as the network panel's row shows it. */
export interface WaterfallRow {
  /** `flow:unit`, unique in a round. */
  key: string;
  /** The name looked up (the page). */
  name: string;
  /** The client host that loaded it (its label). */
  from: string;
  /** Simulated time the load ended (completed or failed), µs. */
  endUs: number;
  totalMs: number;
  segments: WaterfallSegment[];
  /** Where the address came from, e.g. "resolver cache, stale"; '' for a failure in the lookup. */
  source: string;
  /** null for a completed load. */
  failure: { phase: WaterfallPhase; reason: PageLoadFailure; text: string } | null;
}

/** A node's region id (SPEC DC-1: a host's `region`, a data centre's for its hosts); '' for a node in none. */
export function regionOf(sc: Scenario, node: number): string {
  return sc.file.regions[sc.regions.regionOfNode[node] ?? -1]?.id ?? '';
}

/** The hosts that load pages (each `from` of a tcp flow with a `name`), by node index. */
export function pageLoadClients(sc: Scenario): number[] {
  const out = new Set<number>();
  sc.file.traffic.forEach((f, flow) => {
    if (f.kind === 'tcp' && f.name) out.add(sc.flowEnds[2 * flow] as number);
  });
  return [...out];
}

/**
 * The clients whose page loads a player sees (SPEC VIEW-7): those in the player's region —
 * their node's own, or else the region of the client nearest it on the map. The host (no
 * node) sees every client.
 */
export function regionClients(sc: Scenario, myNode: string | null): Set<number> {
  const clients = pageLoadClients(sc);
  const me = myNode === null ? -1 : (sc.nodeIndex.get(myNode) ?? -1);
  if (me < 0) return new Set(clients);
  let region = regionOf(sc, me);
  if (region === '' && !clients.includes(me)) {
    const at = sc.file.nodes[me];
    let best = Number.POSITIVE_INFINITY;
    for (const c of clients) {
      const n = sc.file.nodes[c];
      if (!at || !n) continue;
      const d = Math.hypot(n.x - at.x, n.y - at.y);
      if (d < best) {
        best = d;
        region = regionOf(sc, c);
      }
    }
  }
  return new Set(clients.filter((c) => regionOf(sc, c) === region));
}

const ms = (us: number) => us / 1000;

function sourceText(r: PageLoadRecord): string {
  const where =
    r.source === 'stub' ? 'browser cache' : r.source === 'resolver' ? 'resolver cache' : 'authority';
  return r.stale ? `${where}, stale` : where;
}

/** The row of a completed page load (SPEC PAGE-2): each phase end to end. */
export function completedRow(sc: Scenario, r: PageLoadRecord): WaterfallRow {
  const durations: Record<WaterfallPhase, number> = {
    dns: r.dnsUs,
    connect: r.connectUs,
    tls: r.tlsUs,
    request: r.firstByteUs,
    response: r.responseUs,
  };
  const segments: WaterfallSegment[] = [];
  let atUs = 0;
  for (const phase of PHASES) {
    segments.push({ phase, startMs: ms(atUs), durationMs: ms(durations[phase]), failed: false });
    atUs += durations[phase];
  }
  return {
    key: `${r.flow}:${r.unit}`,
    name: r.name,
    from: clientLabel(sc, r.flow),
    endUs: r.tUs,
    totalMs: ms(r.totalUs),
    segments,
    source: sourceText(r),
    failure: null,
  };
}

/**
 * The row of a failed page load (SPEC PAGE-3): the phases it finished, then the phase it
 * died in from its start to the failure.
 */
export function failedRow(sc: Scenario, r: PageLoadFailedRecord): WaterfallRow {
  const finished: Record<WaterfallPhase, number> = {
    dns: r.dnsUs,
    connect: r.connectUs,
    tls: r.tlsUs,
    request: r.firstByteUs,
    response: -1,
  };
  const segments: WaterfallSegment[] = [];
  let atUs = 0;
  for (const phase of PHASES) {
    if (phase === r.phase) {
      segments.push({
        phase,
        startMs: ms(atUs),
        durationMs: ms(Math.max(0, r.totalUs - atUs)),
        failed: true,
      });
      break;
    }
    const d = finished[phase];
    if (d < 0) continue;
    segments.push({ phase, startMs: ms(atUs), durationMs: ms(d), failed: false });
    atUs += d;
  }
  return {
    key: `${r.flow}:${r.unit}`,
    name: r.name,
    from: clientLabel(sc, r.flow),
    endUs: r.tUs,
    totalMs: ms(r.totalUs),
    segments,
    source: '',
    failure: { phase: r.phase, reason: r.reason, text: FAILURE_REASON_TEXT[r.reason] },
  };
}

function clientLabel(sc: Scenario, flow: number): string {
  const node = sc.file.nodes[sc.flowEnds[2 * flow] ?? -1];
  return node ? node.label || node.id : '';
}

/** Rows kept, newest first: what fits under the map on a phone. */
export const WATERFALL_ROWS = 8;

/**
 * The recent page loads of a player's region, fed with the replica's records (SPEC
 * VIEW-7): nothing more is downloaded for it. `version` changes when the rows do, so
 * the panel redraws only then.
 */
export class PageLoadLog {
  version = 0;
  private readonly sc: Scenario;
  private readonly maxRows: number;
  private readonly clients: Set<number>;
  private list: WaterfallRow[] = [];

  constructor(sc: Scenario, myNode: string | null, maxRows = WATERFALL_ROWS) {
    this.sc = sc;
    this.maxRows = maxRows;
    this.clients = regionClients(sc, myNode);
  }

  /** Whether the scenario has page loads in the player's region at all. */
  get active(): boolean {
    return this.clients.size > 0;
  }

  /** Feed every record of the replica here; only page loads of the region count. */
  add(r: SimRecord): void {
    if (r.k !== 'pageLoad' && r.k !== 'pageLoadFailed') return;
    if (!this.clients.has(this.sc.flowEnds[2 * r.flow] as number)) return;
    const row = r.k === 'pageLoad' ? completedRow(this.sc, r) : failedRow(this.sc, r);
    // A replica rebuilt from a snapshot may replay a load it already reported.
    this.list = [row, ...this.list.filter((x) => x.key !== row.key)].slice(0, this.maxRows);
    this.version++;
  }

  /** The rows, newest first. */
  rows(): readonly WaterfallRow[] {
    return this.list;
  }
}

/** Where an axis may end, × a power of ten: fine enough that the slowest bar fills most of it. */
const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The time axis of a set of rows, ms: the slowest completed load (every load when none
 * completed) rounded up to a NICE_STEPS × a power of ten. A failed load waiting seconds for
 * its timeout would otherwise squash every completed load's phases into a sliver; its
 * bar runs off the end instead (`placeSegments`).
 */
export function axisMs(rows: readonly WaterfallRow[]): number {
  const completed = rows.filter((r) => r.failure === null);
  const slowest = Math.max(1, ...(completed.length > 0 ? completed : rows).map((r) => r.totalMs));
  const p = 10 ** Math.floor(Math.log10(slowest));
  for (const m of NICE_STEPS) if (m * p >= slowest) return m * p;
  return 10 * p;
}

/** A duration in ms as the panel prints it: "0.4 ms", "38 ms", "3,012 ms". */
export function formatMs(value: number): string {
  if (value < 10) return `${value.toFixed(1)} ms`;
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** A segment placed on the axis, in percent of its length. */
export interface PlacedSegment {
  phase: WaterfallPhase;
  failed: boolean;
  leftPct: number;
  widthPct: number;
  /** It runs past the end of the axis: drawn cut off, with a mark. */
  clipped: boolean;
  durationMs: number;
}

/** A row's drawn segments on an axis of `axis` ms: zero-length phases left out, the rest cut at the axis' end. */
export function placeSegments(row: WaterfallRow, axis: number): PlacedSegment[] {
  const out: PlacedSegment[] = [];
  for (const s of row.segments) {
    if (s.durationMs <= 0 && !s.failed) continue;
    if (s.startMs >= axis) break;
    const endMs = s.startMs + s.durationMs;
    out.push({
      phase: s.phase,
      failed: s.failed,
      leftPct: (100 * s.startMs) / axis,
      widthPct: (100 * (Math.min(endMs, axis) - s.startMs)) / axis,
      clipped: endMs > axis,
      durationMs: s.durationMs,
    });
  }
  return out;
}
