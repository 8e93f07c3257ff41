/**
 * A team competition against the real server (SPEC COMP-1..6, BOTS-1..3): teams named by
 * the host, players choosing or assigned, identical copies, and — the point of this file —
 * what a team's client actually decodes from its patches and messages: nothing of
 * another team's copy while the round runs, the scores only; everything once it ends.
 */
import { randomBytes } from 'node:crypto';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { Bot, runSwarm, runSwarms } from '@roundtrip/bots';
import type { RoomState } from '@roundtrip/protocol';
import { addressLimits, appConfig, hostKeyHash, serverStore } from '@roundtrip/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../serverProcess.ts';
import { type Connected, createClass, eventually, Inbox } from './helpers.ts';

let colyseus: ColyseusTestServer;
let url: string;
beforeAll(async () => {
  const port = await freePort();
  colyseus = await boot(appConfig, port);
  url = `http://localhost:${port}`;
});
afterAll(async () => {
  await colyseus.shutdown();
});
beforeEach(async () => {
  await colyseus.cleanup();
  addressLimits.reset();
});

const TEAMS = ['Owls', 'Foxes'];

async function joinTeam(code: string, nickname: string, team?: number): Promise<Connected> {
  const room = await colyseus.sdk.joinById<RoomState>(
    code,
    team === undefined ? { nickname } : { nickname, team },
  );
  const inbox = new Inbox(room);
  await room.waitForInitialState();
  return { room, inbox };
}

/** Every schema instance the client's decoder holds: what its patches brought, nothing else. */
function decodedRefs(c: Connected): unknown[] {
  const serializer = (
    c.room as unknown as { serializer: { decoder: { root: { refs: Map<number, unknown> } } } }
  ).serializer;
  return [...serializer.decoder.root.refs.values()];
}

/** Link figures the client decoded (instances with a `utilPct`). */
const linkFiguresIn = (c: Connected) =>
  decodedRefs(c).filter((r) => typeof r === 'object' && r !== null && 'utilPct' in r).length;

