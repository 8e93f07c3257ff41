import { partsTotal, type ScoreParts } from '@roundtrip/sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlayerScores, partsSince, sumParts } from './playerScores.ts';

describe('scores belong to players (SPEC SCORE-7)', () => {
  it('a player who takes over a seat starts at 0, whatever the seat made before', () => {
    const node = { delivered: { count: 40, points: 40 }, 'no-route': { count: 3, points: -3 } };
    const scores = new PlayerScores();
    scores.seat('late', 0, 'r-west', node);
    expect(scores.score('late', () => node)).toBe(0);
    const later = { delivered: { count: 45, points: 45 }, 'no-route': { count: 4, points: -4 } };
    expect(scores.parts('late', () => later)).toEqual({
      delivered: { count: 5, points: 5 },
      'no-route': { count: 1, points: -1 },
    });
    expect(scores.score('late', () => later)).toBe(4);
  });

  it('an account moves with its player and closes when they leave', () => {
    const scores = new PlayerScores();
    scores.seat('a', 1, 'r-north', {});
    scores.move('a', 'b');
    expect(scores.parts('a', () => ({}))).toBeNull();
    expect(
      scores.score('b', (copy, node) =>
        copy === 1 && node === 'r-north' ? { delivered: { count: 2, points: 2 } } : {},
      ),
    ).toBe(2);
    const saved = scores.save();
    const back = new PlayerScores();
    back.load(saved);
    expect(back.score('b', () => ({ delivered: { count: 3, points: 3 } }))).toBe(3);
    back.forget('b');
    expect(back.score('b', () => ({}))).toBe(0);
  });

  it('carried points add to the new seat part by part', () => {
    expect(
      sumParts(
        { delivered: { count: 1, points: 1 } },
        { delivered: { count: 2, points: 2 }, 'hand-timeout': { count: 1, points: -1 } },
      ),
    ).toEqual({
      delivered: { count: 3, points: 3 },
      'hand-timeout': { count: 1, points: -1 },
    });
    expect(
      partsSince({ delivered: { count: 2, points: 2 } }, { delivered: { count: 2, points: 2 } }),
    ).toEqual({});
  });

  it('COVER-2: while a bot covers the seat nothing the node makes is the player’s; taken back, they count again', () => {
    const scores = new PlayerScores();
    scores.seat('idle', 0, 'r-west', {});
    const before = { delivered: { count: 4, points: 4 }, 'hand-timeout': { count: 1, points: -1 } };
    scores.cover('idle', before);
    expect(scores.covered('idle')).toBe(true);
    // The bot forwards 50 packets and lets 9 time out: neither is the idle player's.
    const botWork = { delivered: { count: 54, points: 54 }, 'hand-timeout': { count: 10, points: -10 } };
    expect(scores.parts('idle', () => botWork)).toEqual(before);
    // Saved and loaded mid-cover (a restart), the account stays covered.
    const back = new PlayerScores();
    back.load(scores.save());
    expect(back.covered('idle')).toBe(true);
    expect(back.score('idle', () => botWork)).toBe(3);
    back.uncover('idle', botWork);
    expect(back.covered('idle')).toBe(false);
    const after = { delivered: { count: 56, points: 56 }, 'hand-timeout': { count: 10, points: -10 } };
    expect(back.parts('idle', () => after)).toEqual({
      delivered: { count: 6, points: 6 },
      'hand-timeout': { count: 1, points: -1 },
    });
  });

  it('SCORE-7: a score is exactly the total of its breakdown, to the last bit of a fractional point', () => {
    const part = fc.constantFrom('delivered', 'no-route', 'hand-timeout', 'dns-cache', 'ttl');
    const entry = fc.record({
      count: fc.integer({ min: 0, max: 50 }),
      points: fc.double({ min: -50, max: 50, noNaN: true }),
    });
    const parts = fc.dictionary(part, entry) as fc.Arbitrary<ScoreParts>;
    fc.assert(
      fc.property(parts, parts, parts, (carried, baseline, now) => {
        const scores = new PlayerScores();
        scores.seat('p', 0, 'r', baseline, carried);
        expect(scores.score('p', () => now)).toBe(partsTotal(scores.parts('p', () => now) ?? {}));
        scores.cover('p', now);
        expect(scores.score('p', () => baseline)).toBe(partsTotal(scores.parts('p', () => baseline) ?? {}));
      }),
      { numRuns: 500 },
    );
  });
});
