import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Value imports and re-exports of a module (type-only ones vanish at run time). */
function valueImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[\s\S]*?\s+from\s+'([^']+)';/gm))
    if (!m[1]) out.push(m[2] as string);
  for (const m of source.matchAll(/^import\s+'([^']+)';/gm)) out.push(m[1] as string);
  return out;
}

describe('the browser-safe round engine — SPEC PRAC-2', () => {
  it('reaches no node: module and no Colyseus server at run time', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of valueImports(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) visit(join(dirname(file), spec));
        else external.add(spec);
      }
    };
    visit(join(import.meta.dirname, 'engine.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].map((f) => f.replace(/^.*\//, ''))).toContain('roundEngine.ts');
    const forbidden = [...external].filter(
      (s) => s.startsWith('node:') || s.startsWith('@colyseus/core') || s === 'express',
    );
    expect(forbidden).toEqual([]);
    expect([...external].sort()).toEqual(['@roundtrip/protocol', '@roundtrip/sim', 'msgpackr', 'zod']);
  });
});
