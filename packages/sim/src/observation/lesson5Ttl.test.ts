/**
 * Lesson 5's trade-off, measured headless: both anycast resolvers held by players who
 * answer by failover from the start, once with the service's TTL (20 s) and once with
 * the maximum TTL lowered to 5 s. A data centre goes dark at 25 s and comes back at 55 s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { US_PER_S } from '../engine/units.ts';
import { nodeView } from '../roles/registry.ts';
import type { ResolverView } from '../roles/resolver/view.ts';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';

const path = join(import.meta.dirname, '../../../../scenarios/lesson-5-phonebook.json');
const lesson5 = loadScenario(readFileSync(path, 'utf8'), path);
const OUTAGE_US = 25 * US_PER_S;
const BACK_US = 55 * US_PER_S;
const RESOLVERS = ['res-w', 'res-e'];
const ORDER: Record<string, string[]> = {
  west: ['dc-west', 'dc-east'],
  east: ['dc-east', 'dc-west'],
  south: ['dc-west', 'dc-east'],
};

function play(maxTtlS: number, seed: number) {
  const sim = new Simulation(lesson5, seed);
  for (const node of RESOLVERS) {
    sim.apply({ type: 'seat.player', node });
    sim.apply({ type: 'resolver.policy', node, minTtlS: 0, maxTtlS, serveStale: true, prefetch: false });
    for (const [region, order] of Object.entries(ORDER))
      sim.apply({ type: 'resolver.answer', node, region, policy: 'failover', order });
  }
  // Dead-address page loads started during the outage, and the latest start among them.
  let deadDuringOutage = 0;
  let lastDeadStartUs = 0;
  // Lookups, and those the browser's own cache answered.
  let lookups = 0;
  let stubHits = 0;
  sim.onRecord((r) => {
    if (r.k === 'dnsResolved') {
      lookups++;
      if (r.fromCache === 'stub') stubHits++;
    }
    if (r.k !== 'pageLoadFailed' || r.reason !== 'dead-address') return;
    const startUs = r.tUs - r.totalUs;
    if (startUs < OUTAGE_US || startUs >= BACK_US) return;
    deadDuringOutage++;
    lastDeadStartUs = Math.max(lastDeadStartUs, startUs);
  });
  sim.advanceTo(lesson5.file.durationS * US_PER_S);
  const views = RESOLVERS.map((id) => nodeView(sim, id) as ResolverView);
  const queries = views.reduce((s, v) => s + v.queries, 0);
  const misses = views.reduce((s, v) => s + v.misses, 0);
  return { deadDuringOutage, lastDeadStartUs, queries, misses, stubHitRatio: stubHits / lookups };
}

describe('lesson 5: the TTL trade-off shows in the numbers — SPEC GSLB-1, GSLB-5, DC-3, DNS-16', () => {
  it.each([1, 2, 3])('seed %i: a low TTL recovers sooner from the outage but loads the resolver', (seed) => {
    const long = play(86_400, seed);
    const short = play(5, seed);
    // Recovery: with the service's 20 s, answers held before the outage keep browsers knocking on
    // the dark data centre until they expire, whatever failover answers meanwhile.
    expect(long.deadDuringOutage).toBeGreaterThan(2 * short.deadDuringOutage);
    expect(long.lastDeadStartUs).toBeGreaterThan(OUTAGE_US + 12 * US_PER_S);
    // Health checks see it within 3 × 1 s + 0.5 s, then every answer held expires within 5 s.
    expect(short.lastDeadStartUs).toBeLessThan(OUTAGE_US + 3.5 * US_PER_S + 5 * US_PER_S + US_PER_S);
    // Load: the browsers' caches answer fewer lookups, so they ask the resolvers far more
    // often, and the resolvers (misses) ask the authority more.
    expect(short.stubHitRatio).toBeLessThan(long.stubHitRatio - 0.1);
    expect(short.queries).toBeGreaterThan(3 * long.queries);
    expect(short.misses).toBeGreaterThan(3 * long.misses);
  });
});
