import { type SimRecord, US_PER_S } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { DebriefCollector, SERIES_POINTS_MAX } from './debrief.ts';
import { lessonScenario } from './scenarios.ts';

const scenario = lessonScenario('lesson-1-postal').scenario;

function collector() {
  let score = 0;
  const c = new DebriefCollector(scenario, () => score);
  return { c, setScore: (s: number) => (score = s) };
}

describe('DebriefCollector (SPEC DEBRIEF-1, DEBRIEF-3)', () => {
  it('DEBRIEF-1: counts failures by unit, reason and place, with the place’s label and role', () => {
    const { c } = collector();
    const lost = (at: string): SimRecord => ({
      k: 'frameLost',
      tUs: 10,
      flow: 0,
      unit: 0,
      reason: 'ttl-expired',
      at,
    });
    c.add(lost('r-west'));
    c.add(lost('r-west'));
    c.add(lost('l-west-north'));
    c.add({
      k: 'requestFailed',
      tUs: 20,
      channel: 'tcp',
      flow: 3,
      unit: 0,
      reason: 'timed-out',
      at: 'h-north',
    });
    expect(c.failureGroups()).toEqual([
      {
        unit: 'frame',
        reason: 'ttl-expired',
        place: 'r-west',
        placeLabel: 'West router',
        role: 'router',
        count: 2,
      },
      {
        unit: 'request',
        reason: 'timed-out',
        place: 'h-north',
        placeLabel: 'North post office',
        role: 'host',
        count: 1,
      },
      {
        unit: 'frame',
        reason: 'ttl-expired',
        place: 'l-west-north',
        placeLabel: 'West router – North router link',
        role: 'link',
        count: 1,
      },
    ]);
  });

  it('DEBRIEF-3: a point per simulated second: latency percentiles, loss and the score at its end', () => {
    const { c, setScore } = collector();
    const done = (tUs: number, latencyUs: number): SimRecord => ({
      k: 'frameDelivered',
      tUs,
      flow: 0,
      unit: 0,
      latencyUs,
      bytes: 100,
      path: [],
      reordered: false,
    });
    c.add(done(100_000, 10_000));
    c.add(done(200_000, 30_000));
    c.add({ k: 'frameLost', tUs: 300_000, flow: 0, unit: 1, reason: 'link-loss', at: 'l-west' });
    setScore(7);
    c.add(done(1_500_000, 20_000)); // closes second 1 with the score before this record
    setScore(9);
    c.advancedTo(3 * US_PER_S); // second 2 closes; second 3 has nothing yet
    expect(c.seriesSoFar()).toEqual({
      tS: [1, 2, 3],
      p50LatencyMs: [10, 20, 0],
      p95LatencyMs: [30, 20, 0],
      lossPct: [33.3, 0, 0],
      score: [7, 9, 9],
    });
  });

  it('DEBRIEF-3: the series stop at SERIES_POINTS_MAX; save and load carry on exactly', () => {
    const { c } = collector();
    c.add({ k: 'frameLost', tUs: 5, flow: 0, unit: 0, reason: 'no-route', at: 'r-east' });
    const copy = collector().c;
    copy.load(c.save());
    expect(copy.save()).toEqual(c.save());
    c.advancedTo((SERIES_POINTS_MAX + 10) * US_PER_S);
    expect(c.seriesSoFar().tS).toHaveLength(SERIES_POINTS_MAX);
  });
});
