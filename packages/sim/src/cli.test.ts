import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDurationUs } from './cli.ts';

describe('pnpm sim — SPEC MET-1', () => {
  it('parses durations with units', () => {
    expect(parseDurationUs('60s')).toBe(60_000_000);
    expect(parseDurationUs('500ms')).toBe(500_000);
    expect(parseDurationUs('2m')).toBe(120_000_000);
    expect(parseDurationUs('1.5')).toBe(1_500_000);
    expect(parseDurationUs('soon')).toBeNull();
  });

  it('runs a scenario headless and prints per-channel metrics as JSON', () => {
    const cli = join(import.meta.dirname, 'cli.ts');
    const run = () =>
      JSON.parse(
        execFileSync(process.execPath, [cli, 'lesson-2-mail', '--seed', '5', '--duration', '20s', '--json'], {
          encoding: 'utf8',
        }),
      );
    const report = run();
    expect(report).toMatchObject({ scenario: 'lesson-2-mail', seed: 5, durationS: 20 });
    for (const ch of ['udp', 'tcp']) {
      const m = report.channels[ch];
      for (const k of [
        'sent',
        'delivered',
        'lost',
        'p50LatencyMs',
        'p95LatencyMs',
        'goodputKbps',
        'retransmissions',
        'failuresByReason',
      ])
        expect(m).toHaveProperty(k);
      expect(m.sent).toBeGreaterThan(0);
    }
    // The call crosses the lossy short cut: about 12 % of frames die on the wire.
    expect(report.channels.udp.failuresByReason['link-loss']).toBeGreaterThan(0);
    expect(run().stateHash).toBe(report.stateHash);
  });

  it("prints one connection's cwnd, ssthresh, SRTT and RTO as CSV — SPEC TCP-TRACE-1", () => {
    const cli = join(import.meta.dirname, 'cli.ts');
    const args = [cli, 'lesson-2-mail', '--seed', '2', '--duration', '15s', '--trace', 'web:3', '--csv'];
    const lines = execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n');
    expect(lines[0]).toBe(
      'time_ms,event,state,cwnd_bytes,ssthresh_bytes,flight_bytes,srtt_ms,rttvar_ms,rto_ms,retransmissions',
    );
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]?.slice(1, 3)).toEqual(['state', 'LISTEN']);
    expect(rows.at(-1)?.[2]).toBe('CLOSED');
    // Slow start from the RFC 5681 initial window of 4,000 bytes.
    const cwnds = rows.filter((r) => r[1] === 'ack').map((r) => Number(r[3]));
    expect(cwnds[0]).toBe(4000);
    expect(Math.max(...cwnds)).toBeGreaterThan(4000);
  });
});
