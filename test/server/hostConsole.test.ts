/**
 * The host console against the real server (SPEC HOST-1..10): each command does what
 * it says, and is refused — changing nothing — for a player, a projector or a bad payload.
 */
import { createHash } from 'node:crypto';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { KICKED_CLOSE_CODE, PROJECTORS_MAX, type RoomState, TICK_HZ } from '@roundtrip/protocol';
import { addressLimits, appConfig, serverStore } from '@roundtrip/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../serverProcess.ts';
import { type Connected, createClass, eventually, Inbox, joinAs } from './helpers.ts';

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

type Host = Awaited<ReturnType<typeof createClass>>;

/** A lobby with Ann and Bob in lesson 1, and the host. */
async function lobby(options = {}) {
  const host = await createClass(colyseus, { scenario: 'lesson-1-postal', seed: 3, ...options });
  const ann = await joinAs(colyseus, host.code, 'Ann');
  const bob = await joinAs(colyseus, host.code, 'Bob');
  return { host, ann, bob };
}

function idOf(host: Host, nickname: string): string {
  const found = [...host.server.state.players.entries()].find(([, p]) => p.nickname === nickname);
  if (!found) throw new Error(`no player ${nickname}`);
  return found[0];
}

/** Sends `type` and waits for the error it brings back. */
async function refused(c: Connected, type: string, payload: unknown) {
  const since = c.inbox.mark();
  c.room.send(type, payload);
  return c.inbox.waitFor('error', { since, where: (e) => e.request === type });
}

/** Sends `type` and checks (after a round trip) that no error came back. */
async function accepted(c: Connected, type: string, payload: unknown) {
  const since = c.inbox.mark();
  c.room.send(type, payload);
  // A refusal would come before the answer to a later resync-free ping: wait a few patches.
  await new Promise((r) => setTimeout(r, 250));
  expect(c.inbox.all.slice(since).filter((m) => m.type === 'error')).toEqual([]);
}

async function started(host: Host, player: Connected) {
  const since = player.inbox.mark();
  host.room.send('host.start', {});
  await player.inbox.waitFor('sync.snapshot', { since });
}

describe('host console: permissions and payloads (SPEC ROOM-5, MSG-1)', () => {
  it('HOST-1..8: a player gets forbidden for every host command, and nothing changes', async () => {
    const { host, ann, bob } = await lobby();
    const bobId = idOf(host, 'Bob');
    const commands: [string, unknown][] = [
      ['host.lock', { locked: true }],
      ['host.kick', { player: bobId }],
      ['host.rename', { player: bobId, nickname: 'Rob' }],
      ['host.seat', { player: bobId, copy: 1, node: 'r-west' }],
      ['host.shuffle', {}],
      ['host.leaderboard', { visible: false }],
      ['host.next', { scenario: 'lesson-2-mail' }],
    ];
    for (const [type, payload] of commands)
      expect((await refused(ann, type, payload)).code).toBe('forbidden');
    const st = host.server.state;
    expect(st.locked).toBe(false);
    expect(st.leaderboardHidden).toBe(false);
    expect(st.scenarioId).toBe('lesson-1-postal');
    expect(st.players.get(bobId)?.nickname).toBe('Bob');
    expect(st.players.get(bobId)?.copy).toBe(0);
    expect(bob.room.connection.isOpen).toBe(true);
  });

  it('HOST-1..8: bad payloads are refused naming the field', async () => {
    const { host } = await lobby();
    expect((await refused(host, 'host.lock', { locked: 'yes' })).message).toMatch(/locked/);
    expect((await refused(host, 'host.kick', { player: '../x' })).message).toMatch(/player/);
    expect((await refused(host, 'host.rename', { player: idOf(host, 'Bob') })).message).toMatch(/nickname/);
    expect(
      (await refused(host, 'host.seat', { player: idOf(host, 'Bob'), copy: -1, node: 'r-west' })).message,
    ).toMatch(/copy/);
    expect((await refused(host, 'host.step', { by: 'minute' })).code).toBe('invalid-message');
    expect(
      (await refused(host, 'host.lossBurst', { link: 'l-west', lossPct: 500, seconds: 5 })).message,
    ).toMatch(/lossPct/);
    expect((await refused(host, 'host.next', { scenario: 'Lesson 2!' })).message).toMatch(/scenario/);
    expect((await refused(host, 'host.next', { scenario: 'lesson-99-nope' })).code).toBe('rejected');
    expect((await refused(host, 'host.step', { by: 'tick' })).code).toBe('wrong-phase');
  });
});

