import { performance } from 'node:perf_hooks';
import { TICK_HZ } from '@roundtrip/protocol';
import type { CopyProgress, CopyStep, SimCopy } from './copies.ts';
import { log, warnLimited } from './logger.ts';
import type { PlayerResult } from './results.ts';
import { dataDir, type LogEntry, Store } from './store.ts';

/** A room writes its applied commands and its state this often (ticks): 1 s of wall time. */
export const LOG_EVERY_TICKS = TICK_HZ;
/** A room replaces its checkpoint (every copy's snapshot) this often (ticks): 5 s of wall time. */
export const CHECKPOINT_EVERY_TICKS = 5 * TICK_HZ;
/**
 * Logged ticks with commands kept since the last checkpoint, all copies together; past
 * this the next flush is a checkpoint instead (bounds the log and the replay on restore).
 */
export const LOG_ENTRIES_MAX = 2_000;
/** A checkpoint slower than this is logged as a warning: it holds up the room's 50 ms tick. */
export const SLOW_WRITE_MS = 20;

/** A player as saved with the room. */
export interface SavedPlayer {
  sessionId: string;
  nickname: string;
  copy: number;
  node: string;
  role: string;
  score: number;
  /** The secret that lets this player take the seat back after a restart. */
  token: string;
}

/** One copy's sparklines, which no checkpoint of the simulation holds. */
export interface SavedSparklines {
  udpP95History: number[];
  tcpP95History: number[];
  scoreHistory: number[];
}

/** Everything about a room besides its simulations, as saved (JSON). */
export interface SavedRoom {
  code: string;
  /** The scenario file's name (`lessonScenario` takes it). */
  lessonId: string;
  seed: number;
  durationUs: number;
  timeScale: number;
  phase: 'lobby' | 'running' | 'paused';
  hostToken: string;
  hostKeyHash: string | null;
  startedAtMs: number | null;
  players: SavedPlayer[];
  departed: PlayerResult[];
  departedNicknames: string[];
  /** Per copy: where it had got to, and its sparklines. */
  copies: (CopyProgress & SavedSparklines)[];
}

let opened: Store | null = null;

/** The server's store, opened on first use in the data directory (DATA_DIR). */
export function serverStore(): Store {
  opened ??= new Store(dataDir());
  return opened;
}

/**
 * Saves one room while it lives (SPEC PERSIST-3): every LOG_EVERY_TICKS the commands
 * its copies applied and its own state; every CHECKPOINT_EVERY_TICKS (and when a round
 * starts) a checkpoint of every copy, which empties the log. A failed write is logged
 * and the room carries on; the next checkpoint tries again.
 */
export class RoomKeeper {
  private readonly store: Store;
  private readonly code: string;
  private pending: LogEntry[] = [];
  private loggedSinceCheckpoint = 0;
  private ticks = 0;
  private needsCheckpoint = true;

  constructor(store: Store, code: string) {
    this.store = store;
    this.code = code;
  }

  /** A copy applied `step`: its commands, if any, join the log. */
  stepped(copy: SimCopy, step: CopyStep): void {
    if (step.tick.commands.length === 0) return;
    this.pending.push({
      copy: copy.index,
      tick: step.tick.tick,
      atUs: step.appliedAtUs,
      commands: JSON.stringify(step.tick.commands),
    });
  }

  /** The copies were replaced (a round started): the next write is a checkpoint. */
  copiesChanged(): void {
    this.needsCheckpoint = true;
    this.pending = [];
  }

  /** Called once a tick with the room as it is now; writes when a write is due. */
  tick(room: () => SavedRoom, copies: readonly SimCopy[]): void {
    this.ticks++;
    const checkpointDue =
      this.needsCheckpoint ||
      this.ticks % CHECKPOINT_EVERY_TICKS === 0 ||
      this.loggedSinceCheckpoint + this.pending.length > LOG_ENTRIES_MAX;
    if (checkpointDue) this.checkpoint(room(), copies);
    else if (this.ticks % LOG_EVERY_TICKS === 0) this.flushLog(room());
  }

  /** Writes a checkpoint now (a round started, or the server is shutting down). */
  checkpoint(room: SavedRoom, copies: readonly SimCopy[]): void {
    const t0 = performance.now();
    try {
      const checkpoints = copies.map((c) => c.checkpoint());
      const t1 = performance.now();
      this.store.saveCheckpoint(this.code, Date.now(), JSON.stringify(room), checkpoints);
      const t2 = performance.now();
      const fields = {
        room: this.code,
        copies: copies.length,
        bytes: checkpoints.reduce((n, c) => n + c.snapshot.byteLength + c.tally.byteLength, 0),
        snapshotMs: round2(t1 - t0),
        writeMs: round2(t2 - t1),
      };
      if (t2 - t0 > SLOW_WRITE_MS) warnLimited('slow-checkpoint', fields, 'a checkpoint held up the tick');
      else log.debug(fields, 'checkpoint written');
      this.needsCheckpoint = false;
      this.loggedSinceCheckpoint = 0;
      this.pending = [];
    } catch (e) {
      this.needsCheckpoint = true;
      warnLimited('checkpoint-failed', { room: this.code, err: e }, 'could not save the room; trying again');
    }
  }

  private flushLog(room: SavedRoom): void {
    try {
      this.store.appendLog(this.code, Date.now(), JSON.stringify(room), this.pending);
      this.loggedSinceCheckpoint += this.pending.length;
      this.pending = [];
    } catch (e) {
      // The lost entries are covered by a checkpoint, taken next.
      this.needsCheckpoint = true;
      warnLimited('log-failed', { room: this.code, err: e }, 'could not save the room; trying again');
    }
  }

  /** The room closed without a round to finish: its checkpoint goes. */
  forget(): void {
    try {
      this.store.deleteLive(this.code);
    } catch (e) {
      warnLimited('forget-failed', { room: this.code, err: e }, 'could not delete a closed room');
    }
  }
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
