import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ScoreParts } from '@roundtrip/sim';
import type { RoundSeries } from './debrief.ts';
import { log } from './logger.ts';
import { WalCheckpointer } from './walCheckpointer.ts';

/** One tick's applied commands in a replay: tick, simulated time before it advanced, commands. */
export interface ReplayEntry {
  tick: number;
  atUs: number;
  commands: unknown[];
}

/** The database file inside the data directory. */
export const DATABASE_FILE = 'roundtrip.sqlite';
/** The data directory when `DATA_DIR` is not set: `data/` at the top of the project. */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '../../../data');
/** Finished rounds kept; a new round past this removes the oldest (bounds the file). */
export const ROUNDS_KEPT_MAX = 2_000;
/** How long a connection waits for another's lock (another process's, SPEC SCALE-1). */
const BUSY_TIMEOUT_MS = 2_000;
/** SQLite's own WAL size, in pages, at which a commit checkpoints: the fallback when the worker dies. */
export const AUTOCHECKPOINT_PAGES_DEFAULT = 1_000;

/**
 * Schema migrations, one per version: migration i takes the database from version i
 * to i + 1 (`PRAGMA user_version`). Append only; never edit a shipped one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE rounds (
     id INTEGER PRIMARY KEY,
     code TEXT NOT NULL,
     host_key_hash TEXT,
     scenario_id TEXT NOT NULL,
     lesson INTEGER NOT NULL,
     title TEXT NOT NULL,
     seed INTEGER NOT NULL,
     started_at_ms INTEGER NOT NULL,
     ended_at_ms INTEGER NOT NULL,
     sim_time_us INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX rounds_by_host ON rounds (host_key_hash, ended_at_ms);
   CREATE TABLE round_players (
     round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
     rank INTEGER NOT NULL, nickname TEXT NOT NULL, copy INTEGER NOT NULL, node TEXT NOT NULL,
     role TEXT NOT NULL, score INTEGER NOT NULL, team_score INTEGER NOT NULL, left_early INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX round_players_by_round ON round_players (round_id);
   CREATE TABLE round_teams (
     round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
     copy INTEGER NOT NULL, score INTEGER NOT NULL, completed INTEGER NOT NULL, failed INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX round_teams_by_round ON round_teams (round_id);
   CREATE TABLE round_failures (
     round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
     copy INTEGER NOT NULL, reason TEXT NOT NULL, count INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX round_failures_by_round ON round_failures (round_id);
   CREATE TABLE live_rooms (
     code TEXT PRIMARY KEY, saved_at_ms INTEGER NOT NULL, room TEXT NOT NULL
   ) STRICT;
   CREATE TABLE live_copies (
     code TEXT NOT NULL REFERENCES live_rooms (code) ON DELETE CASCADE,
     copy INTEGER NOT NULL, tick INTEGER NOT NULL, snapshot BLOB NOT NULL, tally BLOB NOT NULL,
     PRIMARY KEY (code, copy)
   ) STRICT;
   CREATE TABLE live_log (
     code TEXT NOT NULL REFERENCES live_rooms (code) ON DELETE CASCADE,
     copy INTEGER NOT NULL, tick INTEGER NOT NULL, at_us INTEGER NOT NULL, commands TEXT NOT NULL
   ) STRICT;
   CREATE INDEX live_log_by_room ON live_log (code, copy, tick);`,
  // The debrief (SPEC DEBRIEF-1, DEBRIEF-3, DEBRIEF-5): where failures happened, each copy's
  // series and command log, and the key that lets the round's players fetch them.
  `ALTER TABLE rounds ADD COLUMN share_key TEXT;
   ALTER TABLE rounds ADD COLUMN duration_us INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE round_failures ADD COLUMN unit TEXT NOT NULL DEFAULT '';
   ALTER TABLE round_failures ADD COLUMN place TEXT NOT NULL DEFAULT '';
   ALTER TABLE round_failures ADD COLUMN place_label TEXT NOT NULL DEFAULT '';
   ALTER TABLE round_failures ADD COLUMN role TEXT NOT NULL DEFAULT '';
   CREATE TABLE round_copies (
     round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
     copy INTEGER NOT NULL, series TEXT NOT NULL, log TEXT NOT NULL,
     PRIMARY KEY (round_id, copy)
   ) STRICT;`,
  // How each player's and team's score was made (SPEC SCORE-7), as JSON ScoreParts;
  // NULL in rounds saved before it (they load without a breakdown).
  `ALTER TABLE round_players ADD COLUMN parts TEXT;
   ALTER TABLE round_teams ADD COLUMN parts TEXT;`,
  // Competitions (SPEC COMP-6): each team's name and its place in the final ranking.
  `ALTER TABLE round_teams ADD COLUMN name TEXT NOT NULL DEFAULT '';
   ALTER TABLE round_teams ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;`,
];

/** One player's line of a finished round, as the results table shows it. */
export interface StoredPlayer {
  rank: number;
  nickname: string;
  copy: number;
  node: string;
  role: string;
  score: number;
  teamScore: number;
  left: boolean;
  /** How `score` was made (SPEC SCORE-7); absent in rounds saved before breakdowns were kept. */
  parts?: ScoreParts;
}

