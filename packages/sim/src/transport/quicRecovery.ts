/**
 * RFC 9002 loss detection and congestion control for the QUIC-like channel
 * (SPEC QUIC-7..9), plus the receiver's ACK ranges. Pure functions over the
 * connection's plain record; times are integer microseconds.
 */
import type { QuicConn, QuicFrame, QuicSentPacket } from './quicTypes.ts';

/** RFC 9002 §6.1.1: a packet is lost once a packet 3 numbers later is acknowledged. */
export const K_PACKET_THRESHOLD = 3;
/** RFC 9002 §6.1.2: …or once it is 9/8 of an RTT older than an acknowledged one. */
export const K_TIME_THRESHOLD = 9 / 8;
/** RFC 9002 §6.1.2: timer granularity. */
export const K_GRANULARITY_US = 1_000;
/** RFC 9002 §6.2.2: RTT assumed before the first sample. */
export const K_INITIAL_RTT_US = 333_000;
/** RFC 9002 §7.3.2: the window halves on a congestion event. */
export const K_LOSS_REDUCTION_FACTOR = 0.5;
/** Most ACK ranges a receiver remembers (older ones are forgotten: their packets count as received). */
export const MAX_ACK_RANGES = 32;

/** RFC 9002 §7.2: min(10·max_datagram_size, max(14,720, 2·max_datagram_size)). */
export function initialWindowBytes(maxDatagramBytes: number): number {
  return Math.min(10 * maxDatagramBytes, Math.max(14_720, 2 * maxDatagramBytes));
}

/** RFC 9002 §7.2: kMinimumWindow = 2 packets. */
export function minimumWindowBytes(maxDatagramBytes: number): number {
  return 2 * maxDatagramBytes;
}

/** RFC 9002 §5.3 (no ACK delay: receivers acknowledge at once). Rounded to whole microseconds. */
export function updateRtt(q: QuicConn, latestUs: number): void {
  q.latestRttUs = latestUs;
  if (!q.hasRttSample) {
    q.hasRttSample = true;
    q.minRttUs = latestUs;
    q.srttUs = latestUs;
    q.rttvarUs = Math.round(latestUs / 2);
    return;
  }
  q.minRttUs = Math.min(q.minRttUs, latestUs);
  q.rttvarUs = Math.round(0.75 * q.rttvarUs + 0.25 * Math.abs(q.srttUs - latestUs));
  q.srttUs = Math.round(0.875 * q.srttUs + 0.125 * latestUs);
}

/** RFC 9002 §6.2.1: PTO = smoothed_rtt + max(4·rttvar, kGranularity), before backoff (max_ack_delay is 0). */
export function ptoUs(q: QuicConn): number {
  const srtt = q.hasRttSample ? q.srttUs : K_INITIAL_RTT_US;
  const rttvar = q.hasRttSample ? q.rttvarUs : K_INITIAL_RTT_US / 2;
  return srtt + Math.max(4 * rttvar, K_GRANULARITY_US);
}

function inRanges(pn: number, ranges: readonly [number, number][]): boolean {
  return ranges.some(([hi, lo]) => pn <= hi && pn >= lo);
}

/** Frames worth sending again if their packet is lost. */
export function retransmittable(f: QuicFrame): boolean {
  return f.t === 'crypto' || f.t === 'stream' || f.t === 'ping';
}

/**
 * An ACK frame arrived (RFC 9002 §A.7): removes newly acknowledged packets,
 * takes an RTT sample from the largest if it is new, grows the window, and
 * returns the packets now deemed lost.
 */
