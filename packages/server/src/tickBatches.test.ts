import type { SyncTick, SyncTicks } from '@roundtrip/protocol';
import { describe, expect, it } from 'vitest';
import { TickBatches } from './tickBatches.ts';

const tick = (copy: number, n: number, commands: SyncTick['commands'] = []): SyncTick => ({
  copy,
  tick: n,
  simTimeUs: n * 50_000,
  commands,
});

function flushed(batches: TickBatches): SyncTicks[] {
  const out: SyncTicks[] = [];
  batches.flush((b) => out.push(b));
  return out;
}

describe('tick batches (SPEC SYNC-3, SYNC-4)', () => {
  it('SYNC-3: holds each copy’s ticks until the flush, then sends one batch per copy and forgets them', () => {
    const batches = new TickBatches();
    const cmd = { type: 'link.set', link: 'l-1', up: false } as const;
    batches.add(tick(0, 7, [cmd]));
    batches.add(tick(1, 7));
    batches.add(tick(0, 8));
    expect(flushed(batches)).toEqual([
      { copy: 0, tick: 7, simTimeUs: [350_000, 400_000], commands: [[cmd], []] },
      { copy: 1, tick: 7, simTimeUs: [350_000], commands: [[]] },
    ]);
    expect(flushed(batches)).toEqual([]);
  });

  it('SYNC-4: a hash rides in the batch holding its tick; one for a tick already sent is dropped', () => {
    const batches = new TickBatches();
    batches.add(tick(0, 19));
    batches.hashed({ copy: 0, tick: 19, hash: 'abc' });
    batches.add(tick(0, 20));
    expect(flushed(batches)[0]).toMatchObject({ tick: 19, hashTick: 19, hash: 'abc' });
    batches.add(tick(0, 21));
    batches.hashed({ copy: 0, tick: 20, hash: 'old' });
    expect(flushed(batches)[0]).not.toHaveProperty('hash');
  });

  it('SYNC-3: a tick that does not follow the pending ones (a new round) starts a batch of its own', () => {
    const batches = new TickBatches();
    batches.add(tick(0, 40));
    batches.add(tick(0, 1));
    expect(flushed(batches)).toEqual([{ copy: 0, tick: 1, simTimeUs: [50_000], commands: [[]] }]);
  });
});
