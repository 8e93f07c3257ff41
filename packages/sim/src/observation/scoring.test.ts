import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOSS_REASON_TEXT, type LossReason, type SimRecord } from '../engine/records.ts';
import { ROUTER_POINTS } from '../roles/router/scoring.ts';
import type { RouterState } from '../roles/router/state.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';
import { lineScenario, ONE_FRAME, ONE_REQUEST } from '../testing/lineScenario.ts';
import { latencyPoints, POINTS, Scoreboard } from './scoring.ts';

// The line network h-a (node 0) — r1 (1) — r2 (2) — h-b (3): 1 + 10 + 1 ms of propagation,
// so both flows' ideal one-way delay is 12 ms.
const scenario = loadScenario(lineScenario({ traffic: [ONE_FRAME, ONE_REQUEST] }), 'line.json');
const FRAME_FLOW = 0;
const REQUEST_FLOW = 1;
const IDEAL_US = 12_000;

/** The one place that reads a node's score, so a rename of the Scoreboard method is a one-line change. */
function score(board: Scoreboard, nodeId: string): number {
  return board.nodeScore(nodeId);
}

function scored(...records: SimRecord[]): Scoreboard {
  const board = new Scoreboard(scenario);
  for (const r of records) board.add(r);
  return board;
}

const completed = (latencyUs: number, channel: 'tcp' | 'quic' = 'tcp'): SimRecord => ({
  k: 'requestCompleted',
  tUs: 0,
  channel,
  flow: REQUEST_FLOW,
  unit: 0,
  latencyUs,
  bytes: 5000,
});
const failed = (reason: LossReason, channel: 'tcp' | 'quic' = 'tcp'): SimRecord => ({
  k: 'requestFailed',
  tUs: 0,
  channel,
  flow: REQUEST_FLOW,
  unit: 0,
  reason,
  at: 'r1',
});
const frameOnTime = (latencyUs: number, path: number[] = [1, 2]): SimRecord => ({
  k: 'frameDelivered',
  tUs: 0,
  flow: FRAME_FLOW,
  unit: 0,
  latencyUs,
  bytes: 100,
  path,
  reordered: false,
});
const frameLost = (reason: LossReason): SimRecord => ({
  k: 'frameLost',
  tUs: 0,
  flow: FRAME_FLOW,
  unit: 0,
  reason,
  at: 'r2',
});
const segment = (path: number[]): SimRecord => ({
  k: 'segmentDelivered',
  tUs: 0,
  channel: 'tcp',
  flow: REQUEST_FLOW,
  unit: 0,
  bytes: 1000,
  path,
});
const drop = (node: number, reason: LossReason = 'queue-full'): SimRecord => ({
  k: 'drop',
  tUs: 0,
  packetId: 7,
  channel: 'udp',
  flow: FRAME_FLOW,
  unit: 0,
  reason,
  node,
  link: -1,
});

describe('latencyPoints', () => {
  it('gives full marks at or below the ideal latency, and for latency ≤ 0 — SPEC SCORE-1, SCORE-3', () => {
    expect(latencyPoints(100, 48_000, 48_000)).toBe(100);
    expect(latencyPoints(100, 48_000, 1)).toBe(100); // ideal > latency: capped at max, never more
    expect(latencyPoints(10, 12_000, 0)).toBe(10);
    expect(latencyPoints(10, 12_000, -5)).toBe(10);
  });

  it('scales max by ideal / latency and rounds to the nearest point (halves up) — SPEC SCORE-1, SCORE-3', () => {
    expect(latencyPoints(100, 48_000, 96_000)).toBe(50);
    expect(latencyPoints(100, 48_000, 72_000)).toBe(67); // 66.67
    expect(latencyPoints(100, 48_000, 76_800)).toBe(63); // 62.5
    expect(latencyPoints(10, 12_000, 16_000)).toBe(8); // 7.5
    expect(latencyPoints(10, 12_000, 1_000_000)).toBe(0); // 0.12
    expect(latencyPoints(10, 0, 5_000)).toBe(0); // no ideal: nothing to earn
  });
});

