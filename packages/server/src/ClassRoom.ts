import { randomBytes, randomInt } from 'node:crypto';
import {
  type Client,
  CloseCode,
  ErrorCode,
  getMessageBytes,
  matchMaker,
  Protocol,
  Room,
  ServerError,
  TimestepException,
} from '@colyseus/core';
import {
  createOptions,
  HOST_MOVED_CLOSE_CODE,
  KICKED_CLOSE_CODE,
  MAX_PLAYERS,
  type ErrorCode as MessageErrorCode,
  type Phase,
  type Player,
  PROJECTORS_MAX,
  RECONNECT_WINDOW_S,
  RoomState,
  type ServerMessages,
  stateSchemas,
  TICK_MS,
  TICKS_PER_BATCH,
} from '@roundtrip/protocol';
import { sToUs } from '@roundtrip/sim';
import { RESERVATIONS_MAX } from './addressLimits.ts';
import { type AdmissionView, admit, type JoinAuth, seatFor } from './admission.ts';
import { BANNED_TEXT, BanList } from './bans.ts';
import { servedBuild } from './clientBuild.ts';
import { closeReasonFor, TAKEOVER_REASON } from './closeReasons.ts';
import { CompetitionViews, type Watcher } from './competitionViews.ts';
import { type CopyStep, SimCopy } from './copies.ts';
import { corked } from './corked.ts';
import { type Action, decide, describeIssues, type Sender } from './dispatch.ts';
import { type ConsoleRoom, performConsole } from './hostConsole.ts';
import { hostKeyHash, newHostToken, projectorKeyFor } from './hostToken.ts';
import { claimJoinCode, releaseJoinCode, unusedJoinCode } from './joinCode.ts';
import { checkedBotSkill, lessonId, seatBotSkills } from './lessons.ts';
import { log, warnLimited } from './logger.ts';
import { LossBursts } from './lossBursts.ts';
import { serverMetrics } from './metrics.ts';
import { RoomKeeper, type RoomMeta, type SavedRoom, savedRoom, serverStore } from './persistence.ts';
import { plainRefusal } from './plainWords.ts';
import { MessageBudget, RATE_KICK_REASON, RATE_WARNING } from './rateLimit.ts';
import { type ReservationVerdict, reserveSeatChecked } from './reservations.ts';
import { takeRestore } from './restore.ts';
import { finishedRound, type RankedResult } from './results.ts';
import { ResyncGate } from './resyncGate.ts';
import { RoundEngine } from './roundEngine.ts';
import { type LoadedScenario, lessonScenario } from './scenarios.ts';
import { reseat } from './seatMoves.ts';
import { type Seat, teamSeat } from './seats.ts';
import type { LiveRoom } from './store.ts';
import { type Ticking, TickScheduler } from './tickScheduler.ts';

type ClassClient = Client<{ auth: JoinAuth }>;

/** The state patch goes out every this many ticks, with the batch of ticks: 5 Hz (SPEC SYNC-5). */
export const PATCH_EVERY_TICKS = TICKS_PER_BATCH;

/**
 * After a restart, seats stay held this long for players to come back with their
 * token (SPEC PERSIST-4); then they go to bots, as when a player leaves.
 */
export const RESTORE_GRACE_S = 120;

/** Every room in this process ticks from this one schedule (SPEC SYNC-9). */
const roomTicks = new TickScheduler(TICK_MS, { observer: serverMetrics.tickSchedule });
/** A timer delay no room lives to see (node's longest: 2³¹ − 1 ms, about 24.8 days). */
const NEVER_MS = 2 ** 31 - 1;

/**
 * A class room (SPEC ROOM-*): a host, players in seats, and one simulation per
 * copy of the network. A thin adapter: rules live in dispatch.ts, admission.ts,
 * seats.ts and roundEngine.ts; this class wires them to Colyseus.
 */
