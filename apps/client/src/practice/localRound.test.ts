import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayFile, verifyReplay } from '@roundtrip/server';
import { loadScenario, routerView, type Scenario } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { LocalRound, PRACTICE_PLAYER_ID } from './localRound.ts';
import { CHECKPOINT_EVERY_US, type Checkpoint, ReplayPlayer } from './replayPlayer.ts';
import { starsFor } from './stars.ts';

function lesson(id: string): Scenario {
  const path = join(import.meta.dirname, '../../../../scenarios', `${id}.json`);
  return loadScenario(readFileSync(path, 'utf8'), `${id}.json`);
}

const L1 = 'lesson-1-postal';

/** A round of lesson 1 at `node`, started, with checkpoints kept as the page keeps them. */
function practise(node: string, seed = 3, botSkill = 'competent') {
  const scenario = lesson(L1);
  const round = new LocalRound({ scenarioId: L1, scenario, seed, node, botSkill });
  const checkpoints: Checkpoint[] = [{ atUs: 0, checkpoint: round.copy.checkpoint() }];
  let nextUs = CHECKPOINT_EVERY_US;
  const run = (untilUs: number, dtMs = 250) => {
    while (round.state.phase === 'running' && round.copy.sim.nowUs < untilUs) {
      round.tick(dtMs);
      if (round.copy.sim.nowUs >= nextUs) {
        checkpoints.push({ atUs: round.copy.sim.nowUs, checkpoint: round.copy.checkpoint() });
        nextUs = round.copy.sim.nowUs + CHECKPOINT_EVERY_US;
      }
    }
  };
  return { scenario, round, checkpoints, run };
}

describe('a practice round — SPEC PRAC-1, PRAC-2', () => {
  it('seats the player at the chosen node and bots at the chosen skill in every other seat', () => {
    const { scenario, round } = practise('r-north', 3, 'expert');
    expect(round.state.phase).toBe('paused');
    expect(round.state.players.get(PRACTICE_PLAYER_ID)?.node).toBe('r-north');
    round.stepBy(round.tickUs);
    for (const seat of scenario.seats) {
      const state = round.copy.sim.st.roles[scenario.nodeIndex.get(seat.node) ?? -1] as {
        botSkill?: string | null;
      };
      expect(state.botSkill ?? null, seat.node).toBe(seat.node === 'r-north' ? null : 'expert');
    }
  });

  it("checks the player's messages as the server does and applies them at the next tick", () => {
    const { round } = practise('r-north');
    expect(round.send('route.set', { prefix: 'nonsense', via: 'r-west' })).toMatch(/^route\.set: prefix/);
    expect(round.send('resolver.flush', {})).toMatch(/only a player holding a resolver may send/);
    expect(round.send('host.pause', {})).toMatch(/only the host may send/);
    expect(round.send('route.set', { prefix: '10.9.0.0/16', via: 'r-west' })).toBeNull();
    const before = routerView(round.copy.sim, 'r-north')?.routes.some((r) => r.prefix === '10.9.0.0/16');
    expect(before).toBe(false);
    round.stepBy(round.tickUs);
    expect(routerView(round.copy.sim, 'r-north')?.routes.some((r) => r.prefix === '10.9.0.0/16')).toBe(true);
  });

  it('reports a command the simulation refuses at its tick', () => {
    const { round } = practise('r-north');
    const refused: string[] = [];
    round.onRefused = (r) => refused.push(`${r.request}: ${r.error}`);
    expect(round.send('route.set', { prefix: '10.9.0.0/16', via: 'r-south' })).toBeNull();
    round.stepBy(round.tickUs);
    expect(refused).toEqual([expect.stringMatching(/^route\.set: .*neighbour/)]);
  });
});

describe('an idle learner keeps the seat — SPEC PRAC-9', () => {
  it('leaves the seat to the learner however long packets wait there', () => {
    const { scenario, round, run } = practise('r-west', 5);
    const routesAtStart = routerView(round.copy.sim, 'r-west')?.routes.length;
    round.resume();
    round.setTimeScale(4);
    // Far past COVER-1's 10 s with packets waiting at r-west and no command sent.
    run(60_000_000);
    const seat = round.copy.sim.st.roles[scenario.nodeIndex.get('r-west') ?? -1] as {
      botSkill?: string | null;
    };
    expect(seat.botSkill ?? null).toBeNull();
    expect(round.state.players.get(PRACTICE_PLAYER_ID)?.covered).toBe(false);
    expect(routerView(round.copy.sim, 'r-west')?.routes.length).toBe(routesAtStart);
  });
});