describe('network (team) score', () => {
  it('a completed request scores round(100 · min(1, 4·ideal one-way / latency)) — SPEC SCORE-1', () => {
    expect(POINTS.requestMax).toBe(100);
    // The ideal is the best path's propagation delay: 1 + 10 + 1 ms.
    expect(scenario.idealOneWayUs).toEqual([IDEAL_US, IDEAL_US]);
    // 4 × 12 ms = 48 ms is the ideal: handshake and request are two round trips.
    expect(scored(completed(48_000)).network).toBe(100);
    expect(scored(completed(30_000)).network).toBe(100); // faster than ideal: capped
    expect(scored(completed(96_000)).network).toBe(50);
    // One extra round trip (TLS 1.3: 3 round trips = 72 ms) costs a third.
    expect(scored(completed(72_000)).network).toBe(67);
    // TLS 1.2: 4 round trips = 96 ms.
    expect(scored(completed(96_000)).network).toBe(50);
    expect(scored(completed(0)).network).toBe(100);
    // QUIC requests score the same way.
    expect(scored(completed(96_000, 'quic')).network).toBe(50);
    // Scores add up: 100 + 50.
    expect(scored(completed(48_000), completed(96_000)).network).toBe(150);
  });

  it('a failed request earns nothing and takes nothing away, whatever the reason — SPEC SCORE-2', () => {
    expect(POINTS.requestFailed).toBe(0);
    expect(scored(failed('timed-out')).network).toBe(0);
    expect(scored(failed('connection-reset', 'quic')).network).toBe(0);
    expect(scored(completed(48_000), failed('timed-out')).network).toBe(100);
    // Counted in the breakdown all the same (SCORE-7).
    expect(scored(failed('link-loss'), failed('no-route')).networkParts).toEqual({
      'request-failed': { count: 2, points: 0 },
    });
    // A failure is the team's loss, not a router's.
    const board = scored(failed('queue-full'));
    expect(score(board, 'r1')).toBe(0);
    expect(score(board, 'r2')).toBe(0);
  });

  it('a frame on time scores round(10 · min(1, ideal one-way / latency)); a lost or late one scores 0 — SPEC SCORE-3', () => {
    expect(POINTS.frameMax).toBe(10);
    expect(POINTS.frameLost).toBe(0);
    expect(scored(frameOnTime(12_000)).network).toBe(10);
    expect(scored(frameOnTime(6_000)).network).toBe(10); // ideal > latency: capped
    expect(scored(frameOnTime(24_000)).network).toBe(5);
    expect(scored(frameOnTime(16_000)).network).toBe(8); // 7.5 rounds up
    expect(scored(frameOnTime(36_000)).network).toBe(3); // 3.33
    expect(scored(frameOnTime(0)).network).toBe(10);
    // Late frames are lost with `deadline-missed`: nothing, as any loss.
    expect(scored(frameLost('deadline-missed')).network).toBe(0);
    expect(scored(frameOnTime(12_000), frameLost('queue-full'), frameLost('deadline-missed')).network).toBe(
      10,
    );
    // A duplicate copy of a delivered frame scores nothing more.
    expect(scored({ k: 'frameDuplicate', tUs: 0, flow: FRAME_FLOW, unit: 0 }).network).toBe(0);
  });

  it('is the sum of SCORE-1..3 only: routers earning or losing never move it — SPEC SCORE-5', () => {
    const board = scored(
      segment([1, 2]),
      drop(1, 'no-route'),
      drop(2, 'no-route'),
      frameOnTime(24_000, [1, 2]),
    );
    expect(board.network).toBe(5);
    expect(score(board, 'r1')).toBe(1 + ROUTER_POINTS.ownDrop + 1);
  });
});

