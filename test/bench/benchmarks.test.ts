/**
 * The benchmarks still run end to end and print their figures (they are not timed
 * tests: nothing here asserts a speed). `bench` runs the simulation (its memory figure
 * in a child process); `bench:rooms` boots the real server with players in a worker;
 * `bench:client` builds its page and drives Chromium.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function runJson(script: string, args: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, [resolve(ROOT, script), ...args, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

describe('benchmarks run and report', () => {
  it('bench reports the reference, its runs, the lessons, the chain, scaling from 1× to 10× and memory', () => {
    const r = runJson('packages/sim/bench/run.ts', ['--seconds', '1', '--repeat', '2']) as {
      eventsPerSecond: number;
      reference: { scenario: string; packetHops: number; packetHopsPerSecond: number };
      referenceRunsPacketHopsPerSecond: number[];
      scaling: { load: number; packetHops: number }[];
      memory: { packetsHeld: number; mbPer10kPackets: number };
      lessons: { scenario: string; packetHops: number }[];
    };
    expect(r.reference.scenario).toBe('reference-200');
    expect(r.referenceRunsPacketHopsPerSecond).toHaveLength(2);
    expect(r.eventsPerSecond).toBe(Math.max(...r.referenceRunsPacketHopsPerSecond));
    expect(r.reference.packetHops).toBeGreaterThan(100_000);
    expect(r.scaling.map((s) => s.load)).toEqual([1, 2, 5, 10]);
    // Ten times the traffic is about ten times the hops.
    const [one, , , ten] = r.scaling;
    expect((ten?.packetHops ?? 0) / (one?.packetHops ?? 1)).toBeGreaterThan(6);
    expect(r.memory.packetsHeld).toBeGreaterThan(10_000);
    expect(r.memory.mbPer10kPackets).toBeGreaterThan(0);
    expect(r.lessons.map((l) => l.packetHops > 0)).toEqual([true, true]);
  });

  it('bench:rooms sets up its rooms, counts their ticks and what the players received', () => {
    const r = runJson('packages/server/bench/rooms.ts', ['--rooms', '2', '--players', '5', '--seconds', '2']);
    expect(r).toMatchObject({ roomsAsked: 2, rooms: 2, setupFailure: '', roomsMeasured: 2 });
    expect(r.ticksRun as number).toBeGreaterThan(0);
    expect(r.messagesPerPlayerPerSecond as number).toBeGreaterThan(0);
    expect((r.tickMs as { p99: number }).p99).toBeGreaterThan(0);
    // Lateness as the tick scheduler saw it (SPEC SYNC-9): a figure for the ticks run (none would be NaN).
    expect((r.tickLatenessMs as { p50: number }).p50).toBeGreaterThanOrEqual(0);
    expect(r.ticksDropped).toEqual(expect.any(Number));
    // The load-independent figures issue 16's A/B runs compare (docs/PERFORMANCE.md).
    expect(r.cpuUsPerRoomTick as number).toBeGreaterThan(0);
    expect(r.socketWritesPerClientPerS as number).toBeGreaterThan(0);
    expect(r.bytesPerClientPerS as number).toBeGreaterThan(0);
  });

  it('bench:client draws about 1,000 and 3,000 packets in both scenes and counts frames', () => {
    const r = runJson('apps/client/bench/fps.ts', ['--seconds', '2']) as {
      runs: { scene: string; packetsMedian: number; fpsMedian: number; loopJsMs: { p50: number } }[];
    };
    expect(r.runs.map((x) => x.scene)).toEqual(['lesson', 'lesson', 'reference', 'reference']);
    for (const [i, run] of r.runs.entries()) {
      const target = i % 2 === 0 ? 1_000 : 3_000;
      expect(run.packetsMedian).toBeGreaterThan(target * 0.7);
      expect(run.packetsMedian).toBeLessThan(target * 1.3);
      expect(run.fpsMedian).toBeGreaterThan(0);
      expect(run.loopJsMs.p50).toBeGreaterThan(0);
    }
  });
});
