import {
  hashOf,
  type ServerMessages,
  type SyncHash,
  type SyncTick,
  type SyncTicks,
  TICK_MS,
  ticksOf,
} from '@roundtrip/protocol';
import { type RecordListener, type Scenario, Simulation } from '@roundtrip/sim';

type Snapshot = ServerMessages['sync.snapshot'];

/** A tick received and not yet applied: it is due `dueMs` (performance.now), one tick after the one before. */
interface QueuedTick {
  tick: SyncTick;
  hash: SyncHash | null;
  dueMs: number;
}

/** Why the replica asked the server for a fresh snapshot. */
export type ResyncReason = 'tick-gap' | 'hash-mismatch' | 'no-snapshot';

export interface ReplicaOptions {
  scenario: Scenario;
  /**
   * The copy (team) to follow; null = the copy of each snapshot the server sends (a
   * player's seat's copy, which the host may change, SPEC HOST-4).
   */
  copy: number | null;
  /** Sends `sync.resync` to the room. */
  requestResync: (reason: ResyncReason) => void;
}

/** Ticks to wait for an asked-for snapshot before asking again. */
const RESYNC_RETRY_TICKS = 60;

/**
 * A browser-side copy of the room's simulation (ARCHITECTURE "Sync"): built from
 * a snapshot, stepped by the ordered commands of each tick, checked against the
 * authority's hash every HASH_EVERY_TICKS (SPEC SYNC-4). It draws nothing and sends nothing itself.
 *
 * Ticks arrive in batches (SPEC SYNC-3) and are played out one tick time apart
 * (`play`, each frame), so drawings move on smoothly; a batch that arrives first
 * applies whatever of the previous one is still queued, so a page that draws no
 * frames (a hidden tab) stays at most one batch behind.
 */
export class Replica {
  readonly scenario: Scenario;
  copy: number | null;
  /** Follows whichever copy the server's snapshots are of (a player). */
  private readonly adopts: boolean;
  sim: Simulation | null = null;
  /** The last tick applied; -1 before the first snapshot. */
  tick = -1;
  /** Wall-clock ms (performance.now) when the last tick was applied, for smooth drawing. */
  tickWallMs = 0;
  resyncs = 0;
  private readonly requestResync: (reason: ResyncReason) => void;
  private awaitingSnapshot = false;
  private ticksWhileAwaiting = 0;
  private readonly queue: QueuedTick[] = [];
  private readonly listeners: RecordListener[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(options: ReplicaOptions) {
    this.scenario = options.scenario;
    this.copy = options.copy;
    this.adopts = options.copy === null;
    this.requestResync = options.requestResync;
  }

  /** Subscribes to the records of every simulation this replica builds (drop badges). */
  onRecord(listener: RecordListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Follows copy `copy` from its next snapshot on (the host or a projector picked
   * another team, SPEC HOST-9); until then the drawn copy stays as it was.
   */
  follow(copy: number): void {
    this.copy = copy;
    this.awaitingSnapshot = true;
    this.ticksWhileAwaiting = 0;
  }

  /**
   * Draws a simulation this page runs itself (a practice round, SPEC PRAC-2): no
   * snapshots, ticks or hashes come; `ticked` says when it has advanced.
   */
  adopt(sim: Simulation, tick: number, nowMs = 0): void {
    this.attach(sim);
    this.tick = tick;
    this.tickWallMs = nowMs;
  }

  /** The adopted simulation ran tick `tick` (for smooth drawing between ticks). */
  ticked(tick: number, nowMs: number): void {
    this.tick = tick;
    this.tickWallMs = nowMs;
  }

  private attach(sim: Simulation): void {
    this.unsubscribe?.();
    this.unsubscribe = sim.onRecord((r) => {
      for (const l of this.listeners) l(r);
    });
    this.sim = sim;
  }

  handleSnapshot(msg: Snapshot, nowMs = 0): void {
    if (this.copy === null || this.adopts) this.copy = msg.copy;
    if (msg.copy !== this.copy) return;
    const sim = new Simulation(this.scenario, msg.seed);
    sim.restore(msg.bytes);
    this.attach(sim);
    // Queued ticks the snapshot holds are skipped as they come due; later ones still apply.
    this.tick = msg.tick;
    this.tickWallMs = nowMs;
    this.awaitingSnapshot = false;
    this.ticksWhileAwaiting = 0;
  }

  /**
   * A batch of the copy's ticks: what is still queued from the last batch is applied
   * now, then the new ticks queue, the first due now, each next one a tick later.
   */
  handleTicks(msg: SyncTicks, nowMs = 0): void {
    if (this.copy !== null && msg.copy !== this.copy) return;
    this.play(Number.POSITIVE_INFINITY);
    const hash = hashOf(msg);
    let dueMs = nowMs;
    for (const tick of ticksOf(msg)) {
      this.queue.push({ tick, hash: hash?.tick === tick.tick ? hash : null, dueMs });
      dueMs += TICK_MS;
    }
    this.play(nowMs);
  }

  /** Applies the queued ticks due by `nowMs` (performance.now). */
  play(nowMs: number): void {
    while (this.queue.length > 0 && (this.queue[0] as QueuedTick).dueMs <= nowMs) {
      const q = this.queue.shift() as QueuedTick;
      this.handleTick(q.tick, q.dueMs);
      if (q.hash) this.handleHash(q.hash);
    }
  }

  /** Applies one tick now. */
  handleTick(msg: SyncTick, nowMs = 0): void {
    if (this.copy !== null && msg.copy !== this.copy) return;
    if (this.awaitingSnapshot || !this.sim) {
      if (++this.ticksWhileAwaiting >= RESYNC_RETRY_TICKS) this.resync(this.sim ? 'tick-gap' : 'no-snapshot');
      return;
    }
    if (msg.tick <= this.tick) return; // already part of the snapshot
    if (msg.tick !== this.tick + 1) {
      this.resync('tick-gap');
      return;
    }
    for (const cmd of msg.commands) this.sim.apply(cmd);
    if (msg.simTimeUs >= this.sim.nowUs) this.sim.advanceTo(msg.simTimeUs);
    this.tick = msg.tick;
    this.tickWallMs = nowMs;
  }

  /** Checks the authority's hash after a tick this replica has applied. */
  handleHash(msg: SyncHash): void {
    if (this.copy !== null && msg.copy !== this.copy) return;
    if (this.awaitingSnapshot || !this.sim) return;
    if (msg.tick > this.tick) this.resync('tick-gap');
    else if (msg.tick === this.tick && this.sim.stateHash() !== msg.hash) this.resync('hash-mismatch');
  }

  private resync(reason: ResyncReason): void {
    this.queue.length = 0;
    this.awaitingSnapshot = true;
    this.ticksWhileAwaiting = 0;
    this.resyncs++;
    this.requestResync(reason);
  }
}