describe('router (player) score — SPEC SCORE-5', () => {
  it('earns 1 per delivered data packet for each router on its path', () => {
    expect(ROUTER_POINTS.delivered).toBe(1);
    const board = scored(frameOnTime(12_000, [1, 2]), segment([2, 1]), segment([1]));
    expect(score(board, 'r1')).toBe(3);
    expect(score(board, 'r2')).toBe(2);
  });

  it('credits a packet that passed a router twice (a loop) only once per router — SPEC SCORE-5', () => {
    const board = scored(frameOnTime(12_000, [1, 2, 1, 2, 1]), segment([2, 1, 2]));
    expect(score(board, 'r1')).toBe(2);
    expect(score(board, 'r2')).toBe(2);
  });

  it('loses 1 for a packet that died at it by its own doing; queue and link losses cost it nothing — SPEC SCORE-5', () => {
    expect(ROUTER_POINTS.ownDrop).toBe(-1);
    const board = scored(
      drop(1, 'ttl-expired'),
      drop(1, 'no-route'),
      drop(1, 'hand-timeout'),
      drop(2, 'link-loss'),
      drop(2, 'queue-full'),
      drop(2, 'link-down'),
    );
    expect(score(board, 'r1')).toBe(-3);
    expect(score(board, 'r2')).toBe(0);
    expect(board.network).toBe(0);
  });

  it('explains each node score part by part — SPEC SCORE-7', () => {
    const board = scored(frameOnTime(12_000, [1, 2]), segment([1]), drop(1, 'no-route'), drop(1, 'no-route'));
    expect(board.nodeParts('r1')).toEqual({
      delivered: { count: 2, points: 2 },
      'no-route': { count: 2, points: -2 },
    });
    expect(board.nodeParts('nobody')).toEqual({});
    expect(board.networkParts).toEqual({ frame: { count: 1, points: 10 } });
  });

  it('drops at hosts score no one, and hosts and unknown ids read 0 — SPEC SCORE-5', () => {
    const board = scored(drop(0, 'wrong-host'), drop(3, 'queue-full'), frameOnTime(12_000, [1, 2]));
    expect(score(board, 'h-a')).toBe(0);
    expect(score(board, 'h-b')).toBe(0);
    expect(score(board, 'nobody')).toBe(0);
    expect(score(board, 'r1')).toBe(1);
    expect(score(board, 'r2')).toBe(1);
  });

  it('lost frames and failed requests do not credit the routers they passed — SPEC SCORE-5', () => {
    const board = scored(frameLost('link-loss'), failed('timed-out'));
    expect(score(board, 'r1')).toBe(0);
    expect(score(board, 'r2')).toBe(0);
  });
});

describe('scoring a run of the simulation', () => {
  /** A simulation of `file` whose records feed a fresh Scoreboard. */
  function start(file: unknown) {
    const sim = new Simulation(loadScenario(file, 'line.json'), 1);
    const board = new Scoreboard(sim.sc);
    const records: SimRecord[] = [];
    sim.onRecord((r) => {
      records.push(r);
      board.add(r);
    });
    return { sim, board, records };
  }

  it('scores a frame and a request on the line end to end — SPEC SCORE-1, SCORE-3, SCORE-5', () => {
    const { sim, board, records } = start(lineScenario({ traffic: [ONE_FRAME, ONE_REQUEST] }));
    sim.advanceTo(5_000_000);
    // The frame: 12,033 µs against the 12,000 µs ideal ⇒ round(9.97) = 10.
    // The request: 72,653 µs (the 5th response segment waits a round trip for the 4,000-byte
    // initial window) against 48,000 µs ⇒ round(66.07) = 66.
    expect(records.find((r) => r.k === 'requestCompleted')).toMatchObject({ latencyUs: 72_653 });
    expect(board.network).toBe(10 + 66);
    // Each router forwarded the frame, the request segment and five response segments; the
    // handshake, pure ACKs and FINs carry no data and earn nothing.
    expect(records.filter((r) => r.k === 'segmentDelivered')).toHaveLength(6);
    expect(score(board, 'r1')).toBe(7);
    expect(score(board, 'r2')).toBe(7);
  });

  it('a frame dropped for want of a route earns the team nothing and costs the router 1 — SPEC SCORE-3, SCORE-5', () => {
    const { sim, board } = start(lineScenario({ traffic: [ONE_FRAME], routes: { r1: [] } }));
    sim.advanceTo(1_000_000);
    expect(board.network).toBe(0);
    expect(board.networkParts['frame-lost']?.count).toBe(1);
    expect(score(board, 'r1')).toBe(-1);
    expect(score(board, 'r2')).toBe(0);
  });

  it('a frame that loops through r1 twice before delivery credits r1 and r2 once each — SPEC SCORE-5', () => {
    // r1 forwards by hand; r2 first sends 10.2/16 back to r1.
    const routes = {
      r2: [
        { prefix: '10.1.0.0/16', via: 'r1' },
        { prefix: '10.2.0.0/16', via: 'r1' },
      ],
    };
    const file = lineScenario({
      traffic: [{ ...ONE_FRAME, deadlineMs: 2_000 }],
      handForwarding: true,
      routes,
    });
    const { sim, board, records } = start(file);
    const forwardWaiting = () => {
      const packet = (sim.st.roles[1] as RouterState | null)?.handQueue[0]?.packet;
      expect(packet).toBeDefined();
      expect(
        sim.apply({ type: 'hand.forward', node: 'r1', packetId: packet?.id as number, via: 'r2' }),
      ).toBeNull();
    };
    sim.advanceTo(100_000);
    forwardWaiting(); // r1 → r2, which sends it back to r1
    sim.advanceTo(200_000);
    expect(sim.apply({ type: 'route.set', node: 'r2', prefix: '10.2.0.0/16', via: 'h-b' })).toBeNull();
    forwardWaiting(); // r1 → r2 → h-b
    sim.advanceTo(300_000);
    const delivered = records.find((r) => r.k === 'frameDelivered');
    expect(delivered).toMatchObject({ path: [1, 2, 1, 2] });
    expect(score(board, 'r1')).toBe(1);
    expect(score(board, 'r2')).toBe(1);
  });
});