export class ClassRoom extends Room<{ state: RoomState; client: ClassClient }> {
  /**
   * Never reached in practice: seats are counted by admission (SPEC ROOM-3), so a room with
   * MAX_PLAYERS players says "full", and reservations without a socket never lock it (ROOM-13).
   */
  override maxClients = RESERVATIONS_MAX;
  /** Seconds a reserved seat waits for its socket (a real client connects within one). */
  override seatReservationTimeout = 8;
  override state = new RoomState();
  private lesson!: LoadedScenario;
  private lessonId = '';
  private seed = 0;
  private hostToken = newHostToken();
  /** sha256 of the host's history key; null when the host sent none (SPEC PERSIST-2). */
  private hostKeyHash: string | null = null;
  private startedAtMs: number | null = null;
  /** Each player's secret for taking the seat back after a restart, by session id (SPEC PERSIST-4). */
  private readonly playerTokens = new Map<string, string>();
  /** Seats held since a restart for players not back yet, by their old session id. */
  private readonly held = new Map<string, { nickname: string; token: string }>();
  private keeper!: RoomKeeper;
  private hostSessionId: string | null = null;
  /** The creator's seat reservation: that connection, and no other, becomes the host (SPEC ROOM-13). */
  private creatorSessionId: string | null = null;
  private round = new RoundEngine(this);
  /** Players the host removed, known again by seat token, browser id or name (SPEC HOST-2). */
  private bans = new BanList();
  /** Each player's browser id, when their join sent one (SPEC HOST-2). */
  private readonly deviceIds = new Map<string, string>();
  /** The copy each host or projector connection is sent, by session id (SPEC HOST-9). */
  private readonly watching = new Map<string, number>();
  /** Projector connections, by session id (SPEC HOST-9). */
  private readonly projectors = new Set<string>();
  private ticks = 0;
  /** This room's place in the process's tick schedule (SPEC SYNC-9); null until it opens. */
  private ticking: Ticking | null = null;
  /** Each connection's message budget (SPEC MSG-3), by session id. */
  private readonly budgets = new Map<string, MessageBudget>();
  /** Connections the room disconnected itself: they hold no seat for reconnection. */
  private readonly kicked = new Set<string>();
  private readonly resyncs = new ResyncGate();
  /** Nicknames of players who left mid-round: reserved until the round ends (SPEC ROOM-2). */
  private readonly departedNicknames: string[] = [];
  /** Set when an unexpected error ended the round (SPEC ROOM-9): the tick stops. */
  private failed = false;
  /** The schemas the state is built from: a competition's hide each team's copy from the others (SPEC COMP-4). */
  private schemas = stateSchemas(false);
  /** A competition's per-connection views (SPEC COMP-4); null in a class room. */
  private views: CompetitionViews | null = null;

  override async onCreate(options: unknown): Promise<void> {
    const restoring = takeRestore(options);
    if (restoring) return this.restore(restoring);
    const parsed = createOptions.safeParse(options ?? {});
    if (!parsed.success)
      throw new ServerError(ErrorCode.APPLICATION_ERROR, `create options: ${describeIssues(parsed.error)}`);
    const o = parsed.data;
    const id = lessonId(o.scenario);
    const file = lessonScenario(id).scenario.file;
    this.hostKeyHash = o.hostKey === undefined ? null : hostKeyHash(o.hostKey);
    this.open({
      code: await unusedJoinCode(),
      lessonId: id,
      seed: o.seed ?? randomInt(0x1_0000_0000),
      durationUs: sToUs(o.durationS ?? file.durationS),
      timeScale: o.timeScale ?? file.timeScale,
      botSkill: o.botSkill === undefined ? '' : checkedBotSkill(o.botSkill, lessonScenario(id).scenario),
      teams: o.teams ?? [],
      botPlayers: o.botPlayers ?? false,
    });
  }

  /** Sets the room up, new or restored: its lesson, code, clock and keeper. */
  private open(o: {
    code: string;
    lessonId: string;
    seed: number;
    durationUs: number;
    timeScale: number;
    botSkill?: string;
    teams?: readonly string[];
    botPlayers?: boolean;
  }): void {
    const teams = o.teams ?? [];
    if (teams.length > 0) {
      // A competition (SPEC COMP-1): the same fields, per-team ones tagged for the views.
      this.schemas = stateSchemas(true);
      this.state = new this.schemas.State();
      this.views = new CompetitionViews();
      this.state.teams.push(...teams);
    }
    this.lessonId = o.lessonId;
    this.lesson = lessonScenario(o.lessonId);
    const file = this.lesson.scenario.file;
    this.seed = o.seed;
    this.roomId = o.code;
    this.keeper = new RoomKeeper(serverStore(), o.code);
    this.state.code = this.roomId;
    this.state.scenarioId = file.id;
    this.state.title = file.title;
    this.state.lesson = file.lesson;
    this.state.durationUs = o.durationUs;
    this.state.timeScale = o.timeScale;
    this.state.botSkill = o.botSkill ?? '';
    this.state.botPlayers = o.botPlayers ?? false;
    this.state.seatsPerCopy = this.lesson.scenario.seats.length;
    this.onMessage('*', (client, type, payload) => this.onClientMessage(client, type, payload));
    serverMetrics.roomOpened(this);
    this.ticking = roomTicks.add(() => this.scheduledTick());
    // Colyseus keeps a timer of its own per room unless the room has a timestep: with none, a
    // 60 Hz one that ticks the room's clock. The scheduler ticks the clock; this timestep
    // (public API, never due in a room's life) only keeps Colyseus from starting that timer.
    this.setTimestep(() => {}, NEVER_MS);
    // State patches go out from the tick itself (every PATCH_EVERY_TICKS), not from a timer of their own.
    this.patchRate = null;
  }

