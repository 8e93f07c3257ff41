import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dnsScenario, pageLoads } from '../testing/dnsScenario.ts';
import { lineScenario } from '../testing/lineScenario.ts';
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

  it("prints one QUIC connection's cwnd, ssthresh, SRTT and PTO as CSV, and refuses a request the run never made — SPEC QUIC-TRACE-1", () => {
    const cli = join(import.meta.dirname, 'cli.ts');
    // scenarios/ has no QUIC flow yet: a line network with one 30 kB QUIC response whose 12th b→a packet is lost.
    const scenario = join(mkdtempSync(join(tmpdir(), 'roundtrip-cli-')), 'quic-line.json');
    const web = { id: 'web', kind: 'quic', from: 'h-a', to: 'h-b', startS: 0, stopS: 0.001, everyMs: 1000 };
    const request = { requestBytes: 300, responseBytes: 30_000, timeoutMs: 60_000 };
    writeFileSync(
      scenario,
      JSON.stringify(lineScenario({ traffic: [{ ...web, ...request }], dropScript: { ba: [12] } })),
    );
    const run = (target: string) =>
      spawnSync(process.execPath, [cli, scenario, '--duration', '5s', '--trace', target, '--csv'], {
        encoding: 'utf8',
      });
    const ok = run('web:0');
    expect(ok.status).toBe(0);
    const lines = ok.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'time_ms,event,state,cwnd_bytes,ssthresh_bytes,flight_bytes,srtt_ms,rttvar_ms,pto_ms,pto_count,retransmissions',
    );
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows[0]?.slice(1, 5)).toEqual(['open', 'handshake', '10480', '']);
    const loss = rows.findIndex((r) => r[1] === 'loss');
    expect(Number(rows[loss]?.[3])).toBeLessThan(Number(rows[loss - 1]?.[3]));
    expect(rows.at(-1)?.slice(1, 3)).toEqual(['close', 'closed']);

    const missing = run('web:7');
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trim()).toBe(
      '--trace: flow "web" has no request 7 in this run (it started only request 0)',
    );
  });
});

describe('pnpm sim with page loads — SPEC MET-4', () => {
  it('prints the page-load line, p50/p95 per phase, and failures by phase and reason', () => {
    const cli = join(import.meta.dirname, 'cli.ts');
    const scenario = join(mkdtempSync(join(tmpdir(), 'roundtrip-cli-')), 'pages.json');
    const traffic = [
      pageLoads('www.example', 1_000, { stopS: 2.5 }),
      pageLoads('nope.example', 1_000, { from: 'c2', stopS: 0.5 }),
    ];
    writeFileSync(scenario, JSON.stringify(dnsScenario({ traffic })));
    const out = execFileSync(process.execPath, [cli, scenario, '--duration', '4s'], { encoding: 'utf8' });
    expect(out).toMatch(/^PAGE {2}loads 3 {2}failed 1 {2}p50\/p95 ms: total [\d.]+\/[\d.]+ {2}dns /m);
    expect(out).toMatch(/names from stub cache 2 {2}resolver cache 0 {2}authority 1/);
    expect(out).toMatch(/^ {4}dns: nxdomain: 1$/m);
    const plain = execFileSync(process.execPath, [cli, 'lesson-2-mail', '--duration', '2s'], {
      encoding: 'utf8',
    });
    expect(plain).not.toMatch(/^PAGE/m);
  });
});
