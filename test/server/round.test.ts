/**
 * A whole short round, lobby to results, against the real server (SPEC ROOM-4,
 * ROOM-6, SCORE-6, MET-2).
 */
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { appConfig } from '@roundtrip/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { automate, createClass, eventually, joinAs } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, 2614);
});
afterAll(async () => {
  await colyseus.shutdown();
});

describe('a short round', () => {
  it('ROOM-4, ROOM-6: runs from lobby to ended on its own and fills the results table', async () => {
    const host = await createClass(colyseus, {
      scenario: 'lesson-1-postal',
      durationS: 3,
      timeScale: 1,
      seed: 5,
    });
    const ann = await joinAs(colyseus, host.code, 'Ann');
    const bob = await joinAs(colyseus, host.code, 'Bob');
    host.room.send('host.start', {});
    await ann.inbox.waitFor('sync.snapshot');
    automate(ann, 'r-west');
    automate(bob, 'r-north');

    await eventually(() => expect(host.room.state.phase).toBe('ended'), 10_000);
    const state = host.server.state;
    expect(state.simTimeUs).toBe(state.durationUs);
    const errors = [...ann.inbox.of('error'), ...bob.inbox.of('error')];
    expect(errors).toEqual([]);

    // Live figures came from the server's own simulation.
    const copy = state.copies[0];
    expect(copy?.completed).toBeGreaterThan(0);
    expect(copy?.score).toBe(host.server.copies[0]?.scoreboard.network);
    expect(copy?.scoreHistory.length).toBeGreaterThanOrEqual(2);
    expect(copy?.links.size).toBe(8);

    // The results table, as every client sees it.
    await eventually(() => expect(host.room.state.results.length).toBe(2));
    const rows = host.room.state.results.toArray().map((r) => r.toJSON());
    const scoreOf = (nickname: string) =>
      [...state.players.values()].find((p) => p.nickname === nickname)?.score;
    expect(rows.map((r) => r.nickname).sort()).toEqual(['Ann', 'Bob']);
    for (const r of rows) {
      expect(r.score).toBe(scoreOf(r.nickname));
      expect(r.teamScore).toBe(copy?.score);
      expect(r.copy).toBe(0);
    }
    expect(rows[0]?.rank).toBe(1);
    expect(rows[0]?.score).toBeGreaterThanOrEqual(rows[1]?.score ?? 0);
    expect(rows[1]?.rank).toBe(rows[1]?.score === rows[0]?.score ? 1 : 2);
    expect(rows.some((r) => r.score > 0)).toBe(true);

    // After the end nothing moves: no more ticks arrive.
    const ticks = ann.inbox.of('sync.tick').length;
    await new Promise((r) => setTimeout(r, 200));
    expect(ann.inbox.of('sync.tick').length).toBe(ticks);
  });
});
