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
import { type AdmissionView, admit, type JoinAuth, seatFor } from './admission.ts';
import type { SimCopy } from './copies.ts';
import { corked } from './corked.ts';
import { type Action, decide, describeIssues, type Sender } from './dispatch.ts';
import { newHostToken } from './hostToken.ts';
import { unusedJoinCode } from './joinCode.ts';
import { lessonId } from './lessons.ts';
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
  /** Players, the host, and one join that onAuth is about to refuse with a clear message. */
  override maxClients = MAX_PLAYERS + 2;
  override state = new RoomState();
  private lesson!: LoadedScenario;
  private seed = 0;
  private readonly hostToken = newHostToken();
  private hostSessionId: string | null = null;
  /** The creator (the first client, joining with the create options) becomes the host. */
  private creatorJoined = false;
  private readonly round = new RoundEngine(this);
  private ticks = 0;

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
    this.onMessage('*', (client, type, payload) => this.onClientMessage(client, String(type), payload));
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
    this.welcome(client);
  }

  override onDrop(client: ClassClient, code?: number): void {
    if (code === CloseCode.WITH_ERROR) return; // kicked: no seat held, onLeave follows
    this.setConnected(client, false);
    this.allowReconnection(client, RECONNECT_WINDOW_S).catch(() => {});
  }

  override onReconnect(client: ClassClient): void {
    this.setConnected(client, true);
    // A reloaded page has nothing yet; a live one ignores the repeat and rebuilds its replica.
    this.welcome(client);
  }

  override onLeave(client: ClassClient): void {
    if (client.sessionId === this.hostSessionId) {
      this.hostSessionId = null;
      this.state.hostConnected = false;
      return;
    }
    const player = this.state.players.get(client.sessionId);
    if (!player) return;
    this.state.players.delete(client.sessionId);
    if (this.phase === 'running' || this.phase === 'paused') this.round.playerLeft(player);
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

  private admissionView(): AdmissionView {
    return {
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

  private onClientMessage(client: ClassClient, type: string, payload: unknown): void {
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
        if (!queued)
          this.sendError(client, 'rejected', 'too many commands are waiting; try again in a moment', type);
        return;
      }
      case 'resync':
        return this.round.sendSnapshot(client);
    }
  }
}
