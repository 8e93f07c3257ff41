import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineScenario, ONE_FRAME } from '../testing/lineScenario.ts';
import { loadScenario, ScenarioError } from './scenario.ts';

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
