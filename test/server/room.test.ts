/**
 * Class room lifecycle against the real server: join codes, nicknames, seats,
 * phases and the host's privileges (SPEC ROOM-1..5, ROOM-7).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { JOIN_CODE_LENGTH, joinCode, lessonList, MAX_PLAYERS } from '@roundtrip/protocol';
import { addressLimits, appConfig, servedBuild } from '@roundtrip/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Connected, createClass, eventually, Inbox, joinAs } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, 2611);
});
afterAll(async () => {
  await colyseus.shutdown();
});
beforeEach(async () => {
  await colyseus.cleanup();
  addressLimits.reset(); // every join here comes from one address (SPEC ROOM-11)
});

describe('creating a class room', () => {
  it('ROOM-1: the room id is a fresh join code, and the creator is welcomed as host (not a player)', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', durationS: 42, timeScale: 0.25 });
    expect(host.code).toHaveLength(JOIN_CODE_LENGTH);
    expect(joinCode.safeParse(host.code).success).toBe(true);
    const welcome = await host.inbox.waitFor('welcome');
    expect(welcome).toMatchObject({ role: 'host', scenarioId: 'lesson-1-postal' });
    expect(welcome.hostToken?.length).toBeGreaterThanOrEqual(24);
    expect((welcome.scenario as { id: string }).id).toBe('lesson-1-postal');
    await eventually(() => {
      const s = host.room.state;
      expect(s.code).toBe(host.code);
      expect(s.phase).toBe('lobby');
      expect(s.scenarioId).toBe('lesson-1-postal');
      expect(s.lesson).toBe(1);
      expect(s.durationUs).toBe(42_000_000);
      expect(s.timeScale).toBe(0.25);
      expect(s.seatsPerCopy).toBe(4);
      expect(s.players.size).toBe(0);
    });
  });

  it("ROOM-1: duration and time scale default to the scenario's", async () => {
    const file = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../scenarios/lesson-2-mail.json'), 'utf8'),
    );
    const host = await createClass(colyseus, { scenario: 'lesson-2-mail' });
    await eventually(() => {
      expect(host.room.state.durationUs).toBe(file.durationS * 1_000_000);
      expect(host.room.state.timeScale).toBeCloseTo(file.timeScale, 6); // sent as a float32
      expect(host.room.state.seatsPerCopy).toBe(5);
    });
  });

  it('ROOM-1: bad create options are refused with the field named', async () => {
    await expect(colyseus.sdk.create('class', { scenario: 'Lesson 1!' })).rejects.toThrow(
      /scenario: expected a lesson id/,
    );
    await expect(colyseus.sdk.create('class', { durationS: 0 })).rejects.toThrow(/durationS/);
  });
});

describe('joining by code', () => {
  it('ROOM-1, ROOM-3: players join by code and fill copy 0 in scenario order', async () => {
    const host = await createClass(colyseus);
    const ann = await joinAs(colyseus, host.code, 'Ann');
    const bob = await joinAs(colyseus, host.code, '  Bob  ');
    expect(await ann.inbox.waitFor('welcome')).toMatchObject({
      role: 'player',
      scenarioId: 'lesson-1-postal',
    });
    expect((await bob.inbox.waitFor('welcome')).hostToken).toBeUndefined();
    await eventually(() => {
      const players = host.room.state.players;
      expect(players.get(ann.room.sessionId)?.toJSON()).toMatchObject({
        nickname: 'Ann',
        copy: 0,
        node: 'r-west',
        role: 'router',
      });
      expect(players.get(bob.room.sessionId)?.toJSON()).toMatchObject({
        nickname: 'Bob',
        copy: 0,
        node: 'r-north',
        role: 'router',
      });
    });
  });

  it('ROOM-1: a wrong code is refused with MatchMakeError 522', async () => {
    await expect(colyseus.sdk.joinById('QQQQQ', { nickname: 'Ann' })).rejects.toMatchObject({
      name: 'MatchMakeError',
      code: 522,
    });
  });

  it('ROOM-2: empty, too long, missing and duplicate nicknames are refused with a reason', async () => {
    const host = await createClass(colyseus);
    await joinAs(colyseus, host.code, 'Ann');
    const join = (options: object) => colyseus.sdk.joinById(host.code, options);
    await expect(join({ nickname: '   ' })).rejects.toThrow(/a nickname is needed/);
    await expect(join({ nickname: 'x'.repeat(21) })).rejects.toThrow(/at most 20/);
    await expect(join({})).rejects.toThrow(/nickname/);
    await expect(join({ nickname: 'Ann', colour: 'red' })).rejects.toThrow(/colour/);
    await expect(join({ nickname: ' aNN ' })).rejects.toThrow(/"aNN" is already taken/);
    expect(host.server.state.players.size).toBe(1);
  });

  it('ROOM-3: a fifth player opens copy 1 in the lobby; leaving in the lobby frees the seat', async () => {
    const host = await createClass(colyseus);
    const players: Connected[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) players.push(await joinAs(colyseus, host.code, name));
    const seatOf = (i: number) => host.server.state.players.get(players[i]?.room.sessionId ?? '')?.toJSON();
    expect(seatOf(4)).toMatchObject({ copy: 1, node: 'r-west', role: 'router' });
    await players[1]?.room.leave();
    await eventually(() => expect(host.server.state.players.size).toBe(4));
    const late = await joinAs(colyseus, host.code, 'p6');
    expect(host.server.state.players.get(late.room.sessionId)?.toJSON()).toMatchObject({
      copy: 0,
      node: 'r-north',
      role: 'router',
    });
  });

  it('ROOM-3, HOST-10: mid-round a late joiner takes a bot seat; with every seat taken a new copy opens', async () => {
    const host = await createClass(colyseus);
    for (const name of ['p1', 'p2', 'p3']) await joinAs(colyseus, host.code, name);
    host.room.send('host.start', {});
    await eventually(() => expect(host.server.state.phase).toBe('running'));
    expect(host.server.copies).toHaveLength(1);
    const late = await joinAs(colyseus, host.code, 'late');
    expect(host.server.state.players.get(late.room.sessionId)?.node).toBe('r-south');
    // A mid-round joiner gets a snapshot of its copy to build its replica from.
    expect(await late.inbox.waitFor('sync.snapshot')).toMatchObject({ copy: 0 });
    const later = await joinAs(colyseus, host.code, 'later');
    expect(host.server.state.players.get(later.room.sessionId)).toMatchObject({ copy: 1, node: 'r-west' });
    expect(host.server.copies).toHaveLength(2);
  });

  it(`ROOM-3: the room holds at most ${MAX_PLAYERS} players`, async () => {
    const host = await createClass(colyseus);
    await Promise.all(Array.from({ length: MAX_PLAYERS }, (_, i) => joinAs(colyseus, host.code, `p${i}`)));
    expect(host.server.state.players.size).toBe(MAX_PLAYERS);
    addressLimits.reset(); // one more, from another address than the 60 (SPEC ROOM-11)
    await expect(colyseus.sdk.joinById(host.code, { nickname: 'one-too-many' })).rejects.toThrow(/full/);
  });

  it('ROOM-5: the host comes back with its token; a wrong token is refused', async () => {
    const host = await createClass(colyseus);
    const { hostToken } = await host.inbox.waitFor('welcome');
    await joinAs(colyseus, host.code, 'Ann'); // keeps the room open while the host is away
    await host.room.leave();
    await eventually(() => expect(host.server.state.hostConnected).toBe(false));
    await expect(colyseus.sdk.joinById(host.code, { hostToken: 'not-the-token-at-all' })).rejects.toThrow(
      /host token/,
    );
    const back = await colyseus.sdk.joinById(host.code, { hostToken });
    back.onMessage('*', () => {});
    await eventually(() => expect(host.server.state.hostConnected).toBe(true));
    back.send('host.start', {});
    await eventually(() => expect(host.server.state.phase).toBe('running'));
  });
});

describe('dropped connections (SPEC ROOM-7)', () => {
  it('ROOM-7: mid-round a dropped player keeps the seat, shown as disconnected, and gets it back on reconnect, welcomed again with a snapshot', async () => {
    const host = await createClass(colyseus);
    const ann = await joinAs(colyseus, host.code, 'Ann');
    host.room.send('host.start', {});
    await ann.inbox.waitFor('sync.snapshot');
    const { sessionId, reconnectionToken } = ann.room;
    ann.room.reconnection.enabled = false;
    await ann.room.leave(false);
    await eventually(() => expect(host.server.state.players.get(sessionId)?.connected).toBe(false));
    expect(host.server.state.players.get(sessionId)?.node).toBe('r-west');
    // The held seat is not handed out to someone else meanwhile.
    const bob = await joinAs(colyseus, host.code, 'Bob');
    expect(host.server.state.players.get(bob.room.sessionId)?.node).toBe('r-north');

    const back = await colyseus.sdk.reconnect(reconnectionToken);
    const inbox = new Inbox(back);
    expect(back.sessionId).toBe(sessionId);
    await eventually(() => expect(host.server.state.players.get(sessionId)?.connected).toBe(true));
    // A reloaded page starts from nothing: it needs the scenario and its copy again.
    // And the build of the pages served, which a page built otherwise must reload to match (SYNC-10).
    expect(await inbox.waitFor('welcome')).toMatchObject({
      role: 'player',
      scenarioId: 'lesson-1-postal',
      build: servedBuild(),
    });
    expect((await inbox.waitFor('sync.snapshot')).copy).toBe(0);
  });

  it('ROOM-7, CMD-2: mid-round a player who leaves for good hands the seat to its bot', async () => {
    const host = await createClass(colyseus);
    const ann = await joinAs(colyseus, host.code, 'Ann');
    await joinAs(colyseus, host.code, 'Bob');
    host.room.send('host.start', {});
    await host.inbox.waitFor('sync.tick', { where: (t) => t.tick >= 2 }); // the start's bots are in
    const since = host.inbox.mark();
    await ann.room.leave();
    const tick = await host.inbox.waitFor('sync.tick', { since, where: (t) => t.commands.length > 0 });
    expect(tick.commands).toEqual([{ type: 'seat.bot', node: 'r-west' }]);
    expect(host.server.state.players.size).toBe(1);
    // ROOM-6: the results still list Ann, marked as left, with her score when she left.
    host.room.send('host.end', {});
    await eventually(() => expect(host.server.state.results.length).toBe(2));
    const annRow = [...host.server.state.results].find((r) => r.nickname === 'Ann');
    expect(annRow).toMatchObject({ left: true, node: 'r-west', role: 'router', copy: 0 });
    expect([...host.server.state.results].find((r) => r.nickname === 'Bob')?.left).toBe(false);
  });
});

describe('phases and host privileges', () => {
  it('ROOM-5: host-only messages from a player are forbidden and change nothing', async () => {
    const host = await createClass(colyseus);
    const ann = await joinAs(colyseus, host.code, 'Ann');
    for (const type of ['host.start', 'host.end', 'host.pause']) {
      const since = ann.inbox.mark();
      ann.room.send(type, {});
      expect(await ann.inbox.waitFor('error', { since })).toMatchObject({ code: 'forbidden', request: type });
    }
    ann.room.send('host.timeScale', { scale: 1 });
    expect(await ann.inbox.waitFor('error', { where: (e) => e.request === 'host.timeScale' })).toMatchObject({
      code: 'forbidden',
    });
    expect(host.server.state.phase).toBe('lobby');
    expect(host.server.state.timeScale).toBe(0.5);
  });

  it('ROOM-1, ROOM-8: an unknown lesson id is refused, naming the lessons there are', async () => {
    await expect(colyseus.sdk.create('class', { scenario: 'lesson-99' })).rejects.toThrow(
      /scenario: there is no lesson "lesson-99"; pick one of lesson-1-postal, lesson-2-mail/,
    );
    expect((await colyseus.http.get('/health')).data).toMatchObject({ rooms: 0 });
  });

  it('ROOM-5: role messages from the host are forbidden (the host has no seat)', async () => {
    const host = await createClass(colyseus);
    await joinAs(colyseus, host.code, 'Ann');
    host.room.send('host.start', {});
    await eventually(() => expect(host.server.state.phase).toBe('running'));
    host.room.send('route.set', { prefix: '10.2.0.0/16', via: 'r-north' });
    expect(await host.inbox.waitFor('error')).toMatchObject({ code: 'forbidden', request: 'route.set' });
  });

  it('ROOM-4: lobby → running → paused → running → ended, and messages in the wrong phase are refused', async () => {
    const host = await createClass(colyseus);
    const ann = await joinAs(colyseus, host.code, 'Ann');
    const expectError = async (
      who: typeof host | typeof ann,
      type: string,
      payload: object,
      code: string,
    ) => {
      const since = who.inbox.mark();
      who.room.send(type, payload);
      expect(await who.inbox.waitFor('error', { since })).toMatchObject({ code, request: type });
    };
    await expectError(host, 'host.pause', {}, 'wrong-phase');
    await expectError(ann, 'route.set', { prefix: '10.2.0.0/16', via: 'r-north' }, 'wrong-phase');

    host.room.send('host.start', {});
    await eventually(() => expect(host.server.state.phase).toBe('running'));
    await expectError(host, 'host.start', {}, 'wrong-phase');
    await expectError(host, 'host.resume', {}, 'wrong-phase');

    await new Promise((r) => setTimeout(r, 600)); // let traffic score
    host.room.send('host.pause', {});
    await eventually(() => expect(host.server.state.phase).toBe('paused'));
    const pausedAtUs = host.server.state.simTimeUs;
    const scoresAtPause = JSON.stringify(
      [...host.server.state.copies].map((c) => [c.score, c.completed, c.failed]),
    );
    host.room.send('host.timeScale', { scale: 1 });
    await eventually(() => expect(host.server.state.timeScale).toBe(1));
    await new Promise((r) => setTimeout(r, 400));
    expect(host.server.state.simTimeUs).toBe(pausedAtUs);
    expect(JSON.stringify([...host.server.state.copies].map((c) => [c.score, c.completed, c.failed]))).toBe(
      scoresAtPause,
    );

    host.room.send('host.resume', {});
    await eventually(() => expect(host.server.state.simTimeUs).toBeGreaterThan(pausedAtUs));
    host.room.send('host.end', {});
    await eventually(() => expect(host.server.state.phase).toBe('ended'));
    await expectError(ann, 'hand.mode', { enabled: false }, 'wrong-phase');
    await expectError(host, 'host.resume', {}, 'wrong-phase');
    // HOST-8, HOST-10: a joiner after the end is not refused; they wait in the room for the next round.
    const late = await joinAs(colyseus, host.code, 'late');
    expect(host.server.state.players.get(late.room.sessionId)).toMatchObject({ copy: 0 });
    expect(host.server.state.results.map((r) => r.nickname)).not.toContain('late');
  });
});

describe('HTTP', () => {
  it('GET /health answers {"status":"ok"} with the room count', async () => {
    await createClass(colyseus);
    const res = await colyseus.http.get('/health');
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ status: 'ok', rooms: 1 });
    expect(typeof res.data.uptimeS).toBe('number');
  });

  it('ROOM-8: GET /api/lessons lists the lessons of the scenario files, in lesson order, without the benchmark', async () => {
    const res = await colyseus.http.get('/api/lessons');
    expect(res.statusCode).toBe(200);
    const files = [
      'lesson-1-postal',
      'lesson-2-mail',
      'lesson-3-url',
      'lesson-4-keep-alive',
      'lesson-5-phonebook',
      'lesson-6-traffic-cops',
    ].map((id) =>
      JSON.parse(readFileSync(resolve(import.meta.dirname, `../../scenarios/${id}.json`), 'utf8')),
    );
    const roles = [['router'], ['router'], ['router', 'resolver'], ['l7lb'], ['resolver'], ['l4lb', 'l7lb']];
    expect(lessonList.parse(res.data)).toEqual(
      files.map((f, i) => ({
        id: f.id,
        lesson: f.lesson,
        title: f.title,
        roles: roles[i],
        durationS: f.durationS,
        timeScale: f.timeScale,
        summary: expect.stringMatching(/^\S.*[.!?]$/),
        botSkills: ['novice', 'competent', 'expert'],
        botSkill: '',
      })),
    );
    for (const [i, l] of res.data.entries()) expect(files[i].briefing.startsWith(l.summary)).toBe(true);
  });
});
