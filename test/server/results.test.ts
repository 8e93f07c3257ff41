/**
 * A finished round's results are in the store before anyone hears that it ended, and a
 * store that fails does not stop the round from ending (SPEC PERSIST-1), in-process.
 */
import { randomBytes } from 'node:crypto';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { appConfig, hostKeyHash, log, Store, serverStore } from '@roundtrip/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClass, eventually, joinAs } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, 2616);
});
afterAll(async () => {
  await colyseus.shutdown();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('results written before the end is reported (SPEC PERSIST-1)', () => {
  it('PERSIST-1: the first patch that says "ended" finds the round already in the store', async () => {
    const hostKey = randomBytes(18).toString('base64url');
    const host = await createClass(colyseus, {
      scenario: 'lesson-1-postal',
      durationS: 1,
      timeScale: 1,
      hostKey,
    });
    await joinAs(colyseus, host.code, 'Ann');
    let storedWhenEnded: number | null = null;
    host.room.onStateChange((state) => {
      if (state.phase === 'ended' && storedWhenEnded === null)
        storedWhenEnded = serverStore().rounds(hostKeyHash(hostKey), 10).length;
    });
    host.room.send('host.start', {});
    await eventually(() => expect(storedWhenEnded).toBe(1), 10_000);
    const [round] = serverStore().rounds(hostKeyHash(hostKey), 10);
    const saved = serverStore().round(round?.id ?? -1, hostKeyHash(hostKey));
    expect(saved?.players.map((p) => [p.nickname, p.score])).toEqual(
      host.room.state.results.toArray().map((r) => [r.nickname, r.score]),
    );
    expect(saved?.teams[0]?.completed).toBe(host.room.state.copies[0]?.completed);
  });

  it('PERSIST-1: a round everyone left ends when its room closes, and its results are kept', async () => {
    const hostKey = randomBytes(18).toString('base64url');
    const host = await createClass(colyseus, {
      scenario: 'lesson-1-postal',
      durationS: 600,
      timeScale: 1,
      hostKey,
    });
    const ann = await joinAs(colyseus, host.code, 'Ann');
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('running'));
    await ann.room.leave();
    await host.room.leave();
    await eventually(() => expect(serverStore().rounds(hostKeyHash(hostKey), 10)).toHaveLength(1));
    const [round] = serverStore().rounds(hostKeyHash(hostKey), 10);
    expect(round).toMatchObject({ code: host.code, players: 1 });
  });

  it('PERSIST-1: a write that fails is logged, and the round ends with its results all the same', async () => {
    vi.spyOn(Store.prototype, 'saveFinished').mockImplementation(() => {
      throw new Error('disk full');
    });
    const logged = vi.spyOn(log, 'error');
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', durationS: 1, timeScale: 1 });
    await joinAs(colyseus, host.code, 'Bo');
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('ended'), 10_000);
    await eventually(() => expect(host.room.state.results.length).toBe(1));
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ room: host.code }),
      'could not save the results of a finished round',
    );
  });
});
