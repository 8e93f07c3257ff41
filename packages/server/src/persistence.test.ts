import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHashTick } from '@roundtrip/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimCopy } from './copies.ts';
import { CHECKPOINT_EVERY_TICKS, LOG_EVERY_TICKS, RoomKeeper, type SavedRoom } from './persistence.ts';
import { lessonScenario } from './scenarios.ts';
import { Store } from './store.ts';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roundtrip-keeper-'));
  store = new Store(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const room = (): SavedRoom => ({
  code: 'KEEPR',
  lessonId: 'lesson-1-postal',
  seed: 1,
  durationUs: 60_000_000,
  timeScale: 1,
  phase: 'running',
  hostToken: 'h'.repeat(24),
  hostKeyHash: null,
  startedAtMs: 0,
  players: [],
  departed: [],
  departedNicknames: [],
  copies: [],
});

describe('RoomKeeper (SPEC PERSIST-3)', () => {
  it('PERSIST-3: a whole checkpoint first, then each copy in turn on its own tick, one write a second', () => {
    const lesson = lessonScenario('lesson-1-postal').scenario;
    const copies = [0, 1, 2, 3].map((i) => new SimCopy(i, lesson, 1));
    const keeper = new RoomKeeper(store, 'KEEPR');
    const whole = vi.spyOn(store, 'saveCheckpoint');
    const one = vi.spyOn(store, 'saveCopyCheckpoint');
    const flush = vi.spyOn(store, 'appendLog');
    const copyTicks: [number, number][] = [];
    const writeTicks: number[] = [];
    whole.mockImplementation((...args) => {
      writeTicks.push(tick);
      Store.prototype.saveCheckpoint.apply(store, args);
    });
    flush.mockImplementation((...args) => {
      writeTicks.push(tick);
      Store.prototype.appendLog.apply(store, args);
    });
    one.mockImplementation((code, at, r, checkpoint) => {
      copyTicks.push([checkpoint.copy, tick]);
      writeTicks.push(tick);
      Store.prototype.saveCopyCheckpoint.call(store, code, at, r, checkpoint);
    });
    let tick = 0;
    for (tick = 1; tick <= 2 * CHECKPOINT_EVERY_TICKS; tick++) {
      for (const c of copies) keeper.stepped(c.step(50_000));
      keeper.tick(room, copies);
    }
    expect(whole).toHaveBeenCalledTimes(1);
    // Every copy twice in two periods, never two on one tick.
    expect(copyTicks.map(([c]) => c).sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(new Set(copyTicks.map(([, t]) => t)).size).toBe(copyTicks.length);
    // Copy c on its hash tick (SYNC-4): c seconds into each period.
    expect(copyTicks.every(([c, t]) => isHashTick(t, c))).toBe(true);
    // One write a second: a copy's checkpoint carries the state and the log, so no flush is due beside it.
    expect(writeTicks[0]).toBe(1);
    const gaps = writeTicks.slice(1).map((t, i) => t - (writeTicks[i] ?? 0));
    expect(gaps.every((g) => g === LOG_EVERY_TICKS || g === LOG_EVERY_TICKS - 1)).toBe(true);
    expect(writeTicks.at(-1)).toBe(2 * CHECKPOINT_EVERY_TICKS);
    expect(flush.mock.calls.length).toBe((2 * CHECKPOINT_EVERY_TICKS) / LOG_EVERY_TICKS - copyTicks.length);
    const [live] = store.liveRooms();
    expect(live?.copies.map((c) => c.copy)).toEqual([0, 1, 2, 3]);
  });

  it('PERSIST-3: a failed write is logged and a whole checkpoint follows', () => {
    const lesson = lessonScenario('lesson-1-postal').scenario;
    const copies = [new SimCopy(0, lesson, 1)];
    const keeper = new RoomKeeper(store, 'KEEPR');
    const whole = vi.spyOn(store, 'saveCheckpoint').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    keeper.tick(room, copies);
    keeper.tick(room, copies);
    expect(whole).toHaveBeenCalledTimes(2);
    expect(store.liveRooms()).toHaveLength(1);
  });
});
