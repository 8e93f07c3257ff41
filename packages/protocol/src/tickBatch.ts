import type { SyncHash, SyncTick, SyncTicks } from './serverMessages.ts';

/** The ticks of a `sync.ticks` batch, one by one, in order (SPEC SYNC-3). */
export function ticksOf(batch: SyncTicks): SyncTick[] {
  return batch.simTimeUs.map((simTimeUs, i) => ({
    copy: batch.copy,
    tick: batch.tick + i,
    simTimeUs,
    commands: batch.commands[i] ?? [],
  }));
}

/** The state hash a batch carries, if any (SPEC SYNC-4). */
export function hashOf(batch: SyncTicks): SyncHash | null {
  return batch.hashTick === undefined || batch.hash === undefined
    ? null
    : { copy: batch.copy, tick: batch.hashTick, hash: batch.hash };
}
