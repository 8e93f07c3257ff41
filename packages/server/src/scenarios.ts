import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenario, type Scenario } from '@roundtrip/sim';

/** Where lesson files are read from: `SCENARIOS_DIR` (a folder of one's own lessons), else the repository's. */
export const SCENARIOS_DIR = resolve(
  process.env.SCENARIOS_DIR || resolve(import.meta.dirname, '../../../scenarios'),
);

/** A validated scenario and the JSON it was read from (clients build their replicas from the JSON). */
export interface LoadedScenario {
  scenario: Scenario;
  raw: unknown;
}

const cache = new Map<string, LoadedScenario>();

/**
 * Reads, validates and caches `scenarios/<id>.json` (`id` a lesson id checked by
 * lessons.ts, or a path under scenarios/ for tools). Throws a ScenarioError naming
 * the file and field when the file is invalid.
 */
export function lessonScenario(id: string): LoadedScenario {
  const cached = cache.get(id);
  if (cached) return cached;
  const path = resolve(SCENARIOS_DIR, `${id}.json`);
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const loaded = { scenario: loadScenario(raw, path), raw };
  cache.set(id, loaded);
  return loaded;
}