describe('pause, step, slow motion and fast-forward — SPEC PRAC-3', () => {
  it('runs at the chosen speed, steps while paused, and stands still when paused', () => {
    const { round } = practise('r-north');
    round.stepBy(1_000_000);
    expect(round.copy.sim.nowUs).toBe(1_000_000);
    round.resume();
    round.setTimeScale(4);
    round.tick(50);
    expect(round.copy.sim.nowUs).toBe(1_200_000);
    round.setTimeScale(0.1);
    round.tick(50);
    expect(round.copy.sim.nowUs).toBe(1_205_000);
    round.pause();
    round.tick(50);
    expect(round.copy.sim.nowUs).toBe(1_205_000);
    round.stepBy(round.tickUs);
    expect(round.copy.sim.nowUs).toBe(1_210_000);
  });
});

describe('stars, replay and try again — SPEC PRAC-4, PRAC-5', () => {
  it('grades the team score against the lesson thresholds', () => {
    expect(starsFor(99, [100, 200, 300])).toBe(0);
    expect(starsFor(100, [100, 200, 300])).toBe(1);
    expect(starsFor(299, [100, 200, 300])).toBe(2);
    expect(starsFor(5000, [100, 200, 300])).toBe(3);
  });

  it("writes a replay file that the server's replay check reproduces, stars and all", () => {
    const { round, run } = practise('r-west', 5);
    round.send('route.set', { prefix: '10.3.0.0/16', via: 'r-north' });
    round.resume();
    round.setTimeScale(8);
    run(Number.POSITIVE_INFINITY);
    expect(round.state.phase).toBe('ended');
    const file = replayFile.parse(JSON.parse(JSON.stringify(round.replay())));
    expect(file.practice).toEqual({
      node: 'r-west',
      role: 'router',
      botSkill: 'competent',
      stars: round.stars(),
    });
    const [team] = verifyReplay(file, lesson(L1));
    expect(team?.matches).toBe(true);
    expect(team?.replayed.score).toBe(round.teamScore);
    const thresholds = lesson(L1).file.stars?.teamScore ?? [0, 0, 0];
    expect(file.practice?.stars).toBe(starsFor(team?.replayed.score ?? 0, thresholds));
    // The debrief reads it as a class round's.
    const debrief = round.debrief();
    expect(debrief?.players.map((p) => p.node)).toEqual(['r-west']);
    expect(debrief?.teams[0]?.score).toBe(round.teamScore);
    expect(debrief?.series[0]?.series.score.length).toBeGreaterThan(0);
  });

  it('plays the same again from the same seed with the same commands, whatever the speed', () => {
    const a = practise('r-west', 7);
    a.round.resume();
    a.round.setTimeScale(4);
    a.run(Number.POSITIVE_INFINITY);
    const b = practise('r-west', 7);
    b.round.resume();
    b.round.setTimeScale(1);
    b.run(Number.POSITIVE_INFINITY, 1000);
    expect(b.round.teamScore).toBe(a.round.teamScore);
  });
});

describe('the replay timeline — SPEC PRAC-6', () => {
  it('shows the attempt at any time, forwards and back, as it was then', () => {
    const { scenario, round, checkpoints, run } = practise('r-west', 11);
    round.resume();
    round.setTimeScale(2);
    // The score at 40 s, then a route sent at 40 s.
    run(40_000_000);
    const at40 = { us: round.copy.sim.nowUs, score: round.teamScore };
    round.send('route.set', { prefix: '10.3.0.0/16', via: 'r-north' });
    run(90_000_000);
    const at90 = { us: round.copy.sim.nowUs, score: round.teamScore };
    round.end();
    const log = round.copy.log;
    const player = new ReplayPlayer(scenario, 11, log, checkpoints, round.state.simTimeUs);
    expect(player.seek(3_000_000)).toBe(false); // a little forward: played on
    expect(player.seek(at90.us)).toBe(true); // far forward: from the latest checkpoint before it
    expect(player.copy.scoreboard.network).toBe(at90.score);
    const hasRoute = () => routerView(player.copy.sim, 'r-west')?.routes.some((r) => r.via === 'r-north');
    expect(player.seek(at40.us)).toBe(true); // back: rebuilt from a checkpoint
    expect(player.copy.scoreboard.network).toBe(at40.score);
    // The route applied at 40 s: just before, the table had none.
    player.seek(at40.us - 100_000);
    expect(hasRoute()).toBe(false);
    player.seek(at90.us);
    expect(player.copy.scoreboard.network).toBe(at90.score);
    expect(hasRoute()).toBe(true);
    player.seek(round.state.simTimeUs + 5_000_000);
    expect(player.nowUs).toBe(round.state.simTimeUs);
    expect(player.copy.scoreboard.network).toBe(round.teamScore);
  });
});
