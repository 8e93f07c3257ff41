import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, type FinishedRound, ROUNDS_KEPT_MAX, Store } from './store.ts';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roundtrip-store-'));
  store = new Store(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function finished(code: string, hostKeyHash: string | null, endedAtMs = 2_000): FinishedRound {
  return {
    code,
    hostKeyHash,
    scenarioId: 'lesson-1-postal',
    lesson: 1,
    title: 'The postal service',
    seed: 7,
    startedAtMs: 1_000,
    endedAtMs,
    simTimeUs: 60_000_000,
    players: [
      {
        rank: 1,
        nickname: 'Ada',
        copy: 0,
        node: 'r-west',
        role: 'router',
        score: 40,
        teamScore: 90,
        left: false,
      },
      {
        rank: 2,
        nickname: 'Bo',
        copy: 0,
        node: 'r-east',
        role: 'router',
        score: -3,
        teamScore: 90,
        left: true,
      },
    ],
    teams: [{ copy: 0, score: 90, completed: 120, failed: 4 }],
    failures: [{ copy: 0, reason: 'ttl-expired', count: 4 }],
  };
}

describe('Store (SPEC PERSIST-1, PERSIST-2, PERSIST-3, PERSIST-5)', () => {
  it('PERSIST-5: creates its schema once, opens again at the same version, refuses a newer one', () => {
    expect(store.version).toBe(1);
    store.close();
    store = new Store(dir);
    expect(store.version).toBe(1);
    store.close();
    const db = new DatabaseSync(join(dir, DATABASE_FILE));
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => new Store(dir)).toThrow(/schema version 99, newer than this server knows \(1\)/);
    store = new Store(mkdtempSync(join(tmpdir(), 'roundtrip-store-')));
  });

  it('PERSIST-1: a finished round comes back whole, and only to its host', () => {
    const id = store.saveFinished(finished('ABCDE', 'key-a'));
    const round = store.round(id, 'key-a');
    expect(round).toMatchObject({ code: 'ABCDE', lesson: 1, seed: 7, simTimeUs: 60_000_000 });
    expect(round?.players.map((p) => [p.nickname, p.score, p.left])).toEqual([
      ['Ada', 40, false],
      ['Bo', -3, true],
    ]);
    expect(round?.teams).toEqual([{ copy: 0, score: 90, completed: 120, failed: 4 }]);
    expect(round?.failures).toEqual([{ copy: 0, reason: 'ttl-expired', count: 4 }]);
    expect(store.round(id, 'key-b')).toBeNull();
  });

  it('PERSIST-2: lists a host’s rounds newest first, with their player counts', () => {
    store.saveFinished(finished('AAAAA', 'key-a', 2_000));
    store.saveFinished(finished('BBBBB', 'key-a', 3_000));
    store.saveFinished(finished('CCCCC', 'key-b', 4_000));
    store.saveFinished(finished('DDDDD', null, 5_000));
    expect(store.rounds('key-a', 10).map((r) => [r.code, r.players])).toEqual([
      ['BBBBB', 2],
      ['AAAAA', 2],
    ]);
    expect(store.rounds('key-a', 1)).toHaveLength(1);
  });

  it('PERSIST-2: keeps at most ROUNDS_KEPT_MAX rounds, dropping the oldest', () => {
    const first = store.saveFinished(finished('FIRST', 'k'));
    for (let i = 0; i < ROUNDS_KEPT_MAX; i++) store.saveFinished(finished('MORE0', 'k'));
    expect(store.round(first, 'k')).toBeNull();
    expect(store.rounds('k', ROUNDS_KEPT_MAX + 5)).toHaveLength(ROUNDS_KEPT_MAX);
  });

  it('PERSIST-3: a checkpoint replaces the previous one and empties the log; the log appends', () => {
    const snap = (b: number) => ({
      copy: 0,
      tick: b,
      snapshot: Uint8Array.of(b),
      tally: Uint8Array.of(b, b),
    });
    store.appendLog('ROOMA', 1, '{}', [{ copy: 0, tick: 1, atUs: 0, commands: '[]' }]);
    expect(store.liveRooms()).toEqual([]); // no checkpoint yet: nothing to append to
    store.saveCheckpoint('ROOMA', 10, '{"v":1}', [snap(1)]);
    store.appendLog('ROOMA', 11, '{"v":2}', [{ copy: 0, tick: 2, atUs: 50, commands: '[{"a":1}]' }]);
    store.saveCheckpoint('ROOMA', 20, '{"v":3}', [snap(3)]);
    store.appendLog('ROOMA', 21, '{"v":4}', [
      { copy: 0, tick: 4, atUs: 150, commands: '[1]' },
      { copy: 0, tick: 5, atUs: 200, commands: '[2]' },
    ]);
    const [live] = store.liveRooms();
    expect(live?.room).toBe('{"v":4}');
    expect(live?.copies.map((c) => [c.tick, [...c.snapshot], [...c.tally]])).toEqual([[3, [3], [3, 3]]]);
    expect(live?.log.map((e) => e.tick)).toEqual([4, 5]);
  });

  it('PERSIST-3: one copy’s checkpoint replaces only its own, and drops only its log up to its tick', () => {
    const snap = (copy: number, tick: number) => ({
      copy,
      tick,
      snapshot: Uint8Array.of(tick),
      tally: Uint8Array.of(0),
    });
    store.saveCopyCheckpoint('ROOMB', 1, '{}', snap(0, 5));
    expect(store.liveRooms()).toEqual([]); // no room checkpoint yet
    store.saveCheckpoint('ROOMB', 10, '{}', [snap(0, 0), snap(1, 0)]);
    const entry = (copy: number, tick: number) => ({ copy, tick, atUs: tick, commands: '[]' });
    store.appendLog('ROOMB', 11, '{}', [entry(0, 3), entry(1, 3), entry(0, 8), entry(1, 8)]);
    store.saveCopyCheckpoint('ROOMB', 12, '{"v":5}', snap(0, 5));
    const [live] = store.liveRooms();
    expect(live?.room).toBe('{"v":5}');
    expect(live?.copies.map((c) => [c.copy, c.tick])).toEqual([
      [0, 5],
      [1, 0],
    ]);
    expect(live?.log.map((e) => [e.copy, e.tick])).toEqual([
      [1, 3],
      [0, 8],
      [1, 8],
    ]);
  });

  it('PERSIST-1: finishing a round forgets its live checkpoint in the same transaction', () => {
    store.saveCheckpoint('ABCDE', 10, '{}', []);
    store.saveFinished(finished('ABCDE', 'k'));
    expect(store.liveRooms()).toEqual([]);
  });
});
