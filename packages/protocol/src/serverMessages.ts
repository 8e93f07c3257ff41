import type { SimCommand } from '@roundtrip/sim';

/** Error codes the room sends back (SPEC MSG-2). */
export type ErrorCode =
  | 'invalid-message'
  | 'unknown-message'
  | 'forbidden'
  | 'wrong-phase'
  | 'rejected'
  | 'rate-limited';

/** Server → client messages. */
export interface ServerMessages {
  /** Something a client sent was refused; nothing changed. */
  error: { code: ErrorCode; message: string; request: string };
  /** Sent on joining and on every reconnect: who you are and the scenario to build your replica from. */
  welcome: {
    role: 'host' | 'player' | 'projector';
    hostToken?: string;
    /** The host's key for opening the read-only projector view (SPEC HOST-9). */
    projectorKey?: string;
    /** A player's secret for taking the seat back after the server restarted (SPEC PERSIST-4). */
    playerToken?: string;
    scenario: unknown;
    scenarioId: string;
    /** The room's round (RoomState.round): a welcome for a later round brings its new lesson (SPEC HOST-8). */
    round: number;
    /** The build id of the pages this server serves ('' if unknown): a page built otherwise must reload (SPEC SYNC-10). */
    build: string;
  };
  /** A full simulation snapshot of your copy (on start, on join and on resync). */
  'sync.snapshot': { copy: number; tick: number; seed: number; bytes: Uint8Array };
  /**
   * Consecutive steps of one copy, sent every TICKS_PER_BATCH ticks (SPEC SYNC-3): step i is
   * tick `tick + i`: apply `commands[i]` in order, then advance to `simTimeUs[i]`. `hash`, when
   * present, is the authority's state hash after tick `hashTick` (SPEC SYNC-4).
   */
  'sync.ticks': SyncTicks;
}

/** A batch of one copy's ticks (SPEC SYNC-3, SYNC-4). */
export interface SyncTicks {
  copy: number;
  /** The first tick's number; the others follow one by one. */
  tick: number;
  simTimeUs: number[];
  commands: SimCommand[][];
  hashTick?: number;
  hash?: string;
}

/** One simulation step: apply `commands` in order, then advance to `simTimeUs`. */
export interface SyncTick {
  copy: number;
  tick: number;
  simTimeUs: number;
  commands: SimCommand[];
}

/** The authority's state hash after `tick`; a replica that differs asks for `sync.resync`. */
export interface SyncHash {
  copy: number;
  tick: number;
  hash: string;
}
