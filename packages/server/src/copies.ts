import type { ServerMessages, SyncHash, SyncTick } from '@roundtrip/protocol';
import {
  MetricsCollector,
  type MetricsTally,
  type Scenario,
  Scoreboard,
  type ScoreParts,
  type SimCommand,
  Simulation,
  SnapshotFormatError,
} from '@roundtrip/sim';
import { pack, unpack } from 'msgpackr';
import { DebriefCollector, type DebriefTally } from './debrief.ts';
import { FigureSampler, type FigureTally } from './figures.ts';
import type { CopyCheckpoint, LogEntry } from './store.ts';

/** Commands one copy holds for its next tick at most; more are refused (bounds memory per tick). */
export const QUEUED_COMMANDS_MAX = 512;

/**
 * Commands one sender may queue for one tick (SPEC MSG-4): a team shares its copy's
 * queue, so one player must not be able to fill it. 8 a tick is 160 a second, far
 * more than hands on a keyboard send.
 */
export const COMMANDS_PER_SENDER_PER_TICK_MAX = 8;

/** A command waiting for the next tick, with who sent it (null: the room itself, e.g. a bot taking a seat). */
export interface QueuedCommand {
  cmd: SimCommand;
  senderSessionId: string | null;
  /** The client message type it came from, for error replies. */
  request: string;
}

/** A command the simulation refused at a tick. */
export interface Rejection {
  senderSessionId: string;
  request: string;
  error: string;
}

/** The outcome of one tick of one copy: the tick message to broadcast and the refusals to report. */
export interface CopyStep {
  tick: SyncTick;
  rejected: Rejection[];
  /** Simulated time when the tick's commands applied (before it advanced). */
  appliedAtUs: number;
  /** The tick's entry in the copy's command log, when commands applied; the room saves the same entry. */
  logged: LogEntry | null;
}

/** What the copy's observers have counted from the records so far (they are not in the snapshot). */
interface CopyTally {
  network: number;
  byNode: number[];
  /** The scores' breakdowns (SPEC SCORE-7); absent in checkpoints written before they existed. */
  networkParts?: ScoreParts;
  partsByNode?: ScoreParts[];
  metrics: MetricsTally;
  figures: FigureTally;
  /** Absent in checkpoints written before the debrief was collected. */
  debrief?: DebriefTally;
}

/** Where a copy had got to when last saved: its tick and simulated time. */
export interface CopyProgress {
  tick: number;
  simTimeUs: number;
}

/**
 * One copy of the network (a team): an independent Simulation with its own
 * scoreboard, metrics and command queue (SPEC SYNC-1). Commands never apply
 * on arrival, only at the next tick, in arrival order.
 */
export class SimCopy {
  readonly index: number;
  readonly sim: Simulation;
  readonly scoreboard: Scoreboard;
  readonly metrics = new MetricsCollector();
  readonly figures = new FigureSampler();
  readonly debrief: DebriefCollector;
  /** Every command this copy applied this round, in order: the replay (SPEC DEBRIEF-5). */
  readonly log: LogEntry[] = [];
  /** Ticks run so far; tick N's message carries `tick: N`. */
  tick = 0;
  private queue: QueuedCommand[] = [];
  /**
   * The snapshot the latest hash was taken from, while the copy has not stepped since: a
   * checkpoint on a hash tick reuses it (SPEC PERSIST-3) instead of taking a second one.
   */
  private hashed: { tick: number; bytes: Uint8Array } | null = null;
  /** Commands each sender has queued for the next tick. */
  private readonly queuedBySender = new Map<string, number>();

  constructor(index: number, scenario: Scenario, seed: number) {
    this.index = index;
    this.sim = new Simulation(scenario, seed);
    this.scoreboard = new Scoreboard(scenario);
    this.debrief = new DebriefCollector(scenario, () => this.scoreboard.network);
    this.sim.onRecord((r) => {
      // Before the scoreboard: a debrief point closed by this record holds the score before it.
      this.debrief.add(r);
      this.scoreboard.add(r);
      this.metrics.add(r);
      this.figures.add(r);
    });
  }

  /** Queues a command for the next tick; null when queued, else why it was refused. */
  enqueue(command: QueuedCommand): string | null {
    const sender = command.senderSessionId;
    const sent = sender === null ? 0 : (this.queuedBySender.get(sender) ?? 0);
    if (sent >= COMMANDS_PER_SENDER_PER_TICK_MAX)
      return `at most ${COMMANDS_PER_SENDER_PER_TICK_MAX} commands a tick each; send this one again in a moment`;
    if (this.queue.length >= QUEUED_COMMANDS_MAX)
      return 'too many commands are waiting; try again in a moment';
    if (sender !== null) this.queuedBySender.set(sender, sent + 1);
    this.queue.push(command);
    return null;
  }

  /** Commands waiting for the next tick. */
  get queuedCount(): number {
    return this.queue.length;
  }