  /**
   * Re-creates a room saved before a restart (SPEC PERSIST-4): same code, host token
   * and seats; its copies restored from their checkpoints and log. Nobody is connected:
   * seats are held RESTORE_GRACE_S for their players' tokens, the host's for its token.
   */
  private restore(live: LiveRoom): void {
    const saved = JSON.parse(live.room) as SavedRoom;
    this.open({ ...saved, code: live.code });
    // Its code is still taken in the presence unless Redis was emptied: take it again either way.
    claimJoinCode(live.code).catch(() => {});
    this.hostToken = saved.hostToken;
    this.hostKeyHash = saved.hostKeyHash;
    this.startedAtMs = saved.startedAtMs;
    this.state.hostConnected = false;
    for (const p of saved.players) {
      const player = new this.schemas.Player();
      player.nickname = p.nickname;
      player.copy = p.copy;
      player.node = p.node;
      player.role = p.role;
      player.score = p.score;
      player.autopilot = p.autopilot ?? '';
      player.connected = false;
      this.state.players.set(p.sessionId, player);
      this.playerTokens.set(p.sessionId, p.token);
      this.held.set(p.sessionId, { nickname: p.nickname, token: p.token });
    }
    this.departedNicknames.push(...saved.departedNicknames);
    this.bans = new BanList(saved.bans ?? []);
    this.state.locked = saved.locked ?? false;
    this.state.leaderboardHidden = saved.leaderboardHidden ?? false;
    this.state.round = saved.round ?? 1;
    if (saved.phase !== 'lobby') {
      const copies = saved.copies.map((progress, i) => {
        const checkpoint = live.copies.find((c) => c.copy === i);
        if (!checkpoint) throw new Error(`room ${live.code}: no checkpoint for copy ${i}`);
        const log = live.log.filter((e) => e.copy === i);
        return SimCopy.restore(i, this.lesson.scenario, this.seed, checkpoint, log, progress);
      });
      this.round.restore(copies, saved.departed, saved.copies, saved.scores);
      this.keeper.roundResumed();
      this.round.bursts = new LossBursts(saved.bursts ?? []);
    }
    this.state.phase = saved.phase;
    this.autoDispose = false;
    this.clock.setTimeout(() => this.releaseHeldSeats(), RESTORE_GRACE_S * 1000);
    log.info({ room: live.code, phase: saved.phase, simTimeUs: this.state.simTimeUs }, 'room restored');
  }

  /** The grace after a restart is over: seats nobody took back go to bots, and an empty room may close. */
  private releaseHeldSeats(): void {
    for (const sessionId of this.held.keys()) {
      const player = this.state.players.get(sessionId);
      this.state.players.delete(sessionId);
      this.playerTokens.delete(sessionId);
      if (player && (this.phase === 'running' || this.phase === 'paused')) {
        this.departedNicknames.push(player.nickname);
        this.round.playerLeft(sessionId, player);
      }
    }
    this.held.clear();
    this.autoDispose = true;
  }

  /** What identifies this room's round, for the store. */
  private meta(): RoomMeta {
    return {
      code: this.roomId,
      lessonId: this.lessonId,
      seed: this.seed,
      hostToken: this.hostToken,
      hostKeyHash: this.hostKeyHash,
      startedAtMs: this.startedAtMs,
    };
  }

  /** The room as saved beside its copies (SPEC PERSIST-3). */
  private saved(): SavedRoom {
    return savedRoom(this.meta(), this.state, {
      playerTokens: this.playerTokens,
      departed: this.round.departedResults,
      departedNicknames: this.departedNicknames,
      copies: this.round.copies,
      bans: this.bans.saved(),
      bursts: this.round.bursts.saved(),
      scores: this.round.scores.save(),
    });
  }

  /** RoundHost: the schema of a copy's figures (a competition's is filtered, SPEC COMP-4). */
  get copySchema() {
    return this.schemas.CopyState;
  }

  /** RoundHost: a competition plays one copy per team, players or not (SPEC COMP-1). */
  get copiesAtStart(): number {
    return Math.max(1, this.state.teams.length);
  }

  /** RoundHost: a copy ran a tick; its applied commands join the log. */
  stepped(step: CopyStep): void {
    this.keeper.stepped(step);
  }

  /**
   * RoundHost: the round ended. Its results are written in one transaction before
   * any client can hear of it (SPEC PERSIST-1); a failed write is logged and the
   * round ends all the same.
   */
  roundEnded(results: readonly RankedResult[]): void {
    try {
      const shareKey = randomBytes(16).toString('base64url');
      const round = finishedRound(this.meta(), this.state, results, Date.now(), this.round.copies, shareKey);
      const id = serverStore().saveFinished(round);
      // Reaches the clients with the `ended` patch: the round's players may fetch its debrief (SPEC DEBRIEF-6).
      this.state.debrief = `${id}/${shareKey}`;
    } catch (e) {
      log.error({ room: this.roomId, err: e }, 'could not save the results of a finished round');
    }
  }