describe('loss reasons — SPEC SCORE-4', () => {
  it('the reasons the code knows are exactly the ones SPEC SCORE-4 lists', () => {
    const spec = readFileSync(new URL('../../../../docs/SPEC.md', import.meta.url), 'utf8');
    const rule = spec.slice(spec.indexOf('**SCORE-4**'), spec.indexOf('**SCORE-5**'));
    const listed = [...rule.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(0);
    expect(Object.keys(LOSS_REASON_TEXT).sort()).toEqual([...listed].sort());
  });

  it('every drop, lost frame and failed request on a lossy, misrouted run carries a reason and a place', () => {
    // r2 has no route back to h-a, and the middle link loses 20 %.
    const routes = { r2: [{ prefix: '10.2.0.0/16', via: 'h-b' }] };
    const traffic = [
      { ...ONE_FRAME, stopS: 2, intervalMs: 20 },
      { ...ONE_REQUEST, stopS: 2, everyMs: 500, timeoutMs: 1_500 },
    ];
    const sim = new Simulation(loadScenario(lineScenario({ traffic, routes, loss: 0.2 }), 'line.json'), 3);
    const records: SimRecord[] = [];
    sim.onRecord((r) => records.push(r));
    sim.advanceTo(6_000_000);
    const reasons = new Set(Object.keys(LOSS_REASON_TEXT));
    // A place is a link's id (a loss on the wire) or a node's.
    const places = new Set([...sim.sc.nodeIds, ...sim.sc.linkIndex.keys()]);
    const drops = records.filter((r) => r.k === 'drop');
    const lost = records.filter((r) => r.k === 'frameLost' || r.k === 'requestFailed');
    // Both kinds of loss happen: on the wire, and for want of a route back.
    expect(new Set(drops.map((r) => r.k === 'drop' && r.reason))).toEqual(new Set(['link-loss', 'no-route']));
    expect(new Set(lost.map((r) => (r.k === 'frameLost' || r.k === 'requestFailed') && r.at))).toEqual(
      new Set(['l-mid', 'r2']),
    );
    for (const r of drops) {
      if (r.k !== 'drop') continue;
      expect(reasons.has(r.reason)).toBe(true);
      expect(sim.sc.nodeIds[r.node]).toBeDefined();
      // A loss on the wire names its link; a no-route drop happens at r2 (node 2).
      if (r.reason === 'link-loss') expect(sim.sc.file.links[r.link]?.id).toBe('l-mid');
      if (r.reason === 'no-route') expect(r.node).toBe(2);
    }
    for (const r of lost) {
      if (r.k !== 'frameLost' && r.k !== 'requestFailed') continue;
      expect(reasons.has(r.reason)).toBe(true);
      expect(places.has(r.at)).toBe(true);
    }
  });
});

describe('a request that times out with no packet lost', () => {
  it('is placed at its server host, as a late frame is at its receiver — SPEC SCORE-4', () => {
    for (const kind of ['tcp', 'quic']) {
      // 30 ms is less than the request's two round trips (48 ms) on a lossless line.
      const file = lineScenario({ traffic: [{ ...ONE_REQUEST, kind, timeoutMs: 30 }] });
      const sim = new Simulation(loadScenario(file, 'line.json'), 1);
      const records: SimRecord[] = [];
      sim.onRecord((r) => records.push(r));
      sim.advanceTo(1_000_000);
      expect(records.filter((r) => r.k === 'requestFailed')).toEqual([
        { k: 'requestFailed', tUs: 30_000, channel: kind, flow: 0, unit: 0, reason: 'timed-out', at: 'h-b' },
      ]);
    }
  });
});
