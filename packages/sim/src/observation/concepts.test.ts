import { describe, expect, it } from 'vitest';
import { LOSS_REASON_TEXT } from '../engine/records.ts';
import { loadScenario, ScenarioError } from '../scenario/scenario.ts';
import { lineScenario, ONE_FRAME } from '../testing/lineScenario.ts';
import { conceptFor, FAILURE_CONCEPTS, FAILURE_REASON_TEXT, PAGE_LOAD_REASON_TEXT } from './concepts.ts';

describe('the concept behind each failure (SPEC DEBRIEF-2)', () => {
  it('DEBRIEF-2: every drop, request and page-load reason has one plain sentence', () => {
    const reasons = [...Object.keys(LOSS_REASON_TEXT), ...Object.keys(PAGE_LOAD_REASON_TEXT)];
    expect(Object.keys(FAILURE_CONCEPTS).sort()).toEqual([...new Set(reasons)].sort());
    // One label per reason: a page load's reasons that requests share are worded once.
    expect(reasons).toHaveLength(new Set(reasons).size);
    expect(Object.keys(FAILURE_REASON_TEXT).sort()).toEqual([...reasons].sort());
    for (const sentence of Object.values(FAILURE_CONCEPTS)) {
      expect(sentence).toMatch(/^[A-Z].{20,220}\.$/);
      expect(sentence.split(/\.\s/).length).toBe(1);
    }
  });

  it('DEBRIEF-2: a scenario’s debrief.concepts replace the defaults it names, and only those', () => {
    const file = {
      ...(lineScenario({ traffic: [ONE_FRAME] }) as object),
      debrief: { summary: 'Loops burn TTL.', concepts: { 'ttl-expired': 'Your loop burned it.' } },
    };
    const { debrief } = loadScenario(file, 'x.json').file;
    expect(debrief?.summary).toBe('Loops burn TTL.');
    expect(conceptFor('ttl-expired', debrief)).toBe('Your loop burned it.');
    expect(conceptFor('no-route', debrief)).toBe(FAILURE_CONCEPTS['no-route']);
    expect(conceptFor('no-route')).toBe(FAILURE_CONCEPTS['no-route']);
    expect(conceptFor('something-new')).toMatch(/failed/);
    expect(() =>
      loadScenario({ ...file, debrief: { summary: 'x', concepts: { nope: 'y' } } }, 'x.json'),
    ).toThrow(ScenarioError);
    expect(() => loadScenario({ ...file, debrief: { summary: 1, concepts: {} } }, 'x.json')).toThrow(
      ScenarioError,
    );
  });
});