  /** Forgets queued commands (the round ended before they applied). */
  clearQueue(): void {
    this.queue = [];
    this.queuedBySender.clear();
  }

  /**
   * A copy as it was: `checkpoint` restored, then each logged tick's commands applied
   * at their simulated time, then advanced to `progress` (SPEC PERSIST-4). Records met
   * on the way feed the restored observers, as they did the first time.
   */
  static restore(
    index: number,
    scenario: Scenario,
    seed: number,
    checkpoint: CopyCheckpoint,
    log: readonly LogEntry[],
    progress: CopyProgress,
  ): SimCopy {
    const copy = new SimCopy(index, scenario, seed);
    try {
      copy.sim.restore(checkpoint.snapshot);
    } catch (e) {
      if (!(e instanceof SnapshotFormatError)) throw e;
      // Saved by a server whose state had another shape: the round's whole log replays from its start
      // (the log stays whole, PERSIST-3) on this fresh copy, whose observers count its records afresh.
      return copy.replayed(log, progress);
    }
    const tally = unpack(checkpoint.tally) as CopyTally;
    copy.scoreboard.network = tally.network;
    copy.scoreboard.byNode.splice(0, tally.byNode.length, ...tally.byNode);
    if (tally.networkParts) copy.scoreboard.networkParts = tally.networkParts;
    tally.partsByNode?.forEach((parts, i) => {
      copy.scoreboard.partsByNode[i] = parts;
    });
    copy.metrics.load(tally.metrics);
    copy.figures.load(tally.figures);
    if (tally.debrief) copy.debrief.load(tally.debrief);
    copy.tick = checkpoint.tick;
    return copy.replayed(log, progress);
  }

  /** Applies the logged ticks after this copy's tick at their simulated times, then advances to `progress`. */
  private replayed(log: readonly LogEntry[], progress: CopyProgress): SimCopy {
    for (const entry of log) {
      if (entry.copy !== this.index) continue;
      this.log.push(entry);
      if (entry.tick <= this.tick) continue;
      this.sim.advanceTo(Math.max(this.sim.nowUs, entry.atUs));
      for (const cmd of JSON.parse(entry.commands) as SimCommand[]) this.sim.apply(cmd);
      this.tick = entry.tick;
    }
    if (progress.tick >= this.tick) {
      this.sim.advanceTo(Math.max(this.sim.nowUs, progress.simTimeUs));
      this.tick = progress.tick;
    }
    this.debrief.advancedTo(this.sim.nowUs);
    return this;
  }

  /** The simulation's snapshot and the observers' counts now, for a checkpoint (SPEC PERSIST-3). */
  checkpoint(): CopyCheckpoint {
    const tally: CopyTally = {
      network: this.scoreboard.network,
      byNode: [...this.scoreboard.byNode],
      // Packed at once below, so the live objects go in as they are (no clone).
      networkParts: this.scoreboard.networkParts,
      partsByNode: this.scoreboard.partsByNode,
      metrics: this.metrics.save(),
      figures: this.figures.save(this.sim.nowUs),
      debrief: this.debrief.save(),
    };
    const snapshot = this.hashed?.tick === this.tick ? this.hashed.bytes : this.sim.snapshot();
    this.hashed = null;
    return { copy: this.index, tick: this.tick, snapshot, tally: pack(tally) };
  }

  /** Applies the queued commands in order, then advances simulated time by `deltaUs`. */
  step(deltaUs: number): CopyStep {
    const appliedAtUs = this.sim.nowUs;
    const applied: SimCommand[] = [];
    const rejected: Rejection[] = [];
    this.hashed = null;
    this.queuedBySender.clear();
    for (const q of this.queue.splice(0)) {
      const error = this.sim.apply(q.cmd);
      if (error === null) applied.push(q.cmd);
      else if (q.senderSessionId !== null)
        rejected.push({ senderSessionId: q.senderSessionId, request: q.request, error });
    }
    this.sim.advanceTo(this.sim.nowUs + deltaUs);
    this.debrief.advancedTo(this.sim.nowUs);
    this.tick++;
    let logged: LogEntry | null = null;
    if (applied.length > 0) {
      logged = { copy: this.index, tick: this.tick, atUs: appliedAtUs, commands: JSON.stringify(applied) };
      this.log.push(logged);
    }
    return {
      tick: { copy: this.index, tick: this.tick, simTimeUs: this.sim.nowUs, commands: applied },
      rejected,
      appliedAtUs,
      logged,
    };
  }

  /** The whole state now, for a client to build or rebuild its replica. */
  snapshot(): ServerMessages['sync.snapshot'] {
    return { copy: this.index, tick: this.tick, seed: this.sim.seed, bytes: this.sim.snapshot() };
  }

  /** The state hash after the latest tick; its snapshot is kept for a checkpoint taken before the next step. */
  hash(): SyncHash {
    const bytes = this.sim.snapshot();
    this.hashed = { tick: this.tick, bytes };
    return { copy: this.index, tick: this.tick, hash: Simulation.hashOf(bytes) };
  }
}