describe('team competition (SPEC COMP-1..6)', () => {
  it('COMP-1: the host names 2 to 8 distinct teams; anything else is refused naming the field', async () => {
    await expect(colyseus.sdk.create('class', { teams: ['Solo'] })).rejects.toThrow(
      /teams: a competition has at least 2 teams/,
    );
    await expect(
      colyseus.sdk.create('class', { teams: Array.from({ length: 9 }, (_, i) => `T${i}`) }),
    ).rejects.toThrow(/at most 8 teams/);
    await expect(colyseus.sdk.create('class', { teams: ['Owls', 'owls'] })).rejects.toThrow(
      /two teams have the same name/,
    );
    const host = await createClass(colyseus, {
      scenario: 'lesson-1-postal',
      teams: [' Owls ', 'Foxes', 'Bats'],
    });
    await eventually(() => expect([...host.room.state.teams]).toEqual(['Owls', 'Foxes', 'Bats']));
  });

  it('COMP-2, COMP-4: players pick a team or are assigned; another team’s seats and scores never reach them', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', teams: TEAMS });
    const ann = await joinTeam(host.code, 'Ann', 1);
    const bob = await joinTeam(host.code, 'Bob');
    const cy = await joinTeam(host.code, 'Cy');
    await eventually(() => expect(host.room.state.players.size).toBe(3));
    const seatOf = (who: Connected, id: string) => who.room.state.players.get(id);
    // Ann chose the Foxes; Bob went to the smaller team (the Owls), Cy then to the Owls' equal, the lower index.
    expect(seatOf(host, ann.room.sessionId)).toMatchObject({ copy: 1, node: 'r-west' });
    expect(seatOf(host, bob.room.sessionId)).toMatchObject({ copy: 0, node: 'r-west' });
    expect(seatOf(host, cy.room.sessionId)).toMatchObject({ copy: 0, node: 'r-north' });
    await eventually(() => {
      // Bob sees his teammate's seat, and Ann's name and team but not her seat.
      expect(seatOf(bob, cy.room.sessionId)).toMatchObject({ copy: 0, node: 'r-north', role: 'router' });
      expect(seatOf(bob, ann.room.sessionId)).toMatchObject({ nickname: 'Ann', copy: 1 });
      expect(seatOf(ann, bob.room.sessionId)).toMatchObject({ nickname: 'Bob', copy: 0 });
    });
    // Never sent, so never decoded: the fields are not even there (a typed client shows its defaults).
    for (const [who, other] of [
      [bob, ann],
      [ann, bob],
    ] as const) {
      const seen = seatOf(who, other.room.sessionId) as unknown as Record<string, unknown>;
      for (const field of ['node', 'role', 'score', 'autopilot']) expect(seen[field], field).toBeUndefined();
    }
    // In the lobby a player may change team (to that team's first free seat); the host sees it at once.
    bob.room.send('player.team', { team: 1 });
    await eventually(() =>
      expect(seatOf(host, bob.room.sessionId)).toMatchObject({ copy: 1, node: 'r-north' }),
    );
    await eventually(() =>
      expect(seatOf(ann, bob.room.sessionId)).toMatchObject({ node: 'r-north', role: 'router' }),
    );
    const mark = cy.inbox.mark();
    cy.room.send('player.team', { team: 5 });
    expect(await cy.inbox.waitFor('error', { since: mark })).toMatchObject({
      code: 'rejected',
      message: expect.stringMatching(/there is no team 6/i),
    });
    await expect(colyseus.sdk.joinById(host.code, { nickname: 'Dee', team: 2 })).rejects.toThrow(
      /there is no team 3; this competition has 2 teams/,
    );
  });

  it('COMP-3, COMP-4, COMP-5: identical copies; a team decodes only its own copy’s figures and ticks, every team’s score', async () => {
    const host = await createClass(colyseus, {
      botPlayers: true,
      scenario: 'lesson-1-postal',
      teams: TEAMS,
      durationS: 30,
      timeScale: 1,
      botSkill: 'competent',
    });
    const owl = await joinTeam(host.code, 'Owl', 0);
    const fox = await joinTeam(host.code, 'Fox', 1);
    // Both players hand their seats to the bots the room plays with, so the copies stay identical.
    owl.room.send('player.autopilot', { skill: 'competent' });
    fox.room.send('player.autopilot', { skill: 'competent' });
    await eventually(() =>
      expect(host.room.state.players.get(fox.room.sessionId)?.autopilot).toBe('competent'),
    );
    host.room.send('host.start', {});
    await eventually(() => {
      expect(host.room.state.copies.length).toBe(2);
      expect(host.room.state.copies[1]?.completed).toBeGreaterThan(0);
    }, 15_000);
    const [a, b] = host.server.copies;
    // COMP-3: same seed, same events, same bots — one network played twice.
    expect(a?.sim.seed).toBe(b?.sim.seed);
    // Owl's copy hashes 8 s into the round (SYNC-4); both copies then hold the same state.
    await eventually(() => expect(owl.inbox.of('sync.hash').length).toBeGreaterThan(0), 12_000);
    expect(a?.sim.stateHash()).toBe(b?.sim.stateHash());

    await eventually(() => {
      const mine = owl.room.state.copies[0];
      const theirs = owl.room.state.copies[1];
      expect(mine?.links.size).toBe(8);
      expect(mine?.completed).toBeGreaterThan(0);
      // COMP-5: the other team's score is on the leaderboard, kept up to date ...
      expect(theirs?.index).toBe(1);
      expect(theirs?.score).toBe(host.room.state.copies[1]?.score);
    });
    // ... and nothing else of its copy was ever decoded.
    const theirs = owl.room.state.copies[1];
    const received = theirs as unknown as Record<string, unknown>;
    for (const field of ['links', 'completed', 'udpP95History', 'scoreHistory', 'failures', 'breakdown'])
      expect(received[field], field).toBeUndefined();
    expect(linkFiguresIn(owl)).toBe(8);
    expect(linkFiguresIn(host)).toBe(16);
    // The tick stream, the hashes and the snapshot: the own copy's only.
    for (const type of ['sync.snapshot', 'sync.tick', 'sync.hash'] as const) {
      expect(owl.inbox.of(type).length, type).toBeGreaterThan(0);
      expect(new Set(owl.inbox.of(type).map((m) => m.copy)), type).toEqual(new Set([0]));
      expect(new Set(fox.inbox.of(type).map((m) => m.copy)), type).toEqual(new Set([1]));
    }
    // A player may not ask for another copy's stream.
    const mark = owl.inbox.mark();
    owl.room.send('view.copy', { copy: 1 });
    expect(await owl.inbox.waitFor('error', { since: mark })).toMatchObject({ code: 'forbidden' });
  });

  it('COMP-6: the final ranking is shown to every team and stored with the round', async () => {
    const hostKey = randomBytes(18).toString('base64url');
    const host = await createClass(colyseus, {
      botPlayers: true,
      scenario: 'lesson-1-postal',
      teams: TEAMS,
      durationS: 4,
      timeScale: 1,
      hostKey,
    });
    const owl = await joinTeam(host.code, 'Owl', 0);
    await joinTeam(host.code, 'Fox', 1);
    // The Owls' router plays the expert's bot, the Foxes' the novice's: the rankings differ by play.
    owl.room.send('player.autopilot', { skill: 'expert' });
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('ended'), 15_000);
    // Once the round is over every team may see every copy (the debrief compares them).
    await eventually(() => expect(owl.room.state.copies[1]?.links.size).toBe(8));
    const [round] = serverStore().rounds(hostKeyHash(hostKey), 1);
    const saved = serverStore().round(round?.id ?? -1, hostKeyHash(hostKey));
    const scores = [...host.room.state.copies].map((c) => c.score);
    expect(saved?.teams.map((t) => ({ name: t.name, score: t.score }))).toEqual(
      TEAMS.map((name, i) => ({ name, score: scores[i] })),
    );
    const ranks = saved?.teams.map((t) => t.rank) ?? [];
    expect(ranks.sort()).toEqual(scores[0] === scores[1] ? [1, 1] : [1, 2]);
    const best = saved?.teams.find((t) => t.rank === 1);
    expect(best?.score).toBe(Math.max(...scores));
    // Players fetch the same ranking with the round's share key (SPEC DEBRIEF-6).
    const [id, key] = owl.room.state.debrief.split('/');
    const res = await fetch(`${url}/api/rounds/${id}/${key}`);
    const body = (await res.json()) as { teams: { name: string; rank: number }[] };
    expect(body.teams.map((t) => t.name).sort()).toEqual([...TEAMS].sort());
  });
});

