import { performance } from 'node:perf_hooks';
import type { RoomState } from '@roundtrip/protocol';
import { HASH_EVERY_TICKS, isHashTick, TICK_HZ } from '@roundtrip/protocol';
import type { Banned } from './bans.ts';
import type { CopyProgress, CopyStep, SimCopy } from './copies.ts';
import { log, warnLimited } from './logger.ts';
import type { LossBurst } from './lossBursts.ts';
import type { PlayerLedger } from './playerScores.ts';
import type { PlayerResult } from './results.ts';
import { dataDir, type LogEntry, Store } from './store.ts';

/** A room writes its applied commands and its state at least this often (ticks): 1 s of wall time. */
export const LOG_EVERY_TICKS = TICK_HZ;
/**
 * Each copy's checkpoint is replaced this often (its own ticks): 8 s of wall time, on the
 * copy's hash tick (SPEC SYNC-4), so the checkpoint reuses the hash's snapshot. Copies
 * take turns a second apart, so a room of up to 8 copies writes one copy's checkpoint,
 * with its state and log, once a second and nothing else.
 */
export const CHECKPOINT_EVERY_TICKS = HASH_EVERY_TICKS;
/** A write slower than this is logged as a warning: it holds up the room's 50 ms tick. */
export const SLOW_WRITE_MS = 10;

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
  /** The skill of the bot playing for this player (SPEC BOTS-2); absent or '' while the player plays. */
  autopilot?: string;
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
  /** The room's bot skill ('' = the lesson's own); older saves lack it. */
  botSkill?: string;
  /** Players may use autopilot (SPEC BOTS-4); older saves lack it (no). */
  botPlayers?: boolean;
  phase: 'lobby' | 'running' | 'paused';
  hostToken: string;
  hostKeyHash: string | null;
  startedAtMs: number | null;
  players: SavedPlayer[];
  departed: PlayerResult[];
  departedNicknames: string[];
  /** Each seated player's score account (SPEC SCORE-7); absent in rooms saved before it existed. */
  scores?: Record<string, PlayerLedger>;
  /** Per copy: where it had got to, and its sparklines. */
  copies: (CopyProgress & SavedSparklines)[];
  /** The host console's settings (SPEC HOST-1, HOST-2, HOST-6, HOST-7, HOST-8); absent in rooms saved before it. */
  bans?: Banned[];
  bursts?: LossBurst[];
  locked?: boolean;
  leaderboardHidden?: boolean;
  round?: number;
  /** A competition's team names (SPEC COMP-1); absent in class rooms and older saves. */
  teams?: string[];
}

/** What identifies a room's round in the store. */
export interface RoomMeta {
  code: string;
  lessonId: string;
  seed: number;
  hostToken: string;
  hostKeyHash: string | null;
  startedAtMs: number | null;
}

/** A room as saved: its identity, its schema state's seats and timer, and what only the room knows. */
export function savedRoom(
  meta: RoomMeta,
  state: RoomState,
  room: {
    playerTokens: ReadonlyMap<string, string>;
    departed: readonly PlayerResult[];
    departedNicknames: readonly string[];
    copies: readonly SimCopy[];
    bans: Banned[];
    bursts: LossBurst[];
    scores: Record<string, PlayerLedger>;
  },
): SavedRoom {
  const phase = state.phase === 'lobby' || state.phase === 'running' ? state.phase : 'paused';
  return {
    ...meta,
    durationUs: state.durationUs,
    timeScale: state.timeScale,
    botSkill: state.botSkill,
    botPlayers: state.botPlayers,
    phase,
    players: [...state.players.entries()].map(([sessionId, p]) => ({
      sessionId,
      nickname: p.nickname,
      copy: p.copy,
      node: p.node,
      role: p.role,
      score: p.score,
      token: room.playerTokens.get(sessionId) ?? '',
      ...(p.autopilot ? { autopilot: p.autopilot } : {}),
    })),
    departed: [...room.departed],
    departedNicknames: [...room.departedNicknames],
    bans: room.bans,
    bursts: room.bursts,
    locked: state.locked,
    leaderboardHidden: state.leaderboardHidden,
    round: state.round,
    ...(state.teams.length > 0 ? { teams: [...state.teams] } : {}),
    scores: room.scores,
    copies: room.copies.map((c) => {
      const out = state.copies[c.index];
      return {
        tick: c.tick,
        simTimeUs: c.sim.nowUs,
        udpP95History: [...(out?.udpP95History ?? [])],
        tcpP95History: [...(out?.tcpP95History ?? [])],
        scoreHistory: [...(out?.scoreHistory ?? [])],
      };
    }),
  };
}

let opened: Store | null = null;

/** The server's store, opened on first use in the data directory (DATA_DIR). */
export function serverStore(): Store {
  opened ??= new Store(dataDir());
  return opened;
}

