import { afterEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, PING_INTERVAL_MS, PING_MISSES_MAX, type Pingable } from './heartbeat.ts';

/** A socket that counts the pings it got and answers them when `answering` (a pong resets pingCount, as ws does). */
function socket(answering: boolean) {
  const onClose: (() => void)[] = [];
  const ws = {
    pingCount: 0,
    pings: 0,
    terminated: false,
    answering,
    ping() {
      this.pings++;
      if (this.answering) this.pingCount = 0;
    },
    terminate() {
      this.terminated = true;
      for (const f of onClose) f();
    },
    once(_event: 'close', listener: () => void) {
      onClose.push(listener);
    },
  };
  return ws satisfies Pingable;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('silent connections — SPEC SYNC-8', () => {
  it('SYNC-8: pings every connection once per interval, a slice at a time, never all in one go', () => {
    vi.useFakeTimers();
    const heartbeat = new Heartbeat();
    const sockets = Array.from({ length: 300 }, () => socket(true));
    for (const ws of sockets) heartbeat.watch(ws);
    let mostInOneBeat = 0;
    let before = 0;
    for (let t = 0; t < PING_INTERVAL_MS; t += PING_INTERVAL_MS / 30) {
      vi.advanceTimersByTime(PING_INTERVAL_MS / 30);
      const now = sockets.reduce((n, ws) => n + ws.pings, 0);
      mostInOneBeat = Math.max(mostInOneBeat, now - before);
      before = now;
    }
    expect(sockets.every((ws) => ws.pings === 1)).toBe(true);
    expect(mostInOneBeat).toBe(10);
    heartbeat.stop();
  });

  it('SYNC-8: closes a connection after PING_MISSES_MAX unanswered pings, and only that one', () => {
    vi.useFakeTimers();
    const heartbeat = new Heartbeat();
    const silent = socket(false);
    const alive = socket(true);
    heartbeat.watch(silent);
    heartbeat.watch(alive);
    vi.advanceTimersByTime(PING_MISSES_MAX * PING_INTERVAL_MS);
    expect(silent.pings).toBe(PING_MISSES_MAX);
    expect(silent.terminated).toBe(false);
    vi.advanceTimersByTime(PING_INTERVAL_MS);
    expect(silent.terminated).toBe(true);
    expect(alive.terminated).toBe(false);
    expect(alive.pings).toBe(PING_MISSES_MAX + 1);
    // A closed socket is no longer pinged.
    vi.advanceTimersByTime(2 * PING_INTERVAL_MS);
    expect(silent.pings).toBe(PING_MISSES_MAX);
    heartbeat.stop();
  });
});