/**
 * One team's line of a finished round: its copy, score and place in the ranking (1 for
 * the best, equal scores share a place); `name` is a competition team's ('' in a class
 * room, and in rounds saved before competitions, whose `rank` is 0).
 */
export interface StoredTeam {
  copy: number;
  name: string;
  rank: number;
  score: number;
  completed: number;
  failed: number;
  /** How the team's score was made (SPEC SCORE-7); absent in rounds saved before breakdowns were kept. */
  parts?: ScoreParts;
}

/**
 * A copy's failures of one unit and reason at one place. Rounds saved before the
 * debrief have `unit`, `place`, `placeLabel` and `role` empty.
 */
export interface StoredFailure {
  copy: number;
  unit: string;
  reason: string;
  place: string;
  placeLabel: string;
  role: string;
  count: number;
}

/** One copy's series and the commands it applied (the replay), as saved with its round. */
export interface StoredCopy {
  copy: number;
  series: RoundSeries;
  log: ReplayEntry[];
}

/** A finished round: who, what and how it ended. */
export interface FinishedRound {
  code: string;
  /** sha256 of the host's history key (null: the host sent none, so no one can list it). */
  hostKeyHash: string | null;
  scenarioId: string;
  lesson: number;
  title: string;
  seed: number;
  startedAtMs: number;
  endedAtMs: number;
  simTimeUs: number;
  /** The round's planned length (0 in rounds saved before the debrief). */
  durationUs: number;
  /** Lets the round's own players fetch its debrief (null in rounds saved before it). */
  shareKey: string | null;
  players: StoredPlayer[];
  teams: StoredTeam[];
  failures: StoredFailure[];
  /** Per copy: series and replay log (empty in rounds saved before the debrief). */
  copies: StoredCopy[];
}

/** A finished round in a host's list. */
export type RoundSummary = Omit<
  FinishedRound,
  'players' | 'teams' | 'failures' | 'copies' | 'hostKeyHash' | 'shareKey'
> & {
  id: number;
  players: number;
};

/** One copy's checkpoint: the simulation snapshot and the observers' tally at `tick`. */
export interface CopyCheckpoint {
  copy: number;
  tick: number;
  snapshot: Uint8Array;
  tally: Uint8Array;
}

/** The commands one copy applied at one tick, at simulated time `atUs` (before that tick advanced). */
export interface LogEntry {
  copy: number;
  tick: number;
  atUs: number;
  /** The applied commands, as JSON. */
  commands: string;
}

