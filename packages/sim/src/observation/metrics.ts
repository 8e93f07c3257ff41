import type { DnsSource } from '../application/dns/message.ts';
import type { SimRecord } from '../engine/records.ts';
import type { Channel } from '../engine/state.ts';
import { percentile } from '../engine/stats.ts';
import { US_PER_S } from '../engine/units.ts';

/** Figures for one channel over a span of simulated time (what `pnpm sim --json` prints). */
export interface ChannelMetrics {
  /** UDP: frames sent; TCP and QUIC: requests started. */
  sent: number;
  /** UDP: frames on time; TCP: requests completed. */
  delivered: number;
  /** UDP: frames lost or late; TCP: requests failed. */
  lost: number;
  lossRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  /** Payload delivered in order (TCP) or on time (UDP). */
  goodputKbps: number;
  retransmissions: number;
  /** UDP: extra copies that reached the application; TCP: 0 (the receiver discards them). */
  duplicates: number;
  /** UDP: frames delivered after a later frame of their flow. */
  reordered: number;
  failuresByReason: Record<string, number>;
}

/** One channel's running counts, as `MetricsCollector.save` writes them (no latency samples). */
export interface ChannelTally {
  sent: number;
  delivered: number;
  lost: number;
  goodBytes: number;
  retransmissions: number;
  duplicates: number;
  reordered: number;
  failures: Record<string, number>;
}

/** A MetricsCollector's running counts, as `save` writes them. */
export interface MetricsTally {
  channels: Record<DataChannel, ChannelTally>;
  dns: { lookups: ChannelTally; answeredBy: Record<DnsSource, number>; stale: number } | null;
  /** Page-load counts; their phase durations are samples, left out like latencies. */
  pages: {
    completed: number;
    failed: number;
    answeredBy: Record<DnsSource, number>;
    failures: Record<string, Record<string, number>>;
  } | null;
}

/** A channel's settled counts over the round: what live figures read every sample (SPEC MET-2). */
export interface RoundCounts {
  delivered: number;
  lost: number;
  failuresByReason: Record<string, number>;
}

class ChannelAccumulator implements ChannelTally {
  sent = 0;
  delivered = 0;
  lost = 0;
  goodBytes = 0;
  retransmissions = 0;
  duplicates = 0;
  reordered = 0;
  latenciesUs: number[] = [];
  failures: Record<string, number> = {};

  fail(reason: string): void {
    this.lost++;
    this.failures[reason] = (this.failures[reason] ?? 0) + 1;
  }

  /** The counts, without the latency samples. */
  tally(): ChannelTally {
    return {
      sent: this.sent,
      delivered: this.delivered,
      lost: this.lost,
      goodBytes: this.goodBytes,
      retransmissions: this.retransmissions,
      duplicates: this.duplicates,
      reordered: this.reordered,
      failures: { ...this.failures },
    };
  }

  /** Carries on from `tally`'s counts, with no latency samples. */
  load(t: ChannelTally): void {
    Object.assign(this, t, { latenciesUs: [], failures: { ...t.failures } });
  }

  /** The settled counts, failures by reason in name order (as `summary` gives them), without sorting latencies. */
  counts(): RoundCounts {
    return { delivered: this.delivered, lost: this.lost, failuresByReason: this.sortedReasons() };
  }

  private sortedReasons(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.failures).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  summary(spanUs: number): ChannelMetrics {
    const settled = this.delivered + this.lost;
    const sortedReasons = this.sortedReasons();
    return {
      sent: this.sent,
      delivered: this.delivered,
      lost: this.lost,
      lossRate: settled === 0 ? 0 : this.lost / settled,
      p50LatencyMs: percentile(this.latenciesUs, 0.5) / 1000,
      p95LatencyMs: percentile(this.latenciesUs, 0.95) / 1000,
      goodputKbps: spanUs <= 0 ? 0 : (this.goodBytes * 8 * US_PER_S) / spanUs / 1000,
      retransmissions: this.retransmissions,
      duplicates: this.duplicates,
      reordered: this.reordered,
      failuresByReason: sortedReasons,
    };
  }
}

/** DNS lookups over a span (SPEC MET-3): counted from the stubs' records. */
export interface DnsMetrics {
  /** Lookups started. */
  sent: number;
  resolved: number;
  failed: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  /** Resolved lookups by whose cache answered (`authority`: none did). */
  answeredBy: Record<DnsSource, number>;
  /** Resolved with a stale answer (SPEC DNS-5). */
  stale: number;
  failuresByReason: Record<string, number>;
}

