import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { servedBuild } from './clientBuild.ts';

const dir = mkdtempSync(join(tmpdir(), 'roundtrip-dist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes build.json with a given modification time (seconds), as a rebuild would. */
function write(content: string, mtimeS: number): void {
  const file = join(dir, 'build.json');
  writeFileSync(file, content);
  utimesSync(file, mtimeS, mtimeS);
}

describe('the build the server announces (SPEC SYNC-10)', () => {
  it('SYNC-10: is the served client’s build.json, read again when a rebuild replaces it', () => {
    expect(servedBuild(dir)).toBe('');
    write('{"build":"aaaa"}\n', 1_000);
    expect(servedBuild(dir)).toBe('aaaa');
    write('{"build":"bbbb"}\n', 2_000);
    expect(servedBuild(dir)).toBe('bbbb');
  });

  it('SYNC-10: a missing, unreadable or malformed build.json announces no build', () => {
    write('not json', 3_000);
    expect(servedBuild(dir)).toBe('');
    write('{"build":7}', 4_000);
    expect(servedBuild(dir)).toBe('');
    expect(servedBuild(join(dir, 'nowhere'))).toBe('');
  });
});