  /**
   * The server is stopping: a last checkpoint, so the round comes back exactly
   * where it was (SPEC PERSIST-4); then Colyseus closes the connections.
   */
  override onBeforeShutdown(): void {
    if (this.phase !== 'ended' && !this.failed) this.keeper.checkpoint(this.saved(), this.round.copies);
    super.onBeforeShutdown();
  }

  /**
   * Everyone has gone: a round still going ends with its results kept; a lobby is
   * forgotten. A server shutting down keeps its rooms for the restart.
   */
  override onDispose(): void {
    this.ticking?.stop();
    serverMetrics.roomClosed(this);
    if (matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN) return;
    releaseJoinCode(this.roomId).catch((e) =>
      log.warn({ room: this.roomId, err: e }, 'could not release a join code'),
    );
    if (this.phase === 'running' || this.phase === 'paused') this.round.end();
    else if (this.phase === 'lobby') this.keeper.forget();
  }

  /** The scheduler's call: the room's clock (its timeouts), then its tick; a throw ends this room only (ROOM-9). */
  private scheduledTick(): void {
    try {
      this.clock.tick();
      this.tick(TICK_MS);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.onUncaughtException(new TimestepException(error, error.message), 'tick');
    }
  }

  /**
   * One fixed tick (SPEC SYNC-3): the round steps, and every PATCH_EVERY_TICKS-th
   * tick the batch of ticks and the state patch follow. What a tick sends a client —
   * its copy's ticks and hash, the patch — leaves in one socket write (`corked`):
   * writes were half of a busy server's time (docs/PERFORMANCE.md "Rooms on one process").
   */
  private tick(dtMs: number): void {
    if (this.failed) return;
    const startMs = performance.now();
    const batchTick = ++this.ticks % PATCH_EVERY_TICKS === 0;
    const run = () => {
      this.round.step(dtMs);
      if (this.phase !== 'ended') this.keeper.tick(() => this.saved(), this.round.copies);
      if (batchTick) {
        this.round.sendTicks();
        this.patch();
      }
    };
    // Only a batch tick sends every client something; corking every socket on the others was ~5 % of a tick.
    if (batchTick) corked(this.clients, run);
    else run();
    serverMetrics.tickTook(performance.now() - startMs);
  }

  /** Sends the state patch; a competition's views first catch up with seats and teams (SPEC COMP-4). */
  private patch(): void {
    this.views?.sync(this.clients, this.state, (c) => this.watcher(c), this.phase === 'ended');
    this.broadcastPatch();
  }

  /** Matchmaking: a join by code, admitted before its seat is reserved (reservations.ts, SPEC ROOM-13). */
  reserveChecked(options: unknown): Promise<ReservationVerdict> {
    return reserveSeatChecked(this, options, () => admit(options, this.admissionView(), this.hostToken));
  }

  /** Matchmaking: the seat reserved by the create call is the host's. */
  creatorReserved(sessionId: string): void {
    this.creatorSessionId ??= sessionId;
  }

  /** A connection brings the decision made at its reservation; without one it came in some other way. */
  override onAuth(client: ClassClient): JoinAuth {
    if (client.auth) return client.auth;
    if (client.sessionId === this.creatorSessionId) return { role: 'host' };
    throw new ServerError(ErrorCode.AUTH_FAILED, 'join this round with its code');
  }

  override onJoin(client: ClassClient, _options: unknown, auth: JoinAuth): void {
    if (auth.role === 'host') {
      // The teacher took the round back from another tab or device (SPEC CLASS-2): the old tab lets go.
      const previous = this.clients.find((c) => c.sessionId === this.hostSessionId && c !== client);
      if (previous) {
        this.kicked.add(previous.sessionId);
        previous.leave(HOST_MOVED_CLOSE_CODE, 'you are hosting this round from another tab or device now');
      }
      this.hostSessionId = client.sessionId;
      this.state.hostConnected = true;
    } else if (auth.role === 'projector') {
      // Checked again: another projector may have joined since onAuth.
      if (this.projectors.size >= PROJECTORS_MAX)
        throw new ServerError(ErrorCode.AUTH_FAILED, `at most ${PROJECTORS_MAX} projectors per room`);
      this.projectors.add(client.sessionId);
    } else if ('reclaims' in auth) {
      this.reclaim(client, auth.reclaims);
    } else {
      // Checked again: another join may have taken the name or seat since onAuth.
      const seat = seatFor(auth.nickname, this.admissionView(), auth.team);
      // A late joiner past every bot's seat opens a new copy (SPEC HOST-10).
      if (this.phase === 'running' || this.phase === 'paused') {
        while (this.round.copies.length <= seat.copy) this.round.openCopy(this.lesson.scenario, this.seed);
        this.keeper.copiesChanged();
      }
      if (auth.deviceId !== undefined) this.deviceIds.set(client.sessionId, auth.deviceId);
      const player = new this.schemas.Player();
      player.nickname = auth.nickname;
      player.copy = seat.copy;
      player.node = seat.node;
      player.role = seat.role;
      this.state.players.set(client.sessionId, player);
      this.playerTokens.set(client.sessionId, newHostToken());
      this.round.playerSeated(client.sessionId, seat.copy, seat.node, auth.deviceId);
      if (this.phase === 'running' || this.phase === 'paused') this.round.takeFromBot(seat.copy, seat.node);
    }
    this.views?.attach(client, this.state, this.watcher(client), this.phase === 'ended');
    this.watchMessages(client);
    this.welcome(client);
  }

