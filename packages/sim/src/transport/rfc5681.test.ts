import { describe, expect, it } from 'vitest';
import { initialCc, initialWindowBytes, onDupAck, onNewAck, onRetransmitTimeout } from './rfc5681.ts';

const SMSS = 1000;

// RFC 5681 arithmetic from REFERENCES.md, asserted exactly.
describe('RFC 5681 congestion control', () => {
  it('initial window per RFC 5681 eq. 1, or 10·SMSS per RFC 6928 — SPEC TCP-CC-1', () => {
    expect(initialWindowBytes(1000, 'rfc5681')).toBe(4000);
    expect(initialWindowBytes(1460, 'rfc5681')).toBe(4380);
    expect(initialWindowBytes(2190, 'rfc5681')).toBe(4380);
    expect(initialWindowBytes(3000, 'rfc5681')).toBe(6000);
    expect(initialWindowBytes(1000, 'rfc6928')).toBe(10_000);
  });

  it('slow start adds min(N, SMSS) per ACK below ssthresh — SPEC TCP-CC-2', () => {
    const s = initialCc(SMSS, 'rfc5681', 64_000);
    onNewAck(s, 1000, SMSS);
    expect(s.cwndBytes).toBe(5000);
    onNewAck(s, 3000, SMSS); // a stretch ACK still adds at most one SMSS
    expect(s.cwndBytes).toBe(6000);
    onNewAck(s, 400, SMSS);
    expect(s.cwndBytes).toBe(6400);
  });

  it('congestion avoidance adds SMSS²/cwnd per ACK at or above ssthresh — SPEC TCP-CC-3', () => {
    const s = { cwndBytes: 8000, ssthreshBytes: 8000, dupAcks: 0, inFastRecovery: false };
    onNewAck(s, 1000, SMSS);
    expect(s.cwndBytes).toBe(8125);
    onNewAck(s, 1000, SMSS);
    expect(s.cwndBytes).toBe(8125 + 1_000_000 / 8125);
  });

  it('third duplicate ACK: ssthresh = max(FlightSize/2, 2·SMSS), cwnd = ssthresh + 3·SMSS, +SMSS per further dup, ssthresh on the new ACK — SPEC TCP-CC-4', () => {
    const s = { cwndBytes: 10_000, ssthreshBytes: 64_000, dupAcks: 0, inFastRecovery: false };
    expect(onDupAck(s, 10_000, SMSS)).toBe(false);
    expect(onDupAck(s, 10_000, SMSS)).toBe(false);
    expect(s.cwndBytes).toBe(10_000);
    expect(onDupAck(s, 10_000, SMSS)).toBe(true);
    expect(s.ssthreshBytes).toBe(5000);
    expect(s.cwndBytes).toBe(8000);
    onDupAck(s, 10_000, SMSS);
    expect(s.cwndBytes).toBe(9000);
    onNewAck(s, 1000, SMSS);
    expect(s.cwndBytes).toBe(5000);
    expect(s.inFastRecovery).toBe(false);
  });

  it('a small flight still leaves ssthresh at 2·SMSS — SPEC TCP-CC-4', () => {
    const s = { cwndBytes: 3000, ssthreshBytes: 64_000, dupAcks: 2, inFastRecovery: false };
    onDupAck(s, 3000, SMSS);
    expect(s.ssthreshBytes).toBe(2000);
  });

  it('RTO: ssthresh from the flight and cwnd = 1·SMSS — SPEC TCP-CC-5', () => {
    const s = { cwndBytes: 12_000, ssthreshBytes: 64_000, dupAcks: 1, inFastRecovery: false };
    onRetransmitTimeout(s, 12_000, SMSS);
    expect(s).toEqual({ cwndBytes: 1000, ssthreshBytes: 6000, dupAcks: 0, inFastRecovery: false });
  });
});
