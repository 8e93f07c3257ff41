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
});
