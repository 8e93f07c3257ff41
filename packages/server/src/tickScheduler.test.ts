import { describe, expect, it } from 'vitest';
import { MAX_BEHIND_TICKS, SLICE_MS, SLOTS, TickScheduler, type TimerHost } from './tickScheduler.ts';

const PERIOD_MS = 50;

/** A virtual clock: timers fire when `runUntil` reaches them; a tick's work moves the clock on. */
class FakeTimers implements TimerHost {
  now = 1_000;
  private pending: { atMs: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  nowMs(): number {
    return this.now;
  }
  after(ms: number, fn: () => void): unknown {
    const t = { atMs: this.now + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.push(t);
    return t;
  }
  cancel(handle: unknown): void {
    this.pending = this.pending.filter((t) => t !== handle);
  }
  get armed(): number {
    return this.pending.length;
  }
  /** Fires the timers due up to `endMs` in order; a timer due while the clock was busy fires late. */
  runUntil(endMs: number): void {
    for (;;) {
      this.pending.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const next = this.pending[0];
      if (!next || next.atMs > endMs) break;
      this.pending.shift();
      this.now = Math.max(this.now, next.atMs);
      next.fn();
    }
    this.now = Math.max(this.now, endMs);
  }
}

/** A room that takes `workMs` a tick and remembers when each tick started. */
function room(timers: FakeTimers, workMs: number) {
  const startsMs: number[] = [];
  return {
    startsMs,
    run: () => {
      startsMs.push(timers.now);
      timers.now += workMs;
    },
  };
}

describe('tick scheduler (SPEC SYNC-9)', () => {
  it('SYNC-9: rooms added together are spread over the period, the emptiest offset first', () => {
    const timers = new FakeTimers();
    const ticks = new TickScheduler(PERIOD_MS, { timers });
    const rooms = Array.from({ length: 2 * SLOTS }, () => room(timers, 0));
    for (const r of rooms) ticks.add(r.run);
    timers.runUntil(timers.now + PERIOD_MS);
    const offsets = rooms.map((r) => (r.startsMs[0] ?? Number.NaN) % PERIOD_MS);
    const distinct = [...new Set(offsets)].sort((a, b) => a - b);
    expect(distinct).toEqual(Array.from({ length: SLOTS }, (_, s) => (s * PERIOD_MS) / SLOTS));
    for (const o of distinct) expect(offsets.filter((x) => x === o)).toHaveLength(2);
  });

  it('SYNC-9: tick k is due at origin + k periods: a hold-up makes ticks late once, never from then on', () => {
    const timers = new FakeTimers();
    const ticks = new TickScheduler(PERIOD_MS, { timers });
    // 10 rooms of 4 ms a tick: 80 % of the core.
    const rooms = Array.from({ length: 10 }, () => room(timers, 4));
    for (const r of rooms) ticks.add(r.run);
    timers.runUntil(1_000 + 10 * PERIOD_MS);
    timers.now += 120; // a garbage collection, say
    timers.runUntil(1_000 + 60 * PERIOD_MS - 1);
    for (const r of rooms) {
      const origin = r.startsMs[0] ?? Number.NaN;
      const lateness = r.startsMs.map((t, k) => t - (origin + k * PERIOD_MS));
      // Every tick ran (none dropped: 2–3 ticks behind at most), and the last 20 are on time again.
      expect(r.startsMs).toHaveLength(60);
      expect(Math.max(...lateness)).toBeGreaterThan(PERIOD_MS);
      expect(Math.max(...lateness.slice(-20))).toBe(0);
    }
    // The rooms stay spread over the period: their start times after the hold-up are not bunched.
    const last = rooms.map((r) => (r.startsMs.at(-1) ?? 0) % PERIOD_MS).sort((a, b) => a - b);
    expect(new Set(last).size).toBe(10);
  });

  it('SYNC-9: the most overdue tick runs first', () => {
    const timers = new FakeTimers();
    const ticks = new TickScheduler(PERIOD_MS, { timers });
    const order: string[] = [];
    ticks.add(() => order.push('a'));
    ticks.add(() => order.push('b'));
    timers.runUntil(1_000 + 2 * PERIOD_MS + 20); // a: due 1000, 1050, 1100; b: 1005, 1055, 1105
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    order.length = 0;
    timers.now += 3 * PERIOD_MS; // both fall behind: their backlog runs in due order
    timers.runUntil(timers.now);
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('SYNC-9: a room too far behind drops its backlog, and says so', () => {
    const timers = new FakeTimers();
    const dropped: number[] = [];
    const lateness: number[] = [];
    const ticks = new TickScheduler(PERIOD_MS, {
      timers,
      observer: { ran: (ms) => lateness.push(ms), dropped: (n) => dropped.push(n) },
    });
    const r = room(timers, 0);
    ticks.add(r.run);
    timers.runUntil(1_000);
    timers.now += (MAX_BEHIND_TICKS + 2) * PERIOD_MS + 10;
    timers.runUntil(timers.now + 2 * PERIOD_MS);
    // Due at 1,050 and found at 1,360: six whole periods behind, so the 7 ticks due by then go.
    expect(dropped).toEqual([MAX_BEHIND_TICKS + 2]);
    // After the drop the ticks keep the room's schedule.
    expect(r.startsMs).toEqual([1_000, 1_400, 1_450]);
    expect(lateness.every((ms) => ms === 0)).toBe(true);
  });

  it('SYNC-9: a long backlog runs in slices, letting I/O in between', () => {
    const timers = new FakeTimers();
    const ticks = new TickScheduler(PERIOD_MS, { timers });
    const rooms = Array.from({ length: 10 }, () => room(timers, 3));
    for (const r of rooms) ticks.add(r.run);
    timers.now += 3 * PERIOD_MS;
    const between: number[] = [];
    const io = () => {
      between.push(timers.now);
      if (between.length < 50) timers.after(0, io);
    };
    timers.after(0, io);
    timers.runUntil(timers.now + PERIOD_MS);
    // Each slice ran at most SLICE_MS plus one tick before the I/O callback got its turn.
    const gaps = between.slice(1).map((t, i) => t - (between[i] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(SLICE_MS + 3);
  });

  it('SYNC-9: a stopped room ticks no more; with no rooms no timer is left', () => {
    const timers = new FakeTimers();
    const ticks = new TickScheduler(PERIOD_MS, { timers });
    const a = room(timers, 0);
    const b = room(timers, 0);
    const ta = ticks.add(a.run);
    const tb = ticks.add(b.run);
    timers.runUntil(1_000 + PERIOD_MS);
    ta.stop();
    timers.runUntil(1_000 + 3 * PERIOD_MS);
    expect(a.startsMs).toHaveLength(2);
    expect(b.startsMs).toHaveLength(3);
    tb.stop();
    expect(ticks.size).toBe(0);
    expect(timers.armed).toBe(0);
  });

  it('SYNC-9: on node\u2019s own timers rooms tick every period, and a stopped scheduler leaves nothing behind', async () => {
    const ticks = new TickScheduler(PERIOD_MS);
    const counts = [0, 0];
    const rooms = counts.map((_, i) =>
      ticks.add(() => {
        counts[i] = (counts[i] ?? 0) + 1;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 6 * PERIOD_MS));
    for (const r of rooms) r.stop();
    const atStop = [...counts];
    expect(Math.min(...atStop)).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 3 * PERIOD_MS));
    expect(counts).toEqual(atStop);
  });

  it('SYNC-9: a room whose tick throws does not stop the others', () => {
    const timers = new FakeTimers();
    const ticks = new TickScheduler(PERIOD_MS, { timers });
    ticks.add(() => {
      throw new Error('injected');
    });
    const b = room(timers, 1);
    ticks.add(b.run);
    timers.runUntil(1_000 + 3 * PERIOD_MS);
    expect(b.startsMs).toHaveLength(3);
  });
});