/** Closes the server's store, if open (the server stops: after the rooms' last checkpoints). */
export function closeServerStore(): void {
  opened?.close();
  opened = null;
}

/**
 * Saves one room while it lives (SPEC PERSIST-3): at least every LOG_EVERY_TICKS the
 * commands its copies applied and its own state; each copy's checkpoint every
 * CHECKPOINT_EVERY_TICKS on its hash tick, copies a second apart, carrying the state and
 * the commands too (so a room of up to 8 copies writes once a second); the whole room's
 * when a round starts and when the server stops. A failed write is logged and the room
 * carries on; a whole checkpoint follows at the next tick.
 */
export class RoomKeeper {
  private readonly store: Store;
  private readonly code: string;
  private pending: LogEntry[] = [];
  /** Ticks since the last write of any kind: a write carries the room's state and log, so the next is due a second later. */
  private ticksSinceWrite = 0;
  /** The tick each copy's latest checkpoint holds (by copy index). */
  private savedTick: number[] = [];
  private needsCheckpoint = true;
  /** The next whole checkpoint starts a round: the log starts empty. */
  private newRound = true;

  constructor(store: Store, code: string) {
    this.store = store;
    this.code = code;
  }

  /** A copy applied `step`: its commands, if any, join the log (the copy's own entry, not a second encoding). */
  stepped(step: CopyStep): void {
    if (step.logged) this.pending.push(step.logged);
  }

  /** The copies were replaced (a round started): the next write is a checkpoint. */
  copiesChanged(): void {
    this.needsCheckpoint = true;
    this.newRound = true;
    this.pending = [];
    this.savedTick = [];
  }

  /** A restored round carries on: its log continues (the next checkpoint keeps it). */
  roundResumed(): void {
    this.newRound = false;
  }

  /** Called once a tick with the room as it is now; writes when a write is due. */
  tick(room: () => SavedRoom, copies: readonly SimCopy[]): void {
    this.ticksSinceWrite++;
    if (this.needsCheckpoint) return this.checkpoint(room(), copies);
    // A copy's turn is its hash tick (SPEC SYNC-4), once per tick number: a paused copy keeps its tick.
    const due = copies.find((c) => isHashTick(c.tick, c.index) && this.savedTick[c.index] !== c.tick);
    if (due) {
      this.savedTick[due.index] = due.tick;
      this.checkpointCopy(room(), due);
    } else if (this.ticksSinceWrite >= LOG_EVERY_TICKS) this.flushLog(room());
  }

  /** Writes the whole room's checkpoint now (a round started, or the server is shutting down). */
  checkpoint(room: SavedRoom, copies: readonly SimCopy[]): void {
    this.ticksSinceWrite = 0;
    this.timed('checkpoint', copies.length, () => {
      // Entries not yet written join the log, which is the round's replay (SPEC DEBRIEF-5).
      this.store.saveCheckpoint(
        this.code,
        Date.now(),
        JSON.stringify(room),
        copies.map((c) => c.checkpoint()),
        this.pending,
        this.newRound,
      );
      this.needsCheckpoint = false;
      this.newRound = false;
      this.pending = [];
      for (const c of copies) this.savedTick[c.index] = c.tick;
    });
  }

  /** Writes one copy's checkpoint, with the log entries not yet written (the log is the replay). */
  private checkpointCopy(room: SavedRoom, copy: SimCopy): void {
    this.ticksSinceWrite = 0;
    this.timed('copy-checkpoint', 1, () => {
      this.store.saveCopyCheckpoint(
        this.code,
        Date.now(),
        JSON.stringify(room),
        copy.checkpoint(),
        this.pending,
      );
      this.pending = [];
    });
  }

  /** Runs a write, timing it (SLOW_WRITE_MS); on failure a whole checkpoint follows. */
  private timed(what: string, copies: number, write: () => void): void {
    const t0 = performance.now();
    try {
      write();
      const fields = {
        room: this.code,
        what,
        copies,
        writeMs: Math.round((performance.now() - t0) * 100) / 100,
      };
      if (fields.writeMs > SLOW_WRITE_MS)
        warnLimited('slow-write', fields, 'saving the room held up its tick');
      else log.debug(fields, 'room saved');
    } catch (e) {
      this.needsCheckpoint = true;
      warnLimited('save-failed', { room: this.code, what, err: e }, 'could not save the room; trying again');
    }
  }

  private flushLog(room: SavedRoom): void {
    this.ticksSinceWrite = 0;
    try {
      this.store.appendLog(this.code, Date.now(), JSON.stringify(room), this.pending);
      this.pending = [];
    } catch (e) {
      // The entries stay pending: the whole checkpoint taken next writes them.
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