/** A room that was live when last saved: its own state (JSON), its copies' checkpoints and the log since. */
export interface LiveRoom {
  code: string;
  savedAtMs: number;
  room: string;
  copies: CopyCheckpoint[];
  log: LogEntry[];
}

/** How a Store checkpoints its WAL (the defaults are the server's). */
export interface StoreOptions {
  /** Time between the worker's checkpoints (WAL_CHECKPOINT_EVERY_MS). */
  checkpointEveryMs?: number;
  /** The checkpointer's worker script (tests give one that fails). */
  checkpointWorker?: URL;
}

/** Where the database lives: `DATA_DIR`, or DEFAULT_DATA_DIR. */
export function dataDir(): string {
  return resolve(process.env.DATA_DIR ?? DEFAULT_DATA_DIR);
}

/**
 * The server's one database (node:sqlite, a file in the data directory): finished
 * rounds, and checkpoints of live rooms. Synchronous by design — every write is one
 * short transaction on the room's tick — with WAL so readers never wait on it. The WAL
 * is checkpointed by a worker thread (SPEC PERSIST-5): a commit only appends to it.
 */
export class Store {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly checkpointer: WalCheckpointer;
  private closed = false;

  /** Opens (creating if needed) the database in `dir` and brings its schema up to date. */
  constructor(dir: string, options: StoreOptions = {}) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, DATABASE_FILE);
    this.db = new DatabaseSync(this.path);
    // First: several processes (SPEC SCALE-1) may open one new file at once; they wait for each other.
    this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};`);
    // WAL + NORMAL: a committed transaction survives the process being killed; only a power cut may lose the last ones.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    // A commit never checkpoints (copying WAL pages into the file and fsyncing it took
    // 3–7 ms of a tick): the worker does it. Each process sharing the file (SPEC SCALE-1)
    // runs its own; PASSIVE checkpoints neither block nor wait for one another's writers.
    this.db.exec('PRAGMA wal_autocheckpoint = 0;');
    migrate(this.db);
    this.stmts = prepare(this.db);
    this.checkpointer = new WalCheckpointer(this.path, {
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      ...(options.checkpointEveryMs === undefined ? {} : { everyMs: options.checkpointEveryMs }),
      ...(options.checkpointWorker === undefined ? {} : { entry: options.checkpointWorker }),
      // Slower ticks now and then rather than a WAL that grows without bound.
      onDied: () => {
        if (!this.closed) this.db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES_DEFAULT};`);
      },
    });
  }

  /** The schema version (the number of migrations applied). */
  get version(): number {
    return userVersion(this.db);
  }

  /**
   * Writes a finished round in one transaction and forgets the room's live checkpoint
   * (SPEC PERSIST-1); the oldest rounds past ROUNDS_KEPT_MAX go. Returns the round's id.
   */
  saveFinished(round: FinishedRound): number {
    return this.transaction(() => {
      const s = this.stmts;
      const { lastInsertRowid } = s.insertRound.run(
        round.code,
        round.hostKeyHash,
        round.scenarioId,
        round.lesson,
        round.title,
        round.seed,
        round.startedAtMs,
        round.endedAtMs,
        round.simTimeUs,
        round.shareKey,
        round.durationUs,
      );
      const id = Number(lastInsertRowid);
      for (const p of round.players)
        s.insertPlayer.run(
          id,
          p.rank,
          p.nickname,
          p.copy,
          p.node,
          p.role,
          p.score,
          p.teamScore,
          p.left ? 1 : 0,
          partsJson(p.parts),
        );
      for (const t of round.teams)
        s.insertTeam.run(id, t.copy, t.score, t.completed, t.failed, partsJson(t.parts), t.name, t.rank);
      for (const f of round.failures)
        s.insertFailure.run(id, f.copy, f.reason, f.count, f.unit, f.place, f.placeLabel, f.role);
      for (const c of round.copies)
        s.insertCopy.run(id, c.copy, JSON.stringify(c.series), JSON.stringify(c.log));
      s.deleteLive.run(round.code);
      s.pruneRounds.run(ROUNDS_KEPT_MAX);
      return id;
    });
  }

  /** The rounds of the host whose key hashes to `hostKeyHash`, newest first, at most `limit`. */
  rounds(hostKeyHash: string, limit: number): RoundSummary[] {
    return this.stmts.roundsOfHost.all(hostKeyHash, limit).map((r) => ({
      ...roundFields(r),
      id: Number(r.id),
      players: Number(r.players),
    }));
  }

  /** Round `id` if it belongs to the host whose key hashes to `hostKeyHash`. */
  round(id: number, hostKeyHash: string): (FinishedRound & { id: number }) | null {
    const r = this.stmts.roundById.get(id, hostKeyHash);
    return r ? this.roundFrom(r, id) : null;
  }

  /** Round `id` if `shareKey` is its share key (its players' way in, SPEC DEBRIEF-6). */
  sharedRound(id: number, shareKey: string): (FinishedRound & { id: number }) | null {
    const r = this.stmts.roundByShareKey.get(id, shareKey);
    return r ? this.roundFrom(r, id) : null;
  }

  private roundFrom(r: Record<string, unknown>, id: number): FinishedRound & { id: number } {
    const players = this.stmts.playersOf.all(id).map((p) =>
      withParts<StoredPlayer>(
        {
          rank: Number(p.rank),
          nickname: String(p.nickname),
          copy: Number(p.copy),
          node: String(p.node),
          role: String(p.role),
          score: Number(p.score),
          teamScore: Number(p.team_score),
          left: p.left_early === 1,
        },
        p.parts,
      ),
    );
    const teams = this.stmts.teamsOf.all(id).map((t) =>
      withParts<StoredTeam>(
        {
          copy: Number(t.copy),
          name: String(t.name),
          rank: Number(t.rank),
          score: Number(t.score),
          completed: Number(t.completed),
          failed: Number(t.failed),
        },
        t.parts,
      ),
    );
    const failures = this.stmts.failuresOf.all(id).map((f) => ({
      copy: Number(f.copy),
      unit: String(f.unit),
      reason: String(f.reason),
      place: String(f.place),
      placeLabel: String(f.place_label),
      role: String(f.role),
      count: Number(f.count),
    }));
    const copies = this.stmts.copiesOf.all(id).map((c) => ({
      copy: Number(c.copy),
      series: JSON.parse(String(c.series)) as RoundSeries,
      log: JSON.parse(String(c.log)) as ReplayEntry[],
    }));
    return {
      ...roundFields(r),
      id,
      hostKeyHash: r.host_key_hash === null ? null : String(r.host_key_hash),
      shareKey: r.share_key === null ? null : String(r.share_key),
      players,
      teams,
      failures,
      copies,
    };
  }

  /**
   * Replaces room `code`'s checkpoint: its state and every copy's snapshot (SPEC PERSIST-3).
   * A new round empties the log first; `entries` (not yet written) join the log.
   */
  saveCheckpoint(
    code: string,
    savedAtMs: number,
    room: string,
    copies: readonly CopyCheckpoint[],
    entries: readonly LogEntry[] = [],
    newRound = true,
  ): void {
    this.transaction(() => {
      const s = this.stmts;
      s.upsertLive.run(code, savedAtMs, room);
      s.deleteLiveCopies.run(code);
      if (newRound) s.deleteLog.run(code);
      for (const e of entries) s.insertLog.run(code, e.copy, e.tick, e.atUs, e.commands);
      for (const c of copies) s.insertLiveCopy.run(code, c.copy, c.tick, c.snapshot, c.tally);
    });
  }

  /**
   * Replaces one copy's checkpoint in room `code`, writing `entries` (not yet written) to
   * the log, which is the round's replay (SPEC PERSIST-3): the log stays whole:
   * it is the round's replay; a restore skips what the checkpoint covers. No room
   * checkpoint yet: nothing.
   */
  saveCopyCheckpoint(
    code: string,
    savedAtMs: number,
    room: string,
    checkpoint: CopyCheckpoint,
    entries: readonly LogEntry[] = [],
  ): void {
    this.transaction(() => {
      const s = this.stmts;
      if (s.updateLive.run(savedAtMs, room, code).changes === 0) return;
      for (const e of entries) s.insertLog.run(code, e.copy, e.tick, e.atUs, e.commands);
      const c = checkpoint;
      s.upsertLiveCopy.run(code, c.copy, c.tick, c.snapshot, c.tally);
    });
  }

  /** Appends to room `code`'s command log and updates its state (SPEC PERSIST-3). No checkpoint: nothing. */
  appendLog(code: string, savedAtMs: number, room: string, entries: readonly LogEntry[]): void {
    this.transaction(() => {
      const s = this.stmts;
      if (s.updateLive.run(savedAtMs, room, code).changes === 0) return;
      for (const e of entries) s.insertLog.run(code, e.copy, e.tick, e.atUs, e.commands);
    });
  }

  /** Forgets room `code`'s checkpoint (the room closed without a finished round). */
  deleteLive(code: string): void {
    this.stmts.deleteLive.run(code);
  }

  /** Every room saved as live, with its copies and log in order. */
  liveRooms(): LiveRoom[] {
    const s = this.stmts;
    return s.liveRooms.all().map((r) => {
      const code = String(r.code);
      return {
        code,
        savedAtMs: Number(r.saved_at_ms),
        room: String(r.room),
        copies: s.liveCopiesOf.all(code).map((c) => ({
          copy: Number(c.copy),
          tick: Number(c.tick),
          snapshot: c.snapshot as Uint8Array,
          tally: c.tally as Uint8Array,
        })),
        log: s.logOf.all(code).map((e) => ({
          copy: Number(e.copy),
          tick: Number(e.tick),
          atUs: Number(e.at_us),
          commands: String(e.commands),
        })),
      };
    });
  }

  /**
   * Stops the checkpointer, then checkpoints the whole WAL and truncates it, so a stopped
   * server leaves a small WAL even when other processes still have the file open (the
   * last connection to close would otherwise do it). Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.checkpointer.stop();
    try {
      const r = this.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number; log: number };
      if (r.busy !== 0) log.warn({ walFrames: r.log }, 'the database was busy: its WAL was left as it is');
    } catch (err) {
      log.warn({ err }, 'could not checkpoint the WAL on closing');
    }
    this.db.close();
  }

  private transaction<T>(body: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = body();
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }
}

/** A breakdown as stored: JSON, or NULL when the round had none. */
function partsJson(parts: ScoreParts | undefined): string | null {
  return parts === undefined ? null : JSON.stringify(parts);
}