describe('host console: the room (SPEC HOST-1..4)', () => {
  it('HOST-1: a locked room refuses new players with a reason; opened again, it admits them', async () => {
    const { host } = await lobby();
    await accepted(host, 'host.lock', { locked: true });
    expect(host.server.state.locked).toBe(true);
    await expect(joinAs(colyseus, host.code, 'Cy')).rejects.toThrow(/locked/);
    await accepted(host, 'host.lock', { locked: false });
    await joinAs(colyseus, host.code, 'Cy');
  });

  it('HOST-2: a kicked player is disconnected with a plain reason, their seat goes to a bot, and they cannot come back', async () => {
    const { host, ann, bob } = await lobby();
    await started(host, ann);
    const bobId = idOf(host, 'Bob');
    const left = new Promise<{ code: number; reason: string }>((resolve) =>
      bob.room.onLeave((code, reason) => resolve({ code, reason: reason ?? '' })),
    );
    await accepted(host, 'host.kick', { player: bobId });
    const leave = await left;
    expect(leave.code).toBe(KICKED_CLOSE_CODE);
    expect(leave.reason).toBe('The host removed you from this round.');
    expect(host.server.state.players.has(bobId)).toBe(false);
    // Their account is closed: nothing the seat makes from now on is anyone's but the bot's.
    const accounts = (host.server as unknown as { round: { scores: { save(): object } } }).round.scores;
    expect(Object.keys(accounts.save())).not.toContain(bobId);
    // The bot took the seat back at the next tick, in every replica too.
    await eventually(() =>
      expect(ann.inbox.of('sync.tick').flatMap((t) => t.commands)).toContainEqual({
        type: 'seat.bot',
        node: 'r-north',
      }),
    );
    // Back under the same name, a look-alike, or another name from the same browser: refused.
    await expect(joinAs(colyseus, host.code, 'BOB')).rejects.toThrow(/removed you/);
    // A kicked player's reconnection token is dead too.
    await expect(colyseus.sdk.reconnect(bob.room.reconnectionToken)).rejects.toThrow();
    // A kick of someone no longer here is refused.
    expect((await refused(host, 'host.kick', { player: bobId })).message).toMatch(/no longer/);
  });

  it('HOST-2: a ban holds the browser id the join sent', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal' });
    const deviceId = 'browser-id-0123456789abcdef';
    const room = await colyseus.sdk.joinById<RoomState>(host.code, { nickname: 'Dee', deviceId });
    const dee = { room, inbox: new Inbox(room) };
    await dee.room.waitForInitialState();
    await accepted(host, 'host.kick', { player: dee.room.sessionId });
    await expect(
      colyseus.sdk.joinById<RoomState>(host.code, { nickname: 'Someone Else', deviceId }),
    ).rejects.toThrow(/removed you/);
    await joinAs(colyseus, host.code, 'Someone Else');
  });

  it("HOST-3: the host renames a player; names are checked as a join's and taken ones refused", async () => {
    const { host, ann } = await lobby();
    const annId = idOf(host, 'Ann');
    await accepted(host, 'host.rename', { player: annId, nickname: '  Student 4 ' });
    await eventually(() => expect(ann.room.state.players.get(annId)?.nickname).toBe('Student 4'));
    expect((await refused(host, 'host.rename', { player: annId, nickname: 'bob' })).message).toMatch(
      /already/,
    );
    expect((await refused(host, 'host.rename', { player: annId, nickname: 'a\u200bb' })).message).toMatch(
      /invisible/,
    );
    expect(host.server.state.players.get(annId)?.nickname).toBe('Student 4');
  });

  it('HOST-4: moving a player to a free seat, to a held seat (a swap), and a shuffle', async () => {
    const { host, ann } = await lobby();
    const annId = idOf(host, 'Ann');
    const bobId = idOf(host, 'Bob');
    const seatOf = (id: string) => {
      const p = host.server.state.players.get(id);
      return `${p?.copy}/${p?.node}/${p?.role}`;
    };
    expect(seatOf(annId)).toBe('0/r-west/router');
    await accepted(host, 'host.seat', { player: annId, copy: 1, node: 'r-east' });
    expect(seatOf(annId)).toBe('1/r-east/router');
    await accepted(host, 'host.seat', { player: bobId, copy: 1, node: 'r-east' });
    expect(seatOf(bobId)).toBe('1/r-east/router');
    expect(seatOf(annId)).toBe('0/r-north/router');
    expect((await refused(host, 'host.seat', { player: annId, copy: 0, node: 'h-west' })).message).toMatch(
      /not a seat/,
    );
    for (const n of ['Cy', 'Di', 'Ed', 'Flo', 'Gus']) await joinAs(colyseus, host.code, n);
    await accepted(host, 'host.shuffle', {});
    const seats = [...host.server.state.players.values()].map((p) => `${p.copy}/${p.node}`);
    expect(new Set(seats).size).toBe(7);
    // Seven players on four seats: two teams of 4 and 3.
    expect([0, 1].map((c) => seats.filter((s) => s.startsWith(`${c}/`)).length).sort()).toEqual([3, 4]);
    // Mid-round a move to a bot's seat takes it from the bot and hands the old seat to its
    // bot (SPEC BOT-3), and the mover is sent the new copy; a copy that does not exist is refused.
    await started(host, host);
    const held = new Set([...host.server.state.players.values()].map((p) => `${p.copy}/${p.node}`));
    const free =
      ['r-west', 'r-north', 'r-east', 'r-south'].map((n) => `1/${n}`).find((k) => !held.has(k)) ?? '';
    const freeNode = free.slice(2);
    const since = ann.inbox.mark();
    await accepted(host, 'host.seat', { player: annId, copy: 1, node: freeNode });
    expect(seatOf(annId)).toBe(`1/${freeNode}/router`);
    await ann.inbox.waitFor('sync.snapshot', { since, where: (m) => m.copy === 1 });
    await eventually(() =>
      expect(
        ann.inbox.all
          .slice(since)
          .filter((m) => m.type === 'sync.tick' && (m.message as { copy: number }).copy === 1)
          .flatMap((m) => (m.message as { commands: unknown[] }).commands),
      ).toContainEqual({ type: 'seat.player', node: freeNode }),
    );
    expect((await refused(host, 'host.seat', { player: annId, copy: 5, node: 'r-south' })).message).toMatch(
      /no team 6/,
    );
    expect((await refused(host, 'host.shuffle', {})).code).toBe('wrong-phase');
  });
});

