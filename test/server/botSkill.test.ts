/**
 * The room's bot skill against the real server (SPEC ROOM-12, BOT-1, BOT-3): the host
 * picks it when creating the room, every empty seat's bot plays at it, a bad one is
 * refused naming the lesson's skills, and a player joining mid-round stops that seat's bot.
 */
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import type { SyncTick } from '@roundtrip/protocol';
import { addressLimits, appConfig } from '@roundtrip/server';
import type { SimCommand } from '@roundtrip/sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../serverProcess.ts';
import { createClass, eventually, joinAs } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, await freePort());
});
afterAll(async () => {
  await colyseus.shutdown();
});
beforeEach(async () => {
  await colyseus.cleanup();
  addressLimits.reset();
});

const commandsIn = (ticks: unknown[]): SimCommand[] => ticks.flatMap((t) => (t as SyncTick).commands);

describe('the bots’ skill in a room — SPEC ROOM-12, BOT-1, BOT-3', () => {
  it('ROOM-12: the host’s botSkill reaches every empty seat’s bot through the tick stream', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-3-url', botSkill: 'expert' });
    await eventually(() => expect(host.room.state.botSkill).toBe('expert'));
    const ann = await joinAs(colyseus, host.code, 'Ann');
    host.room.send('host.start', {});
    await eventually(() => expect(commandsIn(host.inbox.of('sync.tick')).length).toBeGreaterThanOrEqual(2));
    const bots = commandsIn(host.inbox.of('sync.tick')).filter((c) => c.type === 'seat.bot');
    // Ann holds the first seat (r-home); the resolver and the data-centre router get expert bots.
    expect(bots).toEqual([
      { type: 'seat.bot', node: 'res', skill: 'expert' },
      { type: 'seat.bot', node: 'r-dc', skill: 'expert' },
    ]);
    expect(ann.room.state.botSkill).toBe('expert');
  });

  it('ROOM-12: without one the bots play at the lesson’s own level; a skill the lesson’s bots lack is refused', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-3-url' });
    host.room.send('host.start', {});
    await eventually(() => expect(commandsIn(host.inbox.of('sync.tick')).length).toBe(3));
    expect(commandsIn(host.inbox.of('sync.tick')).map((c) => c)).toEqual([
      { type: 'seat.bot', node: 'r-home' },
      { type: 'seat.bot', node: 'res' },
      { type: 'seat.bot', node: 'r-dc' },
    ]);
    await expect(
      colyseus.sdk.create('class', { scenario: 'lesson-3-url', botSkill: 'wizard' }),
    ).rejects.toThrow(
      /botSkill: this lesson's bots have no skill "wizard"; pick one of novice, competent, expert/,
    );
    await expect(colyseus.sdk.create('class', { botSkill: 'Expert!' })).rejects.toThrow(/botSkill/);
  });

  it('BOT-3: a player who joins mid-round takes the seat from its bot, which stops', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-3-url', botSkill: 'expert' });
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('running'));
    await joinAs(colyseus, host.code, 'Bea');
    await eventually(() =>
      expect(commandsIn(host.inbox.of('sync.tick'))).toContainEqual({ type: 'seat.player', node: 'r-home' }),
    );
    const copy = host.server.copies[0];
    await eventually(() => {
      const r = copy?.sim.st.roles[copy.sim.sc.nodeIndex.get('r-home') as number];
      expect(r?.botSkill).toBeNull();
    });
  });
});