class DnsAccumulator {
  readonly lookups = new ChannelAccumulator();
  answeredBy: Record<DnsSource, number> = { stub: 0, resolver: 0, authority: 0 };
  stale = 0;

  summary(spanUs: number): DnsMetrics {
    const m = this.lookups.summary(spanUs);
    return {
      sent: m.sent,
      resolved: m.delivered,
      failed: m.lost,
      p50LatencyMs: m.p50LatencyMs,
      p95LatencyMs: m.p95LatencyMs,
      answeredBy: { ...this.answeredBy },
      stale: this.stale,
      failuresByReason: m.failuresByReason,
    };
  }
}

/** The timed phases of a page load, as its record names their durations (SPEC PAGE-2). */
const PAGE_PHASES = ['dnsUs', 'connectUs', 'tlsUs', 'firstByteUs', 'responseUs', 'totalUs'] as const;
type PagePhase = (typeof PAGE_PHASES)[number];

/** Page loads over a span (SPEC MET-4): counted from their records. */
export interface PageLoadMetrics {
  completed: number;
  failed: number;
  /** Per phase (and the whole, `total`): the median and 95th percentile of completed loads, ms. */
  phases: Record<
    'dns' | 'connect' | 'tls' | 'firstByte' | 'response' | 'total',
    { p50Ms: number; p95Ms: number }
  >;
  /** Completed loads by whose cache answered their lookup. */
  answeredBy: Record<DnsSource, number>;
  /** Failures by phase, then reason: `{ dns: { nxdomain: 2 } }`. */
  failures: Record<string, Record<string, number>>;
}

class PageLoadAccumulator {
  completed = 0;
  failed = 0;
  readonly durationsUs: Record<PagePhase, number[]> = {
    dnsUs: [],
    connectUs: [],
    tlsUs: [],
    firstByteUs: [],
    responseUs: [],
    totalUs: [],
  };
  answeredBy: Record<DnsSource, number> = { stub: 0, resolver: 0, authority: 0 };
  failures: Record<string, Record<string, number>> = {};

  summary(): PageLoadMetrics {
    const at = (phase: PagePhase) => ({
      p50Ms: percentile(this.durationsUs[phase], 0.5) / 1000,
      p95Ms: percentile(this.durationsUs[phase], 0.95) / 1000,
    });
    const sorted = <T>(o: Record<string, T>) =>
      Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
    return {
      completed: this.completed,
      failed: this.failed,
      phases: {
        dns: at('dnsUs'),
        connect: at('connectUs'),
        tls: at('tlsUs'),
        firstByte: at('firstByteUs'),
        response: at('responseUs'),
        total: at('totalUs'),
      },
      answeredBy: { ...this.answeredBy },
      failures: sorted(Object.fromEntries(Object.entries(this.failures).map(([p, r]) => [p, sorted(r)]))),
    };
  }
}

/** The channels a packet's flow counts under; DNS lookups have figures of their own (DnsMetrics). */
type DataChannel = Exclude<Channel, 'dns'>;

/**
 * Per-channel figures; `dns` only when the run looked a name up, `pageLoads` only when a
 * page load ended (so runs without them print what they always did).
 */
export type MetricsSummary = Record<DataChannel, ChannelMetrics> & {
  dns?: DnsMetrics;
  pageLoads?: PageLoadMetrics;
};

/**
 * The goodput a record adds (SPEC MET-1): payload that reached an application, each byte
 * once — not the bytes an L7 balancer relays over its own connections to a backend.
 */
export function goodputBytes(r: SimRecord): number {
  if (r.k === 'frameDelivered') return r.bytes;
  return r.k === 'segmentDelivered' && !r.relay ? r.bytes : 0;
}

/** Collects per-channel metrics from simulation records (SPEC MET-1). */
export class MetricsCollector {
  private dns: DnsAccumulator | null = null;
  private pages: PageLoadAccumulator | null = null;
  private readonly channels: Record<DataChannel, ChannelAccumulator> = {
    udp: new ChannelAccumulator(),
    tcp: new ChannelAccumulator(),
    quic: new ChannelAccumulator(),
  };

