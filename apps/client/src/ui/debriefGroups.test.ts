import { FAILURE_REASON_TEXT } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { groupFailures, reasonText, unitsText } from './debriefGroups.ts';

const f = (copy: number, unit: string, reason: string, place: string, role: string, count: number) => ({
  copy,
  unit,
  reason,
  place,
  placeLabel: place.toUpperCase(),
  role,
  count,
});

describe('failure groups (SPEC DEBRIEF-1)', () => {
  const failures = [
    f(0, 'request', 'ttl-expired', 'r-west', 'router', 4),
    f(0, 'frame', 'ttl-expired', 'r-west', 'router', 3),
    f(0, 'frame', 'link-loss', 'l-a', 'link', 5),
    f(1, 'frame', 'no-route', 'r-east', 'router', 2),
  ];

  it('DEBRIEF-1: adds up by reason, place and role across teams, biggest first, units kept apart', () => {
    const g = groupFailures(failures);
    expect(g.byReason.map((l) => [l.key, l.total])).toEqual([
      ['ttl-expired', 7],
      ['link-loss', 5],
      ['no-route', 2],
    ]);
    expect(g.byReason[0]?.units).toEqual({ request: 4, frame: 3 });
    expect(g.byPlace.map((l) => [l.label, l.total])).toEqual([
      ['R-WEST', 7],
      ['L-A', 5],
      ['R-EAST', 2],
    ]);
    expect(g.byRole.map((l) => [l.key, l.total, l.reasons.map((r) => r.reason)])).toEqual([
      ['router', 9, ['ttl-expired', 'no-route']],
      ['link', 5, ['link-loss']],
    ]);
    expect(unitsText(g.byReason[0]?.units ?? {})).toBe('4 requests, 3 frames');
  });

  it('DEBRIEF-1: keeps one team’s when asked; old rounds without places group as "somewhere"', () => {
    expect(groupFailures(failures, [1]).byPlace.map((l) => l.key)).toEqual(['r-east']);
    const old = groupFailures([f(0, '', 'no-route', '', '', 3)]);
    expect(old.byPlace[0]?.label).toBe('somewhere (not recorded)');
    expect(unitsText(old.byPlace[0]?.units ?? {})).toBe('3 failures');
  });
});

describe('failure reasons in words (SPEC DEBRIEF-2)', () => {
  it('DEBRIEF-2: a request whose connection was already gone is not blamed on a server that changed address', () => {
    // Lesson 6: a chat an L4 balancer moved breaks (conn-moved); its later messages find the
    // connection gone and fail connection-reset. Nobody changed address.
    expect(reasonText('connection-reset')).toBe('the connection was reset or had already broken');
    expect(reasonText('conn-moved')).toMatch(/balancer/);
  });

  it('DEBRIEF-2: one label per reason, the same in the debrief, the waterfall and on the map; none guesses', () => {
    for (const [reason, label] of Object.entries(FAILURE_REASON_TEXT)) {
      expect(reasonText(reason)).toBe(label);
      expect(label, reason).not.toMatch(/\?\)$/);
    }
    expect(reasonText('something-new')).toBe('something-new');
  });
});