describe('the next round of a competition (SPEC COMP-1, HOST-8)', () => {
  it('COMP-1: keeps its teams; a lesson too small for a team is refused in words', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', teams: TEAMS });
    const owls = await Promise.all(['A1', 'A2', 'A3', 'A4'].map((n) => joinTeam(host.code, n, 0)));
    await joinTeam(host.code, 'F1', 1);
    await eventually(() => expect(host.room.state.players.size).toBe(5));
    // Lesson 3 seats three players a team: the Owls' fourth would have to change team.
    let mark = host.inbox.mark();
    host.room.send('host.next', { scenario: 'lesson-3-url' });
    expect(await host.inbox.waitFor('error', { since: mark })).toMatchObject({
      code: 'rejected',
      message: expect.stringMatching(/seats 3 players a team/),
    });
    expect(host.room.state.scenarioId).toBe('lesson-1-postal');
    await owls[3]?.room.leave();
    await eventually(() => expect(host.room.state.players.size).toBe(4));
    mark = host.inbox.mark();
    host.room.send('host.next', { scenario: 'lesson-3-url' });
    await eventually(() => expect(host.room.state.scenarioId).toBe('lesson-3-url'));
    expect([...host.room.state.teams]).toEqual(TEAMS);
    expect([...host.room.state.players.values()].map((p) => p.copy).sort()).toEqual([0, 0, 0, 1]);
  });
});

