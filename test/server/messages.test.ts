/**
 * Client messages against the real server: validation, error codes, and
 * player commands reaching the simulation at the next tick (SPEC MSG-1, MSG-2, CMD-3).
 */
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { appConfig } from '@roundtrip/server';
import { routerView } from '@roundtrip/sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClass, eventually, joinAs } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, 2612);
});
afterAll(async () => {
  await colyseus.shutdown();
});
beforeEach(async () => {
  await colyseus.cleanup();
});

/** A running round with one player, Ann, at r-west of copy 0. */
async function runningRound() {
  const host = await createClass(colyseus, { seed: 7 });
  const ann = await joinAs(colyseus, host.code, 'Ann');
  host.room.send('host.start', {});
  await ann.inbox.waitFor('sync.snapshot');
  const westRoutes = () => routerView(host.server.copies[0]?.sim ?? fail(), 'r-west')?.routes;
  return { host, ann, westRoutes };
}

function fail(): never {
  throw new Error('the round has no copy 0');
}

describe('validation (SPEC MSG-1, MSG-2)', () => {
  it('MSG-1: invalid payloads get invalid-message naming the field, change nothing, and keep the client connected', async () => {
    const { host, ann, westRoutes } = await runningRound();
    await eventually(() => expect(ann.inbox.of('sync.tick').length).toBeGreaterThan(2));
    const routesBefore = westRoutes();
    const bad: [object | string, RegExp][] = [
      [{ prefix: 'banana', via: 'r-north' }, /prefix/],
      [{ prefix: '10.2.0.0/16', via: 'r-north', router: 'r-east' }, /router/],
      [{ prefix: 10, via: true }, /prefix.*via|via.*prefix/],
      [{ prefix: '10.2.0.0/16' }, /via/],
      ['route me', /expected object/i],
    ];
    for (const [payload, field] of bad) {
      const since = ann.inbox.mark();
      ann.room.send('route.set', payload);
      const error = await ann.inbox.waitFor('error', { since });
      expect(error).toMatchObject({ code: 'invalid-message', request: 'route.set' });
      expect(error.message).toMatch(field);
    }
    const since = ann.inbox.mark();
    ann.room.send('hand.forward', { packetId: -1, via: 'r-north' });
    expect(await ann.inbox.waitFor('error', { since })).toMatchObject({
      code: 'invalid-message',
      request: 'hand.forward',
    });

    // Nothing reached the simulation, and the client is still in the room and heard.
    await eventually(() => expect(ann.inbox.of('sync.tick').length).toBeGreaterThan(10));
    expect(
      ann.inbox
        .of('sync.tick')
        .flatMap((t) => t.commands)
        .filter((c) => c.type !== 'seat.bot'),
    ).toEqual([]);
    expect(westRoutes()).toEqual(routesBefore);
    expect(ann.room.connection.isOpen).toBe(true);
    expect(host.server.clients.some((c) => c.sessionId === ann.room.sessionId)).toBe(true);
    expect(host.server.state.players.get(ann.room.sessionId)?.connected).toBe(true);
  });

  it('MSG-2: an unknown message type gets unknown-message', async () => {
    const host = await createClass(colyseus);
    host.room.send('host.explode', {});
    expect(await host.inbox.waitFor('error')).toMatchObject({
      code: 'unknown-message',
      request: 'host.explode',
    });
  });

  it('MSG-1: a host message with a bad payload is invalid, not applied', async () => {
    const host = await createClass(colyseus);
    host.room.send('host.timeScale', { scale: 5 });
    expect(await host.inbox.waitFor('error')).toMatchObject({
      code: 'invalid-message',
      request: 'host.timeScale',
    });
    expect(host.server.state.timeScale).toBe(0.5);
  });
});