  /** What `client` may see of a competition's teams (SPEC COMP-4). */
  private watcher(client: Client): Watcher {
    if (this.isViewer(client)) return { kind: 'all' };
    const player = this.state.players.get(client.sessionId);
    return player ? { kind: 'team', copy: player.copy } : { kind: 'none' };
  }

  /** A player back after a restart takes the seat held under their old session (SPEC PERSIST-4). */
  private reclaim(client: ClassClient, oldSessionId: string): void {
    const old = this.state.players.get(oldSessionId);
    const token = this.playerTokens.get(oldSessionId);
    // Checked again: the same token may have been used twice before either join finished.
    if (!old || token === undefined || !this.held.delete(oldSessionId))
      throw new ServerError(ErrorCode.AUTH_FAILED, 'that seat has already been taken back');
    const player = new this.schemas.Player();
    player.nickname = old.nickname;
    player.copy = old.copy;
    player.node = old.node;
    player.role = old.role;
    player.score = old.score;
    player.autopilot = old.autopilot;
    this.state.players.delete(oldSessionId);
    this.playerTokens.delete(oldSessionId);
    this.state.players.set(client.sessionId, player);
    this.playerTokens.set(client.sessionId, token);
    this.round.scores.move(oldSessionId, client.sessionId);
  }

  /**
   * A connection dropped: its place is held for RECONNECT_WINDOW_S (SPEC ROOM-7) —
   * also when Colyseus closed it because the same client reconnected while this
   * socket still looked open (a phone that changed networks): the new socket then
   * takes the seat over. Only connections the room kicked hold nothing.
   */
  override onDrop(client: ClassClient): void {
    if (this.kicked.has(client.sessionId)) return; // onLeave follows
    this.setConnected(client, false);
    this.allowReconnection(client, RECONNECT_WINDOW_S).catch(() => {});
  }

  /** Matchmaking: a reconnection while the old socket lives closes that socket saying why (SPEC ROOM-7, MSG-5). */
  override checkReconnectionToken(reconnectionToken: string): string {
    const live = this.clients.find((c) => c.reconnectionToken === reconnectionToken);
    if (live) closeReasonFor(live.ref, TAKEOVER_REASON);
    return super.checkReconnectionToken(reconnectionToken);
  }

  override onReconnect(client: ClassClient): void {
    // Removed by the host while away (SPEC HOST-2): the seat is gone.
    if (!this.isViewer(client) && !this.state.players.has(client.sessionId))
      return this.kick(client, BANNED_TEXT, KICKED_CLOSE_CODE);
    this.setConnected(client, true);
    this.watchMessages(client);
    // A reloaded page has nothing yet; a live one ignores the repeat and rebuilds its replica.
    this.welcome(client);
  }

  override onLeave(client: ClassClient): void {
    this.views?.forget(client.sessionId);
    this.budgets.delete(client.sessionId);
    this.kicked.delete(client.sessionId);
    this.resyncs.forget(client.sessionId);
    this.watching.delete(client.sessionId);
    this.deviceIds.delete(client.sessionId);
    if (this.projectors.delete(client.sessionId)) return;
    if (client.sessionId === this.hostSessionId) {
      this.hostSessionId = null;
      this.state.hostConnected = false;
      return;
    }
    const player = this.state.players.get(client.sessionId);
    if (!player) return;
    this.state.players.delete(client.sessionId);
    this.playerTokens.delete(client.sessionId);
    if (this.phase === 'running' || this.phase === 'paused') {
      this.departedNicknames.push(player.nickname);
      this.round.playerLeft(client.sessionId, player);
    } else this.round.lobbyLeft(client.sessionId);
  }

  /**
   * An unexpected error in this room (a bug, never a client's mistake: refused joins
   * are ServerErrors and pass through) ends its round with the results so far and
   * stops its tick (SPEC ROOM-9). Other rooms never see it.
   */
  override onUncaughtException(error: Error, methodName: string): void {
    if (error.cause instanceof ServerError) return;
    log.error(
      { room: this.roomId, method: methodName, err: error.cause ?? error },
      'a room failed; its round ends',
    );
    if (this.failed) return;
    this.failed = true;
    try {
      if (this.phase === 'running' || this.phase === 'paused') this.round.end();
      else this.state.phase = 'ended';
      this.patch();
      this.lock().catch(() => {});
    } catch (e) {
      log.error(
        { room: this.roomId, err: e },
        'the failed room could not end its round; disconnecting its clients',
      );
      this.disconnect(CloseCode.WITH_ERROR).catch(() => {});
    }
  }

