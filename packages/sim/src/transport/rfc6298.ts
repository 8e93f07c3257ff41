/**
 * The RFC 6298 retransmission timer, in microseconds (SPEC TCP-RTO-1..5).
 * Pure functions over a plain record so the state snapshots with the connection.
 */
export interface RtoState {
  /** Smoothed RTT; meaningless until `hasSample`. */
  srttUs: number;
  rttvarUs: number;
  rtoUs: number;
  hasSample: boolean;
}

/** Options that RFC 6298 leaves to the implementation. */
export interface RtoOptions {
  /** Clock granularity G. */
  granularityUs: number;
  /** Lower bound on RTO (RFC 6298 2.4: 1 s). */
  minRtoUs: number;
  /** Upper bound on RTO (RFC 6298 2.5: at least 60 s). */
  maxRtoUs: number;
}

export const DEFAULT_RTO_OPTIONS: RtoOptions = {
  granularityUs: 1_000,
  minRtoUs: 1_000_000,
  maxRtoUs: 60_000_000,
};

/** Before any sample, RTO = 1 s (RFC 6298 2.1). */
export function initialRto(): RtoState {
  return { srttUs: 0, rttvarUs: 0, rtoUs: 1_000_000, hasSample: false };
}

function clampRto(rtoUs: number, o: RtoOptions): number {
  return Math.min(o.maxRtoUs, Math.max(o.minRtoUs, rtoUs));
}

/**
 * Takes one RTT measurement R (RFC 6298 2.2 / 2.3). Callers apply Karn's rule:
 * never pass a sample from a retransmitted segment.
 */
export function takeRttSample(s: RtoState, sampleUs: number, o: RtoOptions = DEFAULT_RTO_OPTIONS): void {
  if (!s.hasSample) {
    s.srttUs = sampleUs;
    s.rttvarUs = sampleUs / 2;
    s.hasSample = true;
  } else {
    // RTTVAR uses the SRTT from before this update.
    s.rttvarUs = 0.75 * s.rttvarUs + 0.25 * Math.abs(s.srttUs - sampleUs);
    s.srttUs = 0.875 * s.srttUs + 0.125 * sampleUs;
  }
  s.rtoUs = clampRto(s.srttUs + Math.max(o.granularityUs, 4 * s.rttvarUs), o);
}

/** On timer expiry the RTO doubles, up to the maximum (RFC 6298 5.5). */
export function backOff(s: RtoState, o: RtoOptions = DEFAULT_RTO_OPTIONS): void {
  s.rtoUs = Math.min(o.maxRtoUs, s.rtoUs * 2);
}

/** RTO after a handshake whose SYN timed out (RFC 6298 5.7). */
export const SYN_TIMEOUT_RTO_US = 3_000_000;

/**
 * RFC 6298 5.7 (a MUST): if the timer expired awaiting the ACK of a SYN and RTO is
 * below 3 s, RTO is re-initialized to 3 s when data transmission begins.
 */
export function afterSynTimeout(s: RtoState): void {
  if (s.rtoUs < SYN_TIMEOUT_RTO_US) s.rtoUs = SYN_TIMEOUT_RTO_US;
}