export function onAckReceived(
  q: QuicConn,
  ranges: readonly [number, number][],
  nowUs: number,
  maxDatagramBytes: number,
): QuicSentPacket[] {
  const largest = ranges[0]?.[0] ?? -1;
  if (largest < 0 || largest >= q.nextPn) return [];
  q.largestAcked = Math.max(q.largestAcked, largest);
  const acked: QuicSentPacket[] = [];
  q.sent = q.sent.filter((sp) => {
    if (!inRanges(sp.pn, ranges)) return true;
    acked.push(sp);
    return false;
  });
  if (acked.length === 0) return [];
  const newest = acked[acked.length - 1] as QuicSentPacket;
  if (newest.pn === largest && acked.some((sp) => sp.ackEliciting)) updateRtt(q, nowUs - newest.sentUs);
  for (const sp of acked) {
    if (!sp.ackEliciting) continue;
    q.bytesInFlight -= sp.sizeBytes;
    // RFC 9002 §7.3.2: no growth for packets sent during the recovery period.
    if (sp.sentUs <= q.recoveryStartUs) continue;
    if (q.cwndBytes < q.ssthreshBytes) q.cwndBytes += sp.sizeBytes;
    else q.cwndBytes += (maxDatagramBytes * sp.sizeBytes) / q.cwndBytes;
  }
  q.ptoCount = 0;
  return detectLostPackets(q, nowUs);
}

/** RFC 9002 §A.10: packet- and time-threshold loss detection; sets lossTimeUs for the next candidate. */
export function detectLostPackets(q: QuicConn, nowUs: number): QuicSentPacket[] {
  q.lossTimeUs = -1;
  if (q.largestAcked < 0) return [];
  const rtt = q.hasRttSample ? Math.max(q.latestRttUs, q.srttUs) : K_INITIAL_RTT_US;
  const lossDelayUs = Math.max(Math.ceil(K_TIME_THRESHOLD * rtt), K_GRANULARITY_US);
  const lost: QuicSentPacket[] = [];
  q.sent = q.sent.filter((sp) => {
    if (sp.pn > q.largestAcked) return true;
    if (sp.sentUs <= nowUs - lossDelayUs || q.largestAcked >= sp.pn + K_PACKET_THRESHOLD) {
      lost.push(sp);
      return false;
    }
    const at = sp.sentUs + lossDelayUs;
    q.lossTimeUs = q.lossTimeUs < 0 ? at : Math.min(q.lossTimeUs, at);
    return true;
  });
  return lost;
}

/** RFC 9002 §7.3.2: one reduction per recovery period, to half, never below the minimum window. */
export function onCongestionEvent(
  q: QuicConn,
  sentUs: number,
  nowUs: number,
  maxDatagramBytes: number,
): void {
  if (sentUs <= q.recoveryStartUs) return;
  q.recoveryStartUs = nowUs;
  q.ssthreshBytes = q.cwndBytes * K_LOSS_REDUCTION_FACTOR;
  q.cwndBytes = Math.max(q.ssthreshBytes, minimumWindowBytes(maxDatagramBytes));
}

/** Receiver: notes packet number `pn`; false when it was already received (a duplicate). */
export function recordReceived(q: QuicConn, pn: number): boolean {
  if (pn < q.recvFloor) return false;
  const r = q.recvRanges;
  let i = 0;
  while (i < r.length && (r[i] as [number, number])[0] >= pn) {
    if ((r[i] as [number, number])[1] <= pn) return false;
    i++;
  }
  // r[i-1] is above pn (if any), r[i] below; extend one, merge both, or insert.
  const above = r[i - 1];
  const below = r[i];
  if (above && above[1] === pn + 1 && below && below[0] === pn - 1) {
    above[1] = below[1];
    r.splice(i, 1);
  } else if (above && above[1] === pn + 1) above[1] = pn;
  else if (below && below[0] === pn - 1) below[0] = pn;
  else r.splice(i, 0, [pn, pn]);
  if (r.length > MAX_ACK_RANGES) {
    const dropped = r.pop() as [number, number];
    q.recvFloor = dropped[0] + 1;
  }
  return true;
}

/** An ACK frame of everything received (a copy: frames in flight never alias state). */
export function ackFrame(q: QuicConn): QuicFrame {
  return { t: 'ack', ranges: q.recvRanges.map(([hi, lo]) => [hi, lo] as [number, number]) };
}