  /**
   * Counts every frame the client sends, decodable or not (SPEC MSG-3): over the
   * budget it is warned, then disconnected with a reason it can read.
   */
  private watchMessages(client: ClassClient): void {
    const budget = this.budgets.get(client.sessionId) ?? new MessageBudget();
    this.budgets.set(client.sessionId, budget);
    client.ref.on('message', () => {
      const verdict = budget.onMessage(Date.now());
      if (verdict === 'drop' || verdict === 'kick') serverMetrics.refused('rate-limited');
      if (verdict === 'warn') this.sendError(client, 'rate-limited', RATE_WARNING, '');
      else if (verdict === 'kick' && !this.kicked.has(client.sessionId)) this.kick(client, RATE_KICK_REASON);
    });
  }

  /** Disconnects `client` for good (no seat held), with a reason a person can read (SPEC MSG-5). */
  kick(client: Client, reason: string, code: number = CloseCode.WITH_ERROR): void {
    this.kicked.add(client.sessionId);
    serverMetrics.kicked(reason === RATE_KICK_REASON ? 'rate-limit' : 'other');
    warnLimited('kick', { room: this.roomId, session: client.sessionId, reason }, 'client disconnected');
    client.leave(code, reason);
  }

  /** The room's phase (SPEC ROOM-4). */
  get phase(): Phase {
    return this.state.phase as Phase;
  }

  /** Players seated (connected or holding their seat), for the metrics. */
  get playerCount(): number {
    return this.state.players.size;
  }

  /** The copies of the running round (empty in the lobby); read-only use outside the room. */
  get copies(): readonly SimCopy[] {
    return this.round.copies;
  }

  /** Sends a typed server message to one client. */
  sendTo<K extends keyof ServerMessages>(client: Client, type: K, message: ServerMessages[K]): void {
    client.send(type, message);
  }

  /** Sends one typed server message to several clients, encoded once. */
  sendToEach<K extends keyof ServerMessages>(
    clients: readonly Client[],
    type: K,
    message: ServerMessages[K],
  ): void {
    if (clients.length === 0) return;
    const bytes = getMessageBytes.raw(Protocol.ROOM_DATA, type, message);
    for (const client of clients) client.enqueueRaw(bytes);
  }

  /** Tells `client`, in plain words (SPEC MSG-8), that its `request` was refused; nothing changed. */
  sendError(client: Client, code: MessageErrorCode, message: string, request: string): void {
    serverMetrics.refused(code);
    const label = (id: string) => this.lesson.scenario.file.nodes.find((n) => n.id === id)?.label || id;
    const plain = plainRefusal(code, message, request, { phase: this.phase, label });
    this.sendTo(client, 'error', { code, message: plain, request });
  }

  /** The copy a client watches: a player's own; the one the host or a projector picked (SPEC HOST-9), else copy 0. */
  watchedCopy(client: Client): number {
    return this.state.players.get(client.sessionId)?.copy ?? this.watching.get(client.sessionId) ?? 0;
  }

  /** The host or a projector: connections that watch without a seat. */
  private isViewer(client: Client): boolean {
    return client.sessionId === this.hostSessionId || this.projectors.has(client.sessionId);
  }

  /** Tells `client` who it is and the scenario, then sends its copy's snapshot if the round has begun. */
  private welcome(client: ClassClient): void {
    const scenario = {
      scenario: this.lesson.raw,
      scenarioId: this.state.scenarioId,
      round: this.state.round,
      build: servedBuild(),
    };
    if (client.sessionId === this.hostSessionId)
      this.sendTo(client, 'welcome', {
        role: 'host',
        hostToken: this.hostToken,
        projectorKey: projectorKeyFor(this.hostToken),
        ...scenario,
      });
    else if (this.projectors.has(client.sessionId))
      this.sendTo(client, 'welcome', { role: 'projector', ...scenario });
    else {
      const playerToken = this.playerTokens.get(client.sessionId);
      this.sendTo(client, 'welcome', {
        role: 'player',
        ...(playerToken ? { playerToken } : {}),
        ...scenario,
      });
    }
    this.round.sendSnapshot(client);
  }

  /** A snapshot now, or one at the end of the client's resync interval (SPEC SYNC-6). */
  private resync(client: ClassClient): void {
    const plan = this.resyncs.request(client.sessionId, Date.now());
    if (plan.kind === 'now') this.round.sendSnapshot(client);
    else if (plan.kind === 'later')
      this.clock.setTimeout(() => {
        this.resyncs.sentScheduled(client.sessionId, Date.now());
        if (this.clients.includes(client)) this.round.sendSnapshot(client);
      }, plan.delayMs);
  }

