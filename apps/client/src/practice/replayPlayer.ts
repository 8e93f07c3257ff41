import { type CopyCheckpoint, type LogEntry, SimCopy } from '@roundtrip/server/engine';
import type { Scenario, SimCommand } from '@roundtrip/sim';

/** A practice round keeps its copy as it was this often (simulated time), for the replay's timeline. */
export const CHECKPOINT_EVERY_US = 5_000_000;

/** The copy as it was at simulated time `atUs`. */
export interface Checkpoint {
  atUs: number;
  checkpoint: CopyCheckpoint;
}

/**
 * Plays an attempt back (SPEC PRAC-6): the lesson from its seed with the logged
 * commands applied at their simulated times — the path a replay file is verified by —
 * starting from the nearest checkpoint at or before the time asked for, so scrubbing
 * back costs at most CHECKPOINT_EVERY_US of simulation. The copy's scoreboard gives
 * the score at that moment.
 */
export class ReplayPlayer {
  copy: SimCopy;
  /** The attempt's length: where it ended, µs. */
  readonly endUs: number;
  private readonly scenario: Scenario;
  private readonly seed: number;
  private readonly log: readonly LogEntry[];
  private readonly checkpoints: readonly Checkpoint[];
  /** The next log entry to apply when playing forward. */
  private next = 0;

  constructor(
    scenario: Scenario,
    seed: number,
    log: readonly LogEntry[],
    checkpoints: readonly Checkpoint[],
    endUs: number,
  ) {
    if (checkpoints.length === 0) throw new Error('a replay needs the checkpoint at the start');
    this.scenario = scenario;
    this.seed = seed;
    this.log = log;
    this.checkpoints = [...checkpoints].sort((a, b) => a.atUs - b.atUs);
    this.endUs = endUs;
    this.copy = this.restore(0);
  }

  /** Simulated time shown now, µs. */
  get nowUs(): number {
    return this.copy.sim.nowUs;
  }

  /**
   * Shows the attempt at `tUs` (clamped to its length). Returns true when the copy was
   * rebuilt (a step back or a long jump), so a view drawing it must take the new one.
   */
  seek(tUs: number): boolean {
    const target = Math.max(0, Math.min(this.endUs, tUs));
    const from = this.latestCheckpoint(target);
    // Forward within reach of the live copy: play on; otherwise rebuild from a checkpoint.
    if (target >= this.nowUs && (from === undefined || from.atUs <= this.nowUs)) {
      this.playTo(target);
      return false;
    }
    this.copy = this.restore(target);
    return true;
  }

  private latestCheckpoint(tUs: number): Checkpoint | undefined {
    let best: Checkpoint | undefined;
    for (const c of this.checkpoints) if (c.atUs <= tUs) best = c;
    return best;
  }

  /** A copy at `tUs`: the latest checkpoint before it, then the log up to it. */
  private restore(tUs: number): SimCopy {
    const from = this.latestCheckpoint(tUs) ?? (this.checkpoints[0] as Checkpoint);
    const upTo = this.log.filter((e) => e.atUs <= tUs);
    const copy = SimCopy.restore(0, this.scenario, this.seed, from.checkpoint, upTo, {
      tick: Number.MAX_SAFE_INTEGER,
      simTimeUs: Math.max(tUs, from.atUs),
    });
    this.next = this.log.findIndex((e) => e.atUs > tUs);
    if (this.next < 0) this.next = this.log.length;
    this.copy = copy;
    return copy;
  }

  /** Plays the live copy forward to `tUs`, applying logged commands at their times. */
  private playTo(tUs: number): void {
    const { sim } = this.copy;
    for (; this.next < this.log.length; this.next++) {
      const e = this.log[this.next] as LogEntry;
      if (e.atUs > tUs) break;
      sim.advanceTo(Math.max(sim.nowUs, e.atUs));
      for (const cmd of JSON.parse(e.commands) as SimCommand[]) sim.apply(cmd);
      this.copy.tick = e.tick;
    }
    sim.advanceTo(Math.max(sim.nowUs, tUs));
    this.copy.debrief.advancedTo(sim.nowUs);
  }
}
