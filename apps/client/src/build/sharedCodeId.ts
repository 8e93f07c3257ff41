import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The code a page shares with the server (SPEC SYNC-10): the simulation, which a replica
 * must run exactly as the server does, and the protocol, the messages' shapes.
 */
export const SHARED_CODE_DIRS = ['packages/sim/src', 'packages/protocol/src'].map((d) =>
  resolve(import.meta.dirname, '../../../..', d),
);

/**
 * A short hash of every source file under `dirs` (their tests left out), by path and
 * content: the build id a page and the server compare. It changes when, and only when,
 * that shared code changes, so a change to the client's screens alone never asks open
 * pages to reload. Node-only: the client's build (vite.config.ts) runs it.
 */
export function sharedCodeId(dirs: readonly string[] = SHARED_CODE_DIRS): string {
  const hash = createHash('sha256');
  for (const dir of dirs)
    for (const file of sourceFiles(dir)) {
      // Path and content, each ended by a NUL, so no two different trees hash the same bytes.
      hash.update(`${relative(dir, file)}\0`);
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  return hash.digest('hex').slice(0, 16);
}

/** The `.ts` files under `dir` that are not tests, in a fixed order. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