  private admissionView(): AdmissionView {
    return {
      departedNicknames: this.departedNicknames,
      phase: this.phase,
      players: [...this.state.players.values()],
      seats: this.lesson.scenario.seats,
      copyCount: this.round.copies.length,
      held: this.held,
      locked: this.state.locked,
      bans: this.bans,
      projectorKey: projectorKeyFor(this.hostToken),
      projectors: this.projectors.size,
      teams: [...this.state.teams],
    };
  }

  private sender(client: Client): Sender {
    if (client.sessionId === this.hostSessionId) return { kind: 'host' };
    if (this.projectors.has(client.sessionId)) return { kind: 'projector' };
    const p = this.state.players.get(client.sessionId);
    const seat = p && this.seatOf(p);
    return seat ? { kind: 'player', seat } : { kind: 'none' };
  }

  /** A player's seat, its role read from the scenario (the schema carries it as text). */
  private seatOf(p: Player): Seat | null {
    const s = this.lesson.scenario.seats.find((x) => x.node === p.node);
    return s ? { copy: p.copy, node: s.node, role: s.role } : null;
  }

  private setConnected(client: Client, connected: boolean): void {
    if (client.sessionId === this.hostSessionId) this.state.hostConnected = connected;
    const player = this.state.players.get(client.sessionId);
    if (player) player.connected = connected;
  }

  private onClientMessage(client: ClassClient, type: unknown, payload: unknown): void {
    // Over its budget (counted per frame in watchMessages), a message is dropped unread.
    const budget = this.budgets.get(client.sessionId);
    if (this.kicked.has(client.sessionId) || (budget && !budget.lastAccepted)) return;
    if (typeof type !== 'string')
      return this.sendError(client, 'invalid-message', 'a message type must be text', String(type));
    const ctx = { phase: this.phase, sender: this.sender(client), copyCount: this.round.copies.length };
    const decision = decide(ctx, type, payload);
    if (decision.ok) this.perform(client, type, decision.action);
    else this.sendError(client, decision.code, decision.message, type);
  }

  private perform(client: ClassClient, type: string, action: Action): void {
    switch (action.kind) {
      case 'start':
        this.startedAtMs = Date.now();
        this.round.start(this.lesson.scenario, this.seed);
        return this.keeper.copiesChanged();
      case 'pause':
        return this.round.pause();
      case 'resume':
        this.state.phase = 'running';
        return;
      case 'end':
        return this.round.end();
      case 'timeScale':
        this.state.timeScale = action.scale;
        return;
      case 'command': {
        this.round.playerActed(client.sessionId);
        const queued = this.round.copies[action.copy]?.enqueue({
          cmd: action.cmd,
          senderSessionId: client.sessionId,
          request: type,
        });
        if (queued !== null)
          this.sendError(client, 'rejected', queued ?? `there is no copy ${action.copy}`, type);
        return;
      }
      case 'resync':
        return this.resync(client);
      case 'lock':
        this.state.locked = action.locked;
        return;
      case 'leaderboard':
        this.state.leaderboardHidden = !action.visible;
        return;
      case 'watch':
        this.watching.set(client.sessionId, action.copy);
        return this.round.sendSnapshot(client);
      case 'next':
        return this.nextRound(client, type, action);
      case 'autopilot':
        return this.autopilot(client, type, action.skill);
      case 'team':
        return this.changeTeam(client, type, action.team);
      default: {
        const refused = performConsole(this.consoleRoom(), action);
        if (refused) this.sendError(client, refused.code, refused.message, type);
      }
    }
  }

  /**
   * The sender's seat goes to its bot at `skill`, or back to the sender (SPEC BOTS-2): the
   * skill must be one the seat's role declares; mid-round the bot takes over at the next tick.
   */
  private autopilot(client: ClassClient, type: string, skill: string | null): void {
    const player = this.state.players.get(client.sessionId);
    const seat = player && this.seatOf(player);
    if (!player || !seat) return this.sendError(client, 'forbidden', 'you hold no seat', type);
    if (!this.state.botPlayers)
      return this.sendError(
        client,
        'rejected',
        'this room plays without bot players: only its host can allow them, when creating it',
        type,
      );
    const skills = this.lesson.scenario.roles.role(seat.role)?.botSkills ?? [];
    if (skill !== null && !skills.includes(skill))
      return this.sendError(
        client,
        'rejected',
        `the ${seat.role}'s bot has no skill "${skill}"; pick one of ${skills.join(', ')}`,
        type,
      );
    player.autopilot = skill ?? '';
    if (this.phase !== 'running' && this.phase !== 'paused') return;
    // A seat a bot was covering (SPEC COVER-1) is the player's again first, then their choice applies.
    this.round.playerActed(client.sessionId);
    this.round.autopilot(seat.copy, seat.node, skill, client.sessionId);
  }

