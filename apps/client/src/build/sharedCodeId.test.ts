import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED_CODE_DIRS, sharedCodeId } from './sharedCodeId.ts';

let dirs: string[] = [];

/** A source tree: path → content. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'roundtrip-build-id-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('the build id a page and the server compare (SPEC SYNC-10)', () => {
  const base = { 'a.ts': 'export const a = 1;\n', 'sub/b.ts': 'export const b = 2;\n' };

  it('SYNC-10: is the same for the same code, and changes with any source file, its name or its place', () => {
    const id = sharedCodeId([tree(base)]);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(sharedCodeId([tree(base)])).toBe(id);
    expect(sharedCodeId([tree({ ...base, 'a.ts': 'export const a = 3;\n' })])).not.toBe(id);
    expect(sharedCodeId([tree({ ...base, 'c.ts': '' })])).not.toBe(id);
    expect(sharedCodeId([tree({ 'a.ts': base['a.ts'], 'sub/c.ts': base['sub/b.ts'] })])).not.toBe(id);
    // Content moved across the boundary between two files is a different tree.
    expect(sharedCodeId([tree({ 'a.ts': 'x', 'b.ts': 'y' })])).not.toBe(
      sharedCodeId([tree({ 'a.ts': 'xy', 'b.ts': '' })]),
    );
  });

  it('SYNC-10: leaves tests and other files out, so they never make a page reload', () => {
    const id = sharedCodeId([tree(base)]);
    expect(sharedCodeId([tree({ ...base, 'a.test.ts': 'it()', 'notes.md': '# hi' })])).toBe(id);
  });

  it('SYNC-10: covers the simulation and the protocol', () => {
    expect(SHARED_CODE_DIRS.map((d) => d.replaceAll('\\', '/'))).toEqual([
      expect.stringMatching(/\/packages\/sim\/src$/),
      expect.stringMatching(/\/packages\/protocol\/src$/),
    ]);
    expect(sharedCodeId()).toMatch(/^[0-9a-f]{16}$/);
  });
});
