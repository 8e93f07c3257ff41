/**
 * RFC 5681 congestion control (Reno), in bytes (SPEC TCP-CC-1..6). Pure
 * functions over a plain record so the state snapshots with its connection.
 */
export interface CcState {
  cwndBytes: number;
  ssthreshBytes: number;
  /** Duplicate ACKs in a row (RFC 5681 section 2's definition). */
  dupAcks: number;
  inFastRecovery: boolean;
}

/** Which initial window a connection starts with (stated in docs/SPEC.md). */
export type InitialWindowRule = 'rfc5681' | 'rfc6928';

/** IW: RFC 5681 3.1 eq. (1) — min(4·SMSS, max(2·SMSS, 4380)); RFC 6928 — 10·SMSS. */
export function initialWindowBytes(smss: number, rule: InitialWindowRule): number {
  if (rule === 'rfc6928') return 10 * smss;
  return Math.min(4 * smss, Math.max(2 * smss, 4380));
}

/** A fresh connection's state: IW, and ssthresh "arbitrarily high" (the receive window). */
export function initialCc(smss: number, rule: InitialWindowRule, rwndBytes: number): CcState {
  return {
    cwndBytes: initialWindowBytes(smss, rule),
    ssthreshBytes: rwndBytes,
    dupAcks: 0,
    inFastRecovery: false,
  };
}

/**
 * An ACK that acknowledges `ackedBytes` new bytes (RFC 5681 3.1, 3.2 step 6):
 * in fast recovery, deflate to ssthresh; in slow start, cwnd += min(N, SMSS);
 * in congestion avoidance, cwnd += SMSS·SMSS / cwnd.
 */
export function onNewAck(s: CcState, ackedBytes: number, smss: number): void {
  s.dupAcks = 0;
  if (s.inFastRecovery) {
    s.inFastRecovery = false;
    s.cwndBytes = s.ssthreshBytes;
  } else if (s.cwndBytes < s.ssthreshBytes) {
    s.cwndBytes += Math.min(ackedBytes, smss);
  } else {
    s.cwndBytes += (smss * smss) / s.cwndBytes;
  }
}

/** ssthresh after a loss: max(FlightSize / 2, 2·SMSS) (RFC 5681 eq. 4). */
export function lossThreshold(flightSizeBytes: number, smss: number): number {
  return Math.max(flightSizeBytes / 2, 2 * smss);
}

/**
 * A duplicate ACK. Returns true when this is the third in a row: the caller
 * retransmits the first unacknowledged segment (fast retransmit). Then
 * cwnd = ssthresh + 3·SMSS; each further duplicate inflates cwnd by SMSS.
 */
export function onDupAck(s: CcState, flightSizeBytes: number, smss: number): boolean {
  s.dupAcks++;
  if (s.inFastRecovery) {
    s.cwndBytes += smss;
    return false;
  }
  if (s.dupAcks !== 3) return false;
  s.ssthreshBytes = lossThreshold(flightSizeBytes, smss);
  s.cwndBytes = s.ssthreshBytes + 3 * smss;
  s.inFastRecovery = true;
  return true;
}

/** The retransmission timer expired: ssthresh from the flight, cwnd = 1·SMSS (the loss window). */
export function onRetransmitTimeout(s: CcState, flightSizeBytes: number, smss: number): void {
  s.ssthreshBytes = lossThreshold(flightSizeBytes, smss);
  s.cwndBytes = smss;
  s.dupAcks = 0;
  s.inFastRecovery = false;
}