  /** A player in a competition's lobby moves to a free seat of `team` (SPEC COMP-2). */
  private changeTeam(client: ClassClient, type: string, team: number): void {
    const player = this.state.players.get(client.sessionId);
    if (!player) return this.sendError(client, 'forbidden', 'you hold no seat', type);
    const names = this.state.teams;
    if (names.length === 0) return this.sendError(client, 'rejected', 'this room is not a competition', type);
    if (player.copy === team) return;
    const others = [...this.state.players.entries()]
      .filter(([id]) => id !== client.sessionId)
      .map(([, p]) => p);
    const seat = teamSeat(others, this.lesson.scenario.seats, names.length, team);
    if (!seat) {
      const name = names[team];
      return this.sendError(
        client,
        'rejected',
        name === undefined ? `there is no team ${team + 1}` : `team "${name}" is full; pick another team`,
        type,
      );
    }
    player.copy = seat.copy;
    player.node = seat.node;
    player.role = seat.role;
  }

  /** What the host console acts on (SPEC HOST-2..6). */
  private consoleRoom(): ConsoleRoom {
    return {
      state: this.state,
      clients: this.clients,
      phase: this.phase,
      scenario: this.lesson.scenario,
      round: this.round,
      bans: this.bans,
      playerTokens: this.playerTokens,
      deviceIds: this.deviceIds,
      departedNicknames: this.departedNicknames,
      lobbyCopyLimit:
        this.state.teams.length || Math.ceil(MAX_PLAYERS / Math.max(1, this.lesson.scenario.seats.length)),
      forgetPlayer: (id) => {
        this.playerTokens.delete(id);
        this.deviceIds.delete(id);
        this.held.delete(id);
      },
      kick: (c, reason, code) => this.kick(c, reason, code),
    };
  }

  /**
   * The next round in this room (SPEC HOST-8): the lesson the host picked, a new seed,
   * everyone still joined and seated again in the new lesson's seats, back to the lobby.
   * The last round's results were saved when it ended (SPEC PERSIST-1).
   */
  private nextRound(client: ClassClient, type: string, a: Extract<Action, { kind: 'next' }>): void {
    let id: string;
    try {
      id = lessonId(a.lesson);
    } catch (e) {
      return this.sendError(client, 'rejected', e instanceof Error ? e.message : String(e), type);
    }
    const players = [...this.state.players.entries()].map(([pid, p]) => ({
      id: pid,
      copy: p.copy,
      node: p.node,
    }));
    // A competition keeps its teams: a lesson whose teams cannot seat every team's players is refused (SPEC COMP-1).
    const teams = this.state.teams.length;
    const seatsPerTeam = lessonScenario(id).scenario.seats.length;
    if (teams > 0 && players.length > 0) {
      const seats = reseat(players, lessonScenario(id).scenario.seats);
      const crowded = players.some((p) => seats.get(p.id)?.copy !== p.copy);
      if (crowded)
        return this.sendError(
          client,
          'rejected',
          `that lesson seats ${seatsPerTeam} players a team, too few for one of these teams; pick another lesson or move players first`,
          type,
        );
    }
    this.lessonId = id;
    this.lesson = lessonScenario(id);
    const file = this.lesson.scenario.file;
    this.seed = randomInt(0x1_0000_0000);
    this.startedAtMs = null;
    this.departedNicknames.length = 0;
    this.round = new RoundEngine(this);
    this.watching.clear();
    const st = this.state;
    st.scenarioId = file.id;
    st.title = file.title;
    st.lesson = file.lesson;
    st.durationUs = sToUs(a.durationS ?? file.durationS);
    st.timeScale = a.timeScale ?? file.timeScale;
    st.seatsPerCopy = this.lesson.scenario.seats.length;
    // The bots keep the room's skill where the new lesson's roles have it (SPEC ROOM-12).
    st.botSkill = st.botSkill && seatBotSkills(this.lesson.scenario).includes(st.botSkill) ? st.botSkill : '';
    st.simTimeUs = 0;
    st.copies.clear();
    st.results.clear();
    st.round++;
    for (const [pid, seat] of reseat(players, this.lesson.scenario.seats)) {
      const p = st.players.get(pid);
      if (!p) continue;
      p.copy = seat.copy;
      p.node = seat.node;
      p.role = seat.role;
      p.score = 0;
      // A bot player's skill carries over where the new seat's role has it (SPEC BOTS-2).
      if (p.autopilot && !this.lesson.scenario.roles.role(seat.role)?.botSkills.includes(p.autopilot))
        p.autopilot = '';
    }
    st.phase = 'lobby';
    this.keeper.copiesChanged();
    for (const c of this.clients) this.welcome(c);
  }
}
