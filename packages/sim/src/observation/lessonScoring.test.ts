import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routerView } from '../roles/router/view.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { runHeadless } from '../simulation/cli.ts';
import { Simulation } from '../simulation/simulation.ts';
import { Scoreboard } from './scoring.ts';

/** Lesson 1 as the class plays it (SPEC SCORE-2, SCORE-3, SCORE-5). */
const path = join(import.meta.dirname, '../../../../scenarios/lesson-1-postal.json');
const lesson1 = loadScenario(readFileSync(path, 'utf8'), path);
const DURATION_US = 180_000_000;
const SEED = 7;

/** West router's neighbour towards each post office (its bot's table). */
const WEST_VIA: Record<string, string> = {
  '10.1': 'h-west',
  '10.2': 'r-north',
  '10.3': 'r-north',
  '10.4': 'r-south',
};

describe('lesson 1 scores a class can live with', () => {
  it('one idle student costs the team only what their seat would have earned, never points already made — SPEC SCORE-2, SCORE-3, SCORE-5', () => {
    const allBots = runHeadless(lesson1, SEED, DURATION_US);
    expect(allBots.score.network).toBeGreaterThan(0);
    // West's student goes idle after a minute: packets wait at West by hand and time out.
    const idleWest = runHeadless(lesson1, SEED, DURATION_US, {
      commands: [{ atUs: 60_000_000, cmd: { type: 'hand.mode', node: 'r-west', enabled: true } }],
    }).score;
    // The first minute's points stay (failures take nothing away); the others are not charged for West's drops.
    expect(idleWest.network).toBeGreaterThan(allBots.score.network / 4);
    for (const r of ['r-north', 'r-east', 'r-south']) expect(idleWest.nodes[r]).toBeGreaterThanOrEqual(0);
    // West's own score: a point per packet it let die, no more.
    expect(idleWest.nodes['r-west']).toBeGreaterThan(-150);
  });

  it('a learner who forwards by hand, slowly and with a mistake, then writes the table, ends well above 0 — SPEC SCORE-5', () => {
    const sim = new Simulation(lesson1, SEED);
    for (const seat of lesson1.seats)
      if (seat.node !== 'r-west') sim.apply({ type: 'seat.bot', node: seat.node });
    const board = new Scoreboard(lesson1);
    sim.onRecord((r) => board.add(r));
    let wrongOnce = false;
    for (let tUs = 0; tUs < DURATION_US; tUs += 500_000) {
      sim.advanceTo(tUs);
      if (tUs < 60_000_000) {
        // Reads each packet for 3 s before deciding; sends the first one the wrong way.
        for (const w of routerView(sim, 'r-west')?.handQueue ?? []) {
          if (w.waitedUs < 3_000_000) continue;
          const via = wrongOnce ? (WEST_VIA[w.dst.split('.').slice(0, 2).join('.')] ?? 'r-north') : 'r-south';
          wrongOnce = true;
          sim.apply({ type: 'hand.forward', node: 'r-west', packetId: w.packetId, via });
        }
      } else if (tUs === 60_000_000) {
        // Writes the table, one route pointing the wrong way at first, then switches hand forwarding off.
        for (const [prefix, via] of Object.entries(WEST_VIA))
          sim.apply({
            type: 'route.set',
            node: 'r-west',
            prefix: `${prefix}.0.0/16`,
            via: prefix === '10.3' ? 'r-south' : via,
          });
        sim.apply({ type: 'hand.mode', node: 'r-west', enabled: false });
      } else if (tUs === 90_000_000)
        sim.apply({ type: 'route.set', node: 'r-west', prefix: '10.3.0.0/16', via: 'r-north' });
    }
    sim.advanceTo(DURATION_US);
    const parts = board.nodeParts('r-west');
    expect(parts.delivered?.count ?? 0).toBeGreaterThan(0);
    expect(board.nodeScore('r-west')).toBeGreaterThan(0);
    expect(board.network).toBeGreaterThan(0);
  });
});
