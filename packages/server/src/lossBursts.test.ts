import { describe, expect, it } from 'vitest';
import { LossBursts } from './lossBursts.ts';

describe('loss bursts (SPEC HOST-6)', () => {
  it('HOST-6: a burst ends at its time with the loss the link had; a second one extends it', () => {
    const b = new LossBursts();
    b.start(0, 'l1', 5_000_000, 0.01);
    b.start(0, 'l1', 8_000_000, 0.5);
    b.start(1, 'l1', 5_000_000, 0);
    expect(b.due(0, 5_000_000)).toEqual([]);
    expect(b.due(1, 5_000_000)).toEqual([{ copy: 1, link: 'l1', untilUs: 5_000_000, restoreLoss: 0 }]);
    expect(b.due(0, 8_000_000)).toEqual([{ copy: 0, link: 'l1', untilUs: 8_000_000, restoreLoss: 0.01 }]);
    expect(b.saved()).toEqual([]);
  });
});
