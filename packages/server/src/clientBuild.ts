import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built client (`pnpm build` writes it). */
export const CLIENT_DIST_DIR = resolve(import.meta.dirname, '../../../apps/client/dist');

let cached: { dir: string; mtimeMs: number; build: string } | null = null;

/**
 * The build id of the pages this server serves (SPEC SYNC-10): `build.json`, which the
 * client's build writes beside index.html; '' when there is none (no build, or an old one;
 * in dev Vite serves the pages). Read again whenever the file changes, so a client rebuilt
 * while the server runs is announced as the one it now serves.
 */
export function servedBuild(dir = CLIENT_DIST_DIR): string {
  const file = resolve(dir, 'build.json');
  try {
    const { mtimeMs } = statSync(file);
    if (cached?.dir === dir && cached.mtimeMs === mtimeMs) return cached.build;
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const build =
      typeof parsed === 'object' && parsed !== null && 'build' in parsed && typeof parsed.build === 'string'
        ? parsed.build
        : '';
    cached = { dir, mtimeMs, build };
    return build;
  } catch {
    return '';
  }
}
