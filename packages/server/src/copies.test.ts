import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { COMMANDS_PER_SENDER_PER_TICK_MAX, SimCopy } from './copies.ts';
import { lessonScenario } from './scenarios.ts';
import type { LogEntry } from './store.ts';

describe('a copy\u2019s command queue (SPEC MSG-4)', () => {
  it('MSG-4: one sender flooding commands cannot keep a teammate\u2019s out', () => {
    const copy = new SimCopy(0, lessonScenario('lesson-1-postal').scenario, 1);
    const route = { type: 'route.set', node: 'r-west', prefix: '10.2.0.0/16', via: 'r-north' } as const;
    const refused = Array.from({ length: 600 }, () =>
      copy.enqueue({ cmd: route, senderSessionId: 'ann', request: 'route.set' }),
    ).filter((r) => r !== null);
    expect(refused).toHaveLength(600 - COMMANDS_PER_SENDER_PER_TICK_MAX);
    expect(refused[0]).toMatch(/at most 8 commands a tick/);
    expect(copy.enqueue({ cmd: route, senderSessionId: 'bob', request: 'route.set' })).toBeNull();
    copy.step(0);
    expect(copy.enqueue({ cmd: route, senderSessionId: 'ann', request: 'route.set' })).toBeNull(); // a new tick
  });
});

/**
 * A lesson-2 copy with bots in every seat, run `ticks` ticks of 50 ms with a player's
 * `hand.mode` at tick `handModeAt`; its log of the ticks that applied commands, and its
 * checkpoint taken at tick `checkpointAt` (as a room keeps them, SPEC PERSIST-3).
 */
function loggedRound(o: { seed: number; ticks: number; checkpointAt: number; handModeAt: number }) {
  const lesson = lessonScenario('lesson-2-mail').scenario;
  const live = new SimCopy(0, lesson, o.seed);
  for (const { node } of lesson.seats)
    live.enqueue({ cmd: { type: 'seat.bot', node }, senderSessionId: null, request: 'seat.bot' });
  const log: LogEntry[] = [];
  let checkpoint = live.checkpoint();
  for (let t = 1; t <= o.ticks; t++) {
    if (t === o.checkpointAt) checkpoint = live.checkpoint();
    if (t === o.handModeAt)
      live.enqueue({
        cmd: { type: 'hand.mode', node: lesson.seats[0]?.node ?? '', enabled: true },
        senderSessionId: 'a',
        request: 'hand.mode',
      });
    const step = live.step(50_000);
    if (step.tick.commands.length > 0)
      log.push({
        copy: 0,
        tick: step.tick.tick,
        atUs: step.appliedAtUs,
        commands: JSON.stringify(step.tick.commands),
      });
  }
  return { lesson, live, log, checkpoint };
}

describe('a copy restored from a checkpoint and its log (SPEC PERSIST-4)', () => {
  it('PERSIST-4: carries on exactly where the uninterrupted copy is: state, tick, scores and figures', () => {
    const tickUs = 50_000;
    const { lesson, live, log, checkpoint } = loggedRound({
      seed: 9,
      ticks: 120,
      checkpointAt: 50,
      handModeAt: 70,
    });
    const restored = SimCopy.restore(0, lesson, 9, checkpoint, log, {
      tick: live.tick,
      simTimeUs: live.sim.nowUs,
    });
    expect(restored.tick).toBe(live.tick);
    expect(restored.sim.nowUs).toBe(live.sim.nowUs);
    expect(restored.sim.stateHash()).toBe(live.sim.stateHash());
    expect(restored.scoreboard.network).toBe(live.scoreboard.network);
    expect(restored.scoreboard.byNode).toEqual(live.scoreboard.byNode);
    // Every count the room reads; the round-long latency percentiles are not carried (no samples saved).
    const counts = (m: SimCopy['metrics']) => {
      const { udp, tcp, quic } = m.summary(live.sim.nowUs);
      return [udp, tcp, quic].map(({ p50LatencyMs, p95LatencyMs, ...rest }) => rest);
    };
    expect(counts(restored.metrics)).toEqual(counts(live.metrics));
    expect(restored.figures.save(live.sim.nowUs)).toEqual(live.figures.save(live.sim.nowUs));
    // Both go on in step.
    expect(restored.step(tickUs).tick).toEqual(live.step(tickUs).tick);
    expect(restored.sim.stateHash()).toBe(live.sim.stateHash());
  });
});

describe('a checkpoint saved by an older server (SPEC PERSIST-4)', () => {
  it('PERSIST-4: a snapshot of another format is not loaded: the copy replays its whole log from the round start', () => {
    const { lesson, live, log, checkpoint } = loggedRound({
      seed: 4,
      ticks: 100,
      checkpointAt: 60,
      handModeAt: 30,
    });
    // The same checkpoint as a server before snapshot formats would have written it: no format field (format 1).
    const packr = new Packr({ useRecords: false, moreTypes: false });
    const { format: _format, ...older } = packr.unpack(checkpoint.snapshot) as Record<string, unknown>;
    const stale = { ...checkpoint, snapshot: packr.pack(older) };
    expect(() => new SimCopy(0, lesson, 4).sim.restore(stale.snapshot)).toThrow(/format 1/);
    const progress = { tick: live.tick, simTimeUs: live.sim.nowUs };
    const restored = SimCopy.restore(0, lesson, 4, stale, log, progress);
    expect(restored.tick).toBe(live.tick);
    expect(restored.sim.stateHash()).toBe(live.sim.stateHash());
    expect(restored.scoreboard.network).toBe(live.scoreboard.network);
    expect(restored.scoreboard.byNode).toEqual(live.scoreboard.byNode);
    expect(restored.figures.save(live.sim.nowUs)).toEqual(live.figures.save(live.sim.nowUs));
    expect(restored.log).toEqual(log);
  });
});

describe('a checkpoint on a hash tick (SPEC PERSIST-3, SYNC-4)', () => {
  it('PERSIST-3: reuses the hash\u2019s snapshot on its tick, never after a step', () => {
    const lesson = lessonScenario('lesson-2-mail').scenario;
    const copy = new SimCopy(0, lesson, 5);
    for (const { node } of lesson.seats)
      copy.enqueue({ cmd: { type: 'seat.bot', node }, senderSessionId: null, request: 'seat.bot' });
    for (let t = 0; t < 40; t++) copy.step(50_000);
    const h = copy.hash();
    expect(h.hash).toBe(copy.sim.stateHash());
    const same = copy.checkpoint();
    expect(same.tick).toBe(h.tick);
    expect(same.snapshot).toEqual(copy.sim.snapshot());
    copy.hash();
    copy.step(50_000);
    // The copy moved on: the kept snapshot is stale, the checkpoint takes its own.
    const after = copy.checkpoint();
    expect(after.tick).toBe(h.tick + 1);
    expect(after.snapshot).toEqual(copy.sim.snapshot());
    expect(after.snapshot).not.toEqual(same.snapshot);
  });
});