  /** Feed every record here (e.g. `sim.onRecord(r => m.add(r))`). */
  add(r: SimRecord): void {
    const udp = this.channels.udp;
    // Request records name their channel: TCP or QUIC count the same figures (SPEC MET-1).
    const req = 'channel' in r && r.channel === 'quic' ? this.channels.quic : this.channels.tcp;
    switch (r.k) {
      case 'frameSent':
        udp.sent++;
        break;
      case 'frameDelivered':
        udp.delivered++;
        udp.goodBytes += r.bytes;
        udp.latenciesUs.push(r.latencyUs);
        if (r.reordered) udp.reordered++;
        break;
      case 'frameDuplicate':
        udp.duplicates++;
        break;
      case 'frameLost':
        udp.fail(r.reason);
        break;
      case 'requestStarted':
        req.sent++;
        break;
      case 'requestCompleted':
        req.delivered++;
        req.latenciesUs.push(r.latencyUs);
        break;
      case 'requestFailed':
        req.fail(r.reason);
        break;
      case 'segmentDelivered':
        req.goodBytes += goodputBytes(r);
        break;
      case 'retransmit':
        req.retransmissions++;
        break;
      case 'dnsLookup':
        this.dns ??= new DnsAccumulator();
        this.dns.lookups.sent++;
        break;
      case 'dnsResolved':
        this.addResolved(r.latencyUs, r.fromCache, r.stale);
        break;
      case 'dnsFailed':
        this.dns?.lookups.fail(r.reason);
        break;
      case 'pageLoad': {
        this.pages ??= new PageLoadAccumulator();
        this.pages.completed++;
        for (const phase of PAGE_PHASES) this.pages.durationsUs[phase].push(r[phase]);
        this.pages.answeredBy[r.source]++;
        break;
      }
      case 'pageLoadFailed': {
        this.pages ??= new PageLoadAccumulator();
        this.pages.failed++;
        const byReason = this.pages.failures[r.phase] ?? {};
        byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
        this.pages.failures[r.phase] = byReason;
        break;
      }
    }
  }

  /**
   * The running counts, plain data (a server checkpoints them beside the simulation's
   * snapshot). Latency samples are left out: they grow with the round (megabytes in a
   * long one) and only the round-long percentiles read them.
   */
  save(): MetricsTally {
    const c = this.channels;
    const dns = this.dns;
    return {
      channels: { udp: c.udp.tally(), tcp: c.tcp.tally(), quic: c.quic.tally() },
      dns: dns && { lookups: dns.lookups.tally(), answeredBy: { ...dns.answeredBy }, stale: dns.stale },
      pages: this.pages && {
        completed: this.pages.completed,
        failed: this.pages.failed,
        answeredBy: { ...this.pages.answeredBy },
        failures: Object.fromEntries(Object.entries(this.pages.failures).map(([p, r]) => [p, { ...r }])),
      },
    };
  }

  /**
   * Carries on from counts `save` wrote. The round-long latency percentiles then cover
   * only what is added from here on (no samples were saved).
   */
  load(tally: MetricsTally): void {
    for (const channel of ['udp', 'tcp', 'quic'] as const)
      this.channels[channel].load(tally.channels[channel]);
    this.dns = null;
    if (tally.dns) {
      this.dns = new DnsAccumulator();
      this.dns.lookups.load(tally.dns.lookups);
      this.dns.answeredBy = { ...tally.dns.answeredBy };
      this.dns.stale = tally.dns.stale;
    }
    this.pages = null;
    if (tally.pages) {
      this.pages = new PageLoadAccumulator();
      this.pages.completed = tally.pages.completed;
      this.pages.failed = tally.pages.failed;
      this.pages.answeredBy = { ...tally.pages.answeredBy };
      this.pages.failures = Object.fromEntries(
        Object.entries(tally.pages.failures).map(([p, r]) => [p, { ...r }]),
      );
    }
  }

  private addResolved(latencyUs: number, source: DnsSource, stale: boolean): void {
    if (!this.dns) return;
    this.dns.lookups.delivered++;
    this.dns.lookups.latenciesUs.push(latencyUs);
    this.dns.answeredBy[source]++;
    if (stale) this.dns.stale++;
  }

  /**
   * UDP's and TCP's settled counts over the round: `summary`'s counts without its
   * round-long percentiles, which sort every latency sample of the round (SPEC MET-2's
   * live figures read only the counts, four times a second).
   */
  roundCounts(): { udp: RoundCounts; tcp: RoundCounts } {
    return { udp: this.channels.udp.counts(), tcp: this.channels.tcp.counts() };
  }

  /** Summaries per channel over `spanUs` of simulated time. */
  summary(spanUs: number): MetricsSummary {
    return {
      udp: this.channels.udp.summary(spanUs),
      tcp: this.channels.tcp.summary(spanUs),
      quic: this.channels.quic.summary(spanUs),
      ...(this.dns ? { dns: this.dns.summary(spanUs) } : {}),
      ...(this.pages ? { pageLoads: this.pages.summary() } : {}),
    };
  }
}
