/**
 * The simulation's dependency rule (docs/ARCHITECTURE.md, "Layers"): a module imports
 * values only from its own layer or the layers below it, and value imports have no
 * cycle. Type-only imports are erased at run time and may point anywhere: SimState
 * (engine/state.ts) gathers every layer's state types into one plain object.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Bottom to top. */
export const LAYERS = [
  'engine',
  'link',
  'network',
  'transport',
  'application',
  'roles',
  'scenario',
  'observation',
  'simulation',
] as const;

const SRC = join(import.meta.dirname, '..');

function sourceFiles(): string[] {
  return LAYERS.flatMap((layer) =>
    readdirSync(join(SRC, layer), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => normalize(join(layer, f))),
  );
}

/** The files a module imports values from (relative to src/), ignoring `import type` and all-`type` lists. */
export function valueImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+'(\.[^']+)';/gms)) {
    const names = m[2] ?? '';
    const typeOnly =
      m[1] !== undefined ||
      (/^\{[^}]*\}$/s.test(names.trim()) &&
        names
          .replace(/[{}]/g, '')
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== '')
          .every((n) => n.startsWith('type ')));
    if (!typeOnly) out.push(normalize(join(dirname(file), m[3] as string)));
  }
  return out;
}

const layerOf = (file: string) => LAYERS.indexOf(file.split(/[\\/]/)[0] as (typeof LAYERS)[number]);

describe('layers of the simulation', () => {
  const files = sourceFiles();
  const graph = new Map(files.map((f) => [f, valueImports(f, readFileSync(join(SRC, f), 'utf8'))]));

  it('every source file is in a layer, and value imports never point up a layer', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph)
      for (const t of targets) {
        if (layerOf(t) < 0) upward.push(`${file} → ${t} (no layer)`);
        else if (layerOf(t) > layerOf(file)) upward.push(`${file} → ${t}`);
      }
    expect(upward).toEqual([]);
  });

  it('value imports have no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map((x) => relative('.', x)).join(' → '));
        return;
      }
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) visit(t);
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) visit(f);
    expect(cycles).toEqual([]);
  });

  it('the checker sees a value import and ignores a type-only one (it can fail)', () => {
    expect(valueImports('engine/a.ts', "import { x } from '../roles/b.ts';")).toEqual(['roles/b.ts']);
    expect(valueImports('engine/a.ts', "import type { x } from '../roles/b.ts';")).toEqual([]);
    expect(valueImports('engine/a.ts', "import { type x, type y } from '../roles/b.ts';")).toEqual([]);
    expect(valueImports('engine/a.ts', "import { type x, y } from '../roles/b.ts';")).toEqual(['roles/b.ts']);
  });
});
