import { randomInt } from 'node:crypto';
import {
  type Client,
  CloseCode,
  ErrorCode,
  getMessageBytes,
  Protocol,
  Room,
  ServerError,
} from '@colyseus/core';
import {
  createOptions,
  MAX_PLAYERS,
  type ErrorCode as MessageErrorCode,
  type Phase,
  Player,
  RECONNECT_WINDOW_S,
  RoomState,
  type ServerMessages,
  TICK_HZ,
} from '@roundtrip/protocol';
import { sToUs } from '@roundtrip/sim';
import { SEATS_PER_ADDRESS_BURST } from './addressLimits.ts';
import { type AdmissionView, admit, type JoinAuth, seatFor } from './admission.ts';
import type { SimCopy } from './copies.ts';
import { corked } from './corked.ts';
import { type Action, decide, describeIssues, type Sender } from './dispatch.ts';
import { newHostToken } from './hostToken.ts';
import { unusedJoinCode } from './joinCode.ts';
import { lessonId } from './lessons.ts';
import { log, warnLimited } from './logger.ts';
import { MessageBudget, RATE_KICK_REASON, RATE_WARNING } from './rateLimit.ts';
import { ResyncGate } from './resyncGate.ts';
import { RoundEngine } from './roundEngine.ts';
import { type LoadedScenario, lessonScenario } from './scenarios.ts';
import type { Seat } from './seats.ts';

type ClassClient = Client<{ auth: JoinAuth }>;

/** The state patch goes out every this many ticks: 10 Hz (ARCHITECTURE "Sync": 10–20 Hz). */
export const PATCH_EVERY_TICKS = 2;

/**
 * A class room (SPEC ROOM-*): a host, players in seats, and one simulation per
 * copy of the network. A thin adapter: rules live in dispatch.ts, admission.ts,
 * seats.ts and roundEngine.ts; this class wires them to Colyseus.
 */
export class ClassRoom extends Room<{ state: RoomState; client: ClassClient }> {
  /**
   * Players, the host, one join that onAuth is about to refuse with a clear message,
   * and one address's burst of seat reservations: reservations alone can never lock
   * the room, so a full room says "full" (SPEC ROOM-3, ROOM-11).
   */
  override maxClients = MAX_PLAYERS + 2 + SEATS_PER_ADDRESS_BURST;
  /** Seconds a reserved seat waits for its socket (a real client connects within one). */
  override seatReservationTimeout = 8;
  override state = new RoomState();
  private lesson!: LoadedScenario;
  private seed = 0;
  private readonly hostToken = newHostToken();
  private hostSessionId: string | null = null;
  /** The creator (the first client, joining with the create options) becomes the host. */
  private creatorJoined = false;
  private readonly round = new RoundEngine(this);
  private ticks = 0;
  /** Each connection's message budget (SPEC MSG-3), by session id. */
  private readonly budgets = new Map<string, MessageBudget>();
  /** Connections the room disconnected itself: they hold no seat for reconnection. */
  private readonly kicked = new Set<string>();
  private readonly resyncs = new ResyncGate();
  /** Nicknames of players who left mid-round: reserved until the round ends (SPEC ROOM-2). */
  private readonly departedNicknames: string[] = [];
  /** Set when an unexpected error ended the round (SPEC ROOM-9): the tick stops. */
  private failed = false;

  override async onCreate(options: unknown): Promise<void> {
    const parsed = createOptions.safeParse(options ?? {});
    if (!parsed.success)
      throw new ServerError(ErrorCode.APPLICATION_ERROR, `create options: ${describeIssues(parsed.error)}`);
    const o = parsed.data;
    this.lesson = lessonScenario(lessonId(o.scenario));
    const file = this.lesson.scenario.file;
    this.seed = o.seed ?? randomInt(0x1_0000_0000);
    this.roomId = await unusedJoinCode();
    this.state.code = this.roomId;
    this.state.scenarioId = file.id;
    this.state.title = file.title;
    this.state.lesson = file.lesson;
    this.state.durationUs = sToUs(o.durationS ?? file.durationS);
    this.state.timeScale = o.timeScale ?? file.timeScale;
    this.state.seatsPerCopy = this.lesson.scenario.seats.length;
    this.onMessage('*', (client, type, payload) => this.onClientMessage(client, type, payload));
    this.setFixedTimestep((ctx) => this.tick(ctx.dtMs), TICK_HZ);
    // State patches go out from the tick itself (every PATCH_EVERY_TICKS), not from a timer of their own.
    // Set after the timestep: without one, Colyseus would start a timer of its own that ticks the room's
    // clock between steps, and the fixed timestep would then run only a fraction of its ticks.
    this.patchRate = null;
  }