/** `row` with its stored breakdown, left out when the round was saved without one. */
function withParts<T extends { parts?: ScoreParts }>(row: T, stored: unknown): T {
  if (typeof stored === 'string') row.parts = JSON.parse(stored) as ScoreParts;
  return row;
}

function userVersion(db: DatabaseSync): number {
  return Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
}

/** Applies the migrations past the database's version, each in its own transaction. */
function migrate(db: DatabaseSync): void {
  const from = userVersion(db);
  if (from > MIGRATIONS.length)
    throw new Error(
      `the database is at schema version ${from}, newer than this server knows (${MIGRATIONS.length}); run a newer server or point DATA_DIR elsewhere`,
    );
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN IMMEDIATE');
    // Another process may have applied it while this one waited for the lock.
    if (userVersion(db) > v) {
      db.exec('COMMIT');
      continue;
    }
    try {
      db.exec(MIGRATIONS[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
}

const ROUND_COLUMNS =
  'id, code, scenario_id, lesson, title, seed, started_at_ms, ended_at_ms, sim_time_us, duration_us';

function roundFields(r: Record<string, unknown>): Omit<RoundSummary, 'id' | 'players'> {
  return {
    code: String(r.code),
    scenarioId: String(r.scenario_id),
    lesson: Number(r.lesson),
    title: String(r.title),
    seed: Number(r.seed),
    startedAtMs: Number(r.started_at_ms),
    endedAtMs: Number(r.ended_at_ms),
    simTimeUs: Number(r.sim_time_us),
    durationUs: Number(r.duration_us),
  };
}

function prepare(db: DatabaseSync) {
  const p = (sql: string): StatementSync => db.prepare(sql);
  return {
    insertRound: p(
      `INSERT INTO rounds (code, host_key_hash, scenario_id, lesson, title, seed, started_at_ms, ended_at_ms, sim_time_us,
                           share_key, duration_us)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertPlayer: p(
      `INSERT INTO round_players (round_id, rank, nickname, copy, node, role, score, team_score, left_early, parts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertTeam: p(
      'INSERT INTO round_teams (round_id, copy, score, completed, failed, parts, name, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertFailure: p(
      'INSERT INTO round_failures (round_id, copy, reason, count, unit, place, place_label, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertCopy: p('INSERT INTO round_copies VALUES (?, ?, ?, ?)'),
    copiesOf: p('SELECT * FROM round_copies WHERE round_id = ? ORDER BY copy'),
    pruneRounds: p('DELETE FROM rounds WHERE id NOT IN (SELECT id FROM rounds ORDER BY id DESC LIMIT ?)'),
    roundsOfHost: p(
      `SELECT ${ROUND_COLUMNS}, (SELECT count(*) FROM round_players WHERE round_id = rounds.id) AS players
       FROM rounds WHERE host_key_hash = ? ORDER BY ended_at_ms DESC, id DESC LIMIT ?`,
    ),
    roundById: p(
      `SELECT ${ROUND_COLUMNS}, host_key_hash, share_key FROM rounds WHERE id = ? AND host_key_hash = ?`,
    ),
    roundByShareKey: p(
      `SELECT ${ROUND_COLUMNS}, host_key_hash, share_key FROM rounds WHERE id = ? AND share_key = ?`,
    ),
    playersOf: p('SELECT * FROM round_players WHERE round_id = ? ORDER BY rank, nickname'),
    teamsOf: p('SELECT * FROM round_teams WHERE round_id = ? ORDER BY copy'),
    failuresOf: p('SELECT * FROM round_failures WHERE round_id = ? ORDER BY copy, count DESC, reason'),
    upsertLive: p(
      `INSERT INTO live_rooms (code, saved_at_ms, room) VALUES (?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET saved_at_ms = excluded.saved_at_ms, room = excluded.room`,
    ),
    updateLive: p('UPDATE live_rooms SET saved_at_ms = ?, room = ? WHERE code = ?'),
    deleteLive: p('DELETE FROM live_rooms WHERE code = ?'),
    deleteLiveCopies: p('DELETE FROM live_copies WHERE code = ?'),
    deleteLog: p('DELETE FROM live_log WHERE code = ?'),
    insertLiveCopy: p('INSERT INTO live_copies VALUES (?, ?, ?, ?, ?)'),
    upsertLiveCopy: p(
      `INSERT INTO live_copies VALUES (?, ?, ?, ?, ?) ON CONFLICT (code, copy) DO UPDATE SET
       tick = excluded.tick, snapshot = excluded.snapshot, tally = excluded.tally`,
    ),
    insertLog: p('INSERT INTO live_log VALUES (?, ?, ?, ?, ?)'),
    liveRooms: p('SELECT * FROM live_rooms ORDER BY code'),
    liveCopiesOf: p('SELECT * FROM live_copies WHERE code = ? ORDER BY copy'),
    logOf: p('SELECT * FROM live_log WHERE code = ? ORDER BY rowid'),
  };
}
