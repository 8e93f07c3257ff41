/**
 * A copy's ticks go out in batches, every TICKS_PER_BATCH ticks with the state patch
 * (SPEC SYNC-3): a socket write per client costs more than the tick it carries (on a
 * busy server half its time went to writes, docs/PERFORMANCE.md "Rooms on one
 * process"), so a client gets 5 writes a second instead of 20. The hash of a tick
 * rides in the batch that holds the tick (SPEC SYNC-4), so a replica checks it when it
 * reaches that tick, not before.
 */
import type { SyncHash, SyncTick, SyncTicks } from '@roundtrip/protocol';

/** The ticks of one copy not yet sent. */
class PendingTicks {
  private batch: SyncTicks | null = null;
  private readonly copy: number;

  constructor(copy: number) {
    this.copy = copy;
  }

  add(tick: SyncTick): void {
    const b = this.batch;
    // A tick that does not follow the pending ones (a copy rebuilt) starts a batch of its own.
    if (b === null || b.tick + b.simTimeUs.length !== tick.tick)
      this.batch = {
        copy: this.copy,
        tick: tick.tick,
        simTimeUs: [tick.simTimeUs],
        commands: [tick.commands],
      };
    else {
      b.simTimeUs.push(tick.simTimeUs);
      b.commands.push(tick.commands);
    }
  }

  /** The hash after a pending tick; a hash for a tick already sent would arrive after it, so it is dropped. */
  hashed(h: SyncHash): void {
    const b = this.batch;
    if (b === null || h.tick < b.tick || h.tick >= b.tick + b.simTimeUs.length) return;
    b.hashTick = h.tick;
    b.hash = h.hash;
  }

  take(): SyncTicks | null {
    const b = this.batch;
    this.batch = null;
    return b;
  }
}

/** The pending ticks of every copy of a round. */
export class TickBatches {
  private readonly pending: PendingTicks[] = [];

  add(tick: SyncTick): void {
    this.of(tick.copy).add(tick);
  }

  hashed(h: SyncHash): void {
    this.of(h.copy).hashed(h);
  }

  /** Hands each copy's pending batch to `send` and forgets it. */
  flush(send: (batch: SyncTicks) => void): void {
    for (const p of this.pending) {
      const batch = p?.take();
      if (batch) send(batch);
    }
  }

  /** Drops everything pending (a new round's copies start their ticks again). */
  clear(): void {
    this.pending.length = 0;
  }

  private of(copy: number): PendingTicks {
    let p = this.pending[copy];
    if (!p) {
      p = new PendingTicks(copy);
      this.pending[copy] = p;
    }
    return p;
  }
}