  /**
   * One fixed tick (SPEC SYNC-3): the round steps, and every PATCH_EVERY_TICKS-th
   * tick the state patch follows. What a tick sends a client — its copy's tick, the
   * hash, the patch — leaves in one socket write (`corked`): per-message writes were
   * half of a busy server's time (docs/PERFORMANCE.md "Rooms on one process").
   */
  private tick(dtMs: number): void {
    if (this.failed) return;
    corked(this.clients, () => {
      this.round.step(dtMs);
      if (++this.ticks % PATCH_EVERY_TICKS === 0) this.broadcastPatch();
    });
  }

  override onAuth(_client: ClassClient, options: unknown): JoinAuth {
    // Create options never hold a nickname or host token (createOptions is strict).
    const joinShaped =
      typeof options === 'object' && options !== null && ('nickname' in options || 'hostToken' in options);
    if (!this.creatorJoined && !joinShaped) {
      this.creatorJoined = true;
      return { role: 'host' };
    }
    return admit(options, this.admissionView(), this.hostToken);
  }

  override onJoin(client: ClassClient, _options: unknown, auth: JoinAuth): void {
    if (auth.role === 'host') {
      this.hostSessionId = client.sessionId;
      this.state.hostConnected = true;
    } else {
      // Checked again: another join may have taken the name or seat since onAuth.
      const seat = seatFor(auth.nickname, this.admissionView());
      const player = new Player();
      player.nickname = auth.nickname;
      player.copy = seat.copy;
      player.node = seat.node;
      player.role = seat.role;
      this.state.players.set(client.sessionId, player);
    }
    this.watchMessages(client);
    this.welcome(client);
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

  override onReconnect(client: ClassClient): void {
    this.setConnected(client, true);
    this.watchMessages(client);
    // A reloaded page has nothing yet; a live one ignores the repeat and rebuilds its replica.
    this.welcome(client);
  }

  override onLeave(client: ClassClient): void {
    this.budgets.delete(client.sessionId);
    this.kicked.delete(client.sessionId);
    this.resyncs.forget(client.sessionId);
    if (client.sessionId === this.hostSessionId) {
      this.hostSessionId = null;
      this.state.hostConnected = false;
      return;
    }
    const player = this.state.players.get(client.sessionId);
    if (!player) return;
    this.state.players.delete(client.sessionId);
    if (this.phase === 'running' || this.phase === 'paused') {
      this.departedNicknames.push(player.nickname);
      this.round.playerLeft(player);
    }
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
      this.broadcastPatch();
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
      if (verdict === 'warn') this.sendError(client, 'rate-limited', RATE_WARNING, '');
      else if (verdict === 'kick' && !this.kicked.has(client.sessionId)) this.kick(client, RATE_KICK_REASON);
    });
  }

  /** Disconnects `client` for good (no seat held), with a reason a person can read (SPEC MSG-5). */
  kick(client: ClassClient, reason: string): void {
    this.kicked.add(client.sessionId);
    warnLimited('kick', { room: this.roomId, session: client.sessionId, reason }, 'client disconnected');
    client.leave(CloseCode.WITH_ERROR, reason);
  }

  /** The room's phase (SPEC ROOM-4). */
  get phase(): Phase {
    return this.state.phase as Phase;
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

  /** Tells `client` that its `request` was refused; nothing changed. */
  sendError(client: Client, code: MessageErrorCode, message: string, request: string): void {
    this.sendTo(client, 'error', { code, message, request });
  }

  /** The copy a client watches: a player's own, copy 0 for the host and anyone else. */
  watchedCopy(client: Client): number {
    return this.state.players.get(client.sessionId)?.copy ?? 0;
  }

  /** Tells `client` who it is and the scenario, then sends its copy's snapshot if the round has begun. */
  private welcome(client: ClassClient): void {
    const scenario = { scenario: this.lesson.raw, scenarioId: this.state.scenarioId };
    if (client.sessionId === this.hostSessionId)
      this.sendTo(client, 'welcome', { role: 'host', hostToken: this.hostToken, ...scenario });
    else this.sendTo(client, 'welcome', { role: 'player', ...scenario });
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
    };
  }

  private sender(client: Client): Sender {
    if (client.sessionId === this.hostSessionId) return { kind: 'host' };
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
        return this.round.start(this.lesson.scenario, this.seed);
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
    }
  }
}