describe('commands reach the simulation (SPEC CMD-3)', () => {
  it("CMD-3: a player's route.set is applied to its router at the next tick and streamed to the copy", async () => {
    const { ann, westRoutes } = await runningRound();
    expect(westRoutes()).not.toContainEqual({ prefix: '10.3.0.0/16', via: 'r-north' });
    ann.room.send('route.set', { prefix: '10.3.0.0/16', via: 'r-north' });
    const tick = await ann.inbox.waitFor('sync.tick', {
      where: (t) => t.commands.some((c) => c.type === 'route.set'),
    });
    expect(tick.commands).toContainEqual({
      type: 'route.set',
      node: 'r-west',
      prefix: '10.3.0.0/16',
      via: 'r-north',
    });
    expect(westRoutes()).toContainEqual({ prefix: '10.3.0.0/16', via: 'r-north' });
  });

  it("CMD-3: a player's queue.set changes its own interface towards the neighbour; bad RED is rejected", async () => {
    const { host, ann } = await runningRound();
    ann.room.send('queue.set', { via: 'r-north', discipline: { kind: 'priority' } });
    const tick = await ann.inbox.waitFor('sync.tick', {
      where: (t) => t.commands.some((c) => c.type === 'queue.set'),
    });
    expect(tick.commands).toContainEqual({
      type: 'queue.set',
      node: 'r-west',
      via: 'r-north',
      discipline: { kind: 'priority' },
    });
    const sim = host.server.copies[0]?.sim ?? fail();
    const link = sim.st.links[sim.sc.linkIndex.get('l-west-north') ?? -1];
    // l-west-north runs a = r-west to b = r-north: only r-west's sending direction (a→b) changes.
    expect(link?.dirs.map((d) => d.discipline.kind)).toEqual(['priority', 'fifo']);

    const red = { kind: 'red', minThPackets: 9, maxThPackets: 3, maxP: 0.1, weight: 0.002 };
    ann.room.send('queue.set', { via: 'r-north', discipline: red });
    expect(await ann.inbox.waitFor('error', { where: (e) => e.request === 'queue.set' })).toMatchObject({
      code: 'rejected',
      message: expect.stringMatching(/minTh < maxTh/),
    });
  });

  it('MSG-2: a command the simulation refuses is answered with rejected and left out of the tick', async () => {
    const { ann, westRoutes } = await runningRound();
    const since = ann.inbox.mark();
    ann.room.send('route.set', { prefix: '10.3.0.0/16', via: 'r-east' }); // r-east is not next to r-west
    const error = await ann.inbox.waitFor('error', { since });
    expect(error).toMatchObject({ code: 'rejected', request: 'route.set' });
    expect(error.message).toMatch(/not a neighbour/);
    // The refusal is sent after its tick, so that tick has already arrived.
    const ticks = ann.inbox.of('sync.tick');
    expect(ticks.flatMap((t) => t.commands).some((c) => c.type === 'route.set')).toBe(false);
    expect(westRoutes()?.some((r) => r.via === 'r-east')).toBe(false);

    ann.room.send('hand.forward', { packetId: 999_999, via: 'r-north' });
    expect(await ann.inbox.waitFor('error', { where: (e) => e.request === 'hand.forward' })).toMatchObject({
      code: 'rejected',
      message: expect.stringMatching(/not waiting/),
    });
  });

  it("CMD-3: the host's link change goes to the named copy; a copy that does not exist is rejected", async () => {
    const { host } = await runningRound();
    host.room.send('host.link', { copy: 0, link: 'l-west-north', up: false });
    await host.inbox.waitFor('sync.tick', { where: (t) => t.commands.some((c) => c.type === 'link.set') });
    await eventually(() => expect(host.server.state.copies[0]?.links.get('l-west-north')?.up).toBe(false));
    host.room.send('host.link', { copy: 3, link: 'l-west-north', up: true });
    expect(await host.inbox.waitFor('error')).toMatchObject({ code: 'rejected', request: 'host.link' });
    host.room.send('host.link', { copy: 0, link: 'l-nowhere', up: true });
    expect(await host.inbox.waitFor('error', { where: (e) => /l-nowhere/.test(e.message) })).toMatchObject({
      code: 'rejected',
    });
  });

  it('CMD-3: route edits made while paused apply without simulated time passing', async () => {
    const { host, ann, westRoutes } = await runningRound();
    host.room.send('host.pause', {});
    await eventually(() => expect(host.server.state.phase).toBe('paused'));
    const pausedAtUs = host.server.copies[0]?.sim.nowUs;
    ann.room.send('route.set', { prefix: '10.4.0.0/16', via: 'r-south' });
    const tick = await ann.inbox.waitFor('sync.tick', {
      where: (t) => t.commands.some((c) => c.type === 'route.set'),
    });
    expect(tick.simTimeUs).toBe(pausedAtUs);
    expect(westRoutes()).toContainEqual({ prefix: '10.4.0.0/16', via: 'r-south' });
  });
});
