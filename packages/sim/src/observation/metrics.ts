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

  summary(spanUs: number): ChannelMetrics {
    const settled = this.delivered + this.lost;
    const sortedReasons = Object.fromEntries(
      Object.entries(this.failures).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
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

/** Collects per-channel metrics from simulation records (SPEC MET-1). */
export class MetricsCollector {
  private readonly channels: Record<Channel, ChannelAccumulator> = {
    udp: new ChannelAccumulator(),
    tcp: new ChannelAccumulator(),
    quic: new ChannelAccumulator(),
  };

  /** Feed every record here (e.g. `sim.onRecord(r => m.add(r))`). */
  add(r: SimRecord): void {
    const udp = this.channels.udp;
    // Request records name their channel: TCP or QUIC count the same figures (SPEC MET-1).
    const req = 'channel' in r && r.channel !== 'udp' ? this.channels[r.channel] : this.channels.tcp;
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
        req.goodBytes += r.bytes;
        break;
      case 'retransmit':
        req.retransmissions++;
        break;
    }
  }

  /**
   * The running counts, plain data (a server checkpoints them beside the simulation's
   * snapshot). Latency samples are left out: they grow with the round (megabytes in a
   * long one) and only the round-long percentiles read them.
   */
  save(): Record<Channel, ChannelTally> {
    const copy = (c: ChannelAccumulator): ChannelTally => ({
      sent: c.sent,
      delivered: c.delivered,
      lost: c.lost,
      goodBytes: c.goodBytes,
      retransmissions: c.retransmissions,
      duplicates: c.duplicates,
      reordered: c.reordered,
      failures: { ...c.failures },
    });
    return { udp: copy(this.channels.udp), tcp: copy(this.channels.tcp), quic: copy(this.channels.quic) };
  }

  /**
   * Carries on from counts `save` wrote. The round-long latency percentiles then cover
   * only what is added from here on (no samples were saved).
   */
  load(tally: Record<Channel, ChannelTally>): void {
    for (const channel of ['udp', 'tcp', 'quic'] as const)
      Object.assign(this.channels[channel], tally[channel], {
        latenciesUs: [],
        failures: { ...tally[channel].failures },
      });
  }

  /** Summaries per channel over `spanUs` of simulated time. */
  summary(spanUs: number): Record<Channel, ChannelMetrics> {
    return {
      udp: this.channels.udp.summary(spanUs),
      tcp: this.channels.tcp.summary(spanUs),
      quic: this.channels.quic.summary(spanUs),
    };
  }
}
