/** A lesson's debrief: its shape, its keys (failure reasons the simulation records), and every lesson has one — SPEC SCN-4. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS } from './debrief.ts';
import { loadScenario } from './scenario.ts';

const SCENARIOS = join(import.meta.dirname, '../../../../scenarios');
const lessonFiles = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));
const raw = (f: string) => JSON.parse(readFileSync(join(SCENARIOS, f), 'utf8'));

describe('scenario debriefs — SPEC SCN-4', () => {
  it.each(lessonFiles)('%s has a debrief whose every key is a failure reason', (f) => {
    const d = loadScenario(raw(f), f).file.debrief;
    expect(d?.summary.length).toBeGreaterThan(0);
    expect(Object.keys(d?.concepts ?? {}).length).toBeGreaterThan(0);
    for (const key of Object.keys(d?.concepts ?? {})) expect(FAILURE_REASONS).toContain(key);
  });

  it('knows the reasons of drops, page loads and lookups', () => {
    for (const r of [
      'ttl-expired',
      'no-route',
      'link-loss',
      'nxdomain',
      'dns-timeout',
      'servfail',
      'dead-address',
      'connection-refused',
      'timeout',
    ])
      expect(FAILURE_REASONS).toContain(r);
  });

  it('refuses an unknown reason, an empty summary and an overlong sentence, naming the field', () => {
    const base = raw('lesson-3-url.json');
    const load = (debrief: unknown) => () => loadScenario({ ...base, debrief }, 'x.json');
    expect(load({ summary: 'ok', concepts: { 'cosmic-rays': 'no' } })).toThrow(
      /debrief\.concepts\.cosmic-rays.*expected a failure reason the simulation records: queue-full/,
    );
    expect(load({ summary: '', concepts: {} })).toThrow(/debrief\.summary/);
    expect(load({ summary: 'ok', concepts: { servfail: 'x'.repeat(301) } })).toThrow(
      /debrief\.concepts\.servfail/,
    );
    expect(load({ summary: 'ok', concepts: {}, extra: 1 })).toThrow(/debrief/);
    expect(loadScenario({ ...base, debrief: { summary: 'ok' } }, 'x.json').file.debrief?.concepts).toEqual(
      {},
    );
  });
});