describe('host console: the round (SPEC HOST-5..10)', () => {
  it('HOST-5: while paused, a step runs one tick of simulated time or one second, and nothing else moves', async () => {
    const { host, ann } = await lobby({ timeScale: 0.5 });
    await started(host, ann);
    await eventually(() => expect(host.server.state.simTimeUs).toBeGreaterThan(0));
    await accepted(host, 'host.pause', {});
    const paused = host.server.state.simTimeUs;
    await new Promise((r) => setTimeout(r, 200));
    expect(host.server.state.simTimeUs).toBe(paused);
    const since = ann.inbox.mark();
    await accepted(host, 'host.step', { by: 'tick' });
    expect(host.server.state.simTimeUs).toBe(paused + (1_000_000 / TICK_HZ) * 0.5);
    await accepted(host, 'host.step', { by: 'second' });
    expect(host.server.state.simTimeUs).toBe(paused + (1_000_000 / TICK_HZ) * 0.5 + 1_000_000);
    // The players' replicas got the same steps.
    await eventually(() =>
      expect(ann.inbox.of('sync.tick').slice(-1)[0]?.simTimeUs).toBe(host.server.state.simTimeUs),
    );
    expect(ann.inbox.all.slice(since).filter((m) => m.type === 'sync.tick').length).toBeGreaterThanOrEqual(2);
    expect(host.server.state.phase).toBe('paused');
    await accepted(host, 'host.resume', {});
    await eventually(() => expect(host.server.state.simTimeUs).toBeGreaterThan(paused + 1_050_000));
    await accepted(host, 'host.end', {});
    expect(host.server.state.phase).toBe('ended');
  });

  it('HOST-5: a step past the end ends the round', async () => {
    const { host, ann } = await lobby({ durationS: 2, timeScale: 0.05 });
    await started(host, ann);
    await accepted(host, 'host.pause', {});
    await accepted(host, 'host.step', { by: 'second' });
    await accepted(host, 'host.step', { by: 'second' });
    await eventually(() => expect(host.server.state.phase).toBe('ended'));
    expect(host.server.state.simTimeUs).toBe(2_000_000);
  });

  it('HOST-6: a loss burst makes every copy lose on the link, then gives the link its loss back', async () => {
    const { host, ann } = await lobby({ timeScale: 1 });
    await started(host, ann);
    const lossOf = (copy: number) => {
      const sim = host.server.copies[copy]?.sim;
      return sim?.st.links[sim.sc.linkIndex.get('l-west') ?? -1]?.lossModel;
    };
    await accepted(host, 'host.lossBurst', { link: 'l-west', lossPct: 60, seconds: 1 });
    await eventually(() => expect(lossOf(0)).toEqual({ kind: 'bernoulli', p: 0.6 }));
    await eventually(() => expect(lossOf(0)).toEqual({ kind: 'bernoulli', p: 0 }), 5_000);
    expect(
      (await refused(host, 'host.lossBurst', { link: 'l-nowhere', lossPct: 5, seconds: 1 })).message,
    ).toMatch(/no link/);
    expect(
      (await refused(host, 'host.lossBurst', { copy: 3, link: 'l-west', lossPct: 5, seconds: 1 })).message,
    ).toMatch(/no team 4/);
  });

  it('HOST-6: a traffic spike multiplies a flow in every copy, through the tick stream; a bad one is refused', async () => {
    const { host, ann } = await lobby({ timeScale: 1 });
    await started(host, ann);
    const spikeOf = (copy: number) => {
      const st = host.server.copies[copy]?.sim.st;
      return st && { factor: st.spikeFactor[0], until: st.spikeUntilUs[0], others: st.spikeFactor.slice(1) };
    };
    const since = ann.inbox.mark();
    await accepted(host, 'host.trafficSpike', { flow: 'post-we', factor: 4, seconds: 2 });
    await eventually(() => expect(spikeOf(0)?.factor).toBe(4));
    expect(spikeOf(0)?.others.every((f) => f === 1)).toBe(true);
    expect(spikeOf(0)?.until).toBeGreaterThanOrEqual(2_000_000);
    // Replicas get it as a command of the tick it applied in.
    await ann.inbox.waitFor('sync.tick', {
      since,
      where: (t) => t.commands.some((c: { type: string }) => c.type === 'traffic.spike'),
    });
    expect(
      (await refused(host, 'host.trafficSpike', { flow: 'no-such-flow', factor: 2, seconds: 5 })).message,
    ).toMatch(/no flow "no-such-flow"/);
    expect((await refused(host, 'host.trafficSpike', { copy: 3, factor: 2, seconds: 5 })).message).toMatch(
      /no team 4/,
    );
    expect((await refused(host, 'host.trafficSpike', { factor: 1, seconds: 5 })).code).toBe(
      'invalid-message',
    );
    expect((await refused(ann, 'host.trafficSpike', { factor: 3, seconds: 5 })).code).toBe('forbidden');
  });

  it('HOST-7: the host hides and shows the leaderboard', async () => {
    const { host, ann } = await lobby();
    await accepted(host, 'host.leaderboard', { visible: false });
    await eventually(() => expect(ann.room.state.leaderboardHidden).toBe(true));
    await accepted(host, 'host.leaderboard', { visible: true });
    await eventually(() => expect(ann.room.state.leaderboardHidden).toBe(false));
  });

  it('HOST-8: next round keeps the room and its players, with the new lesson; the last results stay saved', async () => {
    const hostKey = 'next-round-host-key-0123';
    const { host, ann, bob } = await lobby({ durationS: 1, timeScale: 1, hostKey });
    const rounds = () => serverStore().rounds(createHash('sha256').update(hostKey).digest('hex'), 10);
    await started(host, ann);
    await eventually(() => expect(host.server.state.phase).toBe('ended'), 10_000);
    const code = host.code;
    const annWelcomes = ann.inbox.of('welcome').length;
    await accepted(host, 'host.next', { scenario: 'lesson-2-mail', durationS: 1, timeScale: 1 });
    const st = host.server.state;
    expect(st.phase).toBe('lobby');
    expect(st.round).toBe(2);
    expect(st.scenarioId).toBe('lesson-2-mail');
    expect(st.durationUs).toBe(1_000_000);
    expect(st.results.length).toBe(0);
    expect(st.copies.length).toBe(0);
    expect([...st.players.values()].map((p) => `${p.nickname}:${p.copy}/${p.node}`).sort()).toEqual([
      'Ann:0/r-west',
      'Bob:0/r-east',
    ]);
    // Everyone is told the new lesson.
    await eventually(() => expect(ann.inbox.of('welcome').length).toBe(annWelcomes + 1));
    expect(ann.inbox.of('welcome').at(-1)).toMatchObject({ scenarioId: 'lesson-2-mail', round: 2 });
    expect(bob.inbox.of('welcome').at(-1)).toMatchObject({ scenarioId: 'lesson-2-mail', round: 2 });
    // The first round is in the history; the second runs in the same room, and is saved beside it.
    expect(rounds().map((r) => `${r.code}:${r.scenarioId}`)).toEqual([`${code}:lesson-1-postal`]);
    await started(host, ann);
    expect(host.room.roomId).toBe(code);
    expect(host.server.copies[0]?.sim.sc.file.id).toBe('lesson-2-mail');
    expect((await refused(host, 'host.next', { scenario: 'lesson-1-postal' })).code).toBe('wrong-phase');
    await eventually(() => expect(host.server.state.phase).toBe('ended'), 10_000);
    expect(
      rounds()
        .map((r) => `${r.code}:${r.scenarioId}`)
        .sort(),
    ).toEqual([`${code}:lesson-1-postal`, `${code}:lesson-2-mail`]);
  });

  it('HOST-9: a projector watches without a seat, may pick a copy, and may not command', async () => {
    const { host, ann } = await lobby();
    const key = host.inbox.of('welcome')[0]?.projectorKey;
    expect(key).toBeTruthy();
    await expect(
      colyseus.sdk.joinById<RoomState>(host.code, { projectorKey: 'x'.repeat(32) }),
    ).rejects.toThrow(/projector link/);
    const pRoom = await colyseus.sdk.joinById<RoomState>(host.code, { projectorKey: key });
    const projector = { room: pRoom, inbox: new Inbox(pRoom) };
    await pRoom.waitForInitialState();
    expect((await projector.inbox.waitFor('welcome')).role).toBe('projector');
    expect(host.server.state.players.size).toBe(2);
    // A late joiner past the lobby's seats gets copy 1 (four seats a copy).
    for (const n of ['Cy', 'Di', 'Ed']) await joinAs(colyseus, host.code, n);
    await started(host, ann);
    await projector.inbox.waitFor('sync.snapshot', { where: (s) => s.copy === 0 });
    projector.room.send('view.copy', { copy: 1 });
    await projector.inbox.waitFor('sync.snapshot', { where: (s) => s.copy === 1 });
    const since = projector.inbox.mark();
    await projector.inbox.waitFor('sync.tick', { since: since + 2 });
    expect(
      projector.inbox.all
        .slice(since + 2)
        .filter((m) => m.type === 'sync.tick')
        .every((m) => (m.message as { copy: number }).copy === 1),
    ).toBe(true);
    // Read-only: every host command is forbidden.
    expect((await refused(projector, 'host.pause', {})).code).toBe('forbidden');
    expect((await refused(projector, 'host.lock', { locked: true })).code).toBe('forbidden');
    expect((await refused(projector, 'view.copy', { copy: 7 })).message).toMatch(/no team 8/);
    // A player may not pick another copy.
    expect((await refused(ann, 'view.copy', { copy: 1 })).code).toBe('forbidden');
    expect(PROJECTORS_MAX).toBeGreaterThan(0);
  });

  it("HOST-10: a late joiner mid-round takes a bot's seat, and past every seat a new copy opens at the round's time", async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', seed: 9 });
    const players: Connected[] = [];
    for (const n of ['A1', 'A2', 'A3']) players.push(await joinAs(colyseus, host.code, n));
    await started(host, players[0] as Connected);
    await eventually(() => expect(host.server.state.simTimeUs).toBeGreaterThan(500_000));
    const late = await joinAs(colyseus, host.code, 'A4');
    expect(host.server.state.players.get(late.room.sessionId)?.copy).toBe(0);
    expect(host.server.copies.length).toBe(1);
    const later = await joinAs(colyseus, host.code, 'A5');
    expect(host.server.state.players.get(later.room.sessionId)).toMatchObject({ copy: 1, node: 'r-west' });
    expect(host.server.copies.length).toBe(2);
    expect(host.server.state.copies.length).toBe(2);
    const snap = await later.inbox.waitFor('sync.snapshot');
    expect(snap.copy).toBe(1);
    // Both copies keep one clock.
    await eventually(() => expect(host.server.copies[1]?.sim.nowUs).toBe(host.server.copies[0]?.sim.nowUs));
    await later.inbox.waitFor('sync.tick', { where: (t) => t.copy === 1 });
  });
});
