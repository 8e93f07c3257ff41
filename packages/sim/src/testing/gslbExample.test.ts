/**
 * The example network with every lesson-5 feature (fixtures/gslb-example.json: three
 * regions, two data centres with servers, a GSLB service, an outage, anycast resolvers,
 * an anycast re-route): its record stream is pinned like the lessons' (golden.test.ts),
 * and a snapshot restored mid-outage continues identically (SPEC SIM-4, SIM-5).
 * Regenerate on purpose only: `UPDATE_GOLDEN=1 pnpm vitest run gslbExample`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/scenario.ts';
import { Simulation } from '../simulation/simulation.ts';

const FILE = join(import.meta.dirname, 'fixtures/gslb-example.json');
const GOLDEN = join(import.meta.dirname, 'fixtures/gslb-example.golden.json');

function run(seed: number, splitAtUs?: number) {
  const sc = loadScenario(readFileSync(FILE, 'utf8'), 'gslb-example.json');
  let sim = new Simulation(sc, seed);
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  const listen = (s: Simulation) =>
    s.onRecord((r) => {
      hash.update(JSON.stringify(r));
      counts[r.k] = (counts[r.k] ?? 0) + 1;
    });
  listen(sim);
  if (splitAtUs !== undefined) {
    sim.advanceTo(splitAtUs);
    const fresh = new Simulation(sc, seed);
    fresh.restore(sim.snapshot());
    sim = fresh;
    listen(sim);
  }
  sim.advanceTo(sc.file.durationS * 1_000_000);
  return { records: hash.digest('hex').slice(0, 16), counts, state: sim.stateHash() };
}

describe('the GSLB example network — SPEC SIM-4, SIM-5, GSLB-10', () => {
  it('runs the same every time, and its record stream does not change by accident', () => {
    const a = run(1);
    expect(run(1)).toEqual(a);
    // Every feature shows up: outage failures, health marks, GSLB answers, a dead answer, served requests.
    expect(a.counts).toMatchObject({
      pageLoadFailed: expect.any(Number),
      dcHealth: expect.any(Number),
      gslbAnswer: expect.any(Number),
      deadAnswer: expect.any(Number),
      pageLoad: expect.any(Number),
    });
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(a, null, 2)}\n`);
    expect(existsSync(GOLDEN)).toBe(true);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof a;
    expect({ records: a.records, counts: a.counts }).toEqual({
      records: golden.records,
      counts: golden.counts,
    });
  });

  it('continues identically from a snapshot taken during the outage', () => {
    expect(run(3, 12_345_678)).toEqual(run(3));
  });
});