describe('headless players (SPEC BOTS-1..3)', () => {
  it('BOTS-1, BOTS-2: a bot joins by code, takes a seat of any role, and the seat’s own bot plays it at the skill', async () => {
    const host = await createClass(colyseus, {
      botPlayers: true,
      scenario: 'lesson-3-url',
      durationS: 20,
      timeScale: 1,
    });
    const bots = await Promise.all(
      ['B1', 'B2', 'B3'].map((nickname) => Bot.join({ url, code: host.code, nickname, skill: 'expert' })),
    );
    await eventually(() =>
      expect(bots.map((b) => b.seat?.role).sort()).toEqual(['resolver', 'router', 'router']),
    );
    await eventually(() =>
      expect([...host.room.state.players.values()].map((p) => p.autopilot)).toEqual([
        'expert',
        'expert',
        'expert',
      ]),
    );
    const mark = host.inbox.mark();
    host.room.send('host.start', {});
    const first = await host.inbox.waitFor('sync.tick', { since: mark, where: (t) => t.commands.length > 0 });
    expect(first.commands).toEqual(
      expect.arrayContaining([
        { type: 'seat.bot', node: 'r-home', skill: 'expert' },
        { type: 'seat.bot', node: 'res', skill: 'expert' },
        { type: 'seat.bot', node: 'r-dc', skill: 'expert' },
      ]),
    );
    // Mid-round: the player takes the seat back, then gives it to a weaker bot.
    bots[1]?.setSkill(null);
    await host.inbox.waitFor('sync.tick', {
      since: mark,
      where: (t) => t.commands.some((c) => c.type === 'seat.player'),
    });
    bots[1]?.setSkill('wizard');
    await eventually(() =>
      expect(bots[1]?.refusals.at(-1)).toMatch(
        /bot has no skill "wizard"; pick one of novice, competent, expert/,
      ),
    );
    await eventually(() => expect(bots[0]?.received.get('sync.ticks') ?? 0).toBeGreaterThan(5));
    // BOTS-1: the tick stream is counted off the raw frames and never unpacked; the rest is.
    expect([...(bots[0]?.unpacked.keys() ?? [])].filter((t) => t.startsWith('sync.'))).toEqual([]);
    expect(bots[0]?.unpacked.get('welcome')).toBe(1);
    await Promise.all(bots.map((b) => b.leave()));
  });

  it('BOTS-4: a room created without bot players refuses autopilot, and nothing changes hands', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', durationS: 60, timeScale: 1 });
    const bot = await Bot.join({ url, code: host.code, nickname: 'Sly', skill: 'expert' });
    await eventually(() =>
      expect(bot.refusals.at(-1)).toMatch(/plays without bot players: only its host can allow them/),
    );
    expect(host.server.state.botPlayers).toBe(false);
    // The room itself (not a patch still on its way) holds the refusal's outcome.
    expect([...host.server.state.players.values()].map((p) => p.autopilot)).toEqual(['']);
    const mark = host.inbox.mark();
    host.room.send('host.start', {});
    const first = await host.inbox.waitFor('sync.tick', { since: mark, where: (t) => t.commands.length > 0 });
    expect(first.commands.filter((c) => c.type === 'seat.bot' && c.node === bot.seat?.node)).toEqual([]);
    await bot.leave();
  });

  it('BOTS-2, COVER-1: a seat its own bot plays for the player is never covered as idle; its points stay the player’s', async () => {
    const host = await createClass(colyseus, {
      botPlayers: true,
      scenario: 'lesson-1-postal',
      durationS: 60,
      timeScale: 1,
    });
    // A novice keeps forwarding by hand for 20 s: packets wait at the seat, which would look idle.
    const bot = await Bot.join({ url, code: host.code, nickname: 'Novi', skill: 'novice' });
    await eventually(() => expect(host.room.state.players.get(host.room.sessionId) ?? 'x').toBe('x'));
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.simTimeUs).toBeGreaterThan(13_000_000), 20_000);
    const me = [...host.room.state.players.values()][0];
    expect(me?.autopilot).toBe('novice');
    expect(me?.covered).toBe(false);
    const skills = host.inbox.of('sync.tick').flatMap((t) => t.commands.filter((c) => c.type === 'seat.bot'));
    expect(skills).toContainEqual({ type: 'seat.bot', node: 'r-west', skill: 'novice' });
    expect(skills.filter((c) => c.node === 'r-west')).toHaveLength(1);
    await bot.leave();
  });

  it('BOTS-3: a swarm fills a competition for a bounded time and reports what the room said', async () => {
    const host = await createClass(colyseus, {
      botPlayers: true,
      scenario: 'lesson-1-postal',
      teams: TEAMS,
      durationS: 2,
      timeScale: 1,
    });
    const swarm = runSwarm({
      url,
      code: host.code,
      count: 10,
      skill: 'novice',
      durationS: 20,
      untilEnd: true,
    });
    await eventually(() => expect(host.room.state.players.size).toBe(8), 10_000);
    host.room.send('host.start', {});
    const report = await swarm;
    // Eight seats (two teams of four routers): the last two are refused in the room's words.
    expect(report.joined).toBe(8);
    expect(report.refused).toEqual({ 'every team is full; ask the host for another competition': 2 });
    expect(report.phase).toBe('ended');
    expect(report.received['sync.ticks']).toBeGreaterThan(8);
    expect(report.elapsedMs).toBeLessThan(20_000);
    await expect(runSwarm({ url, code: host.code, count: 0, skill: 'novice', durationS: 1 })).rejects.toThrow(
      /count/,
    );
  });

  it('BOTS-3: several rooms at once share the bots out, one report for all', async () => {
    const rooms = await Promise.all(
      [0, 1].map(() => createClass(colyseus, { botPlayers: true, scenario: 'lesson-3-url' })),
    );
    const swarm = runSwarms(
      rooms.map((r) => r.code),
      { url, count: 5, skill: 'competent', durationS: 3 },
    );
    const names = () => rooms.map((r) => [...r.room.state.players.values()].map((p) => p.nickname).sort());
    await eventually(() =>
      expect(names()).toEqual([
        ['Bot1-1', 'Bot1-2', 'Bot1-3'],
        ['Bot2-1', 'Bot2-2'],
      ]),
    );
    const report = await swarm;
    expect(report).toMatchObject({ rooms: 2, joined: 5, refused: {}, connectedAtEnd: 5 });
    expect(report.received.welcome).toBe(5);
    // Gone when the time is up: their seats are the rooms' own bots' again.
    await eventually(() => expect(names()).toEqual([[], []]));
  });
});
