import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, type FinishedRound, MIGRATIONS, ROUNDS_KEPT_MAX, Store } from './store.ts';

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
    durationUs: 90_000_000,
    shareKey: `share-${code}-0123456789`,
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
        parts: { delivered: { count: 43, points: 43 }, 'no-route': { count: 3, points: -3 } },
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
    teams: [
      {
        copy: 0,
        name: '',
        rank: 1,
        score: 90,
        completed: 120,
        failed: 4,
        parts: { request: { count: 1, points: 90 }, 'request-failed': { count: 4, points: 0 } },
      },
    ],
    failures: [
      {
        copy: 0,
        unit: 'request',
        reason: 'ttl-expired',
        place: 'r-west',
        placeLabel: 'West router',
        role: 'router',
        count: 4,
      },
    ],
    copies: [
      {
        copy: 0,
        series: {
          tS: [1, 2],
          p50LatencyMs: [10, 12],
          p95LatencyMs: [20, 30],
          lossPct: [0, 50],
          score: [0, 5],
        },
        log: [{ tick: 1, atUs: 0, commands: [{ type: 'seat.bot', node: 'r-west' }] }],
      },
    ],
  };
}

describe('Store (SPEC PERSIST-1, PERSIST-2, PERSIST-3, PERSIST-5)', () => {
  it('PERSIST-5: creates its schema once, opens again at the same version, refuses a newer one', () => {
    expect(store.version).toBe(MIGRATIONS.length);
    store.close();
    store = new Store(dir);
    expect(store.version).toBe(MIGRATIONS.length);
    store.close();
    const db = new DatabaseSync(join(dir, DATABASE_FILE));
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => new Store(dir)).toThrow(
      new RegExp(`schema version 99, newer than this server knows \\(${MIGRATIONS.length}\\)`),
    );
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
    expect(round?.teams).toEqual(finished('ABCDE', 'key-a').teams);
    // SCORE-7: each line keeps its breakdown; a line saved with none comes back with none.
    expect(round?.players[0]?.parts).toEqual(finished('ABCDE', 'key-a').players[0]?.parts);
    expect(round?.players[1]).not.toHaveProperty('parts');
    expect(round?.failures).toEqual(finished('ABCDE', 'key-a').failures);
    expect(store.round(id, 'key-b')).toBeNull();
  });

  it('DEBRIEF-3, DEBRIEF-5, DEBRIEF-6: the series and command log come back, to the share key too', () => {
    const saved = finished('SHARE', 'key-a');
    const id = store.saveFinished(saved);
    expect(store.round(id, 'key-a')?.copies).toEqual(saved.copies);
    const shared = store.sharedRound(id, 'share-SHARE-0123456789');
    expect(shared).toMatchObject({ code: 'SHARE', durationUs: 90_000_000, copies: saved.copies });
    expect(store.sharedRound(id, 'share-WRONG-0123456789')).toBeNull();
    expect(store.sharedRound(id + 1, 'share-SHARE-0123456789')).toBeNull();
  });

  it('DEBRIEF-1: a round saved at schema version 1 still reads after the migration, with empty places', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'roundtrip-store-v1-'));
    const db = new DatabaseSync(join(dir2, DATABASE_FILE));
    db.exec(MIGRATIONS[0] as string);
    db.exec(`INSERT INTO rounds VALUES (1, 'OLDER', 'k', 'lesson-1-postal', 1, 'The postal service', 3, 0, 1, 5);
      INSERT INTO round_failures VALUES (1, 0, 'no-route', 2);
      PRAGMA user_version = 1;`);
    db.close();
    const migrated = new Store(dir2);
    expect(migrated.version).toBe(MIGRATIONS.length);
    expect(migrated.round(1, 'k')).toMatchObject({
      code: 'OLDER',
      durationUs: 0,
      shareKey: null,
      copies: [],
      failures: [{ copy: 0, unit: '', reason: 'no-route', place: '', placeLabel: '', role: '', count: 2 }],
    });
    migrated.close();
    rmSync(dir2, { recursive: true, force: true });
  });

  it('SCORE-7, PERSIST-5, COMP-6: a round saved at schema version 2 still reads after the migrations, without breakdowns, names or ranks', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'roundtrip-store-v2-'));
    const db = new DatabaseSync(join(dir2, DATABASE_FILE));
    db.exec(MIGRATIONS[0] as string);
    db.exec(MIGRATIONS[1] as string);
    db.exec(`INSERT INTO rounds (id, code, host_key_hash, scenario_id, lesson, title, seed, started_at_ms,
                                 ended_at_ms, sim_time_us, share_key, duration_us)
               VALUES (1, 'OLDER', 'k', 'lesson-1-postal', 1, 'The postal service', 3, 0, 1, 5, 'share-OLDER-0123456789', 9);
      INSERT INTO round_players VALUES (1, 1, 'Ada', 0, 'r-west', 'router', 12, 40, 0);
      INSERT INTO round_teams VALUES (1, 0, 40, 7, 1);
      PRAGMA user_version = 2;`);
    db.close();
    const migrated = new Store(dir2);
    expect(migrated.version).toBe(MIGRATIONS.length);
    const round = migrated.sharedRound(1, 'share-OLDER-0123456789');
    expect(round?.players).toEqual([
      {
        rank: 1,
        nickname: 'Ada',
        copy: 0,
        node: 'r-west',
        role: 'router',
        score: 12,
        teamScore: 40,
        left: false,
      },
    ]);
    expect(round?.teams).toEqual([{ copy: 0, name: '', rank: 0, score: 40, completed: 7, failed: 1 }]);
    // A round saved after the migration keeps its breakdowns beside the old one.
    const id = migrated.saveFinished(finished('NEWER', 'k'));
    expect(migrated.round(id, 'k')?.teams[0]?.parts).toEqual(finished('NEWER', 'k').teams[0]?.parts);
    migrated.close();
    rmSync(dir2, { recursive: true, force: true });
  });

  it('COMP-6: a competition’s team names and ranking are stored with the round', () => {
    const saved = finished('TEAMS', 'key-a');
    saved.teams = [
      { copy: 1, name: 'Foxes', rank: 1, score: 120, completed: 130, failed: 2 },
      { copy: 0, name: 'Owls', rank: 2, score: 90, completed: 120, failed: 4 },
    ];
    const id = store.saveFinished(saved);
    expect(store.round(id, 'key-a')?.teams).toEqual([...saved.teams].reverse());
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

  it('PERSIST-3: a new round’s checkpoint empties the log; mid-round ones keep it and add their entries', () => {
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
    store.saveCheckpoint(
      'ROOMA',
      30,
      '{"v":5}',
      [snap(6)],
      [{ copy: 0, tick: 6, atUs: 250, commands: '[3]' }],
      false,
    );
    expect(store.liveRooms()[0]?.log.map((e) => e.tick)).toEqual([4, 5, 6]);
  });

  it('PERSIST-3, DEBRIEF-5: one copy’s checkpoint replaces only its own and keeps the whole log (the replay)', () => {
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
      [0, 3],
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
