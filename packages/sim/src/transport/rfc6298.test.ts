import { describe, expect, it } from 'vitest';
import { backOff, initialRto, takeRttSample } from './rfc6298.ts';

// Check values from REFERENCES.md, in microseconds, asserted exactly.
describe('RFC 6298 retransmission timer', () => {
  it('starts at 1 s before any sample — SPEC TCP-RTO-1', () => {
    expect(initialRto().rtoUs).toBe(1_000_000);
  });

  it('samples 0.5, 0.5, 1.0 s give the published (SRTT, RTTVAR, RTO) — SPEC TCP-RTO-2', () => {
    const s = initialRto();
    takeRttSample(s, 500_000);
    expect([s.srttUs, s.rttvarUs, s.rtoUs]).toEqual([500_000, 250_000, 1_500_000]);
    takeRttSample(s, 500_000);
    expect([s.srttUs, s.rttvarUs, s.rtoUs]).toEqual([500_000, 187_500, 1_250_000]);
    takeRttSample(s, 1_000_000);
    expect([s.srttUs, s.rttvarUs, s.rtoUs]).toEqual([562_500, 265_625, 1_625_000]);
  });

  it('samples 0.1, 0.1, 0.2 s give RTO 1.0 s (the lower bound) — SPEC TCP-RTO-3', () => {
    const s = initialRto();
    for (const r of [100_000, 100_000, 200_000]) takeRttSample(s, r);
    expect(s.rtoUs).toBe(1_000_000);
  });

  it('doubles on expiry and caps at 60 s — SPEC TCP-RTO-4', () => {
    const s = initialRto();
    backOff(s);
    expect(s.rtoUs).toBe(2_000_000);
    for (let i = 0; i < 10; i++) backOff(s);
    expect(s.rtoUs).toBe(60_000_000);
  });
});
