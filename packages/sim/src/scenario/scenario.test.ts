import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineScenario, ONE_FRAME } from '../testing/lineScenario.ts';
import { loadScenario, ScenarioError } from './scenario.ts';
import { SCENARIO_LIMITS } from './scenarioSchema.ts';

function problemsOf(file: unknown): string[] {
  try {
    loadScenario(file, 'bad.json');
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
}

describe('scenario validation — SPEC SCN-1, SCN-2', () => {
  it('every committed scenario loads', () => {
    const dir = join(import.meta.dirname, '../../../../scenarios');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files)
      expect(loadScenario(readFileSync(join(dir, f), 'utf8'), f).file.id).toBe(f.replace('.json', ''));
  });

  it('names the file, the field and what was expected', () => {
    const file = lineScenario({}) as { links: { latencyMs: unknown }[] };
    (file.links[1] as { latencyMs: unknown }).latencyMs = 'slow';
    const problems = problemsOf(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^bad\.json: links\[1\] \(l-mid\)\.latencyMs: .*expected number/i);
  });

  it('checks references between nodes, links, routes and flows', () => {
    const file = lineScenario({
      traffic: [{ ...ONE_FRAME, to: 'r2' }],
      routes: {
        r1: [
          { prefix: '10.2.0.0/16', via: 'h-b' },
          { prefix: '10.2.0.1/16', via: 'r2' },
        ],
      },
    }) as { links: { b: string }[] };
    (file.links[2] as { b: string }).b = 'h-z';
    const problems = problemsOf(file).join('\n');
    expect(problems).toMatch(/links\[2\] \(l-b\)\.b: unknown node "h-z"/);
    expect(problems).toMatch(/routes\[0\]\.via: "h-b" is not a neighbour/);
    expect(problems).toMatch(/routes\[1\]\.prefix: "10\.2\.0\.1\/16" is not a prefix/);
    expect(problems).toMatch(/traffic\[0\] \(f\)\.to: "r2" is not a host/);
  });

  it('refuses text that is not JSON', () => {
    expect(problemsOf('{ nope')[0]).toMatch(/^bad\.json: not JSON/);
  });
});

describe('limits — SPEC SCN-3', () => {
  type File = Record<string, unknown[]> & {
    nodes: Record<string, unknown>[];
    links: Record<string, unknown>[];
  };
  const base = () => lineScenario({ traffic: [ONE_FRAME] }) as File;
  const tooMany = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

  it('refuses more nodes, links, flows, events or routes than the limits allow, naming the field', () => {
    expect(SCENARIO_LIMITS).toEqual({
      nodes: 512,
      links: 2048,
      traffic: 20_000,
      events: 1_000,
      routesPerRouter: 256,
    });
    const cases: [string, (f: File) => void, RegExp][] = [
      [
        'nodes',
        (f) => f.nodes.push(...tooMany(509, f.nodes[0] as Record<string, unknown>)),
        /^bad\.json: nodes: .*512/,
      ],
      [
        'links',
        (f) => f.links.push(...tooMany(2046, f.links[0] as Record<string, unknown>)),
        /^bad\.json: links: .*2048/,
      ],
      ['traffic', (f) => (f.traffic = tooMany(20_001, ONE_FRAME)), /^bad\.json: traffic: .*20000/],
      [
        'events',
        (f) => (f.events = tooMany(1_001, { atS: 1, kind: 'linkDown', link: 'l-mid' })),
        /^bad\.json: events: .*1000/,
      ],
      [
        'routes',
        (f) =>
          ((f.nodes[1] as { routes: unknown[] }).routes = tooMany(257, { prefix: '10.2.0.0/16', via: 'r2' })),
        /^bad\.json: nodes\[1\] \(r1\)\.routes: .*256/,
      ],
    ];
    for (const [name, grow, expected] of cases) {
      const file = base();
      grow(file);
      const problems = problemsOf(file);
      expect(problems, name).toHaveLength(1);
      expect(problems[0], name).toMatch(expected);
    }
  });

  it('accepts a file exactly at a limit', () => {
    const file = base();
    file.events = tooMany(1_000, { atS: 1, kind: 'linkDown', link: 'l-mid' });
    (file.links[1] as Record<string, unknown>).queuePackets = 10_000;
    expect(problemsOf(file)).toEqual([]);
  });

  it('refuses a queue longer than 10,000 packets', () => {
    const file = base();
    (file.links[1] as Record<string, unknown>).queuePackets = 10_001;
    expect(problemsOf(file)).toEqual([
      expect.stringMatching(/^bad\.json: links\[1\] \(l-mid\)\.queuePackets: .*10000/),
    ]);
  });
});

describe('practice grade thresholds — SPEC PRAC-4', () => {
  it('takes three rising team scores', () => {
    const file = { ...(lineScenario({}) as object), stars: { teamScore: [10, 20, 30] } };
    expect(loadScenario(file, 'ok.json').file.stars?.teamScore).toEqual([10, 20, 30]);
  });

  it('refuses thresholds that do not rise, or not three of them, naming the field', () => {
    const flat = problemsOf({ ...(lineScenario({}) as object), stars: { teamScore: [10, 30, 30] } });
    expect(flat).toHaveLength(1);
    expect(flat[0]).toMatch(/^bad\.json: stars\.teamScore: three rising scores/);
    const two = problemsOf({ ...(lineScenario({}) as object), stars: { teamScore: [10, 20] } });
    expect(two[0]).toMatch(/^bad\.json: stars\.teamScore/);
  });

  it('every committed lesson declares its stars', () => {
    const dir = join(import.meta.dirname, '../../../../scenarios');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')))
      expect(loadScenario(readFileSync(join(dir, f), 'utf8'), f).file.stars, f).toBeDefined();
  });
});
